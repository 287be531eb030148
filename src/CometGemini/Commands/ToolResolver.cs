using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;

namespace CometGemini.Commands;

/// <summary>
/// What -Tool takes (New-GeminiTool output, commands, command names, declaration hashtables) as tools, the
/// commands' help read on the pipeline thread: shared by the generating commands and New-GeminiCache.
/// </summary>
internal static class ToolResolver
{
    public static GeminiTool Resolve(PSCmdlet cmdlet, object item)
    {
        object? value = PSObjects.UnwrapUnlessCustom(item);
        switch (value)
        {
            case GeminiTool tool:
                return tool;
            case CommandInfo command:
                return ToolDeclarations.FromCommand(command, HelpFor(cmdlet, command));
            case string text when text.TrimStart() is { Length: > 0 } trimmed && trimmed[0] is '{' or '[': // JSON, never a command name
                return FromJson(cmdlet, value, text);
            case string name:
                CommandInfo? found = cmdlet.InvokeCommand.GetCommand(name, CommandTypes.Function | CommandTypes.Cmdlet | CommandTypes.Alias | CommandTypes.ExternalScript);
                if (found is null)
                {
                    cmdlet.ThrowTerminatingError(ErrorRecords.Usage(
                        $"-Tool names '{name}', which is not a command in this session.",
                        "GeminiToolNotFound",
                        ErrorCategory.ObjectNotFound,
                        name,
                        "Import the module that has it, define the function first, or pass (Get-Command <name>)."));
                }

                return ToolDeclarations.FromCommand(found!, HelpFor(cmdlet, found!));
            case ScriptBlock:
                cmdlet.ThrowTerminatingError(ErrorRecords.Usage(
                    "A script block in -Tool needs a name and a description for the model.",
                    "GeminiToolInvalid",
                    ErrorCategory.InvalidArgument,
                    value,
                    "Use New-GeminiTool -Name <name> -Description <text> -ScriptBlock { param(...) ... }, or define a function and pass its name."));
                return null!;
            default:
                return FromJson(cmdlet, value, value!);
        }
    }

    /// <summary>
    /// A hashtable, object or JSON text: a function declaration when it names a function, else a whole tools entry
    /// (fileSearch, computerUse, mcpServers, a newer kind) sent as given. Bad JSON stops the command with what to pass.
    /// </summary>
    public static GeminiTool FromJson(PSCmdlet cmdlet, object? target, object value)
    {
        JsonElement element = default;
        try
        {
            element = PSJson.FromObjectOrJsonText(value, nameof(Tool));
        }
        catch (ArgumentException e)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(e, "GeminiToolInvalid", ErrorCategory.InvalidArgument, target)
            {
                ErrorDetails = new ErrorDetails(e.Message)
                {
                    RecommendedAction = "Pass a tool as a hashtable, such as @{ fileSearch = @{ fileSearchStoreNames = @('fileSearchStores/abc') } }, or as valid JSON text.",
                },
            });
        }

        string declared = Generation.RequestBuilder.DeclaredName(element);
        if (declared.Length > 0)
            return new GeminiTool(declared, element.TryGetProperty("description", out JsonElement d) ? d.GetString() : null, element);
        if (element.ValueKind == JsonValueKind.Object && element.EnumerateObject().Any() && !LooksLikeDeclaration(element))
            return GeminiTool.Raw(element);

        cmdlet.ThrowTerminatingError(ErrorRecords.Usage(
            element.ValueKind == JsonValueKind.Object
                ? "A function declaration in -Tool needs at least a 'name'."
                : $"-Tool got a JSON {element.ValueKind.ToString().ToLowerInvariant()}, which is neither a function declaration nor a tool.",
            "GeminiToolInvalid",
            ErrorCategory.InvalidArgument,
            target,
            "Pass commands (Get-Command), names, New-GeminiTool output, @{ name = ...; description = ...; parameters = @{...} }, or a whole tool such as @{ fileSearch = @{...} }."));
        return null!; // not reached: ThrowTerminatingError throws
    }

    // A declaration that forgot its name is told so, rather than sent as a tool the server would refuse.
    private static bool LooksLikeDeclaration(JsonElement element) =>
        element.EnumerateObject().Any(member => member.Name is "description" or "parameters" or "parametersJsonSchema" or "response" or "responseJsonSchema" or "behavior");

    /// <summary>Get-Help's synopsis and parameter descriptions, when the command has real help (not just its syntax).</summary>
    private static ToolDeclarations.CommandHelp HelpFor(PSCmdlet cmdlet, CommandInfo command)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? synopsis = null;
        try
        {
            Collection<PSObject> found = cmdlet.InvokeCommand.InvokeScript(
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
            cmdlet.WriteVerboseLine($"No help for {command.Name}: {e.Message}");
        }

        return new ToolDeclarations.CommandHelp(synopsis, parameters);
    }

    // Help text arrives as a string, or as objects (or arrays of them) with a Text property.
    private static string? Text(object? value)
    {
        value = PSObjects.UnwrapUnlessCustom(value);
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
