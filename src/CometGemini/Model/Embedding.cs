using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CometGemini;

/// <summary>The body of embedContent, and one entry of batchEmbedContents (where each entry repeats the model).</summary>
public sealed class EmbedContentRequest
{
    /// <summary>"models/gemini-embedding-001": batchEmbedContents requires it in each entry.</summary>
    public string? Model { get; set; }
    public Content Content { get; set; } = new();
    public string? TaskType { get; set; }
    public string? Title { get; set; }
    public int? OutputDimensionality { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class BatchEmbedContentsRequest
{
    public List<EmbedContentRequest> Requests { get; set; } = new();
}

public sealed class EmbedContentResponse
{
    public ContentEmbedding? Embedding { get; set; }
    public EmbeddingUsageMetadata? UsageMetadata { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class BatchEmbedContentsResponse
{
    public List<ContentEmbedding>? Embeddings { get; set; }
    public EmbeddingUsageMetadata? UsageMetadata { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class ContentEmbedding
{
    public float[]? Values { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Token counts of embedding calls; spelled promptTokenDetails (not …Tokens…) on the wire (docs/wire.md §10).</summary>
public sealed class EmbeddingUsageMetadata
{
    public int? PromptTokenCount { get; set; }
    public List<ModalityTokenCount>? PromptTokenDetails { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>One input's embedding, as Get-GeminiEmbedding writes it: the input, and its vector.</summary>
public sealed class GeminiEmbedding
{
    /// <summary>What was piped in or passed (a string, or the object whose text was embedded).</summary>
    public object? Input { get; set; }

    /// <summary>The text that was sent for the input.</summary>
    public string Text { get; set; } = string.Empty;

    /// <summary>The file the text came from (-LiteralPath), else null.</summary>
    public string? SourcePath { get; set; }

    public float[] Values { get; set; } = new float[0];

    public int Dimensions => Values.Length;

    public string Model { get; set; } = string.Empty;

    public string? TaskType { get; set; }

    /// <summary>Position of the input in this call, from 0.</summary>
    public int Index { get; set; }

    public override string ToString() => $"{Dimensions} dimensions: {(Text.Length > 60 ? Text.Substring(0, 60) + "…" : Text)}";
}
