using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>Current models, thinking checked by what a model takes, and the lifecycle radar (issue 15).</summary>
public sealed class ModelLifecycleTests
{
    [Theory]
    [InlineData("gemini-3-flash-preview", "gemini-3-flash-preview", true)]
    [InlineData("gemini-3-flash-preview", "models/gemini-3-flash-preview", true)]
    [InlineData("gemini-3-flash-preview", "gemini-3-flash-preview-12-2025", true)]
    [InlineData("gemini-3-flash", "gemini-3-flash-preview", true)]
    [InlineData("gemini-embedding-001", "gemini-embedding", true)]
    [InlineData("gemini-3.8-flash", null, true)]
    [InlineData("tunedModels/my-model-1", "gemini-3.8-flash", true)]
    [InlineData("gemini-2.5-flash", "gemini-3.5-flash-lite", false)]
    [InlineData("gemini-2.5-flash", "gemini-2.5-flash-lite", false)]
    [InlineData("gemini-flash-latest", "gemini-3.8-flash", false)]
    [InlineData("gemini-3.5-flash", "gemini-3.6-flash", false)]
    public void A_version_suffix_is_the_same_model_and_anything_else_another(string requested, string? answered, bool same)
    {
        Assert.Equal(same, CurrentModels.SameModel(requested, answered));
    }

    [Fact]
    public void The_default_is_a_current_model_and_no_shut_down_id_is_left_in_code_help_or_README()
    {
        string notes = File.ReadAllText(Path.Combine(Paths.RepoRoot, "docs", "model-lifecycle.md"));
        string shutDownTable = notes.Substring(notes.IndexOf("## Shut down", StringComparison.Ordinal));
        shutDownTable = shutDownTable.Substring(0, shutDownTable.IndexOf("\n## ", 3, StringComparison.Ordinal));
        string[] shutDown = Regex.Matches(shutDownTable, @"^\| `([a-z0-9.\-]+)`", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToArray();
        Assert.Contains("gemini-2.5-flash", shutDown);
        Assert.Contains("gemini-3-pro-preview", shutDown);

        Assert.Contains(CurrentModels.Generating, m => m.Id == CurrentModels.DefaultModel);
        Assert.Contains(CurrentModels.DefaultEmbeddingModel, CurrentModels.Embedding);
        Assert.DoesNotContain(CurrentModels.Generating, m => shutDown.Contains(m.Id));

        IEnumerable<string> files = Directory.GetFiles(Path.Combine(Paths.RepoRoot, "src", "CometGemini"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Concat(Directory.GetFiles(Path.Combine(Paths.RepoRoot, "docs", "en-US"), "*.md", SearchOption.AllDirectories)) // with the shared parameter sections in parameters/
            .Concat(Directory.GetFiles(Path.Combine(Paths.RepoRoot, "docs", "examples")))
            .Append(Path.Combine(Paths.RepoRoot, "README.md"));
        var found = new List<string>();
        foreach (string file in files)
        {
            string text = File.ReadAllText(file);
            foreach (string id in shutDown)
            {
                if (Regex.IsMatch(text, "(?<![a-z0-9.-])" + Regex.Escape(id) + "(?![a-z0-9-]|\\.[0-9])"))
                    found.Add($"{Path.GetFileName(file)}: {id}");
            }
        }

        Assert.Empty(found);
    }

    [Fact]
    public void A_thinking_option_an_unknown_model_does_not_take_comes_back_from_the_server_with_advice()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Hi' -Model gemini-2.5-flash -ThinkingLevel High");

        Assert.Single(server.Requests); // sent: the module does not judge a model by its name
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("GeminiHttp400", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("-ThinkingBudget", error.ErrorDetails.RecommendedAction);
        Assert.Contains("Get-GeminiModel", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void A_model_the_endpoint_lists_as_not_thinking_refuses_thinking_options_before_sending()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue("/v1beta/models?", FakeReply.Json(200, """
            {"models": [{"name": "models/gemini-3.1-flash-lite", "supportedGenerationMethods": ["generateContent"]}]}
            """));
        using var shell = new Shell(server);
        shell.Run("$null = Get-GeminiModel").AssertNoErrors();
        server.ClearRequests();

        ShellResult refused = shell.Run("Invoke-GeminiContent 'Hi' -Model gemini-3.1-flash-lite -ThinkingLevel Low");
        ShellResult allowed = shell.Run("Invoke-GeminiContent 'Hi' -Model gemini-3.1-flash-lite -ThinkingBudget 0");

        var error = ((IContainsErrorRecord)refused.Terminating!).ErrorRecord;
        Assert.Equal("GeminiThinkingOptionMismatch", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("does not think", error.Exception.Message);
        allowed.AssertNoErrors(); // a budget of 0 turns thinking off, which a model that does not think takes
        Assert.Single(server.Requests);
    }

    [Fact]
    public void A_routed_model_warns_once_per_session_and_the_answer_carries_RequestedModel_and_ModelVersion()
    {
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions
        {
            RoutedModels = new Dictionary<string, string> { ["gemini-2.5-flash"] = "gemini-3.5-flash-lite", ["gemini-3-flash-preview"] = "gemini-3-flash-preview-12-2025" },
        });
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            'one', 'two' | Invoke-GeminiContent -Model gemini-2.5-flash
            Get-GeminiStream 'three' -Model gemini-2.5-flash | Out-Null
            Invoke-GeminiContent 'four'
            """);
        ShellResult nextSession;
        using (var other = new Shell(server))
            nextSession = other.Run("Get-GeminiStream 'five' -Model gemini-2.5-flash | Out-Null");

        result.AssertNoErrors();
        string warning = Assert.Single(result.Warnings);
        Assert.Equal("gemini-2.5-flash was answered by gemini-3.5-flash-lite (the endpoint routes it; prices and behaviour differ). "
            + "Pass -Model with the model you want, or set $env:COMETGEMINI_MODEL.", warning);
        List<GenerateContentResponse> answers = result.All<GenerateContentResponse>();
        Assert.All(answers.Take(2), a => Assert.Equal(("gemini-2.5-flash", "gemini-3.5-flash-lite"), (a.RequestedModel, a.ModelVersion)));
        Assert.Equal(("gemini-3-flash-preview", "gemini-3-flash-preview-12-2025"), (answers[2].RequestedModel, answers[2].ModelVersion));
        Assert.Equal(warning, Assert.Single(nextSession.Warnings));
    }

    [Fact]
    public void A_model_the_endpoint_marks_deprecated_warns_once_and_Deprecated_lists_those_on_their_way_out()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult listed = shell.Run("Get-GeminiModel -Deprecated");
        ShellResult used = shell.Run("'a', 'b' | Invoke-GeminiContent -Model gemini-2.5-flash; Invoke-GeminiContent 'c' -Model gemini-2.5-flash; Invoke-GeminiContent 'd' -Model gemini-3.8-flash");

        listed.AssertNoErrors();
        List<GeminiModel> models = listed.All<GeminiModel>();
        Assert.Equal(new[] { "gemini-2.5-flash", "gemini-3-pro-preview" }, models.Select(m => m.Name));
        Assert.Equal("DEPRECATED", models[0].Stage);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), models[0].RetirementTime);
        Assert.Equal("PREVIEW", models[1].Stage); // a preview with a retirement time is on its way out too
        used.AssertNoErrors();
        string warning = Assert.Single(used.Warnings);
        Assert.StartsWith("The endpoint marks gemini-2.5-flash DEPRECATED (retires 2026-12-01): Gemini 2.5 Flash is shut down; requests are routed to gemini-3.5-flash-lite. ", warning);
        Assert.Contains("$env:COMETGEMINI_MODEL", warning);
    }

    [Fact]
    public void A_missing_model_suggests_current_models_from_the_endpoint_list_or_the_built_in_one()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult before = shell.Run("Invoke-GeminiContent 'Hi' -Model gemini-2.0-flash");
        shell.Run("$null = Get-GeminiModel").AssertNoErrors();
        ShellResult after = shell.Run("'Hi' | Invoke-GeminiContent -Model gemini-2.0-flash -ThrottleLimit 2");

        ErrorRecord builtIn = Assert.Single(before.Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, builtIn.CategoryInfo.Category);
        Assert.Contains("this module knows: " + CurrentModels.DefaultModel, builtIn.ErrorDetails.RecommendedAction);
        Assert.Contains("$env:COMETGEMINI_MODEL", builtIn.ErrorDetails.RecommendedAction);
        string fromList = Assert.Single(after.Errors).ErrorDetails.RecommendedAction;
        Assert.Contains("the endpoint lists: gemini-3-flash-preview, gemini-3.8-flash", fromList);
        Assert.DoesNotContain("gemini-2.5-flash", fromList); // deprecated: not suggested
    }
}

/// <summary>The default model and $env:COMETGEMINI_MODEL: the environment is process-wide, so these run alone.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class DefaultModelTests : IDisposable
{
    private readonly string? _saved = Environment.GetEnvironmentVariable(CurrentModels.ModelVariable);

    public DefaultModelTests() => Environment.SetEnvironmentVariable(CurrentModels.ModelVariable, null);

    public void Dispose()
    {
        using (var shell = new Shell())
            shell.Run("Disconnect-Gemini").AssertNoErrors();
        Environment.SetEnvironmentVariable(CurrentModels.ModelVariable, _saved);
    }

    [Fact]
    public void The_model_is_Model_then_Connect_Gemini_then_COMETGEMINI_MODEL_then_the_built_in_default()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        string Model(int request) => Regex.Match(server.Requests[request].Path, "models/([^:]+):").Groups[1].Value;

        shell.Run("Invoke-GeminiContent 'a'").AssertNoErrors();
        Environment.SetEnvironmentVariable(CurrentModels.ModelVariable, " gemini-3.8-flash ");
        shell.Run("Invoke-GeminiContent 'b'; New-GeminiChat | ForEach-Object Model; Measure-GeminiToken 'c' | Out-Null").AssertNoErrors();
        ShellResult chat = shell.Run("New-GeminiChat");
        shell.Run("Connect-Gemini -Model gemini-3.6-flash; Invoke-GeminiContent 'd'; Invoke-GeminiContent 'e' -Model gemini-3.5-flash-lite").AssertNoErrors();

        Assert.Equal(CurrentModels.DefaultModel, Model(0));
        Assert.Equal("gemini-3.8-flash", Model(1));
        Assert.Equal("gemini-3.8-flash", chat.Single<GeminiChat>().Model);
        Assert.Equal("gemini-3.8-flash", Model(2));
        Assert.Equal("gemini-3.6-flash", Model(3));
        Assert.Equal("gemini-3.5-flash-lite", Model(4));
    }
}

/// <summary>Test-GeminiModelReference over a folder of scripts, against the fake's model list.</summary>
public sealed class ModelReferenceTests
{
    [Fact]
    public void Deprecated_and_unlisted_ids_are_reported_with_file_and_line_and_other_names_are_not_ids()
    {
        string dir = TempDir.Create();
        File.WriteAllText(Path.Combine(dir, "nightly.ps1"), "# report\nGet-ChildItem ./logs | Invoke-GeminiContent -Model gemini-2.5-flash -Prompt 'x'\n$k = $env:GEMINI_API_KEY\n");
        File.WriteAllText(Path.Combine(dir, "settings.json"), "{\n  \"model\": \"models/gemini-2.0-flash\",\n  \"image\": \"gemini-20261124-103012-1.png\",\n  \"next\": \"gemini-3.8-flash\"\n}\n");
        File.WriteAllBytes(Path.Combine(dir, "binary.txt"), Encoding.ASCII.GetBytes("gemini-2.0-flash\0\0\0"));
        File.WriteAllText(Path.Combine(dir, "NightlyReport"), "<Task><Arguments>-Model gemini-2.5-flash</Arguments></Task>", Encoding.Unicode);
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        ShellResult result = shell.Run("Test-GeminiModelReference -Path $dir");
        ShellResult all = shell.Run("[System.IO.DirectoryInfo]$dir | Test-GeminiModelReference -Include * -All");

        result.AssertNoErrors();
        var found = result.All<GeminiModelReference>().Select(r => (Path.GetFileName(r.Path), r.LineNumber, r.Model, r.Status)).ToArray();
        Assert.Equal(new[] { ("nightly.ps1", 2, "gemini-2.5-flash", "Deprecated"), ("settings.json", 2, "gemini-2.0-flash", "NotListed") }, found);
        GeminiModelReference first = result.All<GeminiModelReference>()[0];
        Assert.StartsWith("Get-ChildItem ./logs", first.Line);
        Assert.Contains("DEPRECATED", first.Detail);
        all.AssertNoErrors();
        var every = all.All<GeminiModelReference>().Select(r => (Path.GetFileName(r.Path), r.Model, r.Status)).ToArray();
        Assert.Equal(new[]
        {
            ("NightlyReport", "gemini-2.5-flash", "Deprecated"),
            ("nightly.ps1", "gemini-2.5-flash", "Deprecated"),
            ("settings.json", "gemini-2.0-flash", "NotListed"),
            ("settings.json", "gemini-3.8-flash", "Current"),
        }, every);
        Assert.Equal(2, server.Requests.Count(r => r.Path == "/v1beta/models")); // once per call, however many files
    }

    [Fact]
    public void Without_a_model_list_ids_are_checked_against_the_built_in_one_and_a_FIFO_is_not_read()
    {
        string dir = TempDir.Create();
        File.WriteAllText(Path.Combine(dir, "job.ps1"), "Invoke-GeminiContent -Model gemini-2.0-flash\nInvoke-GeminiContent -Model " + CurrentModels.DefaultModel + "\n");
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            Process.Start("mkfifo", Path.Combine(dir, "pipe.txt"))!.WaitForExit();
        using var server = FakeGeminiServer.Start();
        server.Enqueue("/v1beta/models?", FakeReply.Json(404, """{"error":{"code":404,"message":"Invalid URL (GET /v1beta/models)","type":"invalid_request_error"}}"""));
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        ShellResult result = shell.Run("Test-GeminiModelReference -LiteralPath $dir -All");

        result.AssertNoErrors();
        Assert.Contains("serves no model list", Assert.Single(result.Warnings));
        var found = result.All<GeminiModelReference>().Select(r => (r.Model, r.Status)).ToArray();
        Assert.Equal(new[] { ("gemini-2.0-flash", "Unknown"), (CurrentModels.DefaultModel, "Current") }, found);
    }

    [Fact]
    public void A_path_that_matches_nothing_is_an_error_and_the_rest_is_scanned()
    {
        string dir = TempDir.Create();
        File.WriteAllText(Path.Combine(dir, "a.ps1"), "gemini-2.0-flash");
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        ShellResult result = shell.Run("Test-GeminiModelReference -Path \"$dir/missing*.ps1\", \"$dir/a.ps1\"");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("GeminiPathNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("gemini-2.0-flash", result.Single<GeminiModelReference>().Model);
    }
}
