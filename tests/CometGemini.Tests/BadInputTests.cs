using System;
using System.IO;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Management.Automation;
using CometGemini.Tests.Harness;
using FakeGemini;
using Xunit.Abstractions;

namespace CometGemini.Tests;

/// <summary>
/// Bad values from the user stop before anything is sent (the fake server sees no request), with a message that says
/// what to change. {dir} in a script is a folder with: note.txt, blob.xyz (binary, unknown extension), sub/ (a folder).
/// </summary>
public sealed class BadInputTests
{
    private readonly ITestOutputHelper _output;

    public BadInputTests(ITestOutputHelper output) => _output = output;

    [Theory]
    // empty prompts
    [InlineData("Invoke-GeminiContent ''", "Pass the text to ask about")]
    [InlineData("Get-GeminiStream -Prompt '  '", "Pass the text to ask about")]
    [InlineData("'' | Invoke-GeminiContent", "Pass the text to ask about")]
    [InlineData("'   ' | Invoke-GeminiContent", "leave blank lines out")]
    [InlineData("Invoke-GeminiContent", "-Prompt")]
    // files
    [InlineData("Invoke-GeminiContent -LiteralPath '{dir}/missing.txt'", "Check the path")]
    [InlineData("Get-GeminiStream -LiteralPath '{dir}/missing.txt' -Prompt 'Summarize'", "Check the path")]
    [InlineData("Invoke-GeminiContent -LiteralPath '{dir}/sub'", "Get-ChildItem -File")]
    [InlineData("Invoke-GeminiContent -LiteralPath '{dir}/blob.xyz'", "-MimeType")]
    [InlineData("New-GeminiPart -LiteralPath '{dir}/blob.xyz'", "-MimeType")]
    [InlineData("New-GeminiPart -LiteralPath '{dir}/missing.png'", "Check the path")]
    [InlineData("Invoke-GeminiContent -LiteralPath '{dir}/note.txt' -MaxInlineSize 1", "-MaxInlineSize")]
    [InlineData("New-GeminiPart -Data ([byte[]](1,2,3)) -MimeType 'png'", "-MimeType")]
    // numbers out of range
    [InlineData("Invoke-GeminiContent 'Hi' -MaxOutputTokens -5", "greater than or equal to 1")]
    [InlineData("Invoke-GeminiContent 'Hi' -MaxOutputTokens 0", "greater than or equal to 1")]
    [InlineData("Invoke-GeminiContent 'Hi' -ThinkingBudget -2", "greater than or equal to -1")]
    [InlineData("Invoke-GeminiContent 'Hi' -Temperature 2.5", "less than or equal to 2")]
    [InlineData("Invoke-GeminiContent 'Hi' -Temperature -0.1", "greater than or equal to 0")]
    [InlineData("Invoke-GeminiContent 'Hi' -TopP 1.5", "less than or equal to 1")]
    [InlineData("Invoke-GeminiContent 'Hi' -TopK 0", "greater than or equal to 1")]
    [InlineData("Invoke-GeminiContent 'Hi' -CandidateCount 9", "less than or equal to 8")]
    [InlineData("Invoke-GeminiContent 'Hi' -MaxRetries -1", "greater than or equal to 0")]
    [InlineData("Invoke-GeminiContent 'Hi' -TimeoutSec -1", "greater than or equal to 0")]
    [InlineData("Invoke-GeminiContent 'Hi' -GoogleMaps -Latitude 91 -Longitude 0", "less than or equal to 90")]
    [InlineData("Invoke-GeminiContent 'Hi' -StopSequence a,b,c,d,e,f", "no more than 5")]
    // schemas
    [InlineData("Invoke-GeminiContent 'Hi' -ResponseSchema '{not json'", "JSON")]
    [InlineData("Invoke-GeminiContent 'Hi' -ResponseJsonSchema '{not json'", "JSON")]
    [InlineData("Invoke-GeminiContent 'Hi' -ResponseSchema '[1, 2]'", "Pass a schema object")]
    // models
    [InlineData("Invoke-GeminiContent 'Hi' -Model ''", "not null or empty")]
    [InlineData("Invoke-GeminiContent 'Hi' -Model 'gemini 2.5'", "-Model")]
    [InlineData("Invoke-GeminiContent 'Hi' -Model '../../v1/files'", "-Model")]
    [InlineData("Get-GeminiStream 'Hi' -Model 'gemini-2.5-flash?key=x'", "-Model")]
    [InlineData("Invoke-GeminiContent 'Hi' -Model 'models/'", "-Model")]
    // turns given by hand
    [InlineData("Invoke-GeminiContent -Contents @{ role = 'user'; parts = @($null) }", "a part is null")]
    [InlineData("Invoke-GeminiContent -Contents '{\"role\":\"user\",\"parts\":[null, {\"text\":\"hi\"}]}'", "a part is null")]
    [InlineData("Invoke-GeminiContent -Contents @{ role = 'user'; parts = 'Hi' }", "parts = @(@{ text = 'Hi' })")]
    [InlineData("Invoke-GeminiContent -Contents @{ role = 'user'; parts = @(@{ text = 5 }) }", "does not fit at $.parts[0].text")]
    [InlineData("Invoke-GeminiContent -Contents '[1, 2]'", "parts = @(@{ text = 'Hi' })")]
    // connection options
    [InlineData("Invoke-GeminiContent 'Hi' -BaseUri 'ftp://example.test'", "-BaseUri")]
    [InlineData("Invoke-GeminiContent 'Hi' -ApiKey ' '", "-ApiKey")]
    public void Bad_input_is_refused_before_sending_with_a_message_that_says_what_to_do(string script, string advice)
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        string dir = MakeFolder();

        ShellResult result = shell.Run(script.Replace("{dir}", dir));

        ErrorRecord? error = (result.Terminating as IContainsErrorRecord)?.ErrorRecord ?? result.Errors.FirstOrDefault();
        Assert.True(error is not null, $"no error for: {script}");
        string told = string.Join(" | ", error!.Exception.Message, error.ErrorDetails?.Message, error.ErrorDetails?.RecommendedAction);
        _output.WriteLine($"{script}\n  -> [{error.CategoryInfo.Category}] {told}");
        Assert.Contains(advice, told, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, server.RequestCount);
        Assert.DoesNotContain(result.Output, o => o.BaseObject is GenerateContentResponse or GeminiStreamChunk);
    }

    [Fact]
    public void A_file_that_cannot_be_read_is_an_error_for_that_file_only_with_what_to_do()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        string dir = MakeFolder();
        string locked = Path.Combine(dir, "locked.txt");
        File.WriteAllText(locked, "secret plans");
        shell.Set("files", new[] { locked, Path.Combine(dir, "note.txt") });

        // Held open without sharing (on Unix .NET enforces this with an advisory lock, so the module's read fails as on Windows).
        ShellResult result;
        using (new FileStream(locked, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            result = shell.Run("$files | ForEach-Object { [System.IO.FileInfo]::new($_) } | Invoke-GeminiContent -Prompt 'Summarize'");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("GeminiFileUnreadable,CometGemini.Commands.InvokeGeminiContentCommand", error.FullyQualifiedErrorId);
        Assert.Contains("locked.txt", error.TargetObject!.ToString());
        Assert.Contains("close", error.ErrorDetails!.RecommendedAction, StringComparison.OrdinalIgnoreCase);
        Assert.Single(result.Output); // the readable file still went
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public void A_blank_line_among_piped_prompts_is_an_error_for_that_line_only()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'first', '', '  ', 'second' | Invoke-GeminiContent | ForEach-Object { $_.Text }");

        Assert.Null(result.Terminating);
        Assert.Equal(new[] { "Echo: first", "Echo: second" }, result.Output.Select(o => o.ToString()));
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Contains("white space", e.ToString()));
        Assert.Equal(2, server.RequestCount);
    }

    /// <summary>
    /// Saved chats are files a user may edit (or an editor may re-encode with a BOM): a damaged one is refused on import
    /// with GeminiChatFileInvalid, or it imports into a chat that works; it never breaks a later command.
    /// </summary>
    [Fact]
    public void Damaged_chat_files_are_refused_or_usable_never_a_crash_later()
    {
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { RecordRequests = false });
        using var shell = new Shell(server);
        string dir = TempDir.Create();
        shell.Set("dir", dir);
        ShellResult saved = shell.Run(
            "$c = New-GeminiChat -SystemInstruction 'Be brief.' -Temperature 0.5; Invoke-GeminiContent 'one' -Chat $c | Out-Null;" +
            " Get-GeminiStream 'two' -Chat $c | Out-Null; Export-GeminiChat -Chat $c -Path ($dir + '/good.json')");
        saved.AssertNoErrors();
        byte[] good = File.ReadAllBytes(Path.Combine(dir, "good.json"));

        var damaged = new List<byte[]>
        {
            new byte[] { 0xEF, 0xBB, 0xBF }.Concat(good).ToArray(), // saved again by an editor that writes a BOM
            Encoding.UTF8.GetBytes("{\"format\":1,\"model\":null,\"settings\":null,\"history\":null}"),
            Encoding.UTF8.GetBytes("{\"format\":1,\"model\":\"gemini-2.5-flash\",\"history\":[null,{\"role\":\"user\",\"parts\":[null,{\"text\":\"hi\"}]},{\"role\":null,\"parts\":null}]}"),
            Encoding.UTF8.GetBytes("{\"format\":1,\"model\":\"gemini 2.5\"}"),
            Encoding.UTF8.GetBytes("{\"format\":1,\"settings\":{\"contents\":[null],\"tools\":[null],\"safetySettings\":[null],\"generationConfig\":null}}"),
        };
        var random = new Random(77);
        for (int i = 0; i < (int)Fuzz.Iterations(60); i++)
            damaged.Add(Fuzz.Mutate(good, random));

        for (int i = 0; i < damaged.Count; i++)
        {
            File.WriteAllBytes(Path.Combine(dir, "damaged.json"), damaged[i]);
            ShellResult result = shell.Run(
                "$d = Import-GeminiChat -Path ($dir + '/damaged.json');" +
                " if ($d) { $d.ToString(); $d.Turns; $d.LastAnswer; $d.History | ForEach-Object { $_.Text };" +
                " Invoke-GeminiContent 'next' -Chat $d -MaxRetries 0 | ForEach-Object { $_.Text }; Get-GeminiStream 'more' -Chat $d -MaxRetries 0 | Out-Null; $d.Trim(1); $d.Turns }");
            // Refused on import, refused as a request option (a clear, terminating usage error), or a server's answer.
            static bool Clear(ErrorRecord e) =>
                e.Exception is CometGemini.Client.GeminiException
                || new[] { "GeminiChatFileInvalid", "GeminiModelNameInvalid", "GeminiInvalidRequestOption" }.Any(id => e.FullyQualifiedErrorId.StartsWith(id, StringComparison.Ordinal));
            Assert.True(result.Terminating is null || (result.Terminating is IContainsErrorRecord t && Clear(t.ErrorRecord)), $"case {i}: {result.Terminating}");
            Assert.All(result.Errors, e => Assert.True(Clear(e), $"case {i}: {e.FullyQualifiedErrorId}: {e.Exception}"));
        }

        // The BOM one is the good chat, read as it was.
        File.WriteAllBytes(Path.Combine(dir, "bom.json"), damaged[0]);
        ShellResult bom = shell.Run("(Import-GeminiChat -Path ($dir + '/bom.json')).Turns");
        bom.AssertNoErrors();
        Assert.Equal(2, bom.Single<int>());
    }

    private static string MakeFolder()
    {
        string dir = TempDir.Create();
        File.WriteAllText(Path.Combine(dir, "note.txt"), "Buy milk.");
        File.WriteAllBytes(Path.Combine(dir, "blob.xyz"), new byte[] { 0, 1, 2, 3, 0, 255, 0 });
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        return dir;
    }
}
