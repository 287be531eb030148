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
    // Verbs whose commands only read: these run without asking. Everything else is confirmed first (Confirmation).
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
                this.WriteVerboseLine($"The model called {FunctionCall.Visible(call.Name ?? string.Empty)}, which has no command to run here; the response's FunctionCalls hold the calls.");
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
        GeminiTool? tool = KnownTools.FirstOrDefault(t => t.Name == name);
        if (tool is not null)
        {
            runner = (object?)tool.Command ?? tool.ScriptBlock;
            return runner is not null;
        }

        bool declared = DeclaredFunctions(request).Any(d => Generation.RequestBuilder.DeclaredName(d) == name);
        return !declared && KnownTools.Any(t => t.CanRun);
    }

    private static IEnumerable<JsonElement> DeclaredFunctions(GenerateContentRequest request) =>
        request.Tools?.SelectMany(t => t.FunctionDeclarations ?? new List<JsonElement>()) ?? Enumerable.Empty<JsonElement>();

    private ToolCall Run(GenerateContentRequest request, FunctionCall call, object? runner)
    {
        bool readOnly = KnownTools.FirstOrDefault(t => t.Name == call.Name)?.IsReadOnly == true || ReadOnlyVerbs.Contains((call.Name ?? string.Empty).Split('-')[0]);
        string name = call.Name ?? string.Empty;
        string shown = ToolArguments.Describe(call);
        this.WriteVerboseLine("Tool call: " + shown);
        if (runner is null)
            return Answer(call, ToolOutput.Error($"There is no function named '{name}'. Call only the declared functions."), false);

        // Only what the model was offered binds: never a common parameter (-OutVariable global:x would set the caller's
        // variable), nor a parameter the declaration left out.
        JsonElement? declaration = DeclaredFunctions(request).Where(d => Generation.RequestBuilder.DeclaredName(d) == name).Select(d => (JsonElement?)d).LastOrDefault()
            ?? KnownTools.FirstOrDefault(t => t.Name == name)?.Declaration;
        if (ToolArguments.Undeclared(call.Args, declaration) is string refused)
        {
            this.WriteVerboseLine($"Tool call {shown} not run: {refused}");
            return Answer(call, ToolOutput.Error(refused), false);
        }

        Hashtable arguments = ToolArguments.ToHashtable(call.Args);

        // A missing mandatory argument would make PowerShell prompt the user in the middle of the request.
        if (ToolArguments.Missing(runner, arguments) is string missing)
            return Answer(call, ToolOutput.Error(missing), false);

        if (!readOnly && !Force.IsPresent && Confirmation(shown) is string notRun)
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

    /// <summary>
    /// Whether a command that may change things runs: null to run it, else what the model is told. One question, default
    /// No, asked whatever -Confirm and $ConfirmPreference say (only -Force skips it); -WhatIf says what would run and runs
    /// nothing; a host that cannot ask (pwsh -NonInteractive, a job) runs nothing.
    /// </summary>
    private string? Confirmation(string shown)
    {
        if (WhatIfRequested())
        {
            ShouldProcess(shown, "Run the command the model asked for"); // under -WhatIf this only writes "What if: ..."
            return "The user did not run this command (-WhatIf: nothing was run).";
        }

        var choices = new Collection<System.Management.Automation.Host.ChoiceDescription>
        {
            new("&Yes", "Run this command."),
            new("&No", "Do not run it; Gemini is told that you declined."),
        };
        int choice;
        try
        {
            if (Host?.UI is not { } ui)
                throw new PSInvalidOperationException("The host has no user interface.");
            choice = ui.PromptForChoice("Gemini asks to run a command that may change the system", shown, choices, defaultChoice: 1);
        }
        catch (Exception e) when (e is PSInvalidOperationException or NotImplementedException or System.Management.Automation.Host.HostException or NotSupportedException or InvalidOperationException)
        {
            WriteWarning($"Cannot ask whether to run {shown} (no interactive host); not run. Pass -Force to run such commands without asking.");
            return "The user declined to run this command (it needs a confirmation, and no one could be asked).";
        }

        return choice == 0 ? null : "The user declined to run this command.";
    }

    // -WhatIf on this call, or $WhatIfPreference in the caller's scope when the switch is not given.
    private bool WhatIfRequested()
    {
        if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? given))
            return given is SwitchParameter { IsPresent: true } || given is true;
        return LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
    }

    private static ToolCall Answer(FunctionCall call, JsonElement response, bool succeeded) => new(call, response, succeeded);

    // The tools of this call and those a chat was made with (script blocks and -ReadOnly live only there, not in its JSON).
    private IEnumerable<GeminiTool> KnownTools => Tools.Concat(Chat?.Tools ?? Enumerable.Empty<GeminiTool>());
}
