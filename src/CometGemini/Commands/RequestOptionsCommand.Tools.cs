using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using CometGemini.Completion;

namespace CometGemini.Commands;

// Function calling: -Tool, -ToolConfig, -FunctionCallingMode, -AllowedFunction.
public abstract partial class RequestOptionsCommand
{
    private readonly List<GeminiTool> _tools = new();

    [Parameter]
    [ValidateNotNullOrEmpty]
    public object[]? Tool { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(FunctionCallingModeCompleter))]
    [ValidateNotNullOrEmpty]
    public string? FunctionCallingMode { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AllowedFunction { get; set; }

    [Parameter]
    [ValidateNotNull]
    public object? ToolConfig { get; set; }

    /// <summary>The tools of -Tool, resolved to declarations (and commands to run) on the pipeline thread.</summary>
    private protected IReadOnlyList<GeminiTool> Tools => _tools;

    private void ApplyTools(GenerateContentRequest template)
    {
        if (Tool is { Length: > 0 })
        {
            _tools.AddRange(Tool.Select(ResolveTool));
            var names = new HashSet<string>(_tools.Select(t => t.Name), StringComparer.Ordinal);
            List<CometGemini.Tool> tools = template.Tools ?? new List<CometGemini.Tool>();
            foreach (CometGemini.Tool entry in tools.Where(t => t.FunctionDeclarations is not null))
                entry.FunctionDeclarations = entry.FunctionDeclarations!.Where(d => !names.Contains(DeclaredName(d))).ToList(); // this call's own version wins
            tools.RemoveAll(t => t.FunctionDeclarations is { Count: 0 } && t.ExtensionData is null && t.GoogleSearch is null && t.CodeExecution is null && t.UrlContext is null && t.GoogleMaps is null);
            tools.Add(new CometGemini.Tool { FunctionDeclarations = _tools.Select(t => t.Declaration).ToList() });
            template.Tools = tools;
        }

        if (ToolConfig is not null)
            template.ToolConfig = PSJson.FromObjectOrJsonText(ToolConfig, nameof(ToolConfig));

        if (FunctionCallingMode is not null || AllowedFunction is not null)
        {
            JsonObject config = template.ToolConfig is JsonElement existing && existing.ValueKind == JsonValueKind.Object
                ? JsonNode.Parse(existing.GetRawText())!.AsObject()
                : new JsonObject();
            JsonObject calling = config["functionCallingConfig"] as JsonObject ?? new JsonObject();
            // allowedFunctionNames counts only in ANY and VALIDATED modes; naming functions implies ANY.
            calling["mode"] = WireNames.UpperSnake(FunctionCallingMode ?? "Any");
            if (AllowedFunction is not null)
                calling["allowedFunctionNames"] = new JsonArray(AllowedFunction.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
            config["functionCallingConfig"] = calling;
            using JsonDocument document = JsonDocument.Parse(config.ToJsonString());
            template.ToolConfig = document.RootElement.Clone();
        }
    }

    internal static string DeclaredName(JsonElement declaration) =>
        declaration.ValueKind == JsonValueKind.Object && declaration.TryGetProperty("name", out JsonElement name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()!
            : string.Empty;

    private GeminiTool ResolveTool(object item) => ToolResolver.Resolve(this, item);
}
