using System;
using System.Collections;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using CometGemini.Commands;

namespace CometGemini.Generation;

/// <summary>
/// Merges -GenerationConfig (any field, PowerShell or wire spelling) over what the typed parameters
/// set, so every generationConfig field is reachable. Nested objects merge; $null removes a field.
/// </summary>
internal static class GenerationConfigMerger
{
    // User-defined schemas: their property names are the user's and stay exactly as written.
    private static readonly HashSet<string> Verbatim = new(StringComparer.Ordinal) { "responseSchema", "responseJsonSchema", "_responseJsonSchema" };

    public static GenerationConfig Merge(GenerationConfig config, IDictionary extra)
    {
        JsonObject target = JsonSerializer.SerializeToNode(config, GeminiJsonContext.Default.GenerationConfig)!.AsObject();
        MergeInto(target, PSJson.FromObject(extra));
        try
        {
            return target.Deserialize(GeminiJsonContext.Default.GenerationConfig)!;
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"-GenerationConfig has a value of the wrong type at '{e.Path}'. Check it against the API's generationConfig fields.", nameof(GenerationConfig), e);
        }
    }

    public static bool IsEmpty(GenerationConfig config) =>
        JsonSerializer.SerializeToUtf8Bytes(config, GeminiJsonContext.Default.GenerationConfig).Length <= 2;

    private static void MergeInto(JsonObject target, JsonElement source)
    {
        foreach (JsonProperty property in source.EnumerateObject())
        {
            string name = WireNames.LowerCamel(property.Name);
            if (property.Value.ValueKind == JsonValueKind.Null)
                target.Remove(name);
            else if (property.Value.ValueKind == JsonValueKind.Object && !Verbatim.Contains(name) && target[name] is JsonObject existing)
                MergeInto(existing, property.Value);
            else
                target[name] = ToNode(property.Value, verbatim: Verbatim.Contains(name));
        }
    }

    private static JsonNode? ToNode(JsonElement value, bool verbatim)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var result = new JsonObject();
                foreach (JsonProperty property in value.EnumerateObject())
                {
                    string name = verbatim ? property.Name : WireNames.LowerCamel(property.Name);
                    result[name] = ToNode(property.Value, verbatim || Verbatim.Contains(name));
                }

                return result;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (JsonElement item in value.EnumerateArray())
                    array.Add(ToNode(item, verbatim));
                return array;
            default:
                return JsonValue.Create(value);
        }
    }
}
