using System;
using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FakeGemini;

/// <summary>JSON in Google's layouts: pretty (2 spaces, "\n") and the one-line SSE form (<c>"key": value</c>, <c>,</c> without a space).</summary>
internal static class GeminiJson
{
    public static string Write(bool indented, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        var options = new JsonWriterOptions
        {
            Indented = indented,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        using (var writer = new Utf8JsonWriter(buffer, options))
            write(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Google's SSE event layout: the pretty form with its line breaks and indentation removed.</summary>
    public static string SseLine(string pretty)
    {
        var line = new StringBuilder(pretty.Length);
        for (int i = 0; i < pretty.Length; i++)
        {
            if (pretty[i] != '\n')
            {
                line.Append(pretty[i]);
                continue;
            }

            while (i + 1 < pretty.Length && pretty[i + 1] == ' ')
                i++;
        }

        return line.ToString();
    }

    /// <summary>Google's error envelope, pretty-printed with a trailing newline.</summary>
    public static string Error(int code, string status, string message, Action<Utf8JsonWriter>? details = null) =>
        Write(true, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteNumber("code", code);
            w.WriteString("message", message);
            w.WriteString("status", status);
            if (details is not null)
            {
                w.WriteStartArray("details");
                details(w);
                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }) + "\n";

    /// <summary>A property of a request object under its camelCase name or the proto's snake_case name.</summary>
    public static bool TryGet(JsonElement obj, string camelName, out JsonElement value)
    {
        value = default;
        if (obj.ValueKind != JsonValueKind.Object)
            return false;
        if (obj.TryGetProperty(camelName, out value) && value.ValueKind != JsonValueKind.Null)
            return true;
        return obj.TryGetProperty(SnakeCase(camelName), out value) && value.ValueKind != JsonValueKind.Null;
    }

    public static string SnakeCase(string camelName)
    {
        var snake = new StringBuilder(camelName.Length + 4);
        foreach (char c in camelName)
        {
            if (char.IsUpper(c))
                snake.Append('_').Append(char.ToLowerInvariant(c));
            else
                snake.Append(c);
        }

        return snake.ToString();
    }
}
