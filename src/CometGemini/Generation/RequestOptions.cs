using System.Collections;
using System.Collections.Generic;

namespace CometGemini.Generation;

/// <summary>
/// What a generating command was asked for, as plain values: the request minus its contents. The cmdlets fill it
/// from their bound parameters (RequestOptionsCommand.BoundOptions); <see cref="RequestBuilder"/> turns it into a request.
/// </summary>
internal sealed class RequestOptions
{
    public string? SystemInstruction { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? TopK { get; set; }

    public int? MaxOutputTokens { get; set; }

    public string[]? StopSequences { get; set; }

    public int? Seed { get; set; }

    public int? CandidateCount { get; set; }

    public string? ResponseMimeType { get; set; }

    /// <summary>-ResponseSchema: a hashtable, object, JSON text or class (the OpenAPI subset).</summary>
    public object? ResponseSchema { get; set; }

    /// <summary>-ResponseJsonSchema: the same kinds of value, as full JSON Schema.</summary>
    public object? ResponseJsonSchema { get; set; }

    public string[]? ResponseEnum { get; set; }

    /// <summary>-AsObject: answer in JSON unless an answer format was chosen.</summary>
    public bool AnswerAsJson { get; set; }

    public string? ThinkingLevel { get; set; }

    public int? ThinkingBudget { get; set; }

    public bool IncludeThoughts { get; set; }

    public string[]? ResponseModalities { get; set; }

    public string? AspectRatio { get; set; }

    public string? ImageSize { get; set; }

    public string? Voice { get; set; }

    /// <summary>-GenerationConfig: any generationConfig field, merged last so that it wins.</summary>
    public IDictionary? GenerationConfig { get; set; }

    public SafetySettingTable? SafetySettings { get; set; }

    /// <summary>The functions of -Tool, already resolved to declarations (and the commands that run them).</summary>
    public IReadOnlyList<GeminiTool> Functions { get; set; } = new List<GeminiTool>();

    /// <summary>-ToolConfig: a hashtable, object or JSON text.</summary>
    public object? ToolConfig { get; set; }

    public string? FunctionCallingMode { get; set; }

    public string[]? AllowedFunctions { get; set; }

    public bool GoogleSearch { get; set; }

    public bool GoogleMaps { get; set; }

    public bool CodeExecution { get; set; }

    public bool UrlContext { get; set; }

    public double? Latitude { get; set; }

    public double? Longitude { get; set; }

    /// <summary>A cache's name as given ("abc" or "cachedContents/abc").</summary>
    public string? CachedContent { get; set; }

    /// <summary>-ServiceTier (Invoke-GeminiContent, Get-GeminiStream); null leaves the tier to the server (standard).</summary>
    public GeminiServiceTier? ServiceTier { get; set; }

    /// <summary>-MediaResolution for the whole request (a part's own, New-GeminiPart -MediaResolution, wins for that part).</summary>
    public GeminiMediaResolution? MediaResolution { get; set; }
}
