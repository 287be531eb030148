using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Tasks;
using CometGemini.Generation;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>-AnswerCache: unchanged inputs are answered from files instead of being sent (issue 21 point 1).</summary>
public sealed class AnswerCacheTests
{
    public AnswerCacheTests() => BatchJobTests.EnsureRecordFolder();

    private static int Generations(FakeGeminiServer server) =>
        server.Requests.Count(r => r.Path.EndsWith(":generateContent", StringComparison.Ordinal) || r.Path.EndsWith(":streamGenerateContent", StringComparison.Ordinal));

    private static string[] Entries(string cache) => Directory.GetFiles(cache, "*.json");

    private static string Answer(string text, string finishReason = "STOP") =>
        $"{{\"candidates\":[{{\"content\":{{\"role\":\"model\",\"parts\":[{{\"text\":\"{text}\"}}]}},\"finishReason\":\"{finishReason}\"}}],\"createTime\":\"2026-11-30T08:00:00Z\"}}";

    private static (FakeGeminiServer Server, Shell Shell, string Cache) Start(string? key = null)
    {
        FakeGeminiServer server = FakeGeminiServer.Start();
        if (key is not null)
            server.ExpectedApiKey = key;
        var shell = new Shell(server, apiKey: key ?? Shell.TestKey);
        string cache = Path.Combine(TempDir.Create(), "cache");
        shell.Set("cache", cache);
        return (server, shell, cache);
    }

    [Fact]
    public void A_second_run_sends_only_changed_inputs_and_writes_cached_answers_marked_FromCache_with_the_original_CreateTime()
    {
        (FakeGeminiServer server, Shell shell, string cache) = Start();
        using var _ = server;
        using var __ = shell;
        server.Enqueue(FakeReply.Json(200, Answer("first a")));

        ShellResult first = shell.Run("'a', 'b' | Invoke-GeminiContent -AnswerCache $cache -Verbose");
        first.AssertNoErrors();
        Assert.Equal(2, Generations(server));
        Assert.All(first.All<GenerateContentResponse>(), r => Assert.False(r.FromCache));
        Assert.Equal(2, Entries(cache).Length);
        Assert.Equal(2, first.Verbose.Count(v => v.Contains("Answer cache miss (")));

        server.ClearRequests();
        ShellResult second = shell.Run("'a', 'c', 'b' | Invoke-GeminiContent -AnswerCache $cache -Verbose -Summary");

        second.AssertNoErrors();
        List<object> output = second.Output.Select(o => o.BaseObject).ToList();
        var answers = output.OfType<GenerateContentResponse>().ToList();
        Assert.Equal(new[] { "first a", "Echo: c", "Echo: b" }, answers.Select(a => a.Text));
        Assert.Equal(new[] { true, false, true }, answers.Select(a => a.FromCache));
        Assert.Equal(new object[] { "a", "c", "b" }, answers.Select(a => a.Input));
        Assert.Equal(DateTimeOffset.Parse("2026-11-30T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture), answers[0].CreateTime);
        Assert.Equal(first.All<GenerateContentResponse>()[1].CreateTime, answers[2].CreateTime); // the echo has none: the time it came, kept
        Assert.Equal(1, Generations(server));
        Assert.Contains(second.Verbose, v => v.StartsWith("'a': Answer cache hit (", StringComparison.Ordinal) && v.EndsWith("not sent.", StringComparison.Ordinal));
        Assert.Contains(second.Verbose, v => v.StartsWith("'c': Answer cache miss (", StringComparison.Ordinal));
        GeminiRunSummary summary = output.OfType<GeminiRunSummary>().Single();
        Assert.Equal(2, summary.CacheHits);
        Assert.Equal(1, summary.Requests);
        Assert.Equal(3, summary.Succeeded);
        Assert.Equal(3, summary.Inputs);
        Assert.Contains("2 from the answer cache", summary.ToString());
    }

    [Fact]
    public void An_option_or_model_change_is_a_miss()
    {
        (FakeGeminiServer server, Shell shell, string _) = Start();
        using var s1 = server;
        using var s2 = shell;
        shell.Run("'a' | Invoke-GeminiContent -AnswerCache $cache").AssertNoErrors();

        shell.Run("'a' | Invoke-GeminiContent -AnswerCache $cache -Temperature 0.3").AssertNoErrors();
        shell.Run("'a' | Invoke-GeminiContent -AnswerCache $cache -SystemInstruction 'Be brief.'").AssertNoErrors();
        shell.Run("'a' | Invoke-GeminiContent -AnswerCache $cache -Model gemini-2.5-flash").AssertNoErrors();
        shell.Run("'a' | Invoke-GeminiContent -AnswerCache $cache -Temperature 0.3").AssertNoErrors();

        Assert.Equal(4, Generations(server));
    }

    [Fact]
    public void A_file_whose_bytes_changed_is_a_miss_and_an_unchanged_one_a_hit()
    {
        (FakeGeminiServer server, Shell shell, string _) = Start();
        using var s1 = server;
        using var s2 = shell;
        string logs = TempDir.Create();
        File.WriteAllText(Path.Combine(logs, "app-1.log"), "ERROR disk full");
        File.WriteAllText(Path.Combine(logs, "app-2.log"), "ERROR timeout");
        shell.Set("logs", logs);
        const string run = "[IO.FileInfo[]]@(\"$logs/app-1.log\", \"$logs/app-2.log\") | Invoke-GeminiContent -Prompt 'Summarize the errors' -AnswerCache $cache";
        shell.Run(run).AssertNoErrors();
        File.AppendAllText(Path.Combine(logs, "app-2.log"), "\nERROR again");
        server.ClearRequests();

        ShellResult second = shell.Run(run);

        second.AssertNoErrors();
        var answers = second.All<GenerateContentResponse>();
        Assert.Equal(new[] { true, false }, answers.Select(a => a.FromCache));
        Assert.EndsWith("app-1.log", answers[0].SourcePath);
        Assert.Equal(1, Generations(server));
    }

    [Fact]
    public void A_key_change_is_a_hit_and_the_key_is_never_in_the_cache_files()
    {
        const string first = "sentinel-key-AAAA-1111";
        const string second = "sentinel-key-BBBB-2222";
        (FakeGeminiServer server, Shell shell, string cache) = Start(first);
        using var s1 = server;
        using var s2 = shell;
        shell.Run("'a' | Invoke-GeminiContent -AnswerCache $cache").AssertNoErrors();
        server.ExpectedApiKey = second;
        using var other = new Shell(server, apiKey: second);
        other.Set("cache", cache);

        ShellResult result = other.Run("'a' | Invoke-GeminiContent -AnswerCache $cache");

        result.AssertNoErrors();
        Assert.True(result.Single<GenerateContentResponse>().FromCache);
        Assert.Equal(1, Generations(server));
        foreach (string file in Directory.GetFiles(cache))
        {
            string text = File.ReadAllText(file);
            Assert.DoesNotContain(first, text);
            Assert.DoesNotContain(second, text);
            Assert.DoesNotContain("sentinel", Path.GetFileName(file));
        }
    }

    [Fact]
    public void AnswerCacheMaxAge_expires_entries_and_the_answer_is_asked_again()
    {
        (FakeGeminiServer server, Shell shell, string cache) = Start();
        using var s1 = server;
        using var s2 = shell;
        server.Enqueue(FakeReply.Json(200, Answer("old"))); // createTime 2026-11-30: days before the test's clock
        shell.Run("'a' | Invoke-GeminiContent -AnswerCache $cache").AssertNoErrors();

        ShellResult fresh = shell.Run("'a' | Invoke-GeminiContent -AnswerCache $cache -AnswerCacheMaxAge 3650.00:00:00");
        Assert.True(fresh.Single<GenerateContentResponse>().FromCache);
        ShellResult expired = shell.Run("'a' | Invoke-GeminiContent -AnswerCache $cache -AnswerCacheMaxAge 00:00:01 -Verbose");

        expired.AssertNoErrors();
        GenerateContentResponse answer = expired.Single<GenerateContentResponse>();
        Assert.False(answer.FromCache);
        Assert.Equal("Echo: a", answer.Text);
        Assert.Contains(expired.Verbose, v => v.Contains("Answer cache expired (") && v.Contains("older than 00:00:01"));
        Assert.Equal(2, Generations(server));
        Assert.Single(Entries(cache)); // the entry was replaced by the new answer
        Assert.True(shell.Run("'a' | Invoke-GeminiContent -AnswerCache $cache -AnswerCacheMaxAge 01:00:00").Single<GenerateContentResponse>().FromCache);
    }

    [Fact]
    public void AnswerCacheMaxSize_evicts_the_least_recently_used_entries()
    {
        (FakeGeminiServer server, Shell shell, string cache) = Start();
        using var s1 = server;
        using var s2 = shell;
        shell.Run("'a', 'b', 'c' | Invoke-GeminiContent -AnswerCache $cache").AssertNoErrors();
        long entrySize = Entries(cache).Max(f => new FileInfo(f).Length);
        // 'a' used last: 'b' is the least recently used
        foreach ((string file, int minutes) in Entries(cache).Select(f => (f, 30)))
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-minutes));
        shell.Run("'a' | Invoke-GeminiContent -AnswerCache $cache").AssertNoErrors();
        shell.Set("max", 3 * entrySize + 10);
        server.ClearRequests();

        ShellResult result = shell.Run("'d' | Invoke-GeminiContent -AnswerCache $cache -AnswerCacheMaxSize $max -Verbose");

        result.AssertNoErrors();
        Assert.Equal(3, Entries(cache).Length);
        Assert.Contains(result.Verbose, v => v.Contains("removed the 1 least recently used entry"));
        server.ClearRequests();
        var again = shell.Run("'a', 'd' | Invoke-GeminiContent -AnswerCache $cache").All<GenerateContentResponse>();
        Assert.All(again, a => Assert.True(a.FromCache));
        Assert.Equal(0, Generations(server));
    }

    [Fact]
    public async Task Concurrent_runs_over_one_cache_with_ThrottleLimit_8_in_two_runspaces_never_corrupt_an_entry()
    {
        (FakeGeminiServer server, Shell shell, string cache) = Start();
        using var s1 = server;
        using var s2 = shell;
        using var other = new Shell(server);
        other.Set("cache", cache);
        const string run = "1..60 | ForEach-Object { \"input $($_ % 40)\" } | Invoke-GeminiContent -AnswerCache $cache -ThrottleLimit 8";

        ShellResult[] results = await Task.WhenAll(Task.Run(() => shell.Run(run)), Task.Run(() => other.Run(run)));

        foreach (ShellResult result in results)
        {
            result.AssertNoErrors();
            var answers = result.All<GenerateContentResponse>();
            Assert.Equal(Enumerable.Range(1, 60).Select(i => $"Echo: input {i % 40}"), answers.Select(a => a.Text));
        }

        Assert.Equal(40, Entries(cache).Length);
        Assert.Empty(Directory.GetFiles(cache, "*.tmp"));
        server.ClearRequests();
        ShellResult third = shell.Run(run + " -Verbose");
        third.AssertNoErrors();
        Assert.All(third.All<GenerateContentResponse>(), a => Assert.True(a.FromCache));
        Assert.DoesNotContain(third.Verbose, v => v.Contains("unreadable"));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void A_corrupt_or_truncated_entry_is_a_miss_with_a_verbose_line_never_an_error()
    {
        (FakeGeminiServer server, Shell shell, string cache) = Start();
        using var s1 = server;
        using var s2 = shell;
        shell.Run("'a', 'b' | Invoke-GeminiContent -AnswerCache $cache").AssertNoErrors();
        string[] entries = Entries(cache);
        byte[] whole = File.ReadAllBytes(entries[0]);
        File.WriteAllBytes(entries[0], whole.Take(whole.Length / 2).ToArray());
        File.WriteAllText(entries[1], "not json at all");
        server.ClearRequests();

        ShellResult result = shell.Run("'a', 'b' | Invoke-GeminiContent -AnswerCache $cache -Verbose");

        result.AssertNoErrors();
        Assert.Empty(result.Warnings);
        Assert.All(result.All<GenerateContentResponse>(), a => Assert.False(a.FromCache));
        Assert.Equal(2, result.Verbose.Count(v => v.Contains("is unreadable, so it is taken as a miss")));
        Assert.Equal(2, Generations(server));
        Assert.All(shell.Run("'a', 'b' | Invoke-GeminiContent -AnswerCache $cache").All<GenerateContentResponse>(), a => Assert.True(a.FromCache));
    }

    [Fact]
    public void Only_whole_successful_answers_are_kept_not_cut_blocked_failed_or_tool_using_ones()
    {
        (FakeGeminiServer server, Shell shell, string cache) = Start();
        using var s1 = server;
        using var s2 = shell;
        server.Enqueue(FakeReply.Json(200, Answer("cut", "MAX_TOKENS")));
        server.Enqueue(FakeReply.Json(200, """{"promptFeedback":{"blockReason":"SAFETY"}}"""));
        server.Enqueue(FakeReply.Error(500, "INTERNAL", "boom"));
        shell.Run("Invoke-GeminiContent 'cut' -AnswerCache $cache -WarningAction SilentlyContinue").AssertNoErrors();
        shell.Run("Invoke-GeminiContent 'blocked' -AnswerCache $cache -WarningAction SilentlyContinue").AssertNoErrors();
        shell.Run("Invoke-GeminiContent 'failed' -AnswerCache $cache -MaxRetries 0 -ErrorAction SilentlyContinue");
        Assert.Empty(Entries(cache));

        ShellResult tools = shell.Run("""
            function Get-Answer { [CmdletBinding()] param() 'forty-two' }
            Invoke-GeminiContent 'FAKE-CALL {"name":"Get-Answer","args":{}}' -Tool Get-Answer -AnswerCache $cache
            Invoke-GeminiContent 'FAKE-CALL {"name":"Get-Answer","args":{}}' -Tool Get-Answer -AnswerCache $cache -NoToolExecution
            """);

        Assert.Null(tools.Terminating);
        Assert.Empty(Entries(cache));
    }

    [Fact]
    public void WhatIf_with_a_hit_says_it_would_answer_from_the_cache_and_writes_and_changes_nothing()
    {
        (FakeGeminiServer server, Shell shell, string cache) = Start();
        using var s1 = server;
        using var s2 = shell;
        shell.Run("'a' | Invoke-GeminiContent -AnswerCache $cache").AssertNoErrors();
        string entry = Entries(cache).Single();
        DateTime used = DateTime.UtcNow.AddDays(-1);
        File.SetLastWriteTimeUtc(entry, used);
        server.ClearRequests();

        ShellResult result = shell.Run("'a', 'b' | Invoke-GeminiContent -AnswerCache $cache -WhatIf");

        result.AssertNoErrors();
        Assert.Empty(result.Output);
        Assert.Empty(server.Requests);
        Assert.Equal(used, File.GetLastWriteTimeUtc(entry));
        Assert.Single(Entries(cache));
    }

    [Fact]
    public void Get_GeminiStream_writes_a_cached_answer_as_one_chunk_marked_FromCache_and_fills_the_cache_when_it_streams()
    {
        (FakeGeminiServer server, Shell shell, string cache) = Start();
        using var s1 = server;
        using var s2 = shell;
        shell.Run("'streamed first' | Get-GeminiStream -AnswerCache $cache").AssertNoErrors();
        shell.Run("'invoked first' | Invoke-GeminiContent -AnswerCache $cache").AssertNoErrors();
        server.ClearRequests();

        ShellResult streamed = shell.Run("'invoked first' | Get-GeminiStream -AnswerCache $cache");
        ShellResult invoked = shell.Run("'streamed first' | Invoke-GeminiContent -AnswerCache $cache");

        streamed.AssertNoErrors();
        GeminiStreamChunk chunk = streamed.Single<GeminiStreamChunk>();
        Assert.True(chunk.FromCache);
        Assert.Equal("Echo: invoked first", chunk.Text);
        Assert.Equal(0, chunk.Index);
        Assert.Equal("STOP", chunk.FinishReason);
        invoked.AssertNoErrors();
        GenerateContentResponse answer = invoked.Single<GenerateContentResponse>();
        Assert.True(answer.FromCache);
        Assert.Equal("Echo: streamed first", answer.Text);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Receive_GeminiBatchJob_fills_the_cache_under_the_key_of_the_request_put_in_the_job()
    {
        (FakeGeminiServer server, Shell shell, string cache) = Start();
        using var s1 = server;
        using var s2 = shell;
        server.Batches.PollsPerState = 0;
        ShellResult received = shell.Run("""
            'one', 'two' | Start-GeminiBatchJob -Temperature 0.2 | Wait-GeminiBatchJob -PollIntervalSec 0.1 |
                Receive-GeminiBatchJob -AnswerCache $cache -Verbose
            """);
        received.AssertNoErrors();
        Assert.Equal(2, received.All<GenerateContentResponse>().Count);
        Assert.Contains(received.Verbose, v => v.Contains("2 answer(s) saved in the answer cache"));
        server.ClearRequests();

        ShellResult invoked = shell.Run("'one', 'two' | Invoke-GeminiContent -Temperature 0.2 -AnswerCache $cache");

        invoked.AssertNoErrors();
        Assert.Equal(new[] { "Echo: one", "Echo: two" }, invoked.All<GenerateContentResponse>().Select(a => a.Text));
        Assert.All(invoked.All<GenerateContentResponse>(), a => Assert.True(a.FromCache));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void A_second_run_over_500_unchanged_inputs_sends_no_request()
    {
        (FakeGeminiServer server, Shell shell, string cache) = Start();
        using var s1 = server;
        using var s2 = shell;
        const string run = "1..500 | ForEach-Object { \"log line $_\" } | Invoke-GeminiContent -Prompt 'Summarize the errors' -AnswerCache $cache -ThrottleLimit 8 -Summary";
        ShellResult first = shell.Run(run);
        first.AssertNoErrors();
        Assert.Equal(500, Entries(cache).Length);
        server.ClearRequests();
        int sentBefore = server.RequestCount;

        ShellResult second = shell.Run(run);

        second.AssertNoErrors();
        Assert.Equal(sentBefore, server.RequestCount); // counted even when not recorded
        Assert.Empty(server.Requests);
        var answers = second.Output.Select(o => o.BaseObject).OfType<GenerateContentResponse>().ToList();
        Assert.Equal(500, answers.Count);
        Assert.All(answers, a => Assert.True(a.FromCache));
        Assert.Equal(Enumerable.Range(1, 500).Select(i => $"log line {i}"), answers.Select(a => a.Input));
        GeminiRunSummary summary = second.Output.Select(o => o.BaseObject).OfType<GeminiRunSummary>().Single();
        Assert.Equal((500, 0, 0L), (summary.CacheHits, summary.Requests, summary.TotalTokens));
    }

    [Fact]
    public void Clear_GeminiAnswerCache_empties_the_cache_honours_OlderThan_and_WhatIf_and_leaves_other_files()
    {
        (FakeGeminiServer server, Shell shell, string cache) = Start();
        using var s1 = server;
        using var s2 = shell;
        server.Enqueue(FakeReply.Json(200, Answer("old"))); // saved 2026-11-30
        shell.Run("'a', 'b' | Invoke-GeminiContent -AnswerCache $cache").AssertNoErrors();
        File.WriteAllText(Path.Combine(cache, "notes.json"), "{}");

        ShellResult whatIf = shell.Run("Clear-GeminiAnswerCache -Path $cache -WhatIf");
        Assert.Equal(3, Directory.GetFiles(cache).Length);
        whatIf.AssertNoErrors();
        ShellResult older = shell.Run("Clear-GeminiAnswerCache -Path $cache -OlderThan 1.00:00:00 -Verbose");
        older.AssertNoErrors();
        Assert.Equal(2, Directory.GetFiles(cache).Length);
        ShellResult all = shell.Run("Clear-GeminiAnswerCache $cache -Verbose");

        all.AssertNoErrors();
        Assert.Equal(new[] { "notes.json" }, Directory.GetFiles(cache).Select(Path.GetFileName));
        Assert.Contains(all.Verbose, v => v.Contains("removed 1 file(s)"));
        ShellResult missing = shell.Run("Clear-GeminiAnswerCache -Path \"$cache/never-made\"");
        missing.AssertNoErrors();
    }

    [Fact]
    public void AnswerCacheMaxAge_without_AnswerCache_is_a_usage_error()
    {
        (FakeGeminiServer server, Shell shell, string _) = Start();
        using var s1 = server;
        using var s2 = shell;

        ShellResult result = shell.Run("Invoke-GeminiContent 'a' -AnswerCacheMaxAge 1.00:00:00");

        Assert.NotNull(result.Terminating);
        Assert.Contains("GeminiAnswerCacheMissing", ((System.Management.Automation.IContainsErrorRecord)result.Terminating!).ErrorRecord.FullyQualifiedErrorId);
        Assert.Empty(server.Requests);
    }
}

/// <summary>The AnswerCache class alone: hashing and files, without PowerShell.</summary>
public sealed class AnswerCacheUnitTests
{
    private static GenerateContentRequest Request(string text, double? temperature = null) => new()
    {
        Contents = new List<Content> { new() { Role = "user", Parts = new List<Part> { new() { Text = text } } } },
        GenerationConfig = temperature is null ? null : new GenerationConfig { Temperature = temperature },
    };

    private static GenerateContentResponse Response(string text, string finishReason = "STOP") => new()
    {
        Candidates = new GeminiList<Candidate> { new() { Content = new Content { Role = "model", Parts = new List<Part> { new() { Text = text } } }, FinishReason = finishReason } },
    };

    private static readonly Uri Google = new("https://generativelanguage.googleapis.com");

    [Fact]
    public void The_key_is_the_sha256_of_model_base_uri_and_body_and_changes_with_each()
    {
        string key = AnswerCache.KeyOf("gemini-2.5-flash", Google, Request("a"));

        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(key, AnswerCache.KeyOf("gemini-2.5-flash", Google, Request("a")));
        Assert.NotEqual(key, AnswerCache.KeyOf("gemini-2.5-pro", Google, Request("a")));
        Assert.NotEqual(key, AnswerCache.KeyOf("gemini-2.5-flash", new Uri("https://api.cometapi.com"), Request("a")));
        Assert.NotEqual(key, AnswerCache.KeyOf("gemini-2.5-flash", Google, Request("b")));
        Assert.NotEqual(key, AnswerCache.KeyOf("gemini-2.5-flash", Google, Request("a", 0.5)));
        byte[] body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Request("a"), GeminiJsonContext.Default.GenerateContentRequest);
        Assert.Equal(key, AnswerCache.KeyOf("gemini-2.5-flash", Google, body)); // a batch job's request: the same key
    }

    [Fact]
    public void Save_then_Find_gives_the_answer_back_owner_only_and_a_missing_or_damaged_entry_is_a_miss()
    {
        var cache = new AnswerCache(Path.Combine(TempDir.Create(), "c"));
        cache.Open();
        string key = AnswerCache.KeyOf("m", Google, Request("a"));
        Assert.Equal(AnswerCacheOutcome.Miss, cache.Find(key).Outcome);

        string path = cache.Save(key, "m", Response("hello"));

        AnswerCacheLookup hit = cache.Find(key);
        Assert.Equal(AnswerCacheOutcome.Hit, hit.Outcome);
        Assert.Equal("hello", hit.Response!.Text);
        Assert.True(hit.Response.FromCache);
        Assert.NotNull(hit.Response.CreateTime);
        Assert.Equal(key + ".json", Path.GetFileName(path));
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(cache.Folder));
        }

        File.WriteAllText(path, "{\"requestHash\":\"" + key + "\",\"saved\":\"2026-01-01T00:00:00Z\",\"response\":{\"candidates\":[");
        Assert.Equal(AnswerCacheOutcome.Unreadable, cache.Find(key).Outcome);
        string other = AnswerCache.KeyOf("m", Google, Request("b"));
        File.Copy(cache.Save(key, "m", Response("x")), cache.PathOf(other), overwrite: true);
        Assert.Equal(AnswerCacheOutcome.Unreadable, cache.Find(other).Outcome); // another request's entry under this name
    }

    [Fact]
    public void Only_whole_answers_are_cacheable()
    {
        Assert.True(AnswerCache.IsCacheable(Response("ok")));
        Assert.False(AnswerCache.IsCacheable(Response("cut", "MAX_TOKENS")));
        Assert.False(AnswerCache.IsCacheable(Response("unsafe", "SAFETY")));
        Assert.False(AnswerCache.IsCacheable(new GenerateContentResponse { PromptFeedback = new PromptFeedback { BlockReason = "SAFETY" } }));
        GenerateContentResponse call = Response("x");
        call.Candidates![0].Content!.Parts![0] = new Part { FunctionCall = new FunctionCall { Name = "f" } };
        Assert.False(AnswerCache.IsCacheable(call));
    }

    [Fact]
    public void Expiry_counts_from_the_answer_s_time_and_Trim_removes_the_least_recently_used_first()
    {
        string folder = Path.Combine(TempDir.Create(), "c");
        var cache = new AnswerCache(folder, maxAge: TimeSpan.FromHours(1));
        cache.Open();
        GenerateContentResponse old = Response("old");
        old.CreateTime = DateTimeOffset.UtcNow.AddHours(-2);
        string oldKey = AnswerCache.KeyOf("m", Google, Request("old"));
        cache.Save(oldKey, "m", old);
        Assert.Equal(AnswerCacheOutcome.Expired, cache.Find(oldKey).Outcome);

        var keys = new[] { "a", "b", "c" }.Select(t => AnswerCache.KeyOf("m", Google, Request(t))).ToArray();
        for (int i = 0; i < keys.Length; i++)
            File.SetLastWriteTimeUtc(cache.Save(keys[i], "m", Response(new string('x', 100))), DateTime.UtcNow.AddMinutes(-10 + i));
        File.SetLastWriteTimeUtc(cache.PathOf(oldKey), DateTime.UtcNow.AddMinutes(-20));
        cache.Find(keys[0]); // used now: the newest
        long one = new FileInfo(cache.PathOf(keys[1])).Length;

        int removed = new AnswerCache(folder, maxSize: 2 * one + 50).Trim(); // room for a few bytes more or less of the saved time

        Assert.Equal(2, removed);
        Assert.False(File.Exists(cache.PathOf(oldKey)));
        Assert.False(File.Exists(cache.PathOf(keys[1])));
        Assert.True(File.Exists(cache.PathOf(keys[0])));
        Assert.True(File.Exists(cache.PathOf(keys[2])));
    }

    [Fact]
    public void Two_writers_of_one_key_leave_one_whole_entry()
    {
        var cache = new AnswerCache(Path.Combine(TempDir.Create(), "c"));
        cache.Open();
        string key = AnswerCache.KeyOf("m", Google, Request("a"));
        string big = new string('y', 200_000);

        Parallel.For(0, 32, i =>
        {
            cache.Save(key, "m", Response(big + i));
            AnswerCacheLookup found = cache.Find(key);
            Assert.Equal(AnswerCacheOutcome.Hit, found.Outcome);
            Assert.StartsWith(big, found.Response!.Text);
        });

        Assert.Single(Directory.GetFiles(cache.Folder));
    }

    [Fact]
    public void FilesToClear_takes_only_the_cache_s_own_files()
    {
        string folder = TempDir.Create();
        var cache = new AnswerCache(folder);
        string key = AnswerCache.KeyOf("m", Google, Request("a"));
        cache.Save(key, "m", Response("a"));
        File.WriteAllText(Path.Combine(folder, "settings.json"), "{}");
        File.WriteAllText(Path.Combine(folder, key + ".json." + Guid.NewGuid().ToString("N") + ".tmp"), "partial");

        List<FileInfo> files = AnswerCache.FilesToClear(folder, olderThan: null);

        Assert.Equal(2, files.Count);
        Assert.DoesNotContain(files, f => f.Name == "settings.json");
        Assert.Empty(AnswerCache.FilesToClear(folder, olderThan: TimeSpan.FromDays(1)));
    }
}
