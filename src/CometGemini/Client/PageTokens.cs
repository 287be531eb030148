using System;
using System.Collections.Generic;

namespace CometGemini.Client;

/// <summary>
/// Follows a list's nextPageToken, and stops a server that never stops: one that hands back a token it gave before
/// (the same page forever) or pages past <see cref="MaxPages"/>. Every list call (models, caches, batch jobs) pages with this.
/// </summary>
internal sealed class PageTokens
{
    public const int MaxPages = 1000;

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly string _what;
    private int _pages;

    public PageTokens(string what) => _what = what;

    /// <summary>The token to ask for after this page, or null when it was the last.</summary>
    public string? Next(string? nextPageToken)
    {
        _pages++;
        if (string.IsNullOrEmpty(nextPageToken))
            return null;
        if (!_seen.Add(nextPageToken!) || _pages >= MaxPages)
        {
            throw new GeminiException(
                GeminiFailure.Protocol,
                _pages >= MaxPages && _seen.Count == _pages
                    ? $"The list of {_what} did not end after {MaxPages} pages; the server keeps handing out page tokens."
                    : $"The list of {_what} pages in a circle: page {_pages} gave a page token an earlier page gave, so the list would never end.")
            {
                StatusCode = 200,
            };
        }

        return nextPageToken;
    }
}
