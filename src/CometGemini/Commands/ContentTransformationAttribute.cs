using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;

namespace CometGemini.Commands;

/// <summary>
/// Lets -Contents take turns however a user has them: Content objects (a chat's History), hashtables
/// (@{ role = 'user'; parts = @(@{ text = 'Hi' }) }), objects from ConvertFrom-Json, or JSON text.
/// </summary>
internal sealed class ContentTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = PSObjects.UnwrapUnlessCustom(inputData);
        if (value is null or Content or Content[])
            return value;

        var contents = new List<Content>();
        IEnumerable items = value is string or IDictionary or PSObject || value is not IEnumerable sequence ? new[] { value } : sequence;
        foreach (object? item in items)
            Add(contents, PSObjects.UnwrapUnlessCustom(item));
        return contents.ToArray();
    }

    private static void Add(List<Content> contents, object? item)
    {
        if (item is Content content)
        {
            contents.Add(content);
            return;
        }

        if (item is null)
            throw new ArgumentTransformationMetadataException("-Contents holds a null turn. Each turn is a role ('user' or 'model') and its parts.");

        JsonElement json;
        try
        {
            json = PSJson.FromObjectOrJsonText(item, "Contents");
        }
        catch (ArgumentException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }

        foreach (JsonElement turn in json.ValueKind == JsonValueKind.Array ? json.EnumerateArray() : new[] { json }.AsEnumerable())
        {
            const string Shape = "Each -Contents turn needs a role and parts, for example @{ role = 'user'; parts = @(@{ text = 'Hi' }) }";
            Content? parsed;
            try
            {
                parsed = turn.ValueKind == JsonValueKind.Object ? turn.Deserialize(GeminiJsonContext.Default.Content) : null;
            }
            catch (JsonException e)
            {
                // e.g. parts = 'Hi' (a string, not a list of parts) or text = 5: say where, and the shape that works.
                throw new ArgumentTransformationMetadataException($"{Shape}; this turn does not fit at {e.Path}.", e);
            }

            if (parsed?.Parts is not { Count: > 0 } || parsed.Parts.Any(part => part is null))
                throw new ArgumentTransformationMetadataException(Shape + (parsed?.Parts?.Any(part => part is null) == true ? "; a part is null." : "."));

            contents.Add(parsed);
        }
    }
}
