using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>Tab after -Model, through the engine's own TabExpansion2, as a console would ask.</summary>
public sealed class CompletionTests
{
    [Fact]
    public void Model_names_come_from_the_endpoint_s_list_fetched_once()
    {
        string key = UniqueKey();
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { ApiKey = key });
        using var shell = new Shell(server, apiKey: key);

        List<CompletionResult> first = Complete(shell, $"Invoke-GeminiContent 'Hi' -BaseUri '{server.BaseUri}' -ApiKey {key} -Model gemini-3-p");
        List<CompletionResult> all = Complete(shell, $"Invoke-GeminiContent 'Hi' -BaseUri '{server.BaseUri}' -ApiKey {key} -Model ");

        // The fake serves one Gemini 3 Pro model; the built-in list knows another (gemini-3-pro-image).
        CompletionResult pro = Assert.Single(first);
        Assert.Equal("gemini-3-pro-preview", pro.CompletionText);
        Assert.Contains("Gemini 3 Pro Preview", pro.ToolTip);
        Assert.Contains("1,048,576", pro.ToolTip);
        // A generating command is offered the models that generate: not the embedding model.
        Assert.Equal(new[] { "gemini-2.5-flash", "gemini-3-pro-preview", "gemini-3-flash-preview", "gemini-3.8-flash" }, all.Select(c => c.CompletionText));
        RecordedRequest list = Assert.Single(server.Requests);
        Assert.Equal("GET", list.Method);
        Assert.StartsWith("/v1beta/models?", list.PathAndQuery);
        Assert.Equal(key, list.Headers["x-goog-api-key"]);
    }

    [Fact]
    public void Get_GeminiModel_completes_every_model_and_its_list_serves_later_Tabs()
    {
        string key = UniqueKey();
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { ApiKey = key });
        using var shell = new Shell(server, apiKey: key);
        shell.Run($"$null = Get-GeminiModel -BaseUri '{server.BaseUri}'").AssertNoErrors();
        server.ClearRequests();

        List<CompletionResult> names = Complete(shell, $"Get-GeminiModel -BaseUri '{server.BaseUri}' -ApiKey {key} -Name gemini-");
        List<CompletionResult> models = Complete(shell, $"Measure-GeminiToken -BaseUri '{server.BaseUri}' -ApiKey {key} -Model gemini-e");

        Assert.Equal(new[] { "gemini-2.5-flash", "gemini-3-pro-preview", "gemini-3-flash-preview", "gemini-3.8-flash", "gemini-embedding-001" }, names.Select(c => c.CompletionText));
        Assert.Empty(models);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void An_unreachable_endpoint_falls_back_to_the_built_in_list()
    {
        string key = UniqueKey();
        FakeGeminiServer gone = FakeGeminiServer.Start();
        string uri = gone.BaseUri.ToString();
        gone.Dispose();
        using var shell = new Shell();

        List<CompletionResult> result = Complete(shell, $"Get-GeminiStream 'Hi' -BaseUri '{uri}' -ApiKey {key} -Model gemini-3");

        Assert.Equal(BuiltInStartingWith("gemini-3"), result.Select(c => c.CompletionText));
    }

    [Fact]
    public void A_silent_endpoint_falls_back_to_the_built_in_list_and_is_asked_once()
    {
        string key = UniqueKey();
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { ApiKey = key });
        server.Enqueue("/v1beta/models?", FakeReply.NoHeaders());
        using var shell = new Shell(server, apiKey: key);
        string line = $"Invoke-GeminiContent 'Hi' -BaseUri '{server.BaseUri}' -ApiKey {key} -Model gemini-3";

        List<CompletionResult> first = Complete(shell, line);
        List<CompletionResult> second = Complete(shell, line);

        string[] builtIn = BuiltInStartingWith("gemini-3");
        Assert.Equal(builtIn, first.Select(c => c.CompletionText));
        Assert.Equal(builtIn, second.Select(c => c.CompletionText));
        Assert.Single(server.Requests); // the failure is kept for a while: Tab does not wait again at every press
    }

    [Fact]
    public void An_embedding_command_is_offered_the_models_that_embed()
    {
        string key = UniqueKey();
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { ApiKey = key });
        FakeGeminiServer gone = FakeGeminiServer.Start();
        string goneUri = gone.BaseUri.ToString();
        gone.Dispose();
        var completer = new CometGemini.Completion.ModelNameCompleter();

        // Called as the engine calls it; the command name decides which models fit.
        string[] Names(string uri) => completer
            .CompleteArgument("Get-GeminiEmbedding", "Model", "gem", null!, new System.Collections.Hashtable { ["BaseUri"] = uri, ["ApiKey"] = key })
            .Select(c => c.CompletionText)
            .ToArray();

        Assert.Equal(new[] { "gemini-embedding-001" }, Names(server.BaseUri.ToString()));
        Assert.Equal(new[] { "gemini-embedding-001", "gemini-embedding-2" }, Names(goneUri));
    }

    [Fact]
    public void Every_command_with_a_Model_parameter_completes_it()
    {
        string key = UniqueKey();
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { ApiKey = key });
        using var shell = new Shell(server, apiKey: key);
        string[] commands = shell.Run("Get-Command -Module CometGemini | Where-Object { $_.Parameters.ContainsKey('Model') } | ForEach-Object Name")
            .Output.Select(o => o.ToString()!).ToArray();

        Assert.Contains("Invoke-GeminiContent", commands);
        Assert.Contains("Connect-Gemini", commands);
        Assert.All(commands, command =>
        {
            string connection = shell.Run($"(Get-Command {command}).Parameters.ContainsKey('BaseUri')").Output[0].BaseObject is true
                ? $" -BaseUri '{server.BaseUri}' -ApiKey {key}"
                : string.Empty;
            // Which models fit depends on the command (embedding commands get embedding models); some must.
            List<CompletionResult> result = Complete(shell, $"{command}{connection} -Model gemini-");
            Assert.True(result.Count > 0 && result.All(c => c.CompletionText.StartsWith("gemini-")), $"{command} -Model does not complete");
        });
    }

    [Fact]
    public void File_names_come_from_the_endpoint_s_list_by_name_id_or_display_name()
    {
        string key = UniqueKey();
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { ApiKey = key });
        string talk = server.Files.Seed("talk", "video/mp4", new byte[10]);
        string slides = server.Files.Seed("slides", "application/pdf", new byte[10]);
        using var shell = new Shell(server, apiKey: key);
        string connection = $"-BaseUri '{server.BaseUri}' -ApiKey {key}";

        List<CompletionResult> all = Complete(shell, $"Get-GeminiFile {connection} -Name ");
        List<CompletionResult> byDisplayName = Complete(shell, $"Remove-GeminiFile {connection} -Name sli");
        List<CompletionResult> byId = Complete(shell, $"Get-GeminiFile {connection} -Name {talk.Substring("files/".Length)}");

        Assert.Equal(new[] { slides, talk }.Order(), all.Select(c => c.CompletionText).Order());
        Assert.Contains(all, c => c.ListItemText.Contains("talk") && c.ToolTip.Contains("video/mp4"));
        Assert.Equal(slides, Assert.Single(byDisplayName).CompletionText);
        Assert.Equal(talk, Assert.Single(byId).CompletionText);
        Assert.All(all, c => Assert.DoesNotContain(key, c.ToolTip + c.ListItemText + c.CompletionText));
        RecordedRequest list = Assert.Single(server.Requests); // the list serves the later Tabs for a while
        Assert.StartsWith("/v1beta/files", list.PathAndQuery);
    }

    [Fact]
    public void Cache_names_come_from_the_endpoint_s_list_by_name_id_or_display_name()
    {
        string key = UniqueKey();
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { ApiKey = key });
        FakeCache docs = server.Caches.Add("gemini-2.5-flash", 4096, displayName: "docs");
        FakeCache manual = server.Caches.Add("gemini-2.5-flash", 4096, displayName: "manual");
        using var shell = new Shell(server, apiKey: key);
        string connection = $"-BaseUri '{server.BaseUri}' -ApiKey {key}";

        List<CompletionResult> all = Complete(shell, $"Get-GeminiCache {connection} -Name ");
        List<CompletionResult> byDisplayName = Complete(shell, $"Set-GeminiCache {connection} -Ttl 01:00:00 -Name man");
        List<CompletionResult> byId = Complete(shell, $"Remove-GeminiCache {connection} -Name {docs.Name.Substring("cachedContents/".Length)}");

        Assert.Equal(new[] { docs.Name, manual.Name }, all.Select(c => c.CompletionText));
        Assert.Contains("docs", all[0].ListItemText);
        Assert.Contains("gemini-2.5-flash", all[0].ToolTip);
        Assert.Equal(manual.Name, Assert.Single(byDisplayName).CompletionText);
        Assert.Equal(docs.Name, Assert.Single(byId).CompletionText);
        Assert.All(all, c => Assert.DoesNotContain(key, c.ToolTip + c.ListItemText + c.CompletionText));
        RecordedRequest list = Assert.Single(server.Requests); // the list serves the later Tabs for a while
        Assert.StartsWith("/v1beta/cachedContents", list.PathAndQuery);
    }

    [Fact]
    public void Batch_job_names_come_from_the_endpoint_s_list_for_every_batch_job_command()
    {
        BatchJobTests.EnsureRecordFolder();
        string key = UniqueKey();
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { ApiKey = key });
        using var shell = new Shell(server, apiKey: key);
        shell.Run("$null = 'one' | Start-GeminiBatchJob -DisplayName nightly; $null = 'two' | Start-GeminiBatchJob -DisplayName weekly").AssertNoErrors();
        string[] jobs = server.Batches.Names.ToArray();
        server.ClearRequests();
        string connection = $"-BaseUri '{server.BaseUri}' -ApiKey {key}";

        foreach (string command in new[] { "Get-GeminiBatchJob", "Wait-GeminiBatchJob", "Receive-GeminiBatchJob", "Stop-GeminiBatchJob", "Remove-GeminiBatchJob" })
        {
            List<CompletionResult> all = Complete(shell, $"{command} {connection} -Name ");
            Assert.Equal(jobs.Reverse(), all.Select(c => c.CompletionText)); // newest first, as the server lists them
            CompletionResult nightly = Assert.Single(Complete(shell, $"{command} {connection} -Name night"));
            Assert.Equal(jobs[0], nightly.CompletionText);
            Assert.Contains("nightly", nightly.ToolTip);
        }

        RecordedRequest list = Assert.Single(server.Requests);
        Assert.StartsWith("/v1beta/batches?", list.PathAndQuery);
    }

    [Fact]
    public void An_unreachable_endpoint_completes_no_cache_and_the_batch_jobs_recorded_here_without_an_error()
    {
        BatchJobTests.EnsureRecordFolder();
        string key = UniqueKey();
        string recorded;
        using (var live = FakeGeminiServer.Start(new FakeGeminiOptions { ApiKey = key }))
        using (var shell = new Shell(live, apiKey: key))
        {
            shell.Run("$null = 'one' | Start-GeminiBatchJob").AssertNoErrors();
            recorded = Assert.Single(live.Batches.Names);
        }

        FakeGeminiServer gone = FakeGeminiServer.Start();
        string uri = gone.BaseUri.ToString();
        gone.Dispose();
        using var offline = new Shell();

        Assert.Empty(Complete(offline, $"Get-GeminiCache -BaseUri '{uri}' -ApiKey {key} -Name "));
        List<CompletionResult> jobs = Complete(offline, $"Receive-GeminiBatchJob -BaseUri '{uri}' -ApiKey {key} -Name ");
        Assert.Contains(recorded, jobs.Select(c => c.CompletionText));
        Assert.Contains("recorded here", jobs.First(c => c.CompletionText == recorded).ToolTip);
    }

    [Fact]
    public void A_silent_endpoint_completes_no_cache_and_is_asked_once()
    {
        string key = UniqueKey();
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { ApiKey = key });
        server.Caches.Add("gemini-2.5-flash", 4096, displayName: "docs");
        server.Enqueue("/v1beta/cachedContents", FakeReply.NoHeaders());
        using var shell = new Shell(server, apiKey: key);
        string line = $"Get-GeminiCache -BaseUri '{server.BaseUri}' -ApiKey {key} -Name ";

        Assert.Empty(Complete(shell, line));
        Assert.Empty(Complete(shell, line));
        Assert.Single(server.Requests); // the failure is kept for a while: Tab does not wait again at every press
    }

    [Fact]
    public void SafetySetting_values_complete_to_the_threshold_type_whose_values_are_sent_as_the_API_spells_them()
    {
        // The keys (categories) and the type's values (thresholds) are completed in Pester: the hosted engine's
        // hashtable-key and member completion fail for want of what a console loads.
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        List<CompletionResult> type = Complete(shell, "Invoke-GeminiContent 'Hi' -SafetySetting @{ DangerousContent = [HarmBlockT");

        Assert.Equal("CometGemini.HarmBlockThreshold", Assert.Single(type).CompletionText);
        Assert.Equal(
            new[] { "BlockLowAndAbove", "BlockMediumAndAbove", "BlockOnlyHigh", "BlockNone", "Off" },
            System.Enum.GetNames(typeof(HarmBlockThreshold)));

        // What Tab wrote is sent as the API spells it, as the same name in a string is.
        shell.Run("$null = Invoke-GeminiContent 'Hi' -SafetySetting @{ DangerousContent = [CometGemini.HarmBlockThreshold]::BlockOnlyHigh; Harassment = 'Off' }").AssertNoErrors();
        System.Text.Json.JsonElement settings = Assert.Single(server.Requests).Json!.RootElement.GetProperty("safetySettings");
        Assert.Equal(
            new[] { "HARM_CATEGORY_DANGEROUS_CONTENT=BLOCK_ONLY_HIGH", "HARM_CATEGORY_HARASSMENT=OFF" },
            settings.EnumerateArray().Select(e => e.GetProperty("category").GetString() + "=" + e.GetProperty("threshold").GetString()));
    }

    // The model list is kept per process for each endpoint and key; a key of its own keeps each test's list apart
    // (a port freed by another test's server may be handed out again).
    private static string UniqueKey() => "key-" + System.Guid.NewGuid().ToString("n");

    private static List<CompletionResult> Complete(Shell shell, string line)
    {
        shell.Set("line", line);
        ShellResult result = shell.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches");
        result.AssertNoErrors();
        return result.All<CompletionResult>();
    }

    // The built-in ids Tab offers without an endpoint list: current models only, in the module's order.
    private static string[] BuiltInStartingWith(string prefix) =>
        CurrentModels.Generating.Select(m => m.Id).Where(id => id.StartsWith(prefix, System.StringComparison.Ordinal)).ToArray();
}
