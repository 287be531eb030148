using System;

namespace CometGemini.Client;

/// <summary>
/// When to try again: 408/429/500/502/503/504/524 and network failures (GeminiException.IsRetryable),
/// exponential backoff with jitter from one second, the server's RetryInfo/Retry-After first.
/// </summary>
internal sealed class RetryPolicy
{
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1);

    [ThreadStatic]
    private static Random? _random;

    public RetryPolicy(int maxRetries)
    {
        MaxRetries = maxRetries;
    }

    public int MaxRetries { get; }

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based), or null when giving up.</summary>
    public TimeSpan? NextDelay(GeminiException failure, int retry)
    {
        if (retry > MaxRetries || !failure.IsRetryable)
            return null;

        if (failure.RetryAfter is TimeSpan asked)
            return asked <= MaxDelay ? asked : null; // a longer wait (a daily quota) is the user's call

        _random ??= new Random();
        double backoff = BaseDelay.TotalMilliseconds * Math.Pow(2, retry - 1);
        double jittered = backoff * (0.8 + (0.4 * _random.NextDouble()));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, MaxDelay.TotalMilliseconds));
    }
}
