using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CometGemini;

/// <summary>
/// A context cache (the API's CachedContent): contents, system instruction and tools the server keeps, so that
/// generation calls naming it (-CachedContent) pay for them once. The create body and every answer have this shape.
/// </summary>
public sealed class GeminiCache
{
    /// <summary>"cachedContents/abc123", set by the server.</summary>
    public string? Name { get; set; }
    public string? DisplayName { get; set; }

    /// <summary>"models/gemini-3-flash-preview"; a cache serves only the model it was made for.</summary>
    public string? Model { get; set; }

    [JsonConverter(typeof(TolerantDateTimeOffsetConverter))]
    public DateTimeOffset? CreateTime { get; set; }

    [JsonConverter(typeof(TolerantDateTimeOffsetConverter))]
    public DateTimeOffset? UpdateTime { get; set; }

    [JsonConverter(typeof(TolerantDateTimeOffsetConverter))]
    public DateTimeOffset? ExpireTime { get; set; }

    /// <summary>Duration as the wire spells it ("600s"); sent to create or update, never returned.</summary>
    public string? Ttl { get; set; }

    public CachedContentUsage? UsageMetadata { get; set; }
    public List<Content>? Contents { get; set; }
    public Content? SystemInstruction { get; set; }
    public List<Tool>? Tools { get; set; }
    public JsonElement? ToolConfig { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>The cache's tokens (what a call naming it does not pay for again in full).</summary>
    [JsonIgnore]
    public int? TotalTokenCount => UsageMetadata?.TotalTokenCount;

    public override string ToString() => Name ?? string.Empty;
}

public sealed class CachedContentUsage
{
    public int? TotalTokenCount { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    public override string ToString() => $"{TotalTokenCount ?? 0} tokens";
}

public sealed class ListCachedContentsResponse
{
    public List<GeminiCache>? CachedContents { get; set; }
    public string? NextPageToken { get; set; }
}
