using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using CometGemini.Tests.Harness;

namespace CometGemini.Tests;

/// <summary>
/// The scripts no machine here can run (build.ps1, the Pester tests, the README's code): they must at least parse,
/// and the fake-server process the demo and Pester start must keep the contract they rely on.
/// </summary>
public sealed class RepositoryScriptTests
{
    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string> { "build.ps1" };
        foreach (string file in Directory.GetFiles(Path.Combine(Paths.RepoRoot, "tests", "Pester"), "*.ps1").OrderBy(f => f, StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Paths.RepoRoot, file).Replace('\\', '/'));
        return data;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Repository_scripts_parse(string relative)
    {
        Parser.ParseFile(Path.Combine(Paths.RepoRoot, relative), out _, out ParseError[] errors);
        Assert.True(errors.Length == 0, relative + ": " + string.Join("; ", errors.Select(e => $"line {e.Extent.StartLineNumber}: {e.Message}")));
    }

    [Fact]
    public void The_README_PowerShell_blocks_parse()
    {
        string readme = File.ReadAllText(Path.Combine(Paths.RepoRoot, "README.md"));
        List<string> blocks = Regex.Matches(readme, "```powershell\\r?\\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        Assert.True(blocks.Count >= 6, "the README should show its examples in powershell blocks");
        foreach (string block in blocks)
        {
            Parser.ParseInput(block, out _, out ParseError[] errors);
            Assert.True(errors.Length == 0, block + "\n" + string.Join("; ", errors.Select(e => e.Message)));
        }
    }

    // What a user copies (the README's and the about topic's PowerShell blocks, the example scripts), and the Pester
    // tests nothing here runs.
    [Fact]
    public void The_README_about_topic_example_scripts_and_Pester_tests_call_module_commands_with_parameters_that_bind()
    {
        var code = new List<(string Where, string Code)>();
        foreach (string doc in new[] { "README.md", Path.Combine("docs", "en-US", "about_CometGemini.md") })
        {
            string text = File.ReadAllText(Path.Combine(Paths.RepoRoot, doc));
            code.AddRange(Regex.Matches(text, "```powershell\\r?\\n(.*?)```", RegexOptions.Singleline).Select(m => (doc, m.Groups[1].Value)));
        }

        foreach (string folder in new[] { Path.Combine("docs", "examples"), Path.Combine("tests", "Pester") })
        {
            foreach (string script in Directory.GetFiles(Path.Combine(Paths.RepoRoot, folder), "*.ps1"))
                code.Add((script, File.ReadAllText(script)));
        }

        Assert.True(code.Count > 8);

        using var shell = new Shell();
        string[] failures = code.SelectMany(c => HelpTests.UnboundCommands(shell, c.Code).Select(f => $"{c.Where}: {f}")).ToArray();
        Assert.True(failures.Length == 0, string.Join("\n", failures));
    }

    // A tool's description is its command's help synopsis; comment help with .SYNOPSIS and its text on one line
    // is not help at all, so the model would get the command with no description.
    [Fact]
    public void Functions_in_the_README_and_help_examples_have_comment_help_that_PowerShell_reads()
    {
        var files = new List<string> { Path.Combine(Paths.RepoRoot, "README.md") };
        files.AddRange(Directory.GetFiles(Path.Combine(Paths.RepoRoot, "docs", "en-US"), "*.md", SearchOption.AllDirectories)); // with the shared parameter sections
        var failures = new List<string>();
        foreach (string file in files)
        {
            foreach (Match block in Regex.Matches(File.ReadAllText(file), "```powershell\\r?\\n(.*?)```", RegexOptions.Singleline))
            {
                ScriptBlockAst ast = Parser.ParseInput(block.Groups[1].Value, out _, out _);
                foreach (FunctionDefinitionAst function in ast.FindAll(a => a is FunctionDefinitionAst, true).Cast<FunctionDefinitionAst>())
                {
                    if (function.Extent.Text.Contains(".SYNOPSIS", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(function.GetHelpContent()?.Synopsis))
                        failures.Add($"{Path.GetFileName(file)}: {function.Name}");
                }
            }
        }

        Assert.True(failures.Count == 0, "comment help PowerShell does not read (put .SYNOPSIS and its text on lines of their own): " + string.Join(", ", failures));
    }

    [Fact]
    public void The_README_first_commands_are_the_demo_and_the_CI_test_command()
    {
        string readme = File.ReadAllText(Path.Combine(Paths.RepoRoot, "README.md"));
        string ci = File.ReadAllText(Path.Combine(Paths.RepoRoot, ".ci", "run"));
        Assert.Contains("```bash\ndotnet run -c Release --project tools/Demo\n```", readme);
        // One test command for both suites: the README's is what CI runs, and build.ps1 -Task Test runs xunit then Pester.
        const string testCommand = "dotnet tool restore && dotnet pwsh -NoProfile ./build.ps1 -Task Test";
        Assert.Contains("```bash\n" + testCommand + "\n```", readme);
        Assert.Contains("\n" + testCommand + "\n", ci);
        string build = File.ReadAllText(Path.Combine(Paths.RepoRoot, "build.ps1"));
        Assert.Contains("& dotnet test -c $Configuration", build);
        Assert.Contains("Invoke-PesterSuite", build);
    }

    [Fact]
    public void The_fake_server_process_the_demo_starts_answers_the_module_and_exits_when_stdin_closes()
    {
        // What tests/Pester/FakeGemini.ps1 does: start the process, read one line, use the URI, close stdin.
        string dll = Path.Combine(AppContext.BaseDirectory, "FakeGemini.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { dll, "--port", "0", "--key", "demo-key" })
            info.ArgumentList.Add(argument);
        using Process process = Process.Start(info)!;
        try
        {
            string? line = process.StandardOutput.ReadLine();
            Match match = Regex.Match(line ?? string.Empty, @"listening on (\S+)"); // the pattern FakeGemini.ps1 uses
            Assert.True(match.Success, $"first line: '{line}'");

            using var shell = new Shell();
            shell.Set("uri", new Uri(match.Groups[1].Value));
            ShellResult result = shell.Run("""
                'Explain how AI works in a few words' | Invoke-GeminiContent -BaseUri $uri -ApiKey demo-key | ForEach-Object Text
                Get-GeminiStream 'Stream this answer, please' -BaseUri $uri -ApiKey demo-key | ForEach-Object Text
                """);

            result.AssertNoErrors();
            Assert.True(result.Output.Count >= 2);
            Assert.All(result.Output, o => Assert.False(string.IsNullOrEmpty(o.ToString())));

            process.StandardInput.Close();
            Assert.True(process.WaitForExit(5000), "the fake server kept running after stdin closed");
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void The_demo_shows_every_command_working()
    {
        var screen = new StringWriter();

        int failed = CometGemini.Demo.Program.Run(screen);

        string text = screen.ToString();
        Assert.True(failed == 0, text);
        Assert.All(CometGemini.Demo.Program.Commands, command => Assert.Contains("PS> " + command, text));
        Assert.Contains("Echo: Explain how AI works in a few words", text);
        Assert.Contains("Echo: Write a haiku about pipelines", text);
        Assert.Contains("Prompt Answer Thoughts", text);
        // Ordinal: under the current culture ESC is ignorable, so "\u001b[" would be found in any "[" (a JSON list answer).
        Assert.DoesNotContain("\u001b[", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ERROR", text);
    }
}
