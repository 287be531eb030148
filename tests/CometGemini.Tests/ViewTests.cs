using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Xml.Linq;
using CometGemini.Demo;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>What a user sees in the console: default views through Out-Default on a fixed-width host.</summary>
public sealed class ViewTests
{
    [Fact]
    public void A_response_shows_its_answer_and_Format_List_shows_the_rest()
    {
        using var server = FakeGeminiServer.Start();
        var screen = new StringWriter();
        var host = new TextHost(screen);
        using var shell = new Shell(server, host: host);

        shell.Run("Invoke-GeminiContent 'Explain how AI works' | Out-Default").AssertNoErrors();
        Assert.Equal("Echo: Explain how AI works", screen.ToString().Trim());

        // Format-List is a Utility cmdlet, absent here; the properties it would list are there.
        ShellResult names = shell.Run("(Invoke-GeminiContent 'Hi').PSObject.Properties.Name");
        string[] expected = { "Text", "Candidates", "PromptFeedback", "UsageMetadata", "ModelVersion", "ResponseId", "CreateTime", "Thoughts", "FinishReason", "Input", "SourcePath" };
        Assert.All(expected, n => Assert.Contains(n, names.Output.Select(o => o.ToString())));
    }

    [Fact]
    public void Stream_chunks_print_their_text_and_usage_is_a_table()
    {
        using var server = FakeGeminiServer.Start();
        var screen = new StringWriter();
        var host = new TextHost(screen);
        using var shell = new Shell(server, host: host);

        shell.Run("Get-GeminiStream 'one two three' | Out-Default").AssertNoErrors();
        string streamed = screen.ToString();
        Assert.All(new[] { "Echo:", "one", "two", "three" }, word => Assert.Contains(word, streamed));
        Assert.DoesNotContain("Index", streamed);
        Assert.DoesNotContain("IsThought", streamed);

        shell.Run("(Invoke-GeminiContent 'count me').UsageMetadata | Out-Default").AssertNoErrors();
        string table = screen.ToString().Substring(streamed.Length);
        Assert.Contains("Prompt", table);
        Assert.Contains("Total", table);
    }

    [Fact]
    public void A_bare_stream_flows_onto_the_screen_while_the_pipeline_still_gets_chunks()
    {
        using var server = FakeGeminiServer.Start();
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));

        // Out-Default is what a prompt adds after a bare command: the answer flows as one text, not a line per chunk.
        shell.Run("Get-GeminiStream 'one two three four five six' | Out-Default").AssertNoErrors();
        Assert.Equal("Echo: one two three four five six", screen.ToString().TrimEnd());

        screen.GetStringBuilder().Clear();
        shell.Run("Get-GeminiStream 'one two three' -IncludeThoughts | Out-Host").AssertNoErrors();
        string[] lines = Lines(screen);
        Assert.Equal(2, lines.Length); // the thought summary, then the answer on a line of its own
        Assert.Equal("Echo: one two three", lines[1]);

        // Anywhere else the chunks are objects, one line each when shown.
        screen.GetStringBuilder().Clear();
        ShellResult kept = shell.Run("$chunks = Get-GeminiStream 'one two three four five six'; $chunks.Count; $chunks[0].GetType().Name");
        kept.AssertNoErrors();
        Assert.Equal(3, Assert.IsType<int>(kept.Output[0].BaseObject));
        Assert.Equal("GeminiStreamChunk", kept.Output[1].BaseObject);
        Assert.Equal(string.Empty, screen.ToString());
        shell.Run("$chunks | Out-Default").AssertNoErrors();
        Assert.Equal(3, Lines(screen).Length);

        ShellResult piped = shell.Run("Get-GeminiStream 'one two three' | ForEach-Object Text");
        Assert.Equal(3, piped.Output.Count);
        ShellResult captured = shell.Run("Get-GeminiStream 'one two three' -OutVariable seen | Out-Null; $seen.Count");
        Assert.Equal(3, Assert.IsType<int>(captured.Output.Single().BaseObject));
    }

    [Fact]
    public void A_flowing_stream_ends_its_line_before_a_warning_or_an_error()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Sse(new[]
        {
            """{"candidates":[{"content":{"role":"model","parts":[{"text":"Half an "}]}}]}""",
            """{"candidates":[{"content":{"role":"model","parts":[{"text":"answer"}]},"finishReason":"MAX_TOKENS"}]}""",
        }));
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));

        shell.Run("Get-GeminiStream 'Tell me a long story' | Out-Default");

        string[] lines = Lines(screen);
        Assert.Equal("Half an answer", lines[0]);
        Assert.Contains(lines.Skip(1), l => l.Contains("MAX_TOKENS", StringComparison.OrdinalIgnoreCase) || l.Contains("token", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_chat_and_its_history_are_tables()
    {
        using var server = FakeGeminiServer.Start();
        var screen = new StringWriter();
        var host = new TextHost(screen);
        using var shell = new Shell(server, host: host);

        shell.Run("""
            $chat = New-GeminiChat -Model gemini-2.5-pro
            $null = Invoke-GeminiContent -Chat $chat 'Hello there'
            $chat | Out-Default
            $chat.History | Out-Default
            """).AssertNoErrors();

        string[] lines = screen.ToString().Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
        Assert.Contains(lines, l => l.StartsWith("Model") && l.Contains("Turns") && l.Contains("LastAnswer"));
        Assert.Contains(lines, l => l.StartsWith("gemini-2.5-pro") && l.Contains(" 1 ") && l.EndsWith("Echo: Hello there"));
        Assert.Contains(lines, l => l.StartsWith("user") && l.EndsWith("Hello there"));
        Assert.Contains(lines, l => l.StartsWith("model") && l.EndsWith("Echo: Hello there"));
    }

    [Fact]
    public void Models_are_a_table_and_token_counts_show_total_details_and_input()
    {
        using var server = FakeGeminiServer.Start();
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));

        shell.Run("Get-GeminiModel | Out-Default").AssertNoErrors();
        string[] lines = Lines(screen);
        Assert.Contains(lines, l => l.StartsWith("Name") && l.Contains("DisplayName") && l.Contains("InputTokens") && l.Contains("OutputTokens") && l.Contains("Thinking"));
        Assert.Contains(lines, l => l.StartsWith("gemini-2.5-flash ") && l.Contains("Gemini 2.5 Flash") && l.Contains("1,048,576") && l.Contains("65,536") && l.Contains("True")
            && l.Contains("DEPRECATED") && l.Contains("2026-12-01"));
        Assert.Contains(lines, l => l.StartsWith("gemini-3.8-flash ") && l.Contains("STABLE"));
        Assert.Contains(lines, l => l.StartsWith("gemini-embedding-001 ") && l.Contains("False") && l.Contains("embedContent"));

        screen.GetStringBuilder().Clear();
        shell.Run("Measure-GeminiToken 'one two three' | Out-Default").AssertNoErrors();
        lines = Lines(screen);
        Assert.Contains(lines, l => l.Contains("TotalTokens") && l.Contains("Details") && l.Contains("Input"));
        Assert.Contains(lines, l => l.Contains(" 3 ") && l.Contains("TEXT: 3") && l.EndsWith("one two three"));
    }

    [Fact]
    public void Tools_and_the_calls_run_for_the_model_are_tables()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, """{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"add","args":{"a":2,"b":3}}}]},"finishReason":"STOP"}]}"""));
        server.Enqueue(FakeReply.Json(200, """{"candidates":[{"content":{"role":"model","parts":[{"text":"5"}]},"finishReason":"STOP"}]}"""));
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));

        shell.Run("""
            $add = New-GeminiTool add 'Adds two numbers.' -ReadOnly -Parameters @{ a = 'int'; b = 'int' } -ScriptBlock { param($a, $b) $a + $b }
            $add | Out-Default
            (Invoke-GeminiContent 'What is 2 + 3?' -Tool $add).ToolCalls | Out-Default
            """).AssertNoErrors();

        string[] lines = Lines(screen);
        Assert.Contains(lines, l => l.StartsWith("Name") && l.Contains("CanRun") && l.Contains("Description"));
        Assert.Contains(lines, l => l.StartsWith("add ") && l.Contains("True") && l.EndsWith("Adds two numbers."));
        Assert.Contains(lines, l => l.StartsWith("Succeeded") && l.Contains("Call") && l.Contains("Response"));
        Assert.Contains(lines, l => l.StartsWith("True") && l.Contains("add(a=2, b=3)") && l.Contains("5"));
    }

    [Fact]
    public void Every_cmdlet_declares_its_output_and_every_output_type_has_a_view()
    {
        using var shell = new Shell();
        string[] viewed = XDocument.Load(Path.Combine(Paths.ModuleDir, "CometGemini.format.ps1xml"))
            .Descendants("TypeName").Select(t => t.Value.Trim()).ToArray();

        ShellResult result = shell.Run("Get-Command -Module CometGemini");
        result.AssertNoErrors();
        foreach (CmdletInfo command in result.Output.Select(o => (CmdletInfo)o.BaseObject))
        {
            Assert.True(command.OutputType.Count > 0, $"{command.Name} declares no [OutputType]");
            foreach (PSTypeName type in command.OutputType)
            {
                bool dotnet = type.Name.StartsWith("System.", StringComparison.Ordinal);
                Assert.True(dotnet || viewed.Contains(type.Name), $"{command.Name} writes {type.Name}, which has no view in CometGemini.format.ps1xml");
            }
        }
    }

    [Fact]
    public void Output_objects_carry_their_full_type_names()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            (Get-GeminiModel gemini-2.5-flash).PSObject.TypeNames[0]
            (Measure-GeminiToken 'Hi').PSObject.TypeNames[0]
            (Invoke-GeminiContent 'Hi').PSObject.TypeNames[0]
            (New-GeminiChat).PSObject.TypeNames[0]
            """);

        result.AssertNoErrors();
        Assert.Equal(new[] { "CometGemini.GeminiModel", "CometGemini.GeminiTokenCount", "CometGemini.GenerateContentResponse", "CometGemini.GeminiChat" }, result.Output.Select(o => o.ToString()));
    }

    // A view that names a property its type lacks shows an empty column in a real console and no error anywhere.
    [Fact]
    public void Every_view_names_properties_its_type_has_and_its_script_blocks_parse()
    {
        XDocument format = XDocument.Load(Path.Combine(Paths.ModuleDir, "CometGemini.format.ps1xml"));
        foreach (XElement view in format.Descendants("View"))
        {
            string typeName = view.Element("ViewSelectedBy")!.Element("TypeName")!.Value.Trim();
            Type? type = typeof(GenerateContentResponse).Assembly.GetType(typeName);
            Assert.True(type is not null, $"view {typeName}: no such type in CometGemini.dll");
            foreach (string property in view.Descendants("PropertyName").Select(p => p.Value.Trim()))
            {
                Assert.True(
                    type!.GetProperty(property, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase) is not null,
                    $"view {typeName} shows {property}, which {type.Name} does not have");
            }

            foreach (string script in view.Descendants("ScriptBlock").Select(s => s.Value))
            {
                System.Management.Automation.Language.Parser.ParseInput(script, out _, out var errors);
                Assert.True(errors.Length == 0, $"view {typeName}: a script block does not parse: {string.Join("; ", errors.Select(e => e.Message))}");
            }

            foreach (string width in view.Descendants("Width").Select(w => w.Value.Trim()))
                Assert.InRange(int.Parse(width, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        }
    }

    // What a view shows for an object whose properties are all empty (a new part, an answer with no candidates):
    // its script blocks must not throw, or the console shows nothing for it.
    [Fact]
    public void Views_render_objects_whose_properties_are_empty()
    {
        var screen = new StringWriter();
        using var shell = new Shell(host: new TextHost(screen));
        XDocument format = XDocument.Load(Path.Combine(Paths.ModuleDir, "CometGemini.format.ps1xml"));
        string[] constructible = format.Descendants("TypeName").Select(t => t.Value.Trim())
            .Where(n => typeof(GenerateContentResponse).Assembly.GetType(n)!.GetConstructor(Type.EmptyTypes) is not null)
            .ToArray();
        Assert.Contains("CometGemini.GenerateContentResponse", constructible);

        var failures = new System.Collections.Generic.List<string>();
        foreach (string typeName in constructible)
        {
            // Out-Default leaves a failing script block's error in $Error, and shows nothing for that item.
            ShellResult result = shell.Run($"$Error.Clear(); [{typeName}]::new() | Out-Default; $Error | ForEach-Object {{ \"$_\" }}");
            result.AssertNoErrors();
            failures.AddRange(result.Output.Select(o => $"{typeName}: {o}"));
        }

        Assert.Empty(failures);
    }

    private static string[] Lines(StringWriter screen) =>
        screen.ToString().Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
}

/// <summary>Connect-Gemini changes the process-wide session, so its view is checked alone.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class ConnectionViewTests
{
    [Fact]
    public void A_connection_shows_endpoint_model_and_key_source_but_never_the_key()
    {
        using var server = FakeGeminiServer.Start();
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));
        try
        {
            shell.Run("Connect-Gemini -ApiKey 'secret-session-key' -BaseUri $uri -Model gemini-2.5-pro -PassThru | Out-Default").AssertNoErrors();
        }
        finally
        {
            shell.Run("Disconnect-Gemini").AssertNoErrors();
        }

        string text = screen.ToString();
        Assert.Contains("BaseUri", text);
        Assert.Contains(server.BaseUri.ToString().TrimEnd('/'), text);
        Assert.Contains("gemini-2.5-pro", text);
        Assert.Contains("KeySource", text);
        Assert.Contains("-ApiKey", text);
        Assert.DoesNotContain("secret-session-key", text);
    }
    [Fact]
    public void A_function_call_only_answer_shows_the_call_as_one_line_of_escaped_JSON()
    {
        using var server = FakeGeminiServer.Start();
        // Arguments with an escape sequence and a line break: shown as text, never acted on by the console.
        server.Enqueue(FakeReply.Json(200, """
            {"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"Get-Thing","args":{"id":42,"note":"a\u001b[2Kb\nc"}}}]},"finishReason":"STOP"}]}
            """));
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));

        shell.Run("Invoke-GeminiContent 'call it' | Out-Default").AssertNoErrors();

        Assert.Equal("""[function call: Get-Thing {"id":42,"note":"a\u001b[2Kb\nc"}]""", screen.ToString().Trim());
    }

    [Fact]
    public void Token_counts_in_views_have_thousands_separators()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, """
            {"candidates":[{"content":{"role":"model","parts":[{"text":"ok"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":1234567,"candidatesTokenCount":2000,"totalTokenCount":1236567}}
            """));
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));

        ShellResult result = shell.Run("""
            $r = Invoke-GeminiContent 'big'
            $r.UsageMetadata | Out-Default
            "$($r.PromptTokens) $($r.OutputTokens) $($r.TotalTokens)"
            """);

        result.AssertNoErrors();
        Assert.Equal("1234567 2000 1236567", Assert.Single(result.Output).ToString());
        string shown = screen.ToString();
        Assert.Contains(1234567.ToString("N0", System.Globalization.CultureInfo.CurrentCulture), shown);
        Assert.Contains(1236567.ToString("N0", System.Globalization.CultureInfo.CurrentCulture), shown);
    }
}
