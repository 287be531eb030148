using System;
using System.Globalization;
using System.Management.Automation;
using CometGemini.Client;

namespace CometGemini.Commands;

/// <summary>What the context-cache commands share: cache names, the cachedContents calls, and how a missing cache is reported.</summary>
public abstract class CacheCommand : ApiCommand
{
    /// <summary>"abc" or "cachedContents/abc" as the API names it.</summary>
    internal static string FullName(string name) => CachesClient.ResourceName(name);

    /// <summary>"cachedContents/abc" for "abc" or "cachedContents/abc"; null (with the error written) for anything else.</summary>
    private protected string? ValidCacheName(string name)
    {
        if (CachesClient.IsValidName(name))
            return FullName(name);
        WriteError(ErrorRecords.Usage(
            $"'{name}' is not a cache name. Cache names look like 'cachedContents/abc123' (or just 'abc123'); nothing was sent for it.",
            "GeminiCacheNameInvalid",
            ErrorCategory.InvalidArgument,
            name,
            "Pass the Name of a cache from Get-GeminiCache (Get-GeminiCache 'display name' | Set-GeminiCache ... finds one by its display name)."));
        return null;
    }

    /// <summary>A duration as the wire spells it: seconds with up to nine fractional digits and an "s" ("600s", "1.5s").</summary>
    internal static string Duration(TimeSpan span) => span.TotalSeconds.ToString("0.#########", CultureInfo.InvariantCulture) + "s";

    /// <summary>An expiry for the wire, in UTC (a DateTime without a kind is local time, as PowerShell makes it).</summary>
    internal static DateTimeOffset Utc(DateTime time) => new(time.ToUniversalTime(), TimeSpan.Zero);

    /// <summary>Ends the command when a time limit cannot be right (not in the future), before anything is sent.</summary>
    private protected void CheckExpiry(TimeSpan? ttl, DateTime? expireTime)
    {
        string? problem = ttl is TimeSpan span && span <= TimeSpan.Zero
            ? $"-Ttl must be a positive time span, such as (New-TimeSpan -Hours 2) or '01:30:00'; it is {span}."
            : expireTime is DateTime time && time.ToUniversalTime() <= DateTime.UtcNow
                ? $"-ExpireTime must be in the future; {time.ToString("u", CultureInfo.InvariantCulture)} has passed."
                : null;
        if (problem is not null)
            ThrowTerminatingError(ErrorRecords.Usage(problem, "GeminiCacheExpiryInvalid", ErrorCategory.InvalidArgument, (object?)ttl ?? expireTime));
    }

    /// <summary>
    /// A failure on one named cache. The service answers 403 "CachedContent not found (or permission denied)" for a
    /// cache that does not exist (or has expired), so that and 404 become ObjectNotFound with advice that fits.
    /// </summary>
    private protected void WriteCacheError(GeminiException e, string name)
    {
        e = Secrets.Redact(e, Endpoint.ApiKey);
        if (e.Failure == GeminiFailure.Http && e.StatusCode is 403 or 404)
        {
            WriteError(new ErrorRecord(e, "GeminiCacheNotFound", ErrorCategory.ObjectNotFound, name)
            {
                ErrorDetails = new ErrorDetails($"No context cache '{FullName(name)}' for this key: {e.ServerMessage ?? e.Message}")
                {
                    RecommendedAction = "Caches end when they expire; Get-GeminiCache lists those that exist. A cache is visible only to keys of the project that made it.",
                },
            });
            return;
        }

        WriteGeminiError(e, name);
    }

    /// <summary>A failed list: a 404 there means the endpoint has no cachedContents API, not a wrong model.</summary>
    private protected void WriteListError(GeminiException e)
    {
        ErrorRecord record = GeminiError(e, null);
        if (e.Failure == GeminiFailure.Http && e.StatusCode == 404)
        {
            record.ErrorDetails = new ErrorDetails(e.Message)
            {
                RecommendedAction = "This endpoint does not answer the cachedContents API. Check -BaseUri; Google's API (https://generativelanguage.googleapis.com) has it.",
            };
        }

        WriteError(record);
    }
}
