using System.Collections.Generic;
using System.Linq;

namespace CometGemini;

public sealed partial class GenerateContentResponse
{
    /// <summary>
    /// A streamed answer as one response, as generateContent would have given it: the joined content, and the finish
    /// reason, metadata and usage of the chunks that carried them (the last ones). For -AnswerCache.
    /// </summary>
    internal static GenerateContentResponse Joined(IReadOnlyList<GenerateContentResponse> chunks, Content? content)
    {
        GenerateContentResponse? last = chunks.LastOrDefault();
        Candidate? final = chunks.Select(c => c.FirstCandidate).LastOrDefault(c => c?.FinishReason is not null);
        Candidate? withGrounding = chunks.Select(c => c.FirstCandidate).LastOrDefault(c => c?.GroundingMetadata is not null);
        return new GenerateContentResponse
        {
            Candidates = new GeminiList<Candidate>
            {
                new Candidate
                {
                    Content = content,
                    FinishReason = final?.FinishReason,
                    FinishMessage = final?.FinishMessage,
                    Index = final?.Index,
                    SafetyRatings = final?.SafetyRatings,
                    CitationMetadata = chunks.Select(c => c.FirstCandidate?.CitationMetadata).LastOrDefault(m => m is not null),
                    GroundingMetadata = withGrounding?.GroundingMetadata,
                    UrlContextMetadata = final?.UrlContextMetadata,
                },
            },
            PromptFeedback = chunks.Select(c => c.PromptFeedback).LastOrDefault(f => f is not null),
            UsageMetadata = chunks.Select(c => c.UsageMetadata).LastOrDefault(u => u is not null),
            ModelVersion = chunks.Select(c => c.ModelVersion).LastOrDefault(v => !string.IsNullOrEmpty(v)),
            ResponseId = last?.ResponseId,
            CreateTime = chunks.Select(c => c.CreateTime).FirstOrDefault(t => t is not null),
        };
    }
}
