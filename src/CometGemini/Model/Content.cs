using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CometGemini;

/// <summary>One turn of a conversation: a role ("user" or "model") and its parts.</summary>
public sealed class Content
{
    public string? Role { get; set; }
    public List<Part>? Parts { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>The answer text of the parts, thought summaries excluded.</summary>
    [JsonIgnore]
    public string Text => Part.JoinText(Parts, thoughts: false);

    public override string ToString() => Text;

    /// <summary>
    /// The model turn a stream delivered: the parts of every chunk in order, with runs of plain text deltas
    /// joined. A part that carries a thought signature stays as it came, so the signature goes back unchanged.
    /// Null when the stream carried no parts. Linear in the chunks (a run is joined once, in a StringBuilder), and
    /// <paramref name="cancellationToken"/> (Ctrl+C) is heeded while it runs.
    /// </summary>
    internal static Content? FromStream(IEnumerable<GenerateContentResponse> chunks, CancellationToken cancellationToken = default)
    {
        var parts = new List<Part>();
        StringBuilder? run = null; // the text of the run that parts' last element starts, once a second delta joined it
        int seen = 0;
        foreach (Part part in chunks.SelectMany(c => c.FirstCandidate?.Content?.Parts ?? Enumerable.Empty<Part>()))
        {
            if ((++seen & 1023) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            Part? previous = parts.Count > 0 ? parts[parts.Count - 1] : null;
            if (previous is not null && IsPlainDelta(previous) && IsPlainDelta(part) && previous.Thought == part.Thought)
            {
                (run ??= new StringBuilder(previous.Text)).Append(part.Text);
            }
            else
            {
                EndRun(parts, ref run);
                parts.Add(part);
            }
        }

        EndRun(parts, ref run);
        return parts.Count == 0 ? null : new Content { Role = "model", Parts = parts };
    }

    private static void EndRun(List<Part> parts, ref StringBuilder? run)
    {
        if (run is null)
            return;
        parts[parts.Count - 1] = new Part { Text = run.ToString(), Thought = parts[parts.Count - 1].Thought };
        run = null;
    }

    private static bool IsPlainDelta(Part part) =>
        part.Kind == "Text" && part.ThoughtSignature is null && part.ExtensionData is null
        && part.VideoMetadata is null && part.MediaResolution is null && part.PartMetadata is null;
}

/// <summary>A piece of content; exactly one data member is set (text, inline data, file data, function call...).</summary>
public sealed class Part
{
    public string? Text { get; set; }
    public Blob? InlineData { get; set; }
    public FileData? FileData { get; set; }
    public FunctionCall? FunctionCall { get; set; }
    public FunctionResponse? FunctionResponse { get; set; }
    public ExecutableCode? ExecutableCode { get; set; }
    public CodeExecutionResult? CodeExecutionResult { get; set; }
    public bool? Thought { get; set; }

    /// <summary>Opaque base64; must be sent back byte for byte (Gemini 3 refuses a turn without it).</summary>
    public string? ThoughtSignature { get; set; }

    public JsonElement? VideoMetadata { get; set; }
    public JsonElement? MediaResolution { get; set; }
    public JsonElement? PartMetadata { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    [JsonIgnore]
    public bool IsThought => Thought == true;

    [JsonIgnore]
    public string Kind =>
        Text is not null ? "Text"
        : InlineData is not null ? "InlineData"
        : FileData is not null ? "FileData"
        : FunctionCall is not null ? "FunctionCall"
        : FunctionResponse is not null ? "FunctionResponse"
        : ExecutableCode is not null ? "ExecutableCode"
        : CodeExecutionResult is not null ? "CodeExecutionResult"
        : "Other";

    public override string ToString() => Kind switch
    {
        "Text" => Text!,
        "InlineData" => $"[{InlineData!.MimeType} inline data]",
        "FileData" => $"[{FileData!.MimeType} {FileData.FileUri}]",
        "FunctionCall" => $"[call {FunctionCall!.Name}]",
        "FunctionResponse" => $"[response {FunctionResponse!.Name}]",
        "ExecutableCode" => ExecutableCode!.Code ?? string.Empty,
        "CodeExecutionResult" => CodeExecutionResult!.Output ?? string.Empty,
        _ => ExtensionData is { Count: > 0 } other
            ? "[" + string.Join("; ", other.Select(member => member.Key + " " + Shortened(member.Value.GetRawText()))) + "]"
            : string.Empty,
    };

    /// <summary>
    /// Whether this part holds a member the module has no type for (a server-side tool's toolCall or toolResponse, a
    /// newer kind of part): it is kept as it came in ExtensionData, goes back unchanged in a chat, and shows in the view.
    /// </summary>
    [JsonIgnore]
    public bool IsOther => Kind == "Other" && ExtensionData is { Count: > 0 };

    private static string Shortened(string json) => json.Length <= 200 ? json : json.Substring(0, 199) + "…";

    internal static string JoinText(IEnumerable<Part>? parts, bool thoughts) =>
        parts is null
            ? string.Empty
            : string.Concat(parts.Where(p => p.Text is not null && p.IsThought == thoughts).Select(p => p.Text));
}

/// <summary>Raw bytes with their MIME type; on the wire the data is base64.</summary>
[JsonConverter(typeof(BlobConverter))]
public sealed class Blob
{
    private string? _data;
    private byte[]? _bytes;

    public string? MimeType { get; set; }

    /// <summary>The data as base64 text; made from the bytes when first read (a blob keeps bytes, the smaller form).</summary>
    public string? Data
    {
        get => _data ??= _bytes is null ? null : Convert.ToBase64String(_bytes);
        set
        {
            _data = value;
            _bytes = null;
        }
    }

    /// <summary>The number of bytes of data (worked out from the base64 text when the blob holds only text).</summary>
    [JsonIgnore]
    public long Length => _bytes?.LongLength ?? (_data is null ? 0 : _data.TrimEnd('=').Length * 3L / 4);

    /// <summary>The decoded data when the blob was built from bytes or read from standard base64; null when it holds only text.</summary>
    internal byte[]? Bytes => _bytes;

    internal bool HasData => _bytes is not null || _data is not null;

    internal static Blob FromBytes(string mimeType, byte[] bytes) => new() { MimeType = mimeType, _bytes = bytes };

    internal void SetBytes(byte[] bytes)
    {
        _bytes = bytes;
        _data = null;
    }
}

public sealed class FileData
{
    public string? MimeType { get; set; }
    public string? FileUri { get; set; }
}

public sealed class FunctionCall
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public JsonElement? Args { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>The arguments as one line of JSON, control characters escaped (for views: nothing in them can move the cursor).</summary>
    [JsonIgnore]
    public string ArgumentsJson => Args is { ValueKind: not JsonValueKind.Undefined } args ? Compact(args) : "{}";

    private static string Compact(JsonElement element)
    {
        using var buffer = new System.IO.MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            element.WriteTo(writer);
        string json = System.Text.Encoding.UTF8.GetString(buffer.ToArray());

        // The writer spells escapes \u001B; shown as \u001b, the way people write them.
        var text = new System.Text.StringBuilder(json.Length);
        for (int i = 0; i < json.Length; i++)
        {
            text.Append(json[i]);
            if (json[i] != '\\' || i + 1 >= json.Length)
                continue;
            text.Append(json[++i]);
            if (json[i] == 'u' && i + 4 < json.Length)
            {
                text.Append(json.Substring(i + 1, 4).ToLowerInvariant());
                i += 4;
            }
        }

        return Visible(text.ToString());
    }

    /// <summary>
    /// The text with every character that can move the cursor or reorder what a terminal shows written as \uXXXX:
    /// C0 and C1 controls (U+009B is a one-character CSI), DEL, bidirectional overrides. Inside JSON strings that is still valid JSON.
    /// </summary>
    internal static string Visible(string value)
    {
        var text = new System.Text.StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (char.IsControl(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator)
                text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            else
                text.Append(c);
        }

        return text.ToString();
    }

    /// <summary>The arguments as text, for display: name(arg=value, ...).</summary>
    public override string ToString() => $"{Name}({(Args is { ValueKind: JsonValueKind.Object } args ? string.Join(", ", args.EnumerateObject().Select(a => $"{a.Name}={a.Value.GetRawText()}")) : string.Empty)})";
}

public sealed class FunctionResponse
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public JsonElement? Response { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class ExecutableCode
{
    public string? Id { get; set; }
    public string? Language { get; set; }
    public string? Code { get; set; }
}

public sealed class CodeExecutionResult
{
    public string? Id { get; set; }
    public string? Outcome { get; set; }
    public string? Output { get; set; }
}
