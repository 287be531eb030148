using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.IO;
using System.Reflection;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>What PowerShell users expect of any command, checked for every exported one, so a new command inherits the checks.</summary>
public sealed class ConventionTests
{
    // Verbs whose commands change something outside the session (files, server resources): they must honour -WhatIf.
    private static readonly string[] ChangingVerbs = { "Remove", "Set", "Update", "Clear", "Reset", "Export", "Save", "Write", "Out", "Publish", "Add", "Submit", "Start", "Stop" };

    // New-* commands that only make an object in memory, and so need no -WhatIf; any other New-* creates something.
    private static readonly string[] InMemoryNew = { "New-GeminiChat", "New-GeminiPart", "New-GeminiTool" };

    // Add commands whose whole point is the object they write (the server's new resource): they always write it, so a
    // -PassThru would have nothing to add. Add-GeminiFile's file object is what a request needs next (issue 20).
    private static readonly string[] AlwaysWriteWhatTheyAdd = { "Add-GeminiFile" };

    public static IEnumerable<object[]> ExportedCommands() => HelpTests.ExportedCommands();

    [Theory]
    [MemberData(nameof(ExportedCommands))]
    public void The_verb_is_approved(string command)
    {
        var approved = typeof(VerbsCommon).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "System.Management.Automation" && t.Name.StartsWith("Verbs", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains("Measure", approved);

        Assert.Contains(command.Split('-')[0], approved);
    }

    [Theory]
    [MemberData(nameof(ExportedCommands))]
    public void Commands_that_change_the_system_support_WhatIf_and_Confirm(string command)
    {
        using var shell = new Shell();
        CmdletInfo info = Info(shell, command);
        bool changes = ChangingVerbs.Contains(info.Verb)
            || (info.Verb == "New" && !InMemoryNew.Contains(command))
            || info.Parameters.ContainsKey("OutFolder")
            || info.Parameters.ContainsKey("Tool") && info.Parameters.ContainsKey("NoToolExecution"); // runs commands for the model
        if (changes)
            Assert.True(info.Parameters.ContainsKey("WhatIf") && info.Parameters.ContainsKey("Confirm"), $"{command} changes the system but has no -WhatIf/-Confirm");
    }

    [Theory]
    [MemberData(nameof(ExportedCommands))]
    public void Paths_come_as_Path_with_wildcards_and_LiteralPath_without(string command)
    {
        using var shell = new Shell();
        CmdletInfo info = Info(shell, command);
        bool Has(string name) => info.Parameters.ContainsKey(name) || info.Parameters.Values.Any(p => p.Aliases.Contains(name));

        if (Has("Path"))
            Assert.True(Has("LiteralPath"), $"{command} takes -Path but not -LiteralPath");
        if (Has("LiteralPath"))
            Assert.True(Has("Path"), $"{command} takes -LiteralPath but not -Path");
        // A command that reads files takes Get-ChildItem output; one that writes a file (-Path aliased LiteralPath) need not.
        if (info.Parameters.TryGetValue("LiteralPath", out ParameterMetadata? literal))
        {
            Assert.Contains("PSPath", literal.Aliases);
            Assert.True(literal.ParameterSets.Values.Any(s => s.ValueFromPipelineByPropertyName), $"{command} -LiteralPath does not bind Get-ChildItem output");
            Assert.True(info.Parameters["Path"].Attributes.OfType<SupportsWildcardsAttribute>().Any(), $"{command} -Path does not take wildcards");
        }
    }

    [Theory]
    [MemberData(nameof(ExportedCommands))]
    public void A_prompt_is_the_first_positional_parameter_and_Model_completes(string command)
    {
        using var shell = new Shell();
        CmdletInfo info = Info(shell, command);

        if (info.Parameters.TryGetValue("Prompt", out ParameterMetadata? prompt))
            Assert.All(prompt.ParameterSets.Values, set => Assert.Equal(0, set.Position));
        if (info.Parameters.TryGetValue("Model", out ParameterMetadata? model))
            Assert.Contains(model.Attributes, a => a is ArgumentCompleterAttribute completer && completer.Type?.Name == "ModelNameCompleter");
    }

    [Theory]
    [MemberData(nameof(ExportedCommands))]
    public void Commands_that_save_or_configure_can_pass_the_result_through(string command)
    {
        using var shell = new Shell();
        CmdletInfo info = Info(shell, command);
        if (info.Verb is "Export" or "Set" or "Update" or "Connect" or "Add" && !AlwaysWriteWhatTheyAdd.Contains(command))
            Assert.True(info.Parameters.ContainsKey("PassThru"), $"{command} has no -PassThru");
    }

    [Theory]
    [MemberData(nameof(ExportedCommands))]
    public void Commands_that_work_on_something_take_it_from_the_pipeline(string command)
    {
        using var shell = new Shell();
        CmdletInfo info = Info(shell, command);
        // Connect/Disconnect and New-GeminiChat set up a session or a conversation; there is nothing to pipe into them.
        if (command is "Connect-Gemini" or "Disconnect-Gemini" or "New-GeminiChat")
            return;
        Assert.True(
            info.Parameters.Values.Any(p => p.ParameterSets.Values.Any(s => s.ValueFromPipeline || s.ValueFromPipelineByPropertyName)),
            $"{command} takes no pipeline input");
    }

    [Fact]
    public void Path_takes_wildcards_and_each_matching_file_is_its_own_request()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        string dir = TempDir.Create();
        File.WriteAllText(System.IO.Path.Combine(dir, "a.txt"), "alpha");
        File.WriteAllText(System.IO.Path.Combine(dir, "b.txt"), "beta");
        File.WriteAllText(System.IO.Path.Combine(dir, "c.md"), "gamma");
        Directory.CreateDirectory(System.IO.Path.Combine(dir, "folder.txt"));
        shell.Set("dir", dir);

        ShellResult result = shell.Run("""
            Invoke-GeminiContent -Path "$dir/*.txt", "$dir/none-*.log" 'Summarize'
            Measure-GeminiToken -Path "$dir/c.*"
            """);

        Assert.Null(result.Terminating);
        var answers = result.Output.Select(o => o.BaseObject).OfType<GenerateContentResponse>().ToList();
        Assert.Equal(new[] { "a.txt", "b.txt" }, answers.Select(a => System.IO.Path.GetFileName(a.SourcePath)));
        Assert.Equal("c.md", System.IO.Path.GetFileName(result.Output.Select(o => o.BaseObject).OfType<GeminiTokenCount>().Single().SourcePath));
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("GeminiPathNotFound", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public void Tool_declarations_kept_as_data_become_tools_by_property_name()
    {
        using var shell = new Shell();

        ShellResult result = shell.Run("""
            @(
                [pscustomobject]@{ name = 'get_time'; description = 'The current time.' }
                [pscustomobject]@{ name = 'get_weather'; description = 'Current weather for a city.'; parametersJsonSchema = '{"type":"object","properties":{"city":{"type":"string"}}}' }
            ) | New-GeminiTool
            """);

        result.AssertNoErrors();
        var tools = result.All<GeminiTool>();
        Assert.Equal(new[] { "get_time", "get_weather" }, tools.Select(t => t.Name));
        Assert.Contains("city", tools[1].Declaration.GetRawText());
    }

    private static CmdletInfo Info(Shell shell, string command) =>
        (CmdletInfo)Assert.Single(shell.Run($"Get-Command {command}").Output).BaseObject;
}
