using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CometGemini;

/// <summary>The body of generateContent and streamGenerateContent (the model is in the URL).</summary>
public sealed class GenerateContentRequest
{
    /// <summary>"models/…": set only where the request is nested in another (countTokens); otherwise the URL names the model.</summary>
    public string? Model { get; set; }
    public List<Content> Contents { get; set; } = new();
    public Content? SystemInstruction { get; set; }
    public List<Tool>? Tools { get; set; }
    public JsonElement? ToolConfig { get; set; }
    public List<SafetySetting>? SafetySettings { get; set; }
    public GenerationConfig? GenerationConfig { get; set; }
    public string? CachedContent { get; set; }

    /// <summary>"standard", "flex" or "priority" (-ServiceTier, docs/wire.md §4.5); left out, the server uses standard.</summary>
    public string? ServiceTier { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>A deep copy, through the wire form (what is not on the wire is not copied).</summary>
    internal GenerateContentRequest Clone() =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(this, GeminiJsonContext.Default.GenerateContentRequest), GeminiJsonContext.Default.GenerateContentRequest)!;
}

public sealed class GenerationConfig
{
    public int? CandidateCount { get; set; }
    public List<string>? StopSequences { get; set; }
    public int? MaxOutputTokens { get; set; }
    public double? Temperature { get; set; }
    public double? TopP { get; set; }
    public int? TopK { get; set; }
    public int? Seed { get; set; }
    public string? ResponseMimeType { get; set; }
    public JsonElement? ResponseSchema { get; set; }
    public JsonElement? ResponseJsonSchema { get; set; }
    public List<string>? ResponseModalities { get; set; }
    public ThinkingConfig? ThinkingConfig { get; set; }
    public ImageConfig? ImageConfig { get; set; }
    public SpeechConfig? SpeechConfig { get; set; }

    /// <summary>"MEDIA_RESOLUTION_LOW", "…_MEDIUM" or "…_HIGH" (-MediaResolution, docs/wire.md §4.6).</summary>
    public string? MediaResolution { get; set; }

    /// <summary>Every other field (from -GenerationConfig) passes through as given.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class ThinkingConfig
{
    public bool? IncludeThoughts { get; set; }
    public int? ThinkingBudget { get; set; }
    public string? ThinkingLevel { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Image output of image models: aspect ratio ("16:9") and size ("1K", "2K", "4K").</summary>
public sealed class ImageConfig
{
    public string? AspectRatio { get; set; }
    public string? ImageSize { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Speech output of TTS models: one prebuilt voice, or several speakers (multiSpeakerVoiceConfig).</summary>
public sealed class SpeechConfig
{
    public VoiceConfig? VoiceConfig { get; set; }
    public JsonElement? MultiSpeakerVoiceConfig { get; set; }
    public string? LanguageCode { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class VoiceConfig
{
    public PrebuiltVoiceConfig? PrebuiltVoiceConfig { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class PrebuiltVoiceConfig
{
    public string? VoiceName { get; set; }
}

public sealed class SafetySetting
{
    public string? Category { get; set; }
    public string? Threshold { get; set; }
}

/// <summary>One tool entry; usually one member is set per entry.</summary>
public sealed class Tool
{
    public List<JsonElement>? FunctionDeclarations { get; set; }
    public JsonElement? GoogleSearch { get; set; }
    public JsonElement? CodeExecution { get; set; }
    public JsonElement? UrlContext { get; set; }
    public JsonElement? GoogleMaps { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
