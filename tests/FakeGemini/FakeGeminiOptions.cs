using System;
using System.Collections.Generic;

namespace FakeGemini;

/// <summary>Settings fixed when the server starts.</summary>
public sealed record FakeGeminiOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Initial value of <see cref="FakeGeminiServer.ExpectedApiKey"/>.</summary>
    public string ApiKey { get; init; } = "test-key";

    /// <summary>Answer a missing or wrong key with CometAPI's 401 envelope instead of Google's 400 API_KEY_INVALID.</summary>
    public bool CometMode { get; init; }

    /// <summary>Model ids the default behaviour answers with 404 even though they look like Gemini models.</summary>
    public IReadOnlyCollection<string> UnknownModels { get; init; } = Array.Empty<string>();

    /// <summary>Requested model id → the model that answers it (its modelVersion), as Google routes shut-down ids.</summary>
    public IReadOnlyDictionary<string, string> RoutedModels { get; init; } = new Dictionary<string, string>();

    /// <summary>Pause between the events of a default (unscripted) stream.</summary>
    public TimeSpan DefaultChunkDelay { get; init; }

    /// <summary>How long to think before a default (unscripted) answer, per request (e.g. slower for some prompts): a server under load.</summary>
    public Func<RecordedRequest, TimeSpan>? DefaultAnswerDelay { get; init; }

    /// <summary>Reject unknown top-level and generationConfig fields with 400 like Google does (off by default).</summary>
    public bool RejectUnknownFields { get; init; }

    /// <summary>Keep every request in <see cref="FakeGeminiServer.Requests"/> (the standalone server turns this off).</summary>
    public bool RecordRequests { get; init; } = true;

    /// <summary>How long a kept-alive connection may sit idle before the server closes it.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a request may take to arrive once its first byte is in.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound for NoHeaders / HangAfter when neither the client nor Dispose ends the wait.</summary>
    public TimeSpan HangTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Request line plus headers.</summary>
    public int MaxHeaderBytes { get; init; } = 64 * 1024;

    /// <summary>Largest request body accepted (413 above).</summary>
    public long MaxBodyBytes { get; init; } = 64L * 1024 * 1024;
}
