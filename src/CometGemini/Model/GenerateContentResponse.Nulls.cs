using System.Collections.Generic;

namespace CometGemini;

// JSON allows null where the API sends objects ("parts": [null], "candidates": [null]); a broken proxy or a newer
// server may send it. The client drops such nulls once, after parsing, so no convenience property, view or cmdlet
// has to check every element of every list (found by FuzzTests).
public sealed partial class GenerateContentResponse
{
    internal GenerateContentResponse WithoutNullElements()
    {
        Drop(Candidates);
        foreach (Candidate candidate in Candidates ?? new List<Candidate>())
        {
            Drop(candidate.Content?.Parts);
            Drop(candidate.SafetyRatings);
            Drop(candidate.CitationMetadata?.CitationSources);
            Drop(candidate.GroundingMetadata?.WebSearchQueries);
            Drop(candidate.GroundingMetadata?.GroundingChunks);
            Drop(candidate.GroundingMetadata?.GroundingSupports);
        }

        Drop(PromptFeedback?.SafetyRatings);
        Drop(UsageMetadata?.PromptTokensDetails);
        Drop(UsageMetadata?.CandidatesTokensDetails);
        Drop(UsageMetadata?.CacheTokensDetails);
        Drop(UsageMetadata?.ToolUsePromptTokensDetails);
        return this;
    }

    private static void Drop<T>(List<T>? items)
        where T : class =>
        items?.RemoveAll(item => item is null);
}
