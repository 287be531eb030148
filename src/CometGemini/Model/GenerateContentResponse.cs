using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CometGemini;

/// <summary>A generateContent answer, or one chunk of a stream.</summary>
public sealed partial class GenerateContentResponse
{
    public GeminiList<Candidate>? Candidates { get; set; }
    public PromptFeedback? PromptFeedback { get; set; }
    public UsageMetadata? UsageMetadata { get; set; }
    public string? ModelVersion { get; set; }
    public string? ResponseId { get; set; }

    [JsonConverter(typeof(TolerantDateTimeOffsetConverter))]
    public DateTimeOffset? CreateTime { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>The answer text of the first candidate, thoughts excluded.</summary>
    [JsonIgnore]
    public string Text => FirstCandidate?.Content?.Text ?? string.Empty;

    /// <summary>The thought summaries of the first candidate (with -IncludeThoughts).</summary>
    [JsonIgnore]
    public string Thoughts => Part.JoinText(FirstCandidate?.Content?.Parts, thoughts: true);

    [JsonIgnore]
    public string? FinishReason => FirstCandidate?.FinishReason;

    /// <summary>Tokens of the prompt (UsageMetadata.PromptTokenCount), flat for Export-Csv and Format-Table.</summary>
    [JsonIgnore]
    public int? PromptTokens => UsageMetadata?.PromptTokenCount;

    /// <summary>Tokens the model wrote: the answer and its thoughts (candidates + thoughts).</summary>
    [JsonIgnore]
    public int? OutputTokens => UsageMetadata is { } usage && (usage.CandidatesTokenCount ?? usage.ThoughtsTokenCount) is not null
        ? (usage.CandidatesTokenCount ?? 0) + (usage.ThoughtsTokenCount ?? 0)
        : null;

    [JsonIgnore]
    public int? TotalTokens => UsageMetadata?.TotalTokenCount;

    /// <summary>
    /// The tier the server says it ran the request on ("standard", "flex", "priority"): usageMetadata.serviceTier, else
    /// the x-gemini-service-tier header; null when it says neither (docs/wire.md §4.5). A Priority request over its limit runs on standard.
    /// </summary>
    [JsonIgnore]
    public string? ServiceTier => UsageMetadata?.ServiceTier ?? ServiceTierHeader;

    /// <summary>The x-gemini-service-tier header of the HTTP answer, set by the transport.</summary>
    [JsonIgnore]
    internal string? ServiceTierHeader { get; set; }

    /// <summary>The functions the model asks to have called (name, arguments, id), in order.</summary>
    [JsonIgnore]
    public GeminiList<FunctionCall> FunctionCalls =>
        FirstCandidate?.Content?.Parts?.Where(p => p.FunctionCall is not null).Select(p => p.FunctionCall!).ToGeminiList() ?? new GeminiList<FunctionCall>();

    /// <summary>
    /// The parts of the first candidate the module has no type for, kept as they came: a server-side tool's calls and
    /// results (toolCall, toolResponse) or a newer kind of part. Each shows its members' JSON (Part.ToString).
    /// </summary>
    [JsonIgnore]
    public GeminiList<Part> OtherParts =>
        FirstCandidate?.Content?.Parts?.Where(p => p.IsOther).ToGeminiList() ?? new GeminiList<Part>();

    /// <summary>The tool calls the module ran to reach this answer (with -Tool), oldest first.</summary>
    [JsonIgnore]
    public GeminiList<ToolCall> ToolCalls { get; set; } = new();

    /// <summary>What this response answers: the prompt string, the file or the object that was piped in.</summary>
    [JsonIgnore]
    public object? Input { get; set; }

    /// <summary>The full path of the file this response answers, when the input was a file.</summary>
    [JsonIgnore]
    public string? SourcePath { get; set; }

    /// <summary>The model named in the request (ModelVersion is what the server resolved it to, or routed it to).</summary>
    [JsonIgnore]
    public string? RequestedModel { get; set; }

    /// <summary>The name scripts written before RequestedModel used; the same value.</summary>
    [JsonIgnore]
    public string? Model { get => RequestedModel; set => RequestedModel = value; }

    /// <summary>True when the answer came from -AnswerCache (nothing was sent for it); CreateTime is then when it was first answered.</summary>
    [JsonIgnore]
    public bool FromCache { get; set; }

    /// <summary>The images of the first candidate (its inlineData image parts; thought drafts excluded).</summary>
    [JsonIgnore]
    public GeminiList<GeminiImage> Images => GeminiMedia.ImagesOf(FirstCandidate?.Content?.Parts).ToGeminiList();

    /// <summary>The audio of the first candidate (its inlineData audio parts): speech from TTS models.</summary>
    [JsonIgnore]
    public GeminiList<GeminiAudio> Audio => GeminiMedia.AudioOf(FirstCandidate?.Content?.Parts).ToGeminiList();

    [JsonIgnore]
    internal Candidate? FirstCandidate => Candidates?.FirstOrDefault();

    public override string ToString() => Text;
}

public sealed class Candidate
{
    public Content? Content { get; set; }
    public string? FinishReason { get; set; }
    public string? FinishMessage { get; set; }
    public int? Index { get; set; }
    public List<SafetyRating>? SafetyRatings { get; set; }
    public CitationMetadata? CitationMetadata { get; set; }
    public GroundingMetadata? GroundingMetadata { get; set; }
    public JsonElement? UrlContextMetadata { get; set; }
    public double? AvgLogprobs { get; set; }
    public JsonElement? LogprobsResult { get; set; }
    public int? TokenCount { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    [JsonIgnore]
    public string Text => Content?.Text ?? string.Empty;

    public override string ToString() => Text;
}

public sealed class SafetyRating
{
    public string? Category { get; set; }
    public string? Probability { get; set; }
    public bool? Blocked { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    public override string ToString() => Blocked == true ? $"{Category}: {Probability} (blocked)" : $"{Category}: {Probability}";
}

public sealed class PromptFeedback
{
    public string? BlockReason { get; set; }

    /// <summary>The server's words on why the prompt was blocked; it may come without a BlockReason.</summary>
    public string? BlockReasonMessage { get; set; }
    public List<SafetyRating>? SafetyRatings { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class CitationMetadata
{
    public List<CitationSource>? CitationSources { get; set; }
}

public sealed class CitationSource
{
    public int? StartIndex { get; set; }
    public int? EndIndex { get; set; }
    public string? Uri { get; set; }
    public string? License { get; set; }
    public string? Title { get; set; }
}

public sealed class GroundingMetadata
{
    public List<string>? WebSearchQueries { get; set; }
    public SearchEntryPoint? SearchEntryPoint { get; set; }
    public List<GroundingChunk>? GroundingChunks { get; set; }
    public List<GroundingSupport>? GroundingSupports { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class SearchEntryPoint
{
    public string? RenderedContent { get; set; }
    public string? SdkBlob { get; set; }
}

public sealed class GroundingChunk
{
    public GroundingSource? Web { get; set; }
    public GroundingSource? Maps { get; set; }
    public GroundingSource? RetrievedContext { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class GroundingSource
{
    public string? Uri { get; set; }
    public string? Title { get; set; }
    public string? Text { get; set; }
    public string? PlaceId { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    public override string ToString() => $"{Title} <{Uri}>";
}

public sealed class GroundingSupport
{
    public Segment? Segment { get; set; }
    public List<int>? GroundingChunkIndices { get; set; }
    public List<double>? ConfidenceScores { get; set; }
}

/// <summary>Start and end are UTF-8 byte offsets into the candidate text (not character offsets).</summary>
public sealed class Segment
{
    public int? PartIndex { get; set; }
    public int? StartIndex { get; set; }
    public int? EndIndex { get; set; }
    public string? Text { get; set; }
}

/// <summary>Token counts. The prompt count includes cached tokens; the total adds candidates, thoughts and tool use.</summary>
public sealed class UsageMetadata
{
    public int? PromptTokenCount { get; set; }
    public int? CandidatesTokenCount { get; set; }
    public int? ThoughtsTokenCount { get; set; }
    public int? ToolUsePromptTokenCount { get; set; }
    public int? CachedContentTokenCount { get; set; }
    public int? TotalTokenCount { get; set; }
    public List<ModalityTokenCount>? PromptTokensDetails { get; set; }
    public List<ModalityTokenCount>? CandidatesTokensDetails { get; set; }
    public List<ModalityTokenCount>? CacheTokensDetails { get; set; }
    public List<ModalityTokenCount>? ToolUsePromptTokensDetails { get; set; }
    public string? ServiceTier { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    public override string ToString() =>
        $"prompt {PromptTokenCount ?? 0}, answer {CandidatesTokenCount ?? 0}, thoughts {ThoughtsTokenCount ?? 0}, total {TotalTokenCount ?? 0}";
}

public sealed class ModalityTokenCount
{
    public string? Modality { get; set; }
    public int? TokenCount { get; set; }

    public override string ToString() => $"{Modality}: {TokenCount}";
}

/// <summary>Well-known finishReason values; the service adds new ones, so the property stays a string.</summary>
public static class FinishReasons
{
    public const string Stop = "STOP";
    public const string MaxTokens = "MAX_TOKENS";
    public const string Safety = "SAFETY";
    public const string Recitation = "RECITATION";
    public const string Blocklist = "BLOCKLIST";
    public const string ProhibitedContent = "PROHIBITED_CONTENT";
    public const string Spii = "SPII";
    public const string MalformedFunctionCall = "MALFORMED_FUNCTION_CALL";
    public const string ImageSafety = "IMAGE_SAFETY";
    public const string NoImage = "NO_IMAGE";
    public const string ImageProhibitedContent = "IMAGE_PROHIBITED_CONTENT";
    public const string ImageRecitation = "IMAGE_RECITATION";
    public const string ImageOther = "IMAGE_OTHER";
}
