using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Reflection;

namespace CometGemini.Commands;

/// <summary>
/// A bare <c>Get-GeminiStream 'prompt'</c> at the prompt (its output goes straight to Out-Default or Out-Host): the answer
/// flows onto the screen as it comes, like a chat CLI, instead of one line per chunk. Anywhere else (a variable, another
/// command, a file, -OutVariable) the chunks are written as objects. Used on the pipeline thread only.
/// </summary>
internal sealed class ConsoleFlow
{
    private const BindingFlags Internal = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    private readonly PSHostUserInterface _ui;
    private bool _midLine;
    private bool _inThoughts;

    private ConsoleFlow(PSHostUserInterface ui) => _ui = ui;

    /// <summary>A flow for <paramref name="cmdlet"/> when what it writes is only shown; null when someone takes the objects.</summary>
    public static ConsoleFlow? For(PSCmdlet cmdlet)
    {
        if (cmdlet.Host?.UI is not { } ui || cmdlet.MyInvocation.BoundParameters.ContainsKey("OutVariable"))
            return null;
        return IsShownOnly(cmdlet) ? new ConsoleFlow(ui) : null;
    }

    public void Show(GeminiStreamChunk chunk)
    {
        if (chunk.IsThought != _inThoughts)
        {
            EndLine();
            _inThoughts = chunk.IsThought;
        }

        if (!chunk.IsThought && GeminiCodeExecution.Render(chunk.Parts) is { } code)
        {
            // Code the model ran and its output are Markdown blocks: on lines of their own.
            EndLine();
            _ui.WriteLine(code.TrimEnd('\n'));
        }
        else if (chunk.Text.Length > 0)
        {
            _ui.Write(chunk.Text);
            _midLine = !chunk.Text.EndsWith("\n", StringComparison.Ordinal);
        }

        foreach (GeminiMedia media in chunk.Images.Concat<GeminiMedia>(chunk.Audio))
        {
            EndLine();
            _ui.WriteLine(media.ToString());
        }
    }

    /// <summary>Ends the line the answer left open, before anything else is shown (a warning, an error, a saved file, the prompt).</summary>
    public void EndLine()
    {
        if (!_midLine)
            return;
        _ui.WriteLine();
        _midLine = false;
    }

    // PowerShell does not tell a command where its output goes: its runtime's output pipe does (internal members, the
    // same since Windows PowerShell 5.1). When they cannot be read, the chunks are written as objects, as before.
    private static bool IsShownOnly(PSCmdlet cmdlet)
    {
        try
        {
            object? runtime = cmdlet.CommandRuntime;
            object? pipe = runtime?.GetType().GetProperty("OutputPipe", Internal)?.GetValue(runtime);
            object? downstream = pipe?.GetType().GetProperty("DownstreamCmdlet", Internal)?.GetValue(pipe);
            object? command = downstream?.GetType().GetProperty("Command", Internal)?.GetValue(downstream);
            return command?.GetType().FullName is "Microsoft.PowerShell.Commands.OutDefaultCommand" or "Microsoft.PowerShell.Commands.OutHostCommand";
        }
        catch (Exception e) when (e is TargetInvocationException or AmbiguousMatchException or MemberAccessException)
        {
            return false;
        }
    }
}
