using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace FakeGemini;

/// <summary>
/// The fake's answer to a request with a response schema (generationConfig.responseSchema, responseJsonSchema or
/// _responseJsonSchema): JSON of that schema's shape, as the real model gives, so a demo or test that asks for a
/// list gets a list. Strings echo the prompt (numbered in arrays), enums take their first value, numbers and array
/// lengths keep within the schema's bounds. Both dialects: Gemini's (type "OBJECT", nullable, propertyOrdering) and
/// JSON Schema (type "object", type arrays, $ref to $defs, anyOf, const).
/// </summary>
public static class SchemaAnswer
{
    private const int MaxDepth = 16;

    /// <summary>The schema a request's generationConfig asks the answer to follow, if any.</summary>
    public static bool TryGetSchema(JsonElement generationConfig, out JsonElement schema)
    {
        foreach (string name in new[] { "responseJsonSchema", "_responseJsonSchema", "responseSchema" })
        {
            if (GeminiJson.TryGet(generationConfig, name, out schema) && schema.ValueKind == JsonValueKind.Object)
                return true;
        }

        schema = default;
        return false;
    }

    /// <summary>A JSON value (indented text) that the schema accepts, its strings made of <paramref name="prompt"/>.</summary>
    public static string For(JsonElement schema, string prompt) =>
        GeminiJson.Write(true, w => Value(w, schema, schema, prompt, 0));

    private static void Value(Utf8JsonWriter w, JsonElement schema, JsonElement root, string text, int depth)
    {
        if (schema.ValueKind != JsonValueKind.Object || depth > MaxDepth)
        {
            w.WriteNullValue();
            return;
        }

        if (Get(schema, "$ref") is { ValueKind: JsonValueKind.String } reference)
        {
            if (Resolve(root, reference.GetString()!) is JsonElement target)
                Value(w, target, root, text, depth + 1);
            else
                w.WriteNullValue();
            return;
        }

        if (Get(schema, "const") is JsonElement constant)
        {
            constant.WriteTo(w);
            return;
        }

        if (Get(schema, "enum") is { ValueKind: JsonValueKind.Array } values && values.GetArrayLength() > 0)
        {
            values[0].WriteTo(w);
            return;
        }

        foreach (string choice in new[] { "anyOf", "oneOf" })
        {
            if (Get(schema, choice) is { ValueKind: JsonValueKind.Array } branches && branches.GetArrayLength() > 0)
            {
                JsonElement branch = branches.EnumerateArray().FirstOrDefault(b => TypeOf(b) != "null");
                Value(w, branch.ValueKind == JsonValueKind.Object ? branch : branches[0], root, text, depth + 1);
                return;
            }
        }

        if (Get(schema, "allOf") is { ValueKind: JsonValueKind.Array } all && all.GetArrayLength() > 0)
        {
            Value(w, all[0], root, text, depth + 1);
            return;
        }

        switch (TypeOf(schema))
        {
            case "object":
                w.WriteStartObject();
                foreach (JsonProperty property in Properties(schema))
                {
                    w.WritePropertyName(property.Name);
                    Value(w, property.Value, root, text, depth + 1);
                }

                w.WriteEndObject();
                break;
            case "array":
                int count = Bounded(3, Number(schema, "minItems"), Number(schema, "maxItems"));
                JsonElement items = Get(schema, "items") ?? default;
                w.WriteStartArray();
                for (int i = 1; i <= count; i++)
                    Value(w, items, root, $"{text} ({i})", depth + 1);
                w.WriteEndArray();
                break;
            case "integer":
                w.WriteNumberValue(Bounded(3, Number(schema, "minimum"), Number(schema, "maximum")));
                break;
            case "number":
                double low = Number(schema, "minimum") ?? double.MinValue, high = Number(schema, "maximum") ?? double.MaxValue;
                w.WriteNumberValue(Math.Min(Math.Max(2.5, low), high));
                break;
            case "boolean":
                w.WriteBooleanValue(true);
                break;
            case "null":
                w.WriteNullValue();
                break;
            default:
                w.WriteStringValue(Get(schema, "format")?.GetString() switch
                {
                    "date-time" => "2026-01-01T00:00:00Z",
                    "date" => "2026-01-01",
                    _ => text,
                });
                break;
        }
    }

    // The type, lower case; the first that is not "null" of a JSON Schema type array; else what the keywords imply.
    private static string TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
            return "string";
        JsonElement? type = Get(schema, "type");
        if (type is { ValueKind: JsonValueKind.String })
            return type.Value.GetString()!.ToLowerInvariant();
        if (type is { ValueKind: JsonValueKind.Array })
        {
            string[] types = type.Value.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!.ToLowerInvariant()).ToArray();
            return types.FirstOrDefault(t => t != "null") ?? "null";
        }

        return Get(schema, "properties") is not null ? "object" : Get(schema, "items") is not null ? "array" : "string";
    }

    // In propertyOrdering's order when it is given (Gemini answers so), then the others as written.
    private static IEnumerable<JsonProperty> Properties(JsonElement schema)
    {
        if (Get(schema, "properties") is not { ValueKind: JsonValueKind.Object } properties)
            return Enumerable.Empty<JsonProperty>();
        List<JsonProperty> all = properties.EnumerateObject().ToList();
        if (Get(schema, "propertyOrdering") is not { ValueKind: JsonValueKind.Array } ordering)
            return all;
        List<string> order = ordering.EnumerateArray().Where(o => o.ValueKind == JsonValueKind.String).Select(o => o.GetString()!).ToList();
        return all.OrderBy(p => order.IndexOf(p.Name) is int i and >= 0 ? i : int.MaxValue);
    }

    private static JsonElement? Resolve(JsonElement root, string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
            return reference == "#" ? root : null;
        JsonElement at = root;
        foreach (string step in reference.Substring(2).Split('/'))
        {
            if (at.ValueKind != JsonValueKind.Object || !at.TryGetProperty(step.Replace("~1", "/").Replace("~0", "~"), out at))
                return null;
        }

        return at;
    }

    private static int Bounded(int wanted, double? low, double? high) =>
        (int)Math.Min(Math.Max(wanted, Math.Ceiling(low ?? wanted)), Math.Floor(high ?? int.MaxValue));

    private static double? Number(JsonElement schema, string name) =>
        Get(schema, name) switch
        {
            { ValueKind: JsonValueKind.Number } n => n.GetDouble(),
            { ValueKind: JsonValueKind.String } s when double.TryParse(s.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d, // Gemini sends int64 as strings
            _ => null,
        };

    private static JsonElement? Get(JsonElement schema, string name) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(name, out JsonElement value) ? value : null;
}
