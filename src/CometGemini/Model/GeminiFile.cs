using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CometGemini;

/// <summary>
/// A file of the Files API (uploaded by Add-GeminiFile, listed by Get-GeminiFile): kept by the server for 48 hours and
/// named in requests by its Uri, so a large video or PDF is sent once and asked about many times. Pipe it into
/// New-GeminiPart, Invoke-GeminiContent, Get-GeminiStream or New-GeminiCache: it becomes a fileData part.
/// </summary>
public sealed class GeminiFile
{
    /// <summary>"files/abc123", set by the server: what Get-GeminiFile and Remove-GeminiFile take.</summary>
    public string? Name { get; set; }

    public string? DisplayName { get; set; }
    public string? MimeType { get; set; }

    /// <summary>Int64 on the wire, so written as a string (docs/wire.md §3.1).</summary>
    public long? SizeBytes { get; set; }

    [JsonConverter(typeof(TolerantDateTimeOffsetConverter))]
    public DateTimeOffset? CreateTime { get; set; }

    [JsonConverter(typeof(TolerantDateTimeOffsetConverter))]
    public DateTimeOffset? UpdateTime { get; set; }

    /// <summary>When the server deletes the file (48 hours after the upload).</summary>
    [JsonConverter(typeof(TolerantDateTimeOffsetConverter))]
    public DateTimeOffset? ExpirationTime { get; set; }

    public string? Sha256Hash { get; set; }

    /// <summary>What a request names the file by (a fileData part's fileUri).</summary>
    public string? Uri { get; set; }

    /// <summary>PROCESSING, ACTIVE or FAILED: a file can be used in requests once it is ACTIVE.</summary>
    public string? State { get; set; }

    public string? Source { get; set; }

    /// <summary>Why processing failed (a google.rpc.Status), when State is FAILED.</summary>
    public JsonElement? Error { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>The message of <see cref="Error"/>, if the server gave one.</summary>
    [JsonIgnore]
    public string? ErrorMessage =>
        Error is { ValueKind: JsonValueKind.Object } error && error.TryGetProperty("message", out JsonElement message) && message.ValueKind == JsonValueKind.String
            ? message.GetString()
            : null;

    /// <summary>The fileData part that names this file in a request.</summary>
    public Part ToPart() =>
        Uri is { Length: > 0 } uri
            ? PartFactory.FromUri(uri, MimeType ?? "application/octet-stream")
            : throw new InvalidOperationException($"The file {Name} has no Uri yet, so no request can name it; get it again with Get-GeminiFile.");

    public override string ToString() => Uri ?? Name ?? string.Empty;
}

internal sealed class GeminiFileEnvelope
{
    public GeminiFile? File { get; set; }
}

public sealed class ListFilesResponse
{
    public List<GeminiFile>? Files { get; set; }
    public string? NextPageToken { get; set; }
}
