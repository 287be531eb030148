using System;

namespace CometGemini;

/// <summary>What a run of Invoke-GeminiContent -Summary did: requests, failures, tokens, time and retries.</summary>
public sealed class GeminiRunSummary
{
    /// <summary>Inputs sent (one request each, follow-up calls for tools included in the same input).</summary>
    public int Requests { get; set; }

    public int Succeeded { get; set; }

    public int Failed { get; set; }

    /// <summary>Prompt tokens over every call of the run (tool rounds included).</summary>
    public long PromptTokens { get; set; }

    /// <summary>Answer tokens (candidates and thoughts) over every call of the run.</summary>
    public long OutputTokens { get; set; }

    public long TotalTokens { get; set; }

    /// <summary>From the first request to the last answer.</summary>
    public TimeSpan Elapsed { get; set; }

    /// <summary>HTTP attempts that were retries (429, 5xx, network).</summary>
    public int Retries { get; set; }

    public override string ToString() =>
        $"{Requests} request(s), {Succeeded} succeeded, {Failed} failed, {TotalTokens} tokens, {Elapsed.TotalSeconds:0.#} s";
}
