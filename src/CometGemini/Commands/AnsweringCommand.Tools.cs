using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;

namespace CometGemini.Commands;

// Running the model's function calls: in the caller's session, on the pipeline thread, between calls to the model.
public abstract partial class AnsweringCommand
{
    // Verbs whose commands only read: these run without asking. Everything else goes through ShouldProcess and a confirmation.
    private static readonly HashSet<string> ReadOnlyVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "Get", "Find", "Test", "Measure", "Search", "Resolve", "Select", "Compare", "Show", "Read", "Format", "ConvertTo", "ConvertFrom",
    };

    [Parameter]
    [ValidateRange(0, 1000)]
    public int MaxToolCalls { get; set; } = 10;

    [Parameter]
    public SwitchParameter NoToolExecution { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// After an answer: runs the function calls it asks for and adds the model turn (exact parts, thought signatures
    /// included) and the function responses to the request. False when the answer is final: no calls, -NoToolExecution,
    /// a call the module cannot run (the caller handles it), or -MaxToolCalls reached.
    /// </summary>
    private protected bool ContinueWithTools(GenerateContentRequest request, Content? answer, List<ToolCall> made)
    {
        List<FunctionCall> calls = answer?.Parts?.Where(p => p.FunctionCall is not null).Select(p => p.FunctionCall!).ToList() ?? new List<FunctionCall>();
        if (calls.Count == 0 || NoToolExecution.IsPresent)
            return false;

        var runners = new List<(FunctionCall Call, object? Runner)>();
        foreach (FunctionCall call in calls)
        {
            if (!TryFindRunner(request, call.Name ?? string.Empty, out object? runner))
            {
                this.WriteVerboseLine($"The model called {call.Name}, which has no command to run here; the response's FunctionCalls hold the calls.");
                return false;
            }

            runners.Add((call, runner));
        }

        if (made.Count + calls.Count > MaxToolCalls)
        {
            WriteWarning($"Stopped after {made.Count} tool call(s) (-MaxToolCalls {MaxToolCalls}); the response's FunctionCalls hold the calls the model asked for next.");
            return false;
        }

        var responses = new List<Part>();
        foreach ((FunctionCall call, object? runner) in runners)
        {
            ToolCall done = Run(call, runner);
            made.Add(done);
            responses.Add(new Part { FunctionResponse = new FunctionResponse { Id = call.Id, Name = call.Name, Response = done.Response } });
        }

        request.Contents.Add(new Content { Role = "model", Parts = answer!.Parts });
        request.Contents.Add(new Content { Role = "user", Parts = responses });
        return true;
    }

    // The command or script block for a call: from -Tool, else (a chat's declarations) the command of that name.
    // False leaves the call to the caller: a declaration without an implementation, or no declarations at all.
    // A name the request never declared, among others it did, gets an error answer (runner null) so the model can correct itself.
    private bool TryFindRunner(GenerateContentRequest request, string name, out object? runner)
    {
        runner = null;
        GeminiTool? tool = KnownTools.FirstOrDefault(t => t.Name == name);
        if (tool is not null)
        {
            runner = (object?)tool.Command ?? tool.ScriptBlock;
            return runner is not null;
        }

        List<string> declared = request.Tools?.SelectMany(t => t.FunctionDeclarations ?? new List<JsonElement>()).Select(RequestOptionsCommand.DeclaredName).ToList() ?? new List<string>();
        if (!declared.Contains(name))
            return declared.Count > 0 && KnownTools.Any();
        runner = InvokeCommand.GetCommand(name, CommandTypes.Function | CommandTypes.Cmdlet | CommandTypes.Alias | CommandTypes.ExternalScript);
        return runner is not null;
    }

    private ToolCall Run(FunctionCall call, object? runner)
    {
        bool readOnly = KnownTools.FirstOrDefault(t => t.Name == call.Name)?.IsReadOnly == true || ReadOnlyVerbs.Contains((call.Name ?? string.Empty).Split('-')[0]);
        string name = call.Name ?? string.Empty;
        Hashtable arguments = ToolArguments.ToHashtable(call.Args);
        string shown = ToolArguments.Describe(name, arguments);
        this.WriteVerboseLine("Tool call: " + shown);
        if (runner is null)
            return Answer(call, ToolOutput.Error($"There is no function named '{name}'. Call only the declared functions."), false);

        // A missing mandatory argument would make PowerShell prompt the user in the middle of the request.
        if (ToolArguments.Missing(runner, arguments) is string missing)
            return Answer(call, ToolOutput.Error(missing), false);

        if (!readOnly && !Force.IsPresent)
        {
            if (!ShouldProcess(shown, "Run the command the model asked for"))
                return Answer(call, ToolOutput.Error("The user did not run this command (-WhatIf or declined)."), false);
            bool confirmed;
            try
            {
                confirmed = ShouldContinue($"Gemini asks to run: {shown}", "Run a command that may change the system?");
            }
            catch (Exception e) when (e is PSInvalidOperationException or NotImplementedException or System.Management.Automation.Host.HostException or NotSupportedException)
            {
                WriteWarning($"Cannot ask whether to run {shown} (no interactive host); not run. Pass -Force to run such commands without asking.");
                confirmed = false;
            }

            if (!confirmed)
                return Answer(call, ToolOutput.Error("The user declined to run this command."), false);
        }

        using PowerShell shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        shell.AddScript("param($command, $arguments) & $command @arguments", useLocalScope: true).AddArgument(runner).AddArgument(arguments);
        Collection<PSObject> output;
        try
        {
            output = shell.Invoke();
        }
        catch (RuntimeException e)
        {
            this.WriteVerboseLine($"Tool call {name} failed: {e.Message}");
            return Answer(call, ToolOutput.Error(e.Message), false);
        }

        string[] errors = shell.Streams.Error.Select(r => r.ToString()).ToArray();
        foreach (string error in errors)
            this.WriteVerboseLine($"Tool call {name} wrote an error: {error}");
        JsonElement response;
        try
        {
            response = ToolOutput.Result(output, errors);
        }
        catch (Exception e) when (e is RuntimeException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            return Answer(call, ToolOutput.Error($"The command ran, but its output could not be read: {e.Message}"), false);
        }

        this.WriteVerboseLine($"Tool call {name} returned {output.Count} object(s).");
        return Answer(call, response, errors.Length == 0 || output.Count > 0);
    }

    private static ToolCall Answer(FunctionCall call, JsonElement response, bool succeeded) => new(call, response, succeeded);

    // The tools of this call and those a chat was made with (script blocks and -ReadOnly live only there, not in its JSON).
    private IEnumerable<GeminiTool> KnownTools => Tools.Concat(Chat?.Tools ?? Enumerable.Empty<GeminiTool>());
}
