using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>
/// The in-process side of what the Pester suite checks in a real console (tests/Pester/Host.Tests.ps1):
/// the one gate for verbose and debug lines, -SafetySetting binding, and text cells for CSV export.
/// </summary>
public sealed class HostBehaviourTests
{
    [Fact]
    public void Verbose_and_debug_lines_are_written_only_through_the_preference_gate()
    {
        // -Debug makes a console inquire on every direct WriteVerbose of a compiled cmdlet (PreferenceGate says why).
        string source = Path.Combine(Paths.RepoRoot, "src", "CometGemini");
        var direct = Directory.GetFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Where(f => Path.GetFileName(f) != "PreferenceGate.cs")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line)))
            .Where(l => Regex.IsMatch(l.Text, @"(?<![\w.])(\w+\.)?Write(Verbose|Debug)\("))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.Empty(direct);
    }

    [Fact]
    public void SafetySetting_takes_a_hashtable_an_ordered_one_and_a_variable_with_any_key()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        shell.Run("""
            Invoke-GeminiContent 'a' -SafetySetting @{ HateSpeech = 'BlockNone' }
            Invoke-GeminiContent 'b' -SafetySetting ([ordered]@{ Harassment = 'Off'; HARM_CATEGORY_NEW_ONE = 'BLOCK_NONE' })
            $settings = @{ dangerous_content = 'block_only_high' }
            Invoke-GeminiContent 'c' -SafetySetting $settings
            """).AssertNoErrors();

        string[] Sent(int request) => server.Requests[request].Json!.RootElement.GetProperty("safetySettings").EnumerateArray()
            .Select(s => s.GetProperty("category").GetString() + "=" + s.GetProperty("threshold").GetString()).ToArray();
        Assert.Equal(new[] { "HARM_CATEGORY_HATE_SPEECH=BLOCK_NONE" }, Sent(0));
        Assert.Equal(new[] { "HARM_CATEGORY_HARASSMENT=OFF", "HARM_CATEGORY_NEW_ONE=BLOCK_NONE" }, Sent(1));
        Assert.Equal(new[] { "HARM_CATEGORY_DANGEROUS_CONTENT=BLOCK_ONLY_HIGH" }, Sent(2));
    }

    [Fact]
    public void SafetySetting_that_is_not_a_hashtable_is_refused_by_the_binder()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'a' -SafetySetting 'BlockNone'");

        var binding = Assert.IsType<System.Management.Automation.ParameterBindingException>(result.Terminating);
        Assert.StartsWith("CannotConvertArgumentNoMessage", binding.ErrorRecord.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("'SafetySetting'", binding.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Collections_of_a_response_read_as_their_items_text_where_PowerShell_makes_a_string()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $r = Invoke-GeminiContent 'Hi'
            $r.Candidates.ToString(); $r.FunctionCalls.ToString(); $r.Images.ToString(); $r.Images.Length; $r.Candidates.Count
            """);

        result.AssertNoErrors();
        Assert.Equal(new object[] { "Echo: Hi", string.Empty, string.Empty, 0, 1 }, result.Output.Select(o => o.BaseObject).ToArray());
    }
}
