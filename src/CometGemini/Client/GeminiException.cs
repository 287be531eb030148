using System;
using System.Collections.Generic;
using System.Linq;

namespace CometGemini.Client;

/// <summary>What went wrong, in the client's terms; the cmdlets map it to an ErrorCategory.</summary>
public enum GeminiFailure
{
    /// <summary>The server answered with an HTTP error status (see StatusCode and Status).</summary>
    Http,
    /// <summary>No answer could be had: DNS, refused or reset connection, TLS.</summary>
    Network,
    /// <summary>-TimeoutSec ran out (waiting for headers, or a stream went idle).</summary>
    Timeout,
    /// <summary>The base URI answers, but not as a Gemini endpoint: a redirect or an HTML page.</summary>
    WrongEndpoint,
    /// <summary>The server sent something that is not a Gemini response.</summary>
    Protocol,
    /// <summary>The stream reported an error after some chunks had arrived.</summary>
    MidStream,
    /// <summary>The stream ended without a finish reason.</summary>
    Truncated,
    /// <summary>One request of a batch job failed; the server reported it with the job's results.</summary>
    BatchRequest,
    /// <summary>A response body, stream event or results line was larger than -MaxResponseSize; never retried.</summary>
    ResponseTooLarge,
}

/// <summary>The one exception type of the client layer.</summary>
public sealed class GeminiException : Exception
{
    public GeminiException(GeminiFailure failure, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
    }

    public GeminiFailure Failure { get; }

    /// <summary>HTTP status, or 0 when no HTTP answer was had.</summary>
    public int StatusCode { get; init; }

    /// <summary>Google's status name (RESOURCE_EXHAUSTED, …); null for CometAPI's envelope.</summary>
    public string? Status { get; init; }

    /// <summary>CometAPI's string error code (invalid_request, …), when its envelope was used.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The server's own message, without our advice around it.</summary>
    public string? ServerMessage { get; init; }

    /// <summary>Google's ErrorInfo reason (API_KEY_INVALID, SERVICE_DISABLED, …), when given.</summary>
    public string? Reason { get; init; }

    /// <summary>How long the server asked us to wait (RetryInfo.retryDelay or Retry-After).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Attempts made, retries included.</summary>
    public int Attempts { get; set; } = 1;

    /// <summary>Stream chunks that arrived before the failure: nothing that arrived is lost.</summary>
    public IReadOnlyList<GenerateContentResponse> PartialChunks { get; init; } = Array.Empty<GenerateContentResponse>();

    /// <summary>The answer text of the chunks that arrived before the failure.</summary>
    public string PartialText => string.Concat(PartialChunks.Select(c => c.Text));

    internal bool IsRetryable => Failure switch
    {
        GeminiFailure.Network => true,
        GeminiFailure.Http => StatusCode switch
        {
            408 or 429 or 502 or 503 or 504 or 524 => true,
            // CometAPI reports some bad requests as 500 with code invalid_request: retrying cannot help.
            500 => ErrorCode != "invalid_request",
            _ => false,
        },
        _ => false,
    };
}
