using System.IO;
using System.Linq;
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
}
