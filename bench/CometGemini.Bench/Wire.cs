using System;
using System.IO;
using System.Text;
using System.Text.Json;

namespace CometGemini.Bench;

/// <summary>Answers the benchmarks script into the fake server, written with Utf8JsonWriter as the fake writes its own.</summary>
internal static class Wire
{
    public const string Model = "gemini-2.5-flash";

    /// <summary>A unary answer (or one stream chunk) with one text part; a finish reason when <paramref name="final"/>.</summary>
    public static string TextResponse(string text, bool final = true) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("candidates");
        w.WriteStartObject();
        w.WriteStartObject("content");
        w.WriteStartArray("parts");
        w.WriteStartObject();
        w.WriteString("text", text);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteString("role", "model");
        w.WriteEndObject();
        if (final)
            w.WriteString("finishReason", "STOP");
        w.WriteNumber("index", 0);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartObject("usageMetadata");
        w.WriteNumber("promptTokenCount", 4);
        w.WriteNumber("candidatesTokenCount", 1);
        w.WriteNumber("totalTokenCount", 5);
        w.WriteEndObject();
        w.WriteString("modelVersion", Model);
        w.WriteString("responseId", "bench");
        w.WriteEndObject();
    });

    /// <summary>An image model's answer: one inlineData part carrying <paramref name="image"/> as base64.</summary>
    public static byte[] ImageResponse(byte[] image)
    {
        using var stream = new MemoryStream(image.Length * 4 / 3 + 1024);
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartArray("candidates");
            w.WriteStartObject();
            w.WriteStartObject("content");
            w.WriteStartArray("parts");
            w.WriteStartObject();
            w.WriteStartObject("inlineData");
            w.WriteString("mimeType", "image/png");
            w.WriteBase64String("data", image);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("role", "model");
            w.WriteEndObject();
            w.WriteString("finishReason", "STOP");
            w.WriteNumber("index", 0);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("modelVersion", Model);
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
            write(w);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
