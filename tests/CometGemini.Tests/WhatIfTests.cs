using System;
using System.IO;
using System.Linq;
using CometGemini.Demo;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>Issue 19, point 6: -WhatIf sends nothing on every command that sends a request, and -Confirm asks before each.</summary>
[Collection("Environment")]
public sealed class WhatIfTests
{
    [Theory]
    [InlineData("'Summarize the errors' | Invoke-GeminiContent -WhatIf", "What if: Sending 1 request to gemini-3-flash-preview: Summarize the errors, 1 part, ~")]
    [InlineData("Get-GeminiStream 'Summarize the errors' -WhatIf", "What if: Sending 1 request to gemini-3-flash-preview: Summarize the errors, 1 part, ~")]
    [InlineData("Measure-GeminiToken 'Summarize the errors' -WhatIf", "What if: Counting the tokens of 1 request to gemini-3-flash-preview: Summarize the errors, 1 part, ~")]
    [InlineData("Get-GeminiEmbedding 'Summarize the errors' -WhatIf", "What if: Sending 1 request to gemini-embedding-001: Summarize the errors, 1 input to embed")]
    [InlineData("New-GeminiCache 'Summarize the errors' -WhatIf", "What if: Sending 1 request to gemini-3-flash-preview: create a context cache of")]
    [InlineData("Start-GeminiBatchJob 'Summarize the errors' -WhatIf", "What if: Adding 1 request to a batch job to gemini-3-flash-preview: Summarize the errors, 1 part, ~")]
    public void WhatIf_sends_nothing_and_says_what_it_would_send(string command, string expected)
    {
        using var server = FakeGeminiServer.Start();
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));

        ShellResult result = shell.Run(command);

        result.AssertNoErrors();
        Assert.Empty(result.Output);
        Assert.Empty(server.Requests);
        Assert.Contains(expected, screen.ToString());
    }

    [Fact]
    public void WhatIf_says_so_per_input_with_the_first_200_characters_of_each_prompt()
    {
        using var server = FakeGeminiServer.Start();
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));
        string dir = TempDir.Create();
        File.WriteAllText(Path.Combine(dir, "a.log"), "first log\n" + new string('x', 500));
        File.WriteAllText(Path.Combine(dir, "b.log"), "second log");
        shell.Set("dir", dir);

        ShellResult result = shell.Run("Invoke-GeminiContent -Path \"$dir/*.log\" -Prompt 'Summarize' -ThrottleLimit 4 -WhatIf");

        result.AssertNoErrors();
        Assert.Empty(server.Requests);
        string[] lines = screen.ToString().Split('\n').Where(l => l.StartsWith("What if: Sending", System.StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("What if: Sending 1 request to gemini-3-flash-preview: first log " + new string('x', 190) + "…, 2 parts, ~", lines[0]);
        Assert.StartsWith("What if: Sending 1 request to gemini-3-flash-preview: second log Summarize, 2 parts, ~", lines[1]);
    }

    [Fact]
    public void WhatIf_with_Debug_shows_the_body_it_would_send_and_never_the_key()
    {
        using var server = FakeGeminiServer.Start();
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));

        ShellResult result = shell.Run("Invoke-GeminiContent 'Hello there' -Temperature 0.2 -WhatIf -Debug");

        Assert.Empty(server.Requests);
        string body = Assert.Single(result.Debug, d => d.StartsWith("Request body: ", System.StringComparison.Ordinal));
        Assert.Contains("\"text\":\"Hello there\"", body);
        Assert.Contains("\"temperature\":0.2", body);
        Assert.DoesNotContain(Shell.TestKey, string.Join("\n", result.Log.Select(l => l.Text)) + screen);
    }

    [Fact]
    public void Confirm_asks_before_each_request_and_a_No_sends_nothing_for_that_input()
    {
        using var server = FakeGeminiServer.Start();
        var screen = new StringWriter();
        var host = new TextHost(screen);
        host.Answers.Enqueue("No");
        host.Answers.Enqueue("Yes");
        using var shell = new Shell(server, host: host);

        ShellResult result = shell.Run("'first', 'second' | Invoke-GeminiContent -Confirm");

        result.AssertNoErrors();
        Assert.Equal(2, host.Choices.Count);
        Assert.StartsWith("Sending 1 request to gemini-3-flash-preview: first, 1 part, ~", host.Choices[0].Message);
        Assert.Single(server.Requests);
        Assert.Contains("second", server.Requests[0].BodyText);
        Assert.Single(result.Output);
    }

    [Fact]
    public void Confirm_in_a_host_that_cannot_ask_sends_nothing()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server, host: new TextHost(new StringWriter())); // its prompts throw, as under pwsh -NonInteractive

        ShellResult result = shell.Run("Invoke-GeminiContent 'Stop it' -Confirm");

        result.AssertNoErrors();
        Assert.Contains(result.Warnings, w => w.StartsWith("Cannot ask whether to send it (no interactive host), so nothing was sent: Sending 1 request to", StringComparison.Ordinal));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Without_Confirm_nothing_asks_even_with_the_ConfirmPreference_at_Medium()
    {
        using var server = FakeGeminiServer.Start();
        var host = new TextHost(new StringWriter());
        using var shell = new Shell(server, host: host);

        ShellResult result = shell.Run("$ConfirmPreference = 'Medium'; 'a' | Invoke-GeminiContent; Measure-GeminiToken 'b'; Get-GeminiEmbedding 'c'");

        result.AssertNoErrors();
        Assert.Empty(host.Choices);
        Assert.Equal(3, server.Requests.Count);
    }
}
