using System;
using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace CometGemini.Client;

/// <summary>
/// Makes a server's JSON safe to keep: System.Text.Json parses invalid UTF-8 and broken \u escapes inside values it
/// keeps as JsonElement (unknown fields, function arguments) and throws only later, when something reads them. Found
/// by FuzzTests; here both are dealt with once, before parsing.
/// </summary>
internal static class JsonText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The body without a BOM, invalid UTF-8 read as U+FFFD (as the stream reader does); JsonException for a broken escape.</summary>
    public static byte[] Prepare(byte[] body)
    {
        int start = body.Length >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF ? 3 : 0;
        try
        {
            StrictUtf8.GetCharCount(body, start, body.Length - start);
            if (start > 0)
                body = body.AsSpan(start).ToArray();
        }
        catch (DecoderFallbackException)
        {
            body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body, start, body.Length - start));
        }

        ThrowIfBrokenEscape(body);
        return body;
    }

    /// <summary>JsonException when a \u escape is half a surrogate pair (the only escape that parses and breaks later).</summary>
    public static void ThrowIfBrokenEscape(string text)
    {
        if (HasSurrogateEscape(text))
            Validate(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>
    /// For a body read in pieces: true when Prepare would change it or might throw (a BOM, invalid UTF-8, a \u escape
    /// of a surrogate), so only such a body is joined into one array for it; a well-formed one is parsed as it lies.
    /// </summary>
    public static bool NeedsPreparing(ReadOnlySequence<byte> body)
    {
        ReadOnlySpan<byte> first = body.First.Span;
        if (first.Length >= 3 && first[0] == 0xEF && first[1] == 0xBB && first[2] == 0xBF)
            return true;
        Decoder decoder = StrictUtf8.GetDecoder();
        byte before2 = 0, before1 = 0; // the last two bytes of the pieces before, for an escape split between two
        try
        {
            foreach (ReadOnlyMemory<byte> piece in body)
            {
                if (!MemoryMarshal.TryGetArray(piece, out ArraySegment<byte> bytes))
                    return true;
                decoder.GetCharCount(bytes.Array!, bytes.Offset, bytes.Count, flush: false);
                for (int i = bytes.Offset; i < bytes.Offset + bytes.Count; i++)
                {
                    byte b = bytes.Array![i];
                    if (before2 == (byte)'\\' && before1 == (byte)'u' && b is (byte)'d' or (byte)'D')
                        return true;
                    before2 = before1;
                    before1 = b;
                }
            }

            decoder.GetCharCount(Array.Empty<byte>(), 0, 0, flush: true);
            return false;
        }
        catch (DecoderFallbackException)
        {
            return true;
        }
    }

    private static void ThrowIfBrokenEscape(byte[] utf8)
    {
        for (int i = 0; i + 2 < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\\' && utf8[i + 1] == (byte)'u' && utf8[i + 2] is (byte)'d' or (byte)'D')
            {
                Validate(utf8);
                return;
            }
        }
    }

    private static bool HasSurrogateEscape(string text)
    {
        for (int i = text.IndexOf("\\u", StringComparison.Ordinal); i >= 0 && i + 2 < text.Length; i = text.IndexOf("\\u", i + 2, StringComparison.Ordinal))
        {
            if (text[i + 2] is 'd' or 'D')
                return true;
        }

        return false;
    }

    private static void Validate(byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                    reader.GetString();
            }
        }
        catch (InvalidOperationException e)
        {
            throw new JsonException("A \\u escape is half of a UTF-16 surrogate pair: " + e.Message, e);
        }
    }
}
