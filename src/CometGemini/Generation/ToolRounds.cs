using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using CometGemini.Commands;

namespace CometGemini.Generation;

/// <summary>
/// The model's function calls between rounds of one request: found among the tools the user gave, checked against
/// what was declared, confirmed when they may change things, and run in the caller's session on the pipeline thread.
/// A call is the model's request, not the user's: nothing runs that the user did not offer as a command.
/// </summary>
internal sealed class ToolRounds
{
    // Verbs whose commands only read: these run without asking. Everything else is confirmed first (Confirmation).
    private static readonly HashSet<string> ReadOnlyVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "Get", "Find", "Test", "Measure", "Search", "Resolve", "Select", "Compare", "Show", "Read", "Format", "ConvertTo", "ConvertFrom",
    };

    private readonly PSCmdlet _cmdlet;
    private readonly IReadOnlyList<GeminiTool> _knownTools;
    private readonly int _maxToolCalls;
    private readonly bool _noExecution;
    private readonly bool _force;

    /// <param name="cmdlet">The command the calls run for: its session, host, -WhatIf and streams.</param>
    /// <param name="knownTools">The tools of this call and those a chat was made with (script blocks and -ReadOnly live only there, not in its JSON).</param>
    public ToolRounds(PSCmdlet cmdlet, IReadOnlyList<GeminiTool> knownTools, int maxToolCalls, bool noExecution, bool force)
    {
        _cmdlet = cmdlet;
        _knownTools = knownTools;
        _maxToolCalls = maxToolCalls;
        _noExecution = noExecution;
        _force = force;
    }

    /// <summary>
    /// After an answer: runs the function calls it asks for and adds the model turn (exact parts, thought signatures
    /// included) and the function responses to the request. False when the answer is final: no calls, -NoToolExecution,
    /// a call the module cannot run (the caller handles it), or -_maxToolCalls reached.
    /// </summary>
    public bool Continue(GenerateContentRequest request, Content? answer, List<ToolCall> made)
    {
        List<FunctionCall> calls = answer?.Parts?.Where(p => p.FunctionCall is not null).Select(p => p.FunctionCall!).ToList() ?? new List<FunctionCall>();
        if (calls.Count == 0 || _noExecution)
            return false;

        var runners = new List<(FunctionCall Call, object? Runner)>();
        foreach (FunctionCall call in calls)
        {
            if (!TryFindRunner(request, call.Name ?? string.Empty, out object? runner))
            {
                _cmdlet.WriteVerboseLine($"The model called {FunctionCall.Visible(call.Name ?? string.Empty)}, which has no command to run here; the response's FunctionCalls hold the calls.");
                return false;
            }

            runners.Add((call, runner));
        }

        if (made.Count + calls.Count > _maxToolCalls)
        {
            _cmdlet.WriteWarning($"Stopped after {made.Count} tool call(s) (-MaxToolCalls {_maxToolCalls}); the response's FunctionCalls hold the calls the model asked for next.");
            return false;
        }

        var responses = new List<Part>();
        foreach ((FunctionCall call, object? runner) in runners)
        {
            ToolCall done = Run(request, call, runner);
            made.Add(done);
            responses.Add(new Part { FunctionResponse = new FunctionResponse { Id = call.Id, Name = call.Name, Response = done.Response } });
        }

        request.Contents.Add(new Content { Role = "model", Parts = answer!.Parts });
        request.Contents.Add(new Content { Role = "user", Parts = responses });
        return true;
    }

    // The command or script block for a call: only what -Tool of this call, or New-GeminiChat -Tool in this session, gave
    // as commands or script blocks. A declaration (New-GeminiTool without -ScriptBlock, a hashtable, or a chat read
    // back by Import-GeminiChat) never runs, even when a command of that name exists: false leaves the call to the caller.
    // A name the request never declared, among others it did, gets an error answer (runner null) so the model can correct itself.
    private bool TryFindRunner(GenerateContentRequest request, string name, out object? runner)
    {
        runner = null;
        GeminiTool? tool = _knownTools.FirstOrDefault(t => t.Name == name);
        if (tool is not null)
        {
            runner = (object?)tool.Command ?? tool.ScriptBlock;
            return runner is not null;
        }

        bool declared = DeclaredFunctions(request).Any(d => RequestBuilder.DeclaredName(d) == name);
        return !declared && _knownTools.Any(t => t.CanRun);
    }

    private static IEnumerable<JsonElement> DeclaredFunctions(GenerateContentRequest request) =>
        request.Tools?.SelectMany(t => t.FunctionDeclarations ?? new List<JsonElement>()) ?? Enumerable.Empty<JsonElement>();

    private ToolCall Run(GenerateContentRequest request, FunctionCall call, object? runner)
    {
        bool readOnly = _knownTools.FirstOrDefault(t => t.Name == call.Name)?.IsReadOnly == true || ReadOnlyVerbs.Contains((call.Name ?? string.Empty).Split('-')[0]);
        string name = call.Name ?? string.Empty;
        string shown = ToolArguments.Describe(call);
        _cmdlet.WriteVerboseLine("Tool call: " + shown);
        if (runner is null)
            return Answer(call, ToolOutput.Error($"There is no function named '{name}'. Call only the declared functions."), false);

        // Only what the model was offered binds: never a common parameter (-OutVariable global:x would set the caller's
        // variable), nor a parameter the declaration left out.
        JsonElement? declaration = DeclaredFunctions(request).Where(d => RequestBuilder.DeclaredName(d) == name).Select(d => (JsonElement?)d).LastOrDefault()
            ?? _knownTools.FirstOrDefault(t => t.Name == name)?.Declaration;
        if (ToolArguments.Undeclared(call.Args, declaration) is string refused)
        {
            _cmdlet.WriteVerboseLine($"Tool call {shown} not run: {refused}");
            return Answer(call, ToolOutput.Error(refused), false);
        }

        Hashtable arguments = ToolArguments.ToHashtable(call.Args);

        // A missing mandatory argument would make PowerShell prompt the user in the middle of the request.
        if (ToolArguments.Missing(runner, arguments) is string missing)
            return Answer(call, ToolOutput.Error(missing), false);

        if (!readOnly && !_force && Confirmation(shown) is string notRun)
            return Answer(call, ToolOutput.Error(notRun), false);

        using PowerShell shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        shell.AddScript("param($command, $arguments) & $command @arguments", useLocalScope: true).AddArgument(runner).AddArgument(arguments);
        Collection<PSObject> output;
        try
        {
            output = shell.Invoke();
        }
        catch (RuntimeException e)
        {
            _cmdlet.WriteVerboseLine($"Tool call {name} failed: {e.Message}");
            return Answer(call, ToolOutput.Error(e.Message), false);
        }

        string[] errors = shell.Streams.Error.Select(r => r.ToString()).ToArray();
        foreach (string error in errors)
            _cmdlet.WriteVerboseLine($"Tool call {name} wrote an error: {error}");
        JsonElement response;
        try
        {
            response = ToolOutput.Result(output, errors);
        }
        catch (Exception e) when (e is RuntimeException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            return Answer(call, ToolOutput.Error($"The command ran, but its output could not be read: {e.Message}"), false);
        }

        _cmdlet.WriteVerboseLine($"Tool call {name} returned {output.Count} object(s).");
        return Answer(call, response, errors.Length == 0 || output.Count > 0);
    }

    /// <summary>
    /// Whether a command that may change things runs: null to run it, else what the model is told. One question, default
    /// No, asked whatever -Confirm and $ConfirmPreference say (only -Force skips it); a host that cannot ask (pwsh
    /// -NonInteractive, a job) runs nothing. Under -WhatIf no request is sent (GenerationCommand.ShouldSend), so no call comes.
    /// </summary>
    private string? Confirmation(string shown)
    {
        var choices = new Collection<System.Management.Automation.Host.ChoiceDescription>
        {
            new("&Yes", "Run this command."),
            new("&No", "Do not run it; Gemini is told that you declined."),
        };
        int choice;
        try
        {
            if (_cmdlet.Host?.UI is not { } ui)
                throw new PSInvalidOperationException("The host has no user interface.");
            choice = ui.PromptForChoice("Gemini asks to run a command that may change the system", shown, choices, defaultChoice: 1);
        }
        catch (Exception e) when (e is PSInvalidOperationException or NotImplementedException or System.Management.Automation.Host.HostException or NotSupportedException or InvalidOperationException)
        {
            _cmdlet.WriteWarning($"Cannot ask whether to run {shown} (no interactive host); not run. Pass -Force to run such commands without asking.");
            return "The user declined to run this command (it needs a confirmation, and no one could be asked).";
        }

        return choice == 0 ? null : "The user declined to run this command.";
    }

    private static ToolCall Answer(FunctionCall call, JsonElement response, bool succeeded) => new(call, response, succeeded);
}
