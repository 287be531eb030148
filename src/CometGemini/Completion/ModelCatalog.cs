using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CometGemini.Client;

namespace CometGemini.Completion;

/// <summary>
/// The model list of each endpoint, fetched once per process on the first Tab (or kept from Get-GeminiModel), so that
/// completion shows what the endpoint really serves. The fetch runs in the background and Tab waits for it at most
/// <see cref="Wait"/>; until it is in, or when it fails (offline, a bad key, no list at CometAPI), the caller falls back.
/// </summary>
internal static class ModelCatalog
{
    /// <summary>How long a Tab waits for the list, and how long its request may take.</summary>
    internal static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);

    // A failed fetch is not repeated at every Tab (each would wait again); after this long it is tried anew.
    private static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(1);

    private static readonly object s_gate = new();
    private static readonly Dictionary<string, Fetch> s_fetches = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The models of <paramref name="endpoint"/>, or null when the list is not (yet) at hand.</summary>
    public static IReadOnlyList<GeminiModel>? TryGet(GeminiEndpoint endpoint)
    {
        Fetch fetch;
        lock (s_gate)
        {
            string key = Key(endpoint);
            if (!s_fetches.TryGetValue(key, out fetch!) || (fetch.Models.IsCompleted && fetch.Models.Result is null && DateTime.UtcNow - fetch.Started > RetryAfter))
            {
                fetch = new Fetch(Start(endpoint));
                s_fetches[key] = fetch;
            }
        }

        TimeSpan left = Wait - (DateTime.UtcNow - fetch.Started);
        return left > TimeSpan.Zero && fetch.Models.Wait(left) || fetch.Models.IsCompleted ? fetch.Models.Result : null;
    }

    /// <summary>The models of <paramref name="endpoint"/> when a list is already in (from Tab, Get-GeminiModel or Test-GeminiModelReference); never fetches.</summary>
    public static IReadOnlyList<GeminiModel>? Peek(GeminiEndpoint endpoint)
    {
        Fetch? fetch;
        lock (s_gate)
            s_fetches.TryGetValue(Key(endpoint), out fetch);
        return fetch is not null && fetch.Models.IsCompleted ? fetch.Models.Result : null;
    }

    /// <summary>The endpoint's entry for <paramref name="model"/> when its list is in, else null.</summary>
    public static GeminiModel? PeekModel(GeminiEndpoint endpoint, string model)
    {
        string id = ModelNames.Id(model);
        return Peek(endpoint)?.FirstOrDefault(m => string.Equals(m.Name, id, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Keeps a list fetched by Get-GeminiModel, so Tab needs no call of its own.</summary>
    public static void Remember(GeminiEndpoint endpoint, IReadOnlyList<GeminiModel> models)
    {
        lock (s_gate)
            s_fetches[Key(endpoint)] = new Fetch(Task.FromResult<IReadOnlyList<GeminiModel>?>(models));
    }

    // One list per endpoint and key: a key sees its own project's tuned models. The key is kept only as a hash.
    private static string Key(GeminiEndpoint endpoint)
    {
        using SHA256 sha = SHA256.Create();
        byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(Secrets.Reveal(endpoint.ApiKey)));
        return endpoint.BaseUri.GetLeftPart(UriPartial.Path).TrimEnd('/') + " " + Convert.ToBase64String(hash);
    }

    private static Task<IReadOnlyList<GeminiModel>?> Start(GeminiEndpoint endpoint)
    {
        endpoint.Timeout = Wait;
        endpoint.MaxRetries = 0;
        return Task.Run(async () =>
        {
            try
            {
                using var client = new GeminiClient(endpoint);
                using var limit = new CancellationTokenSource(Wait);
                IReadOnlyList<GeminiModel> models = await client.Models.ListAsync(SilentLog.Instance, limit.Token).ConfigureAwait(false);
                return models.Count > 0 ? models : null;
            }
            catch (Exception)
            {
                return null; // whatever went wrong, Tab falls back to the built-in list
            }
        });
    }

    private sealed class Fetch
    {
        public Fetch(Task<IReadOnlyList<GeminiModel>?> models) => Models = models;

        public Task<IReadOnlyList<GeminiModel>?> Models { get; }

        public DateTime Started { get; } = DateTime.UtcNow;
    }

    private sealed class SilentLog : IClientLog
    {
        public static readonly SilentLog Instance = new();

        public bool IsDebugEnabled => false;

        public bool IsVerboseEnabled => false;

        public void Verbose(string message)
        {
        }

        public void Debug(string message)
        {
        }

        public void Waiting(string why, TimeSpan total, TimeSpan left)
        {
        }
    }
}
