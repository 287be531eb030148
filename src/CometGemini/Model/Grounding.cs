using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace CometGemini;

/// <summary>A source a grounded answer drew on: a web page (search, URL context), a place (Maps) or a retrieved document.</summary>
public sealed class GeminiSource
{
    internal GeminiSource(int number, string kind, GroundingSource? source)
    {
        Number = number;
        Kind = kind;
        Title = source?.Title;
        Uri = source?.Uri;
        PlaceId = source?.PlaceId;
        Text = source?.Text;
    }

    /// <summary>1 for the first source: the number citation markers use ([1]).</summary>
    public int Number { get; }

    /// <summary>Web, Maps, RetrievedContext, or the wire name of a kind the module does not know yet.</summary>
    public string Kind { get; }

    public string? Title { get; }

    public string? Uri { get; }

    /// <summary>The Google Maps place id (Maps sources only), such as places/ChIJ….</summary>
    public string? PlaceId { get; }

    /// <summary>The retrieved text, when the source carries it (retrieved documents).</summary>
    public string? Text { get; }

    public override string ToString() => $"[{Number}] {Title} <{Uri}>";
}

/// <summary>A part of the answer and the sources that support it (a groundingSupport, with its text found in the answer).</summary>
public sealed class GeminiCitation
{
    internal GeminiCitation(string text, int startIndex, int endIndex, GeminiSource[] sources, double[] confidenceScores, Segment? segment)
    {
        Text = text;
        StartIndex = startIndex;
        EndIndex = endIndex;
        Sources = sources;
        SourceNumbers = sources.Select(s => s.Number).ToArray();
        ConfidenceScores = confidenceScores;
        Segment = segment;
    }

    /// <summary>The cited part of the answer.</summary>
    public string Text { get; }

    /// <summary>Where the cited part starts in the response's Text, in characters (the wire's offsets are UTF-8 bytes).</summary>
    public int StartIndex { get; }

    /// <summary>Where the cited part ends in the response's Text, in characters (exclusive).</summary>
    public int EndIndex { get; }

    /// <summary>The numbers of the supporting sources, as in the response's Sources and the [n] markers.</summary>
    public int[] SourceNumbers { get; }

    public GeminiSource[] Sources { get; }

    public double[] ConfidenceScores { get; }

    /// <summary>The segment as the server sent it (UTF-8 byte offsets).</summary>
    public Segment? Segment { get; }

    public override string ToString() => Text + Grounding.Markers(SourceNumbers);
}

/// <summary>
/// The grounding of one candidate as objects: its sources in chunk order and its supports with the cited text
/// located in the answer. Segment offsets are UTF-8 byte offsets into the answer text (docs/wire.md §5.4).
/// </summary>
internal sealed class Grounding
{
    public static readonly Grounding None = new(Array.Empty<GeminiSource>(), Array.Empty<GeminiCitation>(), string.Empty);

    private Grounding(GeminiSource[] sources, GeminiCitation[] citations, string answer)
    {
        Sources = sources;
        Citations = citations;
        Answer = answer;
    }

    public GeminiSource[] Sources { get; }

    public GeminiCitation[] Citations { get; }

    private string Answer { get; }

    public static Grounding From(GroundingMetadata? metadata, List<Part>? parts, string answer)
    {
        if (metadata is null)
            return new Grounding(Array.Empty<GeminiSource>(), Array.Empty<GeminiCitation>(), answer);

        GeminiSource[] sources = (metadata.GroundingChunks ?? new List<GroundingChunk>()).Select((chunk, i) => ToSource(chunk, i + 1)).ToArray();
        var citations = new List<GeminiCitation>();
        byte[] utf8 = Encoding.UTF8.GetBytes(answer);
        foreach (GroundingSupport support in metadata.GroundingSupports ?? new List<GroundingSupport>())
        {
            if (Locate(support.Segment, parts, answer, utf8) is not (int start, int end))
                continue;
            GeminiSource[] cited = (support.GroundingChunkIndices ?? new List<int>())
                .Where(i => i >= 0 && i < sources.Length)
                .Distinct()
                .Select(i => sources[i])
                .ToArray();
            citations.Add(new GeminiCitation(answer.Substring(start, end - start), start, end, cited, support.ConfidenceScores?.ToArray() ?? Array.Empty<double>(), support.Segment));
        }

        return new Grounding(sources, citations.OrderBy(c => c.StartIndex).ThenBy(c => c.EndIndex).ToArray(), answer);
    }

    /// <summary>The answer with [n] markers after each cited part, then the numbered list of sources.</summary>
    public string CitedText()
    {
        if (Sources.Length == 0)
            return Answer;

        var text = new StringBuilder(Answer);
        foreach (IGrouping<int, GeminiCitation> at in Citations.GroupBy(c => c.EndIndex).OrderByDescending(g => g.Key))
            text.Insert(at.Key, Markers(at.SelectMany(c => c.SourceNumbers).Distinct().OrderBy(n => n)));

        text.Append(Answer.EndsWith("\n", StringComparison.Ordinal) ? "\nSources:\n" : "\n\nSources:\n");
        foreach (GeminiSource source in Sources)
            text.Append(source).Append('\n');
        return text.ToString();
    }

    public static string Markers(IEnumerable<int> numbers) => string.Concat(numbers.Select(n => $"[{n}]"));

    private static GeminiSource ToSource(GroundingChunk chunk, int number)
    {
        if (chunk.Web is not null)
            return new GeminiSource(number, "Web", chunk.Web);
        if (chunk.Maps is not null)
            return new GeminiSource(number, "Maps", chunk.Maps);
        if (chunk.RetrievedContext is not null)
            return new GeminiSource(number, "RetrievedContext", chunk.RetrievedContext);

        // A kind added after this module was written (image search results...): keep its title and uri.
        KeyValuePair<string, JsonElement> other = chunk.ExtensionData?.FirstOrDefault() ?? default;
        string kind = string.IsNullOrEmpty(other.Key) ? "Other" : char.ToUpperInvariant(other.Key[0]) + other.Key.Substring(1);
        GroundingSource? source = other.Value.ValueKind == JsonValueKind.Object
            ? new GroundingSource { Title = StringProperty(other.Value, "title"), Uri = StringProperty(other.Value, "uri") }
            : null;
        return new GeminiSource(number, kind, source);
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>
    /// The character range of a segment in the answer. The offsets are UTF-8 bytes (into the text of the part named
    /// by partIndex, when there is one). When they do not reproduce the segment's own text (seen in a recorded URL
    /// context answer, one byte off), the nearest occurrence of that text wins.
    /// </summary>
    private static (int Start, int End)? Locate(Segment? segment, List<Part>? parts, string answer, byte[] utf8)
    {
        if (segment is null)
            return null;

        int start, end;
        if (segment.PartIndex is int partIndex)
        {
            if (PartOffset(parts, partIndex) is not (int offset, string partText))
                return Find(segment.Text, answer, 0);
            byte[] partBytes = Encoding.UTF8.GetBytes(partText);
            start = offset + CharIndex(partBytes, segment.StartIndex ?? 0);
            end = offset + CharIndex(partBytes, segment.EndIndex ?? partBytes.Length);
        }
        else
        {
            start = CharIndex(utf8, segment.StartIndex ?? 0);
            end = CharIndex(utf8, segment.EndIndex ?? utf8.Length);
        }

        if (end < start)
            (start, end) = (end, start);
        if (string.IsNullOrEmpty(segment.Text) || string.Equals(answer.Substring(start, end - start), segment.Text, StringComparison.Ordinal))
            return end > start ? (start, end) : null;
        return Find(segment.Text, answer, start) ?? (end > start ? (start, end) : null);
    }

    private static (int Start, int End)? Find(string? text, string answer, int near)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        int best = -1;
        for (int at = answer.IndexOf(text, StringComparison.Ordinal); at >= 0; at = answer.IndexOf(text, at + 1, StringComparison.Ordinal))
        {
            if (best < 0 || Math.Abs(at - near) < Math.Abs(best - near))
                best = at;
        }

        return best < 0 ? null : (best, best + text!.Length);
    }

    /// <summary>The character index of a UTF-8 byte offset, clamped to the text and moved back to a character boundary.</summary>
    private static int CharIndex(byte[] utf8, int byteOffset)
    {
        int offset = Math.Max(0, Math.Min(byteOffset, utf8.Length));
        while (offset > 0 && offset < utf8.Length && (utf8[offset] & 0xC0) == 0x80)
            offset--;
        return Encoding.UTF8.GetCharCount(utf8, 0, offset);
    }

    /// <summary>Where a text part starts in the answer (the non-thought text parts joined), and its text.</summary>
    private static (int Offset, string Text)? PartOffset(List<Part>? parts, int partIndex)
    {
        if (parts is null || partIndex < 0 || partIndex >= parts.Count || parts[partIndex].Text is null || parts[partIndex].IsThought)
            return null;
        int offset = parts.Take(partIndex).Where(p => p.Text is not null && !p.IsThought).Sum(p => p.Text!.Length);
        return (offset, parts[partIndex].Text!);
    }
}
