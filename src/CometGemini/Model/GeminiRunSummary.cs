using System;
using System.Collections.Generic;

namespace CometGemini;

/// <summary>What a run of Invoke-GeminiContent -Summary did: requests, failures, tokens, time and retries.</summary>
public sealed class GeminiRunSummary
{
    /// <summary>Every input the run took: those sent, those refused before sending, those answered from the answer cache and those the token budget stopped before sending.</summary>
    public int Inputs => Requests + Refused + CacheHits + NotSent;

    /// <summary>Inputs sent (one request each, follow-up calls for tools included in the same input).</summary>
    public int Requests { get; set; }

    public int Succeeded { get; set; }

    /// <summary>Inputs answered from -AnswerCache: nothing sent for them, no tokens used (they count as succeeded too).</summary>
    public int CacheHits { get; set; }

    /// <summary>Inputs that got no answer: failed requests and inputs refused before sending.</summary>
    public int Failed { get; set; }

    /// <summary>Inputs refused before sending (empty, binary, too large, unreadable, a template that does not fit).</summary>
    public int Refused => RefusedInputs.Count;

    /// <summary>What was refused and why, one "input: reason" line each.</summary>
    public List<string> RefusedInputs { get; } = new();

    /// <summary>The run's own token budget (-MaxTotalTokens); null without one. Its used tokens are <see cref="TotalTokens"/>.</summary>
    public long? MaxTotalTokens { get; set; }

    /// <summary>The session's token budget (Connect-Gemini -MaxTotalTokens), when the run counted against it.</summary>
    public long? SessionMaxTotalTokens { get; set; }

    /// <summary>The session budget's used tokens when the run ended (earlier commands of the session included).</summary>
    public long? SessionUsedTokens { get; set; }

    /// <summary>Inputs the token budget stopped (not sent, or stopped before a round of tool calls), by name.</summary>
    public List<string> StoppedByBudget { get; } = new();

    /// <summary>Inputs the token budget stopped before their first request.</summary>
    internal int NotSent { get; set; }

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
        $"{Inputs} input(s), {Requests} request(s), {Succeeded} succeeded, {Failed} failed"
        + (Refused > 0 ? $" ({Refused} refused before sending)" : string.Empty)
        + (CacheHits > 0 ? $", {CacheHits} from the answer cache" : string.Empty)
        + $", {TotalTokens} tokens"
        + (MaxTotalTokens is long limit ? $" of a budget of {limit}" : string.Empty)
        + (SessionMaxTotalTokens is long session ? $" (session: {SessionUsedTokens} of {session})" : string.Empty)
        + (StoppedByBudget.Count > 0 ? $", {StoppedByBudget.Count} stopped by the budget" : string.Empty)
        + $", {Elapsed.TotalSeconds:0.#} s";
}
