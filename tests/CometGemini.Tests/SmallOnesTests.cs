using System.IO;
using System.Linq;
using System.Management.Automation;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>Issue 19, point 14: a piped $null, a file that is not a chat, -Batch with files, Windows-only examples.</summary>
public sealed class SmallOnesTests
{
    [Theory]
    [InlineData("$null | Invoke-GeminiContent")]
    [InlineData("$null | Invoke-GeminiContent -Prompt 'Summarize'")]
    [InlineData("$null | Get-GeminiStream")]
    [InlineData("$null | Measure-GeminiToken")]
    [InlineData("$null | Start-GeminiBatchJob")]
    public void A_piped_null_is_our_error_that_says_what_to_pipe_and_nothing_is_sent(string script)
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run(script);

        Assert.Null(result.Terminating);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.True(error.FullyQualifiedErrorId.StartsWith("GeminiNullInput"), error.ToString()); Assert.Equal("GeminiNullInput", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("input 1", error.TargetObject);
        Assert.Contains("The pipeline brought $null", error.Exception.Message);
        Assert.Contains("New-GeminiPart", error.Exception.Message);
        Assert.DoesNotContain("Cannot validate argument", result.Everything());
        Assert.Empty(result.Warnings);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void The_inputs_around_a_piped_null_are_sent()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult alone = shell.Run("@($null, 'a') | Invoke-GeminiContent");
        Assert.Equal("input 1", Assert.Single(alone.Errors).TargetObject);
        Assert.Equal("a", alone.Single<GenerateContentResponse>().Input);
        Assert.Single(server.Requests);

        server.ClearRequests();
        ShellResult summary = shell.Run("@('a', $null, 'b') | Invoke-GeminiContent -Prompt 'Summarize' -Summary");
        Assert.Equal("input 2", Assert.Single(summary.Errors).TargetObject);
        Assert.Equal(2, server.Requests.Count);
        var run = summary.All<object>().OfType<GeminiRunSummary>().Single();
        Assert.Equal(2, run.Succeeded);
        Assert.Equal(1, run.Failed);
        Assert.Contains(run.RefusedInputs, r => r.Contains("$null"));
    }

    [Theory]
    [InlineData("Invoke-GeminiContent -Prompt 'x' -Part $null")]
    [InlineData("Invoke-GeminiContent -Prompt $null")]
    [InlineData("Get-GeminiStream -Prompt $null")]
    public void Prompt_or_Part_null_as_an_argument_is_refused_with_our_error(string script)
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run(script);

        var terminating = Assert.IsAssignableFrom<IContainsErrorRecord>(result.Terminating);
        Assert.Equal("GeminiNullInput", terminating.ErrorRecord.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.InvalidArgument, terminating.ErrorRecord.CategoryInfo.Category);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Files_piped_with_Batch_warn_once_and_point_to_New_GeminiPart()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        string dir = TempDir.Create();
        File.WriteAllText(Path.Combine(dir, "a.log"), "ERROR one");
        File.WriteAllText(Path.Combine(dir, "b.log"), "ERROR two");
        shell.Set("dir", dir);

        ShellResult batch = shell.Run("([IO.DirectoryInfo]$dir).GetFiles('*.log') | Invoke-GeminiContent -Prompt 'Compare' -Batch");

        batch.AssertNoErrors();
        string warning = Assert.Single(batch.Warnings);
        Assert.Contains("-Batch joins objects into one request, not files", warning);
        Assert.Contains("New-GeminiPart | Invoke-GeminiContent -Prompt", warning);
        Assert.Equal(2, server.Requests.Count); // each file still sent, as before

        // What the warning points to: the files as parts, all in one request.
        server.ClearRequests();
        ShellResult parts = shell.Run("([IO.DirectoryInfo]$dir).GetFiles('*.log') | New-GeminiPart | Invoke-GeminiContent -Prompt 'Compare'");
        parts.AssertNoErrors();
        Assert.Empty(parts.Warnings);
        RecordedRequest one = Assert.Single(server.Requests);
        Assert.Equal(3, one.Json!.RootElement.GetProperty("contents")[0].GetProperty("parts").GetArrayLength());

        // Objects with -Batch: no warning.
        server.ClearRequests();
        ShellResult objects = shell.Run("[pscustomobject]@{ A = 1 }, [pscustomobject]@{ A = 2 } | Invoke-GeminiContent -Prompt 'Compare' -Batch");
        objects.AssertNoErrors();
        Assert.Empty(objects.Warnings);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("  \n", "is empty")]
    [InlineData("not json at all", "it is not JSON")]
    [InlineData("{ not json", "it is not JSON")]
    [InlineData("[1, 2]", "it is a JSON array")]
    [InlineData("null", "it is a JSON null")]
    [InlineData("{\"name\": \"my-app\", \"version\": \"1.0.0\"}", "has no \"format\"")]
    [InlineData("{\"model\": \"gemini-2.5-flash\", \"history\": []}", "has no \"format\"")]
    [InlineData("{\"format\": 1, \"model\": \"gemini-2.5-flash\", \"history\": 5}", "does not have a saved chat's shape")]
    public void Import_refuses_a_file_that_is_not_a_saved_chat_and_names_it(string text, string why)
    {
        string file = Path.Combine(TempDir.Create(), "settings.json");
        File.WriteAllText(file, text);
        using var shell = new Shell();
        shell.Set("file", file);

        ShellResult result = shell.Run("Import-GeminiChat -LiteralPath $file");

        Assert.Empty(result.Output);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("GeminiChatFileInvalid", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal(file, error.TargetObject);
        Assert.Contains($"'{file}'", error.ToString());
        Assert.Contains(why, error.ToString());
        Assert.Contains("Export-GeminiChat", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void Import_still_reads_what_Export_writes()
    {
        string file = Path.Combine(TempDir.Create(), "chat.json");
        using var shell = new Shell();
        shell.Set("file", file);

        ShellResult result = shell.Run("New-GeminiChat -Model gemini-2.5-pro -SystemInstruction 'Be brief.' | Export-GeminiChat -LiteralPath $file; (Import-GeminiChat -LiteralPath $file).Model");

        result.AssertNoErrors();
        Assert.Equal("gemini-2.5-pro", result.Single<string>());
    }
}
