using System;
using System.Collections;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Text.Json;

namespace CometGemini.Commands;

/// <summary>Turns what a PowerShell user writes (hashtables, PSCustomObjects, arrays, JSON strings) into JSON.</summary>
internal static class PSJson
{
    private const int MaxDepth = 64;

    /// <summary>A hashtable, an object, or a string holding JSON text.</summary>
    public static JsonElement FromObjectOrJsonText(object value, string parameterName)
    {
        object unwrapped = PSObjects.UnwrapUnlessCustom(value)!;
        if (unwrapped is string text)
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(text);
                return document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new ArgumentException($"-{parameterName} is a string but not valid JSON ({e.Message}). Pass a hashtable or a JSON text.", parameterName, e);
            }
        }

        return FromObject(unwrapped);
    }

    public static JsonElement FromObject(object? value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer, value, 0);
        buffer.Position = 0;
        using JsonDocument document = JsonDocument.Parse(buffer);
        return document.RootElement.Clone();
    }

    private static void Write(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > MaxDepth)
            throw new ArgumentException($"The value is nested more than {MaxDepth} levels deep.");

        value = PSObjects.UnwrapUnlessCustom(value);
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case char c:
                writer.WriteStringValue(c.ToString());
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case SwitchParameter sw:
                writer.WriteBooleanValue(sw.IsPresent);
                break;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case Part or Content or Blob or FileData or FunctionCall or FunctionResponse or GenerateContentRequest:
                // The module's own wire types (New-GeminiPart output inside a -Contents hashtable): their wire form.
                JsonSerializer.Serialize(writer, value, value.GetType(), GeminiJsonContext.Default);
                break;
            case DateTime dt:
                writer.WriteStringValue(dt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset dto:
                writer.WriteStringValue(dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
                break;
            case TimeSpan ts:
                writer.WriteStringValue(ts.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s");
                break;
            case byte or sbyte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong ul:
                writer.WriteNumberValue(ul);
                break;
            case float or double:
                writer.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                    Write(writer, entry.Value, depth + 1);
                }

                writer.WriteEndObject();
                break;
            case PSObject custom:
                writer.WriteStartObject();
                foreach (PSPropertyInfo property in custom.Properties)
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value, depth + 1);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable sequence:
                writer.WriteStartArray();
                foreach (object? item in sequence)
                    Write(writer, item, depth + 1);
                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
