using System;
using System.Collections.Generic;
using System.Globalization;

namespace CometGemini.Client;

/// <summary>
/// The one bound on what a server may make the module hold: each response body, each SSE line or event, each line of
/// a results file. A server is untrusted; Content-Length is a hint and decompressed bytes are what count.
/// </summary>
public static class ResponseLimits
{
    /// <summary>256 MB: room for real answers with images, far below what a batch of them in parallel can hold.</summary>
    public const long DefaultMaxResponseSize = 256L * 1024 * 1024;

    /// <summary>The smallest -MaxResponseSize accepted (1 KB).</summary>
    public const long SmallestMaxResponseSize = 1024;

    /// <summary>The largest -MaxResponseSize accepted (2 GB).</summary>
    public const long LargestMaxResponseSize = 2L * 1024 * 1024 * 1024;

    // The largest byte array .NET makes; a 2 GB limit holds at most this much in one piece.
    internal const int MaxArrayLength = 0x7FFFFFC7;

    internal const string RaiseAdvice = "If answers this large are expected, raise the limit: -MaxResponseSize on the command, or Connect-Gemini -MaxResponseSize for the session (up to 2GB).";

    /// <summary>The error for a body, line or event over <paramref name="limit"/>: not retried, and it names the limit.</summary>
    internal static GeminiException TooLarge(string what, long limit, IReadOnlyList<GenerateContentResponse>? partial = null) =>
        new(GeminiFailure.ResponseTooLarge, $"{what} is larger than {Describe(limit)}, the limit for one response (-MaxResponseSize); it was dropped.")
        {
            PartialChunks = partial ?? Array.Empty<GenerateContentResponse>(),
        };

    /// <summary>The error for a body whose Content-Length is already over <paramref name="limit"/>: nothing is read.</summary>
    internal static GeminiException AnnouncedTooLarge(long announced, long limit) =>
        new(GeminiFailure.ResponseTooLarge, $"The server announced an answer of {Describe(announced)} (Content-Length {announced.ToString(CultureInfo.InvariantCulture)}), more than {Describe(limit)}, the limit for one response (-MaxResponseSize); it was not read.");

    /// <summary>"256 MB", "1.5 GB", "1,000 bytes".</summary>
    internal static string Describe(long bytes) => bytes switch
    {
        >= 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024 * 1024)).ToString("0.##", CultureInfo.InvariantCulture) + " GB",
        >= 1024L * 1024 => (bytes / (1024.0 * 1024)).ToString("0.##", CultureInfo.InvariantCulture) + " MB",
        >= 1024 => (bytes / 1024.0).ToString("0.##", CultureInfo.InvariantCulture) + " KB",
        _ => bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes",
    };

    /// <summary>A limit as the length of one buffer: 2 GB is a little more than an array can be.</summary>
    internal static int AsArrayLength(long limit) => (int)Math.Min(limit, MaxArrayLength);
}
