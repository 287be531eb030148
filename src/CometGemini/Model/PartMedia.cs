using System;
using System.Globalization;
using System.Text.Json;

namespace CometGemini;

/// <summary>
/// What New-GeminiPart adds to a media part, inline or fileData alike: its own media resolution (Gemini 3 and later)
/// and, for a video, the clip to look at and the frames per second to sample (docs/wire.md §4.6, §4.7). Checked when
/// made, so a bad combination stops the command before any part is written; <see cref="ApplyTo"/> checks the part.
/// </summary>
internal sealed class PartMedia
{
    private PartMedia(GeminiMediaResolution? resolution, TimeSpan? startOffset, TimeSpan? endOffset, double? framesPerSecond)
    {
        Resolution = resolution;
        StartOffset = startOffset;
        EndOffset = endOffset;
        FramesPerSecond = framesPerSecond;
    }

    public GeminiMediaResolution? Resolution { get; }

    public TimeSpan? StartOffset { get; }

    public TimeSpan? EndOffset { get; }

    public double? FramesPerSecond { get; }

    private bool HasVideoMetadata => StartOffset is not null || EndOffset is not null || FramesPerSecond is not null;

    /// <summary>The decoration asked for, or null when nothing was; <see cref="ArgumentException"/> when the values do not fit together.</summary>
    public static PartMedia? Create(GeminiMediaResolution? resolution, TimeSpan? startOffset, TimeSpan? endOffset, double? framesPerSecond)
    {
        if (resolution is null && startOffset is null && endOffset is null && framesPerSecond is null)
            return null;
        if (startOffset < TimeSpan.Zero || endOffset < TimeSpan.Zero)
            throw new ArgumentException("-StartOffset and -EndOffset count from the start of the video, so neither can be negative.");
        if (startOffset is not null && endOffset is not null && endOffset <= startOffset)
            throw new ArgumentException($"-EndOffset ({Duration(endOffset.Value)}) must come after -StartOffset ({Duration(startOffset.Value)}).");
        if (framesPerSecond is double fps && (double.IsNaN(fps) || double.IsInfinity(fps) || fps <= 0))
            throw new ArgumentException($"-FramesPerSecond must be more than 0 (the model samples 1 frame a second unless told otherwise); {fps.ToString(CultureInfo.InvariantCulture)} is not.");
        return new PartMedia(resolution, startOffset, endOffset, framesPerSecond);
    }

    /// <summary>
    /// <paramref name="part"/> with the media resolution and video metadata set. Only a media part (inline data or
    /// fileData) takes a resolution, and only a video part takes a clip or a frame rate: <see cref="ArgumentException"/> otherwise.
    /// </summary>
    public Part ApplyTo(Part part)
    {
        string? mimeType = part.InlineData?.MimeType ?? part.FileData?.MimeType;
        if (mimeType is null)
            throw new ArgumentException($"-MediaResolution, -StartOffset, -EndOffset and -FramesPerSecond apply to media parts (a file, data or a URI); this is a {part.Kind} part.");
        if (HasVideoMetadata && !mimeType.StartsWith("video/", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"-StartOffset, -EndOffset and -FramesPerSecond apply to video parts; this part is {mimeType}.");

        if (Resolution is { } resolution)
        {
            part.MediaResolution = Element(w =>
            {
                w.WriteStartObject();
                w.WriteString("level", Generation.RequestBuilder.MediaResolutionWireName(resolution));
                w.WriteEndObject();
            });
        }

        if (HasVideoMetadata)
        {
            part.VideoMetadata = Element(w =>
            {
                w.WriteStartObject();
                if (StartOffset is { } start)
                    w.WriteString("startOffset", Duration(start));
                if (EndOffset is { } end)
                    w.WriteString("endOffset", Duration(end));
                if (FramesPerSecond is { } fps)
                    w.WriteNumber("fps", fps);
                w.WriteEndObject();
            });
        }

        return part;
    }

    /// <summary>A duration as the wire writes it: seconds with an "s", fractional when needed ("90s", "12.5s"; docs/wire.md §3.3).</summary>
    public static string Duration(TimeSpan span) =>
        (span.Ticks / (decimal)TimeSpan.TicksPerSecond).ToString("0.#######", CultureInfo.InvariantCulture) + "s";

    private static JsonElement Element(Action<Utf8JsonWriter> write)
    {
        using var buffer = new System.IO.MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            write(writer);
        using JsonDocument document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }
}
