using System;
using System.Buffers;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CometGemini;

/// <summary>
/// Reads and writes a <see cref="Blob"/> without a base64 string in between: the data is decoded straight from the
/// JSON bytes and written straight into them, because the string is twice the payload (UTF-16) and the default
/// encoder's escaping of '+' would rent six times that again. While a request is serialized for sending, big data is
/// left out behind a placeholder and streamed into the body (Client/RequestBody).
/// </summary>
internal sealed class BlobConverter : JsonConverter<Blob>
{
    /// <summary>Data at least this big is streamed into a request body rather than written into its JSON.</summary>
    internal const int DeferFromBytes = 64 * 1024;

    [ThreadStatic]
    private static Deferral? t_deferral;

    /// <summary>
    /// While the returned scope lasts, this thread's serialization writes a placeholder (<see cref="Placeholder"/>)
    /// for each big blob and adds its bytes to <paramref name="deferred"/>, in order.
    /// </summary>
    internal static IDisposable DeferLargeData(List<byte[]> deferred, string tag)
    {
        var deferral = new Deferral(deferred, tag, t_deferral);
        t_deferral = deferral;
        return deferral;
    }

    /// <summary>The string value that stands for deferred blob <paramref name="index"/> (letters, digits and dashes: never escaped).</summary>
    internal static string Placeholder(string tag, int index) => "CometGeminiBlob-" + tag + "-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override Blob? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("inlineData is an object with mimeType and data.");
        StringComparison names = options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var blob = new Blob();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            if (name.Equals("mimeType", names))
                blob.MimeType = StringOrNull(ref reader, name);
            else if (name.Equals("data", names))
                ReadData(ref reader, blob);
            else
                reader.Skip();
        }

        return blob;
    }

    public override void Write(Utf8JsonWriter writer, Blob value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.MimeType is not null)
            writer.WriteString("mimeType", value.MimeType);
        if (value.Bytes is byte[] bytes)
        {
            if (t_deferral is Deferral deferral && bytes.Length >= DeferFromBytes)
            {
                writer.WriteString("data", Placeholder(deferral.Tag, deferral.Blobs.Count));
                deferral.Blobs.Add(bytes);
            }
            else
            {
                writer.WriteBase64String("data", bytes);
            }
        }
        else if (value.Data is string data)
        {
            writer.WriteString("data", data);
        }

        writer.WriteEndObject();
    }

    private static string? StringOrNull(ref Utf8JsonReader reader, string name) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => reader.GetString(),
            _ => throw new JsonException($"inlineData.{name} is a string."),
        };

    // Standard padded base64 (what the service sends) becomes bytes at once, decoded into an array of the exact
    // size; anything else (URL-safe, unpadded, with line breaks) stays text, which GeminiMedia decodes leniently.
    private static void ReadData(ref Utf8JsonReader reader, Blob blob)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            blob.Data = StringOrNull(ref reader, "data");
            return;
        }

        byte[]? bytes = reader.ValueIsEscaped ? (reader.TryGetBytesFromBase64(out byte[]? unescaped) ? unescaped : null)
            : reader.HasValueSequence ? Decode(reader.ValueSequence)
            : Decode(reader.ValueSpan);
        if (bytes is not null)
            blob.SetBytes(bytes);
        else
            blob.Data = reader.GetString();
    }

    private static byte[]? Decode(ReadOnlySpan<byte> text)
    {
        if (text.Length % 4 != 0)
            return null;
        var bytes = new byte[text.Length / 4 * 3 - Padding(text.Length == 0 ? default : text.Slice(text.Length - 2))];
        int written = 0;
        return DecodeBlock(text, bytes, ref written) && written == bytes.Length ? bytes : null;
    }

    // A value split across the pieces of a body read without a known length (ResponseBody): decoded piece by piece
    // into one array of the exact size, never joined into a contiguous copy first.
    private static byte[]? Decode(ReadOnlySequence<byte> text)
    {
        if (text.Length % 4 != 0 || text.Length / 4 * 3 > int.MaxValue)
            return null;
        Span<byte> tail = stackalloc byte[2];
        text.Slice(text.Length - 2).CopyTo(tail);
        var bytes = new byte[text.Length / 4 * 3 - Padding(tail)];
        Span<byte> carry = stackalloc byte[4];
        int carried = 0, written = 0;
        foreach (ReadOnlyMemory<byte> piece in text)
        {
            ReadOnlySpan<byte> span = piece.Span;
            if (carried > 0)
            {
                int take = Math.Min(4 - carried, span.Length);
                span.Slice(0, take).CopyTo(carry.Slice(carried));
                carried += take;
                span = span.Slice(take);
                if (carried < 4)
                    continue;
                if (!DecodeBlock(carry, bytes, ref written))
                    return null;
                carried = 0;
            }

            int whole = span.Length / 4 * 4;
            if (!DecodeBlock(span.Slice(0, whole), bytes, ref written))
                return null;
            span.Slice(whole).CopyTo(carry);
            carried = span.Length - whole;
        }

        return carried == 0 && written == bytes.Length ? bytes : null;
    }

    private static int Padding(ReadOnlySpan<byte> lastTwo) =>
        lastTwo.Length < 2 || lastTwo[1] != (byte)'=' ? 0 : lastTwo[0] == (byte)'=' ? 2 : 1;

    private static bool DecodeBlock(ReadOnlySpan<byte> block, byte[] into, ref int written)
    {
        if (block.Length == 0)
            return true;
        if (written > into.Length)
            return false;
        OperationStatus status = Base64.DecodeFromUtf8(block, into.AsSpan(written), out int consumed, out int count);
        written += count;
        return status == OperationStatus.Done && consumed == block.Length;
    }

    private sealed class Deferral : IDisposable
    {
        private readonly Deferral? _outer;

        public Deferral(List<byte[]> blobs, string tag, Deferral? outer)
        {
            Blobs = blobs;
            Tag = tag;
            _outer = outer;
        }

        public List<byte[]> Blobs { get; }

        public string Tag { get; }

        public void Dispose() => t_deferral = _outer;
    }
}
