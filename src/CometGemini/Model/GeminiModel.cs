using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using CometGemini.Client;

namespace CometGemini;

/// <summary>A model as models.list and models.get describe it (docs/wire.md §9).</summary>
public sealed class GeminiModel
{
    private List<string> _supportedGenerationMethods = new();

    /// <summary>The resource name on the wire: "models/gemini-3-flash-preview".</summary>
    [JsonPropertyName("name")]
    public string? ResourceName { get; set; }

    /// <summary>The id to pass to -Model: the resource name without "models/".</summary>
    [JsonIgnore]
    public string Name => ModelNames.Id(ResourceName ?? string.Empty);

    public string? BaseModelId { get; set; }
    public string? Version { get; set; }
    public string? DisplayName { get; set; }
    public string? Description { get; set; }
    public int? InputTokenLimit { get; set; }
    public int? OutputTokenLimit { get; set; }
    // A list that says null is an empty one: Supports, the view and the completer read it without a check.
    public List<string> SupportedGenerationMethods { get => _supportedGenerationMethods; set => _supportedGenerationMethods = value ?? new(); }

    /// <summary>Whether the model thinks before it answers (absent on the wire means no).</summary>
    public bool Thinking { get; set; }

    /// <summary>Defaults the model samples with when a request sets none (absent for embedding and image models).</summary>
    public double? Temperature { get; set; }
    public double? MaxTemperature { get; set; }
    public double? TopP { get; set; }
    public int? TopK { get; set; }

    /// <summary>The model's lifecycle as the endpoint gives it (stage, retirement time, message); absent on older lists.</summary>
    public ModelStatus? ModelStatus { get; set; }

    /// <summary>PREVIEW, STABLE, DEPRECATED, RETIRED…; null when the endpoint says nothing.</summary>
    [JsonIgnore]
    public string? Stage => ModelStatus?.ModelStage;

    [JsonIgnore]
    public DateTimeOffset? RetirementTime => ModelStatus?.RetirementTime;

    /// <summary>True when the endpoint says the model is deprecated, retired or legacy, or names a time it retires.</summary>
    [JsonIgnore]
    public bool IsDeprecated => ModelStatus?.IsDeprecated ?? false;

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>True when the model answers generateContent (Invoke-GeminiContent, Get-GeminiStream).</summary>
    [JsonIgnore]
    public bool CanGenerateContent => Supports("generateContent");

    public bool Supports(string method) => SupportedGenerationMethods.Contains(method, StringComparer.OrdinalIgnoreCase);

    public override string ToString() => Name;
}

/// <summary>The lifecycle of a model (models.list and models.get give it as "modelStatus").</summary>
public sealed class ModelStatus
{
    private static readonly string[] EndOfLifeStages = { "DEPRECATED", "RETIRED", "LEGACY" };

    public string? ModelStage { get; set; }

    [JsonConverter(typeof(TolerantDateTimeOffsetConverter))]
    public DateTimeOffset? RetirementTime { get; set; }

    public string? Message { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    [JsonIgnore]
    public bool IsDeprecated => RetirementTime is not null || EndOfLifeStages.Contains(ModelStage ?? string.Empty, StringComparer.OrdinalIgnoreCase);

    public override string ToString() =>
        string.Join(", ", new[] { ModelStage, RetirementTime is { } when ? "retires " + when.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null, Message }
            .Where(s => !string.IsNullOrEmpty(s)));
}

/// <summary>One page of models.list.</summary>
internal sealed class ListModelsResponse
{
    public List<GeminiModel>? Models { get; set; }
    public string? NextPageToken { get; set; }

    /// <summary>Fields of an answer that is some other list (an OpenAI-style "data"), to tell it apart from an empty one.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>The countTokens body in its generateContentRequest form, so system instruction, tools and config count too.</summary>
internal sealed class CountTokensRequest
{
    public GenerateContentRequest? GenerateContentRequest { get; set; }
}

/// <summary>What countTokens answers, with the input it was counted for (Measure-GeminiToken).</summary>
public sealed class GeminiTokenCount
{
    public int TotalTokens { get; set; }
    public int? CachedContentTokenCount { get; set; }
    public List<ModalityTokenCount>? PromptTokensDetails { get; set; }
    public List<ModalityTokenCount>? CacheTokensDetails { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>The model the tokens were counted for.</summary>
    [JsonIgnore]
    public string? Model { get; set; }

    /// <summary>What was counted: the prompt string, the file (FileInfo), or the parts.</summary>
    [JsonIgnore]
    public object? Input { get; set; }

    /// <summary>The file counted, when the input was a file.</summary>
    [JsonIgnore]
    public string? SourcePath { get; set; }

    public override string ToString() => TotalTokens.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
