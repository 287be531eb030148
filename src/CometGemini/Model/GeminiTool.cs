using System.Linq;
using System.Management.Automation;
using System.Text.Json;

namespace CometGemini;

/// <summary>
/// A function the model may call: its declaration (name, description, parameter schema) and, when the module
/// can run it, the command or script block that implements it. Made by New-GeminiTool, or from -Tool commands.
/// Or a raw tool (<see cref="IsRaw"/>): a whole tools entry the module sends as given, such as fileSearch,
/// computerUse, mcpServers or a kind of tool newer than the module.
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

    /// <summary>A whole tools entry, sent as given (New-GeminiTool -Raw, or a -Tool object that is no function declaration).</summary>
    public static GeminiTool Raw(JsonElement entry) =>
        new(string.Join("+", entry.EnumerateObject().Select(member => member.Name)), null, entry) { IsRaw = true };

    /// <summary>The function's name; for a raw tool, the names of its entry's members ("fileSearch").</summary>
    public string Name { get; }

    public string? Description { get; }

    /// <summary>The functionDeclarations entry as sent; for a raw tool, the whole tools entry.</summary>
    public JsonElement Declaration { get; }

    /// <summary>A whole tools entry sent as given, not a function: the model never calls it by name, and the module runs nothing for it.</summary>
    public bool IsRaw { get; private set; }

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
