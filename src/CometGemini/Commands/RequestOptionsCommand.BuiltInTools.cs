using System;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CometGemini.Commands;

// The tools Google runs on its side (Maps, code execution, URL context), beside -GoogleSearch.
public abstract partial class RequestOptionsCommand
{
    [Parameter]
    public SwitchParameter GoogleMaps { get; set; }

    [Parameter]
    [ValidateRange(-90.0, 90.0)]
    public double? Latitude { get; set; }

    [Parameter]
    [ValidateRange(-180.0, 180.0)]
    public double? Longitude { get; set; }

    [Parameter]
    public SwitchParameter CodeExecution { get; set; }

    [Parameter]
    public SwitchParameter UrlContext { get; set; }

    /// <summary>Adds the built-in tools asked for (once each) and the user's location for Maps grounding.</summary>
    private void ApplyBuiltInTools(GenerateContentRequest template)
    {
        if (GoogleMaps.IsPresent)
            AddTool(template, t => t.GoogleMaps is not null, new Tool { GoogleMaps = EmptyObject() });
        if (CodeExecution.IsPresent)
            AddTool(template, t => t.CodeExecution is not null, new Tool { CodeExecution = EmptyObject() });
        if (UrlContext.IsPresent)
            AddTool(template, t => t.UrlContext is not null, new Tool { UrlContext = EmptyObject() });

        if (Latitude is null && Longitude is null)
            return;
        if (Latitude is null || Longitude is null)
            throw new ArgumentException("-Latitude and -Longitude go together: pass both, for example -Latitude 40.7128 -Longitude -74.006.");
        template.ToolConfig = WithLatLng(template.ToolConfig, Latitude.Value, Longitude.Value);
    }

    private static void AddTool(GenerateContentRequest template, Func<Tool, bool> present, Tool tool)
    {
        if (template.Tools?.Any(present) != true)
            template.Tools = (template.Tools ?? new()).Append(tool).ToList();
    }

    /// <summary>toolConfig with retrievalConfig.latLng set; whatever else it holds (function calling, language) stays.</summary>
    private static JsonElement WithLatLng(JsonElement? toolConfig, double latitude, double longitude)
    {
        JsonObject config = toolConfig is { ValueKind: JsonValueKind.Object } existing
            ? JsonNode.Parse(existing.GetRawText())!.AsObject()
            : new JsonObject();
        if (config["retrievalConfig"] is not JsonObject retrieval)
        {
            retrieval = new JsonObject();
            config["retrievalConfig"] = retrieval;
        }

        retrieval["latLng"] = new JsonObject
        {
            ["latitude"] = JsonValue.Create(latitude),
            ["longitude"] = JsonValue.Create(longitude),
        };
        using JsonDocument document = JsonDocument.Parse(config.ToJsonString());
        return document.RootElement.Clone();
    }
}
