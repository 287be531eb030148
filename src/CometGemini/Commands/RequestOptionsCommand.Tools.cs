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

    private GeminiTool ResolveTool(object item)
    {
        object? value = PSJson.Unwrap(item);
        switch (value)
        {
            case GeminiTool tool:
                return tool;
            case CommandInfo command:
                return ToolDeclarations.FromCommand(command, HelpFor(command));
            case string name:
                CommandInfo? found = InvokeCommand.GetCommand(name, CommandTypes.Function | CommandTypes.Cmdlet | CommandTypes.Alias | CommandTypes.ExternalScript);
                if (found is null)
                {
                    ThrowTerminatingError(ErrorRecords.Usage(
                        $"-Tool names '{name}', which is not a command in this session.",
                        "GeminiToolNotFound",
                        ErrorCategory.ObjectNotFound,
                        name,
                        "Import the module that has it, define the function first, or pass (Get-Command <name>)."));
                }

                return ToolDeclarations.FromCommand(found!, HelpFor(found!));
            case ScriptBlock:
                ThrowTerminatingError(ErrorRecords.Usage(
                    "A script block in -Tool needs a name and a description for the model.",
                    "GeminiToolInvalid",
                    ErrorCategory.InvalidArgument,
                    value,
                    "Use New-GeminiTool -Name <name> -Description <text> -ScriptBlock { param(...) ... }, or define a function and pass its name."));
                return null!;
            default:
                JsonElement declaration = PSJson.FromObjectOrJsonText(value!, nameof(Tool));
                string declared = DeclaredName(declaration);
                if (declared.Length == 0)
                {
                    ThrowTerminatingError(ErrorRecords.Usage(
                        "A function declaration in -Tool needs at least a 'name'.",
                        "GeminiToolInvalid",
                        ErrorCategory.InvalidArgument,
                        value,
                        "Pass commands (Get-Command), names, New-GeminiTool output, or @{ name = ...; description = ...; parameters = @{...} }."));
                }

                return new GeminiTool(declared, declaration.TryGetProperty("description", out JsonElement d) ? d.GetString() : null, declaration);
        }
    }

    /// <summary>Get-Help's synopsis and parameter descriptions, when the command has real help (not just its syntax).</summary>
    private ToolDeclarations.CommandHelp HelpFor(CommandInfo command)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? synopsis = null;
        try
        {
            Collection<PSObject> found = InvokeCommand.InvokeScript(
                true, // a scope of its own: $name and $ProgressPreference stay the caller's
                ScriptBlock.Create("param($name) $ProgressPreference = 'SilentlyContinue'; Get-Help -Name $name -Full -ErrorAction Ignore"),
                null,
                command.Name);
            PSObject? help = found.FirstOrDefault(h => h is not null && h.BaseObject is not string);
            if (help is not null)
            {
                synopsis = Text(help.Properties["Synopsis"]?.Value);
                if (synopsis is null || synopsis.StartsWith(command.Name, StringComparison.OrdinalIgnoreCase) || synopsis.Contains("[-"))
                    synopsis = Text(help.Properties["description"]?.Value); // no written synopsis: Get-Help shows the syntax there
                object? list = (help.Properties["parameters"]?.Value as PSObject)?.Properties["parameter"]?.Value;
                foreach (object? entry in list is PSObject single && single.BaseObject is not object[] ? new[] { single } : LanguagePrimitives.GetEnumerable(list) ?? Array.Empty<object>())
                {
                    if (entry is PSObject parameter && Text(parameter.Properties["name"]?.Value) is string name && Text(parameter.Properties["description"]?.Value) is string text)
                        parameters[name] = text;
                }
            }
        }
        catch (Exception e) when (e is RuntimeException or InvalidOperationException)
        {
            WriteVerbose($"No help for {command.Name}: {e.Message}");
        }

        return new ToolDeclarations.CommandHelp(synopsis, parameters);
    }

    // Help text arrives as a string, or as objects (or arrays of them) with a Text property.
    private static string? Text(object? value)
    {
        value = value is PSObject wrapped ? wrapped.BaseObject is PSCustomObject ? wrapped : wrapped.BaseObject : value;
        string? text = value switch
        {
            null => null,
            string s => s,
            PSObject o => Text(o.Properties["Text"]?.Value),
            IEnumerable items => string.Join("\n", items.Cast<object?>().Select(Text).Where(t => !string.IsNullOrWhiteSpace(t))),
            _ => value.ToString(),
        };
        return string.IsNullOrWhiteSpace(text) ? null : text!.Trim();
    }
}
