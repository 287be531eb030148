using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace CometGemini;

/// <summary>
/// Bytes the model returned in an inlineData part (an image, or audio), with their MIME type.
/// The base64 text is decoded when Bytes is first read.
/// </summary>
public abstract class GeminiMedia
{
    private readonly Func<byte[]>? _source;
    private readonly long _length;
    private byte[]? _bytes;

    private protected GeminiMedia(string mimeType, string data)
    {
        MimeType = mimeType ?? throw new ArgumentNullException(nameof(mimeType));
        if (data is null)
            throw new ArgumentNullException(nameof(data));
        _source = () => DecodeBase64(data, MimeType);
        _length = data.TrimEnd('=').Length * 3L / 4;
    }

    private protected GeminiMedia(string mimeType, byte[] bytes)
    {
        MimeType = mimeType ?? throw new ArgumentNullException(nameof(mimeType));
        _bytes = bytes ?? throw new ArgumentNullException(nameof(bytes));
    }

    /// <summary>Bytes made when first read, such as pieces joined into one (their length known before).</summary>
    private protected GeminiMedia(string mimeType, Func<byte[]> source, long length)
    {
        MimeType = mimeType;
        _source = source;
        _length = length;
    }

    public string MimeType { get; }

    /// <summary>The decoded bytes (standard or URL-safe base64 on the wire).</summary>
    public byte[] Bytes => _bytes ??= _source!();

    /// <summary>The number of bytes; worked out from the base64 text until Bytes has been read.</summary>
    public long Length => _bytes?.LongLength ?? _length;

    /// <summary>The file name extension that fits the MIME type, such as ".png" (".wav" for raw PCM audio, which is saved as WAV).</summary>
    public virtual string Extension => ExtensionFor(MimeType);

    /// <summary>Writes the bytes as they came to <paramref name="path"/> (a full path), replacing a file that is there.</summary>
    public FileInfo Save(string path) => WriteFile(path, Bytes);

    public override string ToString() => $"[{MimeType}, {FormatSize(Length)}]";

    /// <summary>What a saved file holds: the bytes as they came, or for raw audio a WAV file.</summary>
    internal virtual byte[] FileContent() => Bytes;

    internal static GeminiImage[] ImagesOf(IEnumerable<Part>? parts) =>
        InlineData(parts, "image/").Select(b => b.Bytes is byte[] bytes ? new GeminiImage(b.MimeType!, bytes) : new GeminiImage(b.MimeType!, b.Data!)).ToArray();

    internal static GeminiAudio[] AudioOf(IEnumerable<Part>? parts) =>
        InlineData(parts, "audio/").Select(b => b.Bytes is byte[] bytes ? new GeminiAudio(b.MimeType!, bytes) : new GeminiAudio(b.MimeType!, b.Data!)).ToArray();

    private protected static FileInfo WriteFile(string path, byte[] content)
    {
        if (path is null)
            throw new ArgumentNullException(nameof(path));
        // .NET resolves a relative path against the process's directory, which is not PowerShell's current location.
        if (!Path.IsPathRooted(path))
            throw new ArgumentException($"Pass a full path, such as (Join-Path $PWD '{Path.GetFileName(path)}'): a relative path would be resolved against the process's directory, not the current PowerShell location.", nameof(path));
        File.WriteAllBytes(path, content);
        return new FileInfo(path);
    }

    internal static string FormatSize(long bytes) =>
        bytes < 1024 ? string.Format(CultureInfo.CurrentCulture, "{0} bytes", bytes)
        : bytes < 1024 * 1024 ? string.Format(CultureInfo.CurrentCulture, "{0:0.#} KB", bytes / 1024.0)
        : string.Format(CultureInfo.CurrentCulture, "{0:0.#} MB", bytes / (1024.0 * 1024));

    internal static string ExtensionFor(string mimeType)
    {
        string type = mimeType.Split(';')[0].Trim().ToLowerInvariant();
        if (Extensions.TryGetValue(type, out string? extension))
            return extension;
        string subtype = type.Substring(type.IndexOf('/') + 1);
        return subtype.Length is > 0 and <= 8 && subtype.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9') ? "." + subtype : ".bin";
    }

    private static readonly Dictionary<string, string> Extensions = new(StringComparer.Ordinal)
    {
        ["image/png"] = ".png", ["image/jpeg"] = ".jpg", ["image/jpg"] = ".jpg", ["image/webp"] = ".webp", ["image/gif"] = ".gif",
        ["image/heic"] = ".heic", ["image/heif"] = ".heif", ["image/bmp"] = ".bmp", ["image/tiff"] = ".tif", ["image/svg+xml"] = ".svg",
        ["audio/wav"] = ".wav", ["audio/wave"] = ".wav", ["audio/x-wav"] = ".wav", ["audio/vnd.wave"] = ".wav",
        ["audio/mpeg"] = ".mp3", ["audio/mp3"] = ".mp3", ["audio/ogg"] = ".ogg", ["audio/opus"] = ".opus", ["audio/flac"] = ".flac",
        ["audio/aac"] = ".aac", ["audio/mp4"] = ".m4a", ["audio/aiff"] = ".aiff", ["audio/webm"] = ".weba",
    };

    private static IEnumerable<Blob> InlineData(IEnumerable<Part>? parts, string typePrefix) =>
        (parts ?? Enumerable.Empty<Part>())
            // Thought parts hold the model's drafts (Gemini 3 image models), not the answer.
            .Where(p => !p.IsThought && p.InlineData is { MimeType: not null, HasData: true })
            .Select(p => p.InlineData!)
            .Where(b => b.MimeType!.StartsWith(typePrefix, StringComparison.OrdinalIgnoreCase));

    // The service sends standard base64 but accepts URL-safe base64 too (python-genai sends that), so a
    // replayed or proxied answer may carry either: docs/wire.md §3.2.
    private static byte[] DecodeBase64(string data, string mimeType)
    {
        try
        {
            if (data.Length % 4 == 0 && data.IndexOfAny(new[] { '-', '_', ' ', '\r', '\n', '\t' }) < 0)
                return Convert.FromBase64String(data);

            var text = new StringBuilder(data.Length + 3);
            foreach (char c in data)
            {
                if (!char.IsWhiteSpace(c))
                    text.Append(c switch { '-' => '+', '_' => '/', _ => c });
            }

            string trimmed = text.ToString().TrimEnd('=');
            return Convert.FromBase64String(trimmed.PadRight(trimmed.Length + (4 - trimmed.Length % 4) % 4, '='));
        }
        catch (FormatException e)
        {
            throw new FormatException($"The {mimeType} data is not valid base64, so it cannot be decoded.", e);
        }
    }
}

/// <summary>An image the model generated (an inlineData part of the answer).</summary>
public sealed class GeminiImage : GeminiMedia
{
    public GeminiImage(string mimeType, string base64Data)
        : base(mimeType, base64Data)
    {
    }

    public GeminiImage(string mimeType, byte[] bytes)
        : base(mimeType, bytes)
    {
    }
}

/// <summary>
/// Audio the model generated: for TTS models raw 16-bit PCM ("audio/L16;codec=pcm;rate=24000"), which
/// SaveWav wraps in a WAV header so that players can open it.
/// </summary>
public sealed class GeminiAudio : GeminiMedia
{
    private const int DefaultSampleRate = 24000;

    public GeminiAudio(string mimeType, string base64Data)
        : base(mimeType, base64Data)
    {
    }

    public GeminiAudio(string mimeType, byte[] bytes)
        : base(mimeType, bytes)
    {
    }

    private GeminiAudio(string mimeType, Func<byte[]> source, long length)
        : base(mimeType, source, length)
    {
    }

    /// <summary>True for raw PCM samples without a container (audio/L16, audio/pcm, codec=pcm).</summary>
    public bool IsPcm
    {
        get
        {
            string type = MimeType.Split(';')[0].Trim();
            return type.Equals("audio/L16", StringComparison.OrdinalIgnoreCase)
                || type.Equals("audio/pcm", StringComparison.OrdinalIgnoreCase)
                || string.Equals(Parameter("codec"), "pcm", StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>Samples per second of raw PCM, from the MIME type's rate parameter (24000 when it has none).</summary>
    public int SampleRate => int.TryParse(Parameter("rate"), NumberStyles.None, CultureInfo.InvariantCulture, out int rate) && rate > 0 ? rate : DefaultSampleRate;

    /// <summary>Channels of raw PCM, from the MIME type's channels parameter (1 when it has none).</summary>
    public int Channels => int.TryParse(Parameter("channels"), NumberStyles.None, CultureInfo.InvariantCulture, out int channels) && channels is > 0 and <= 16 ? channels : 1;

    /// <summary>How long raw PCM plays; null for audio in a container (WAV, MP3...).</summary>
    public TimeSpan? Duration => IsPcm ? TimeSpan.FromSeconds(Length / (2.0 * Channels * SampleRate)) : null;

    public override string Extension => IsPcm ? ".wav" : base.Extension;

    /// <summary>
    /// Writes a playable file to <paramref name="path"/> (a full path): raw PCM gets a WAV header; audio that
    /// already has a container (audio/wav, audio/mpeg...) is written as it came.
    /// </summary>
    public FileInfo SaveWav(string path) => WriteFile(path, FileContent());

    /// <summary>The audio as a WAV file: raw PCM with a 44-byte RIFF header, or the bytes as they came when they are not raw PCM.</summary>
    public byte[] ToWav() => FileContent();

    public override string ToString() =>
        Duration is TimeSpan duration
            ? string.Format(CultureInfo.CurrentCulture, "[{0}, {1:0.0} s, {2}]", MimeType, duration.TotalSeconds, FormatSize(Length))
            : base.ToString();

    internal override byte[] FileContent() => IsPcm ? Wav(Bytes, SampleRate, Channels) : Bytes;

    /// <summary>
    /// Consecutive pieces of raw PCM of the same format (a streamed TTS answer: each chunk's Audio) as one
    /// clip; other audio as it is. The pieces are decoded when the clip's Bytes are first read.
    /// </summary>
    public static GeminiAudio[] Join(IEnumerable<GeminiAudio> pieces)
    {
        if (pieces is null)
            throw new ArgumentNullException(nameof(pieces));
        var joined = new List<GeminiAudio>();
        var run = new List<GeminiAudio>();
        void Flush()
        {
            if (run.Count == 1)
                joined.Add(run[0]);
            else if (run.Count > 1)
            {
                GeminiAudio[] clip = run.ToArray();
                joined.Add(new GeminiAudio(clip[0].MimeType, () => clip.SelectMany(p => p.Bytes).ToArray(), clip.Sum(p => p.Length)));
            }

            run.Clear();
        }

        foreach (GeminiAudio piece in pieces.Where(p => p is not null))
        {
            if (!piece.IsPcm || (run.Count > 0 && !string.Equals(run[0].MimeType, piece.MimeType, StringComparison.OrdinalIgnoreCase)))
                Flush();
            if (piece.IsPcm)
                run.Add(piece);
            else
                joined.Add(piece);
        }

        Flush();
        return joined.ToArray();
    }

    // Gemini's TTS PCM is little-endian 16-bit (Google's samples write it into a WAV file as it is:
    // https://ai.google.dev/gemini-api/docs/speech-generation), although RFC 2586's audio/L16 is big-endian.
    private static byte[] Wav(byte[] pcm, int sampleRate, int channels)
    {
        const short bitsPerSample = 16;
        int blockAlign = channels * bitsPerSample / 8;
        int pad = pcm.Length % 2; // RIFF chunks are word-aligned
        using var stream = new MemoryStream(44 + pcm.Length + pad);
        using (var writer = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true))
        {
            writer.Write("RIFF"u8.ToArray());
            writer.Write(36 + pcm.Length + pad);
            writer.Write("WAVE"u8.ToArray());
            writer.Write("fmt "u8.ToArray());
            writer.Write(16);                          // fmt chunk size
            writer.Write((short)1);                    // PCM
            writer.Write((short)channels);
            writer.Write(sampleRate);
            writer.Write(sampleRate * blockAlign);     // byte rate
            writer.Write((short)blockAlign);
            writer.Write(bitsPerSample);
            writer.Write("data"u8.ToArray());
            writer.Write(pcm.Length);
            writer.Write(pcm);
            if (pad == 1)
                writer.Write((byte)0);
        }

        return stream.ToArray();
    }

    private string? Parameter(string name)
    {
        foreach (string parameter in MimeType.Split(';').Skip(1))
        {
            int equals = parameter.IndexOf('=');
            if (equals > 0 && parameter.Substring(0, equals).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                return parameter.Substring(equals + 1).Trim().Trim('"');
        }

        return null;
    }
}
