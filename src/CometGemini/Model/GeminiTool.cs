using System.Management.Automation;
using System.Text.Json;

namespace CometGemini;

/// <summary>
/// A function the model may call: its declaration (name, description, parameter schema) and, when the module
/// can run it, the command or script block that implements it. Made by New-GeminiTool, or from -Tool commands.
/// </summary>
public sealed class GeminiTool
{
    public GeminiTool(string name, string? description, JsonElement declaration, CommandInfo? command = null, ScriptBlock? scriptBlock = null, bool readOnly = false)
    {
        IsReadOnly = readOnly;
        Name = name;
        Description = description;
        Declaration = declaration;
        Command = command;
        ScriptBlock = scriptBlock;
    }

    public string Name { get; }

    public string? Description { get; }

    /// <summary>The functionDeclarations entry as sent.</summary>
    public JsonElement Declaration { get; }

    /// <summary>The PowerShell command that runs the calls, when the tool was made from one.</summary>
    public CommandInfo? Command { get; }

    /// <summary>The script block that runs the calls (New-GeminiTool -ScriptBlock); its parameters are the arguments.</summary>
    public ScriptBlock? ScriptBlock { get; }

    /// <summary>
    /// Declared safe to run without confirmation (New-GeminiTool -ReadOnly). Commands are judged by their verb instead:
    /// Get, Find, Test and the other read-only verbs run at once, all others ask first.
    /// </summary>
    public bool IsReadOnly { get; }

    /// <summary>Whether the module can run the calls itself; without, the response carries them (FunctionCalls) for the caller.</summary>
    public bool CanRun => Command is not null || ScriptBlock is not null;

    public override string ToString() => Name;
}
