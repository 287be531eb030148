using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CometGemini.Client;

namespace CometGemini.Completion;

/// <summary>
/// A list that an endpoint serves (its models, context caches or batch jobs), kept per endpoint and key so that Tab shows
/// what is really there. The fetch runs in the background and a Tab waits for it at most <see cref="Wait"/>; until it
/// is in, or when it fails (offline, a bad key, a proxy without the route), the caller gets null and falls back.
/// </summary>
internal sealed class EndpointList<T>
    where T : class
{
    /// <summary>How long a Tab waits for a list, and how long its request may take.</summary>
    internal static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);

    // A failed fetch is not repeated at every Tab (each would wait again); after this long it is tried anew.
    private static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(1);

    private readonly object _gate = new();
    private readonly Dictionary<string, Fetch> _fetches = new(StringComparer.OrdinalIgnoreCase);
    private readonly Func<GeminiClient, CancellationToken, Task<IReadOnlyList<T>?>> _list;
    private readonly TimeSpan _keep;

    /// <param name="list">Asks the endpoint for the whole list (its log is silent; the key is never shown); null: no usable list.</param>
    /// <param name="keep">How long a list that came in serves later Tabs before it is asked for again.</param>
    public EndpointList(Func<GeminiClient, CancellationToken, Task<IReadOnlyList<T>?>> list, TimeSpan keep)
    {
        _list = list;
        _keep = keep;
    }

    /// <summary>The list of <paramref name="endpoint"/>, or null when it is not (yet) at hand.</summary>
    public IReadOnlyList<T>? TryGet(GeminiEndpoint endpoint)
    {
        Fetch fetch;
        IReadOnlyList<T>? previous = null;
        lock (_gate)
        {
            string key = Key(endpoint);
            if (!_fetches.TryGetValue(key, out fetch!) || fetch.IsStale(_keep))
            {
                previous = fetch?.Items.IsCompleted == true ? fetch.Items.Result : null;
                fetch = new Fetch(Start(endpoint));
                _fetches[key] = fetch;
            }
        }

        TimeSpan left = Wait - (DateTime.UtcNow - fetch.Started);
        bool done = left > TimeSpan.Zero && fetch.Items.Wait(left) || fetch.Items.IsCompleted;
        // A list asked for anew that is late leaves Tab the one it had: a little old beats nothing.
        return done ? fetch.Items.Result ?? previous : previous;
    }

    /// <summary>The list of <paramref name="endpoint"/> when one is already in; never fetches.</summary>
    public IReadOnlyList<T>? Peek(GeminiEndpoint endpoint)
    {
        Fetch? fetch;
        lock (_gate)
            _fetches.TryGetValue(Key(endpoint), out fetch);
        return fetch is not null && fetch.Items.IsCompleted ? fetch.Items.Result : null;
    }

    /// <summary>Keeps a list a command fetched anyway, so that Tab needs no call of its own.</summary>
    public void Remember(GeminiEndpoint endpoint, IReadOnlyList<T> items)
    {
        lock (_gate)
            _fetches[Key(endpoint)] = new Fetch(Task.FromResult<IReadOnlyList<T>?>(items));
    }

    // One list per endpoint and key: a key sees its own project's models, caches and jobs. The key is kept only as a hash.
    private static string Key(GeminiEndpoint endpoint)
    {
        using SHA256 sha = SHA256.Create();
        byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(Secrets.Reveal(endpoint.ApiKey)));
        return endpoint.BaseUri.GetLeftPart(UriPartial.Path).TrimEnd('/') + " " + Convert.ToBase64String(hash);
    }

    private Task<IReadOnlyList<T>?> Start(GeminiEndpoint endpoint)
    {
        endpoint.Timeout = Wait;
        endpoint.MaxRetries = 0;
        return Task.Run(async () =>
        {
            try
            {
                using var client = new GeminiClient(endpoint);
                using var limit = new CancellationTokenSource(Wait);
                return await _list(client, limit.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                return null; // whatever went wrong, Tab falls back (or offers nothing)
            }
        });
    }

    private sealed class Fetch
    {
        public Fetch(Task<IReadOnlyList<T>?> items) => Items = items;

        public Task<IReadOnlyList<T>?> Items { get; }

        public DateTime Started { get; } = DateTime.UtcNow;

        public bool IsStale(TimeSpan keep)
        {
            if (!Items.IsCompleted)
                return false;
            TimeSpan age = DateTime.UtcNow - Started;
            return Items.Result is null ? age > RetryAfter : age > keep;
        }
    }
}

/// <summary>The client log of Tab's own requests: they show nothing (a Tab writes no verbose or debug text).</summary>
internal sealed class SilentLog : IClientLog
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
