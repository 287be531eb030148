using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Client;

/// <summary>Context caches (cachedContents): create, get, list, patch, delete (docs/wire.md §11).</summary>
public sealed class CachesClient
{
    private const string Prefix = "cachedContents/";

    // A cache's id, with or without its prefix: anything else (a path such as '../models/x') never goes into a URL.
    private static readonly Regex NamePattern = new("^(?:cachedContents/)?[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant);

    private readonly GeminiClient _transport;

    internal CachesClient(GeminiClient transport) => _transport = transport;

    /// <summary>True for "abc" and "cachedContents/abc": a name that can go into a URL.</summary>
    internal static bool IsValidName(string name) => NamePattern.IsMatch(name);

    /// <summary>"abc" or "cachedContents/abc" as the API names it: "cachedContents/abc".</summary>
    internal static string ResourceName(string name) => name.StartsWith(Prefix, StringComparison.Ordinal) ? name : Prefix + name;

    internal Task<GeminiCache> CreateAsync(GeminiCache cache, IClientLog log, CancellationToken cancellationToken)
    {
        byte[] body = GeminiClient.Serialize(cache, GeminiJsonContext.Default.GeminiCache, log);
        return _transport.SendJsonAsync(HttpMethod.Post, _transport.ApiUri("cachedContents"), body, GeminiJsonContext.Default.GeminiCache, log, cancellationToken);
    }

    /// <summary>One cache by name ("abc" or "cachedContents/abc").</summary>
    internal Task<GeminiCache> GetAsync(string name, IClientLog log, CancellationToken cancellationToken) =>
        _transport.SendJsonAsync(HttpMethod.Get, _transport.ApiUri(ResourceName(name)), null, GeminiJsonContext.Default.GeminiCache, log, cancellationToken);

    /// <summary>Every cache the key can see, page by page (following nextPageToken), each as it arrives.</summary>
    internal async IAsyncEnumerable<GeminiCache> ListAsync(IClientLog log, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = new PageTokens("context caches");
        string? pageToken = null;
        do
        {
            ListCachedContentsResponse page = await _transport.SendJsonAsync(
                HttpMethod.Get,
                _transport.ApiUri("cachedContents", pageToken is null ? null : "pageToken=" + Uri.EscapeDataString(pageToken)),
                null,
                GeminiJsonContext.Default.ListCachedContentsResponse,
                log,
                cancellationToken).ConfigureAwait(false);
            foreach (GeminiCache? cache in page.CachedContents ?? new List<GeminiCache>())
            {
                if (cache is not null)
                    yield return cache;
            }

            pageToken = pages.Next(page.NextPageToken);
        }
        while (pageToken is not null);
    }

    /// <summary>Sets a cache's expiry: <paramref name="update"/> carries either its ttl or its expireTime, and only that field is changed.</summary>
    internal Task<GeminiCache> UpdateExpiryAsync(string name, GeminiCache update, IClientLog log, CancellationToken cancellationToken)
    {
        byte[] body = GeminiClient.Serialize(update, GeminiJsonContext.Default.GeminiCache, log);
        return _transport.SendJsonAsync(
            new HttpMethod("PATCH"),
            _transport.ApiUri(ResourceName(name), "updateMask=" + (update.Ttl is not null ? "ttl" : "expireTime")),
            body,
            GeminiJsonContext.Default.GeminiCache,
            log,
            cancellationToken);
    }

    internal Task<JsonElement> DeleteAsync(string name, IClientLog log, CancellationToken cancellationToken) =>
        _transport.SendJsonAsync(HttpMethod.Delete, _transport.ApiUri(ResourceName(name)), null, GeminiJsonContext.Default.JsonElement, log, cancellationToken);
}
