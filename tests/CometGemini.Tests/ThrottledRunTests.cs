using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CometGemini.Demo;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>Batches: several requests at once, order, failures, pacing, progress, summary, cancellation, runspaces.</summary>
public sealed class ThrottledRunTests
{
    // A server that answers nothing until `count` requests are in at once (or 10 s pass): proof of concurrency without timing.
    private static FakeGeminiServer ServerHolding(int count, out Func<bool> sawAllAtOnce)
    {
        var arrived = new CountdownEvent(count);
        bool all = true;
        int seen = 0;
        FakeGeminiServer server = FakeGeminiServer.Start(new FakeGeminiOptions
        {
            DefaultAnswerDelay = _ =>
            {
                if (Interlocked.Increment(ref seen) <= count)
                {
                    arrived.Signal();
                    if (!arrived.Wait(TimeSpan.FromSeconds(10)))
                        all = false;
                }

                return TimeSpan.Zero;
            },
        });
        sawAllAtOnce = () => all && Volatile.Read(ref seen) >= count;
        return server;
    }

    [Fact]
    public void ThrottleLimit_runs_requests_at_once_and_writes_answers_in_input_order()
    {
        using FakeGeminiServer server = ServerHolding(4, out Func<bool> concurrent);
        using var shell = new Shell(server);

        ShellResult result = shell.Run("1..8 | ForEach-Object { \"item $_\" } | Invoke-GeminiContent -ThrottleLimit 4");

        result.AssertNoErrors();
        Assert.True(concurrent(), "four requests should have been in flight at once");
        List<GenerateContentResponse> answers = result.All<GenerateContentResponse>();
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"Echo: item {i}"), answers.Select(a => a.Text));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"item {i}"), answers.Select(a => a.Input));
        Assert.Equal(8, server.RequestCount);
    }

    [Fact]
    public void With_several_requests_at_once_each_verbose_line_says_which_input_it_is_about()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult batch = shell.Run("'a', 'b' | Invoke-GeminiContent -ThrottleLimit 2 -Verbose");
        ShellResult single = shell.Run("'a', 'b' | Invoke-GeminiContent -Verbose");

        batch.AssertNoErrors();
        // Named by the input itself (issue 19), not by a number the user has to count to.
        Assert.Contains(batch.Verbose, v => v.StartsWith("'a': POST ", StringComparison.Ordinal));
        Assert.Contains(batch.Verbose, v => v.StartsWith("'b': POST ", StringComparison.Ordinal));
        Assert.Contains(single.Verbose, v => v.StartsWith("POST ", StringComparison.Ordinal));
        Assert.DoesNotContain(single.Verbose, v => v.StartsWith("'", StringComparison.Ordinal));
    }

    [Fact]
    public void Unordered_writes_each_answer_as_it_comes()
    {
        // "slow" waits until both other requests are in, then a while longer: they are answered first.
        var others = new CountdownEvent(2);
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions
        {
            DefaultAnswerDelay = r =>
            {
                if (!r.BodyText.Contains("slow"))
                {
                    others.Signal();
                    return TimeSpan.Zero;
                }

                others.Wait(TimeSpan.FromSeconds(10));
                return TimeSpan.FromMilliseconds(500);
            },
        });
        using var shell = new Shell(server);

        ShellResult unordered = shell.Run("'slow', 'fast', 'quick' | Invoke-GeminiContent -ThrottleLimit 3 -Unordered");

        unordered.AssertNoErrors();
        List<string> texts = unordered.All<GenerateContentResponse>().Select(a => a.Text).ToList();
        Assert.Equal("Echo: slow", texts.Last());
        Assert.Equal(3, texts.Count);

        others.Reset();
        ShellResult ordered = shell.Run("'slow', 'fast', 'quick' | Invoke-GeminiContent -ThrottleLimit 3");
        Assert.Equal(new[] { "Echo: slow", "Echo: fast", "Echo: quick" }, ordered.All<GenerateContentResponse>().Select(a => a.Text));
    }

    [Fact]
    public async Task In_input_order_at_most_four_times_the_limit_of_answers_wait_for_a_slow_one()
    {
        using var release = new ManualResetEventSlim();
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions
        {
            DefaultAnswerDelay = r =>
            {
                if (r.BodyText.Contains("slow"))
                    release.Wait(TimeSpan.FromSeconds(20));
                return TimeSpan.Zero;
            },
        });
        using var shell = new Shell(server);

        using RunningScript running = shell.Start("@('slow') + (1..20) | Invoke-GeminiContent -ThrottleLimit 2 | ForEach-Object Text");
        // The slow one, then eight quick ones whose answers wait for it; then the command takes no more input.
        await server.WaitForRequestAsync(9, TimeSpan.FromSeconds(10));
        await Task.Delay(300);
        Assert.Equal(9, server.RequestCount);
        Assert.Empty(running.Result.Output);
        release.Set();
        ShellResult result = running.Finish();

        result.AssertNoErrors();
        Assert.Equal(new[] { "Echo: slow" }.Concat(Enumerable.Range(1, 20).Select(i => $"Echo: {i}")), result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Tool_calls_run_on_the_pipeline_thread_between_rounds_while_other_inputs_are_in_flight()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, """{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"Get-Answer","args":{}}}]},"finishReason":"STOP"}]}"""));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            function Get-Answer { $global:toolThread = [Threading.Thread]::CurrentThread.ManagedThreadId; 42 }
            $pipelineThread = [Threading.Thread]::CurrentThread.ManagedThreadId
            $answers = 'a', 'b', 'c' | Invoke-GeminiContent -ThrottleLimit 3 -Tool Get-Answer
            $answers
            $global:toolThread -eq $pipelineThread
            """);

        result.AssertNoErrors();
        List<GenerateContentResponse> answers = result.Output.Take(3).Select(o => (GenerateContentResponse)o.BaseObject).ToList();
        Assert.Equal(new object[] { "a", "b", "c" }, answers.Select(a => a.Input));
        Assert.Single(answers, a => a.ToolCalls.Length == 1);
        Assert.True((bool)result.Output[3].BaseObject, "the tool ran on another thread");
        Assert.Equal(4, server.RequestCount);
    }

    [Fact]
    public void A_chat_cannot_run_turns_at_once()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("$chat = New-GeminiChat; 'a', 'b' | Invoke-GeminiContent -Chat $chat -ThrottleLimit 4");

        Assert.NotNull(result.Terminating);
        ErrorRecord error = ((IContainsErrorRecord)result.Terminating!).ErrorRecord;
        Assert.StartsWith("GeminiChatNotConcurrent,", error.FullyQualifiedErrorId);
        Assert.Contains("-ThrottleLimit", error.ErrorDetails!.RecommendedAction);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public void A_failing_input_is_an_error_for_that_input_and_the_batch_goes_on()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        server.Enqueue(FakeReply.Error(400, "INVALID_ARGUMENT", "Bad input."));

        ShellResult result = shell.Run("'one', 'two', 'three' | Invoke-GeminiContent -ThrottleLimit 1 -MaxRetries 0");

        Assert.Null(result.Terminating);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("one", error.TargetObject);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(new[] { "Echo: two", "Echo: three" }, result.All<GenerateContentResponse>().Select(a => a.Text));
    }

    [Fact]
    public void A_failure_keeps_its_place_in_the_order_among_concurrent_answers()
    {
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { DefaultAnswerDelay = r => r.BodyText.Contains("first") ? TimeSpan.FromMilliseconds(300) : TimeSpan.Zero });
        using var shell = new Shell(server);
        server.Enqueue(":generateContent", FakeReply.Error(500, "INTERNAL", "Broken.") with { HeaderDelay = TimeSpan.FromMilliseconds(100) });

        // Whichever arrives first gets the 500; its error is written at its own place.
        ShellResult result = shell.Run("'first', 'second', 'third' | Invoke-GeminiContent -ThrottleLimit 3 -MaxRetries 0 2>&1 | ForEach-Object { if ($_ -is [Management.Automation.ErrorRecord]) { 'error ' + $_.TargetObject } else { $_.Input } }");

        List<string> seen = result.Output.Select(o => o.ToString()).ToList();
        Assert.Equal(3, seen.Count);
        Assert.Single(seen, s => s.StartsWith("error ", StringComparison.Ordinal));
        Assert.Equal(new[] { "first", "second", "third" }, seen.Select(s => s.Replace("error ", string.Empty)));
    }

    [Fact]
    public async Task ErrorAction_Stop_ends_the_batch_at_the_first_failure_and_cancels_the_requests_in_flight()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        server.Enqueue(FakeReply.NoHeaders());
        server.Enqueue(FakeReply.NoHeaders());
        server.Enqueue(FakeReply.Error(400, "INVALID_ARGUMENT", "Bad input.") with { HeaderDelay = TimeSpan.FromMilliseconds(300) });

        ShellResult result = shell.Run("'a', 'b', 'c', 'd', 'e' | Invoke-GeminiContent -ThrottleLimit 3 -ErrorAction Stop");

        Assert.NotNull(result.Terminating);
        Assert.Empty(result.Output);
        Assert.Equal(3, server.RequestCount); // d and e never started
        await server.WaitForClientDisconnectAsync(2, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Ctrl_C_cancels_every_request_in_flight_and_writes_nothing_half_made()
    {
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { DefaultAnswerDelay = r => r.BodyText.Contains("hang") ? TimeSpan.FromMinutes(5) : TimeSpan.Zero });
        using var shell = new Shell(server);

        using RunningScript running = shell.Start("'done', 'hang 1', 'hang 2', 'hang 3', 'never' | Invoke-GeminiContent -ThrottleLimit 3");
        running.WaitForFirstOutput();
        await server.WaitForRequestAsync(4, TimeSpan.FromSeconds(10));
        running.Stop();
        ShellResult result = running.Finish();

        Assert.Equal(PSInvocationState.Stopped, running.State);
        Assert.Equal("Echo: done", Assert.Single(result.All<GenerateContentResponse>()).Text);
        await server.WaitForClientDisconnectAsync(3, TimeSpan.FromSeconds(10));
        Assert.Equal(4, server.RequestCount);
    }

    [Fact]
    public void A_downstream_command_that_has_enough_ends_the_batch()
    {
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { DefaultAnswerDelay = r => r.BodyText.Contains("slow") ? TimeSpan.FromSeconds(2) : TimeSpan.Zero });
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            foreach ($i in 1) { 'quick', 'slow', 'slow', 'slow' | Invoke-GeminiContent -ThrottleLimit 4 | ForEach-Object { $_.Text; break } }
            'after'
            """);

        Assert.Equal(new[] { "Echo: quick", "after" }, result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Retries_apply_per_input_and_the_summary_counts_them()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        server.Enqueue(FakeReply.Error(503, "UNAVAILABLE", "Busy.", retryDelay: "0.05s"));
        server.Enqueue(FakeReply.Error(400, "INVALID_ARGUMENT", "Bad."));

        ShellResult result = shell.Run("'a', 'b', 'c' | Invoke-GeminiContent -Summary");

        // a: 503 then the 400 (no retry for 400) → failed; b and c answered.
        var summary = (GeminiRunSummary)result.Output.Last().BaseObject;
        Assert.Equal(3, summary.Requests);
        Assert.Equal(2, summary.Succeeded);
        Assert.Equal(1, summary.Failed);
        Assert.Equal(1, summary.Retries);
        List<GenerateContentResponse> answers = result.Output.Take(result.Output.Count - 1).Select(o => (GenerateContentResponse)o.BaseObject).ToList();
        Assert.Equal(answers.Sum(a => (long)a.UsageMetadata!.TotalTokenCount!), summary.TotalTokens);
        Assert.Equal(answers.Sum(a => (long)a.UsageMetadata!.PromptTokenCount!), summary.PromptTokens);
        Assert.True(summary.TotalTokens > 0);
        Assert.True(summary.Elapsed > TimeSpan.Zero);
        Assert.Equal("a", Assert.Single(result.Errors).TargetObject);
    }

    [Fact]
    public void A_429_holds_back_every_worker_of_the_batch_not_only_the_one_that_got_it()
    {
        // The first request gets a 429 asking for 1 s; the others take 400 ms, so the later inputs start after the 429 is known.
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { DefaultAnswerDelay = _ => TimeSpan.FromMilliseconds(400) });
        using var shell = new Shell(server);
        server.Enqueue(FakeReply.Error(429, "RESOURCE_EXHAUSTED", "Quota.", retryDelay: "1s"));

        ShellResult result = shell.Run("1..6 | ForEach-Object { \"item $_\" } | Invoke-GeminiContent -ThrottleLimit 3 -Summary");

        result.AssertNoErrors();
        IReadOnlyList<RecordedRequest> requests = server.Requests;
        Assert.Equal(7, requests.Count);
        DateTime limited = requests[0].ReceivedUtc;
        // Requests 2 and 3 were already on their way; every later one waited for the pause the server asked for.
        Assert.All(requests.Skip(3), r => Assert.True(r.ReceivedUtc - limited >= TimeSpan.FromMilliseconds(900), $"a request started {(r.ReceivedUtc - limited).TotalMilliseconds} ms after the 429"));
        Assert.Equal(1, ((GeminiRunSummary)result.Output.Last().BaseObject).Retries);
    }

    [Fact]
    public void RequestsPerMinute_spaces_request_starts()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("1..4 | ForEach-Object { \"item $_\" } | Invoke-GeminiContent -ThrottleLimit 4 -RequestsPerMinute 300");

        result.AssertNoErrors();
        List<DateTime> starts = server.Requests.Select(r => r.ReceivedUtc).OrderBy(t => t).ToList();
        Assert.Equal(4, starts.Count);
        // 300 a minute is one each 200 ms: four starts span at least 600 ms (less some scheduling slack for the first);
        // unpaced, with four allowed at once, they would all start together.
        TimeSpan span = starts[^1] - starts[0];
        Assert.True(span >= TimeSpan.FromMilliseconds(500), $"four starts within {span.TotalMilliseconds} ms");
    }

    [Fact]
    public void Progress_shows_done_running_tokens_and_the_current_item_and_respects_ProgressPreference()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult piped = shell.Run("'a', 'b', 'c' | Invoke-GeminiContent -ThrottleLimit 2");
        List<string> progress = piped.Log.Where(l => l.Stream == "Progress").Select(l => l.Text).ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, p => Assert.StartsWith("Invoke-GeminiContent: ", p));
        Assert.Contains(progress, p => p.Contains("3 done") && p.Contains("tokens") && p.Contains("elapsed"));
        Assert.DoesNotContain(progress, p => p.Contains(" of "));

        ShellResult quiet = shell.Run("$ProgressPreference = 'SilentlyContinue'; 'a', 'b', 'c' | Invoke-GeminiContent -ThrottleLimit 2");
        quiet.AssertNoErrors();
        Assert.DoesNotContain(quiet.Log, l => l.Stream == "Progress");

        ShellResult single = shell.Run("Invoke-GeminiContent 'just one'");
        Assert.DoesNotContain(single.Log, l => l.Stream == "Progress");

        // Streams show their text as it comes: nothing extra.
        ShellResult streamed = shell.Run("'a', 'b', 'c' | Get-GeminiStream");
        streamed.AssertNoErrors();
        Assert.DoesNotContain(streamed.Log, l => l.Stream == "Progress");
    }

    [Fact]
    public void Progress_has_a_percentage_when_the_arguments_tell_how_many_inputs_there_are()
    {
        using var server = FakeGeminiServer.Start();
        string dir = TempDir.Create();
        string[] files = Enumerable.Range(1, 4).Select(i => Path.Combine(dir, $"log{i}.txt")).ToArray();
        for (int i = 0; i < files.Length; i++)
            File.WriteAllText(files[i], $"line {i + 1}");
        using var shell = new Shell(server);
        shell.Set("files", files);

        ShellResult result = shell.Run("Invoke-GeminiContent -LiteralPath $files -Prompt 'Summarize'");

        result.AssertNoErrors();
        List<ProgressRecord> records = result.Progress;
        Assert.Contains(records, r => r.PercentComplete == 100 && r.StatusDescription.StartsWith("4 of 4 done", StringComparison.Ordinal));
        Assert.Contains(records, r => r.CurrentOperation == "log1.txt");
        Assert.Equal(ProgressRecordType.Completed, records.Last().RecordType);
    }

    [Fact]
    public void Progress_knows_the_total_of_a_wildcard_path_and_counts_the_running_request()
    {
        using var server = FakeGeminiServer.Start();
        string dir = TempDir.Create();
        for (int i = 1; i <= 3; i++)
            File.WriteAllText(Path.Combine(dir, $"app-{i}.log"), $"line {i}");
        File.WriteAllText(Path.Combine(dir, "notes.md"), "not matched");
        using var shell = new Shell(server);
        shell.Set("pattern", Path.Combine(dir, "*.log"));

        ShellResult result = shell.Run("Invoke-GeminiContent -Path $pattern -Prompt 'Summarize'");

        result.AssertNoErrors();
        List<ProgressRecord> records = result.Progress;
        Assert.StartsWith("0 of 3 done, 1 running", records.First().StatusDescription, StringComparison.Ordinal);
        Assert.Contains(records, r => r.PercentComplete == 100 && r.StatusDescription.StartsWith("3 of 3 done, 0 running", StringComparison.Ordinal));
        Assert.Equal(ProgressRecordType.Completed, records.Last().RecordType);
    }

    [Fact]
    public void Progress_is_shown_again_while_a_slow_request_runs()
    {
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions
        {
            DefaultAnswerDelay = r => r.BodyText.Contains("slow") ? TimeSpan.FromSeconds(2) : TimeSpan.Zero,
        });
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent -InputObject 'quick', 'slow one'");

        result.AssertNoErrors();
        // Nothing else happens while 'slow one' runs: every record beyond the first shows is the timer's.
        int waiting = result.Progress.Count(r => r.StatusDescription?.StartsWith("1 of 2 done, 1 running", StringComparison.Ordinal) == true);
        Assert.True(waiting >= 2, $"{waiting} records while the slow request ran");
    }

    [Fact]
    public void Several_runspaces_run_batches_at_once()
    {
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { DefaultAnswerDelay = _ => TimeSpan.FromMilliseconds(20) });
        var results = new ShellResult[4];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            using var shell = new Shell(server);
            results[i] = shell.Run($"1..10 | ForEach-Object {{ \"r{i} item $_\" }} | Invoke-GeminiContent -ThrottleLimit 4 -RequestsPerMinute 60000 -Summary");
        });

        for (int i = 0; i < results.Length; i++)
        {
            results[i].AssertNoErrors();
            List<object> output = results[i].Output.Select(o => o.BaseObject).ToList();
            Assert.Equal(Enumerable.Range(1, 10).Select(n => $"Echo: r{i} item {n}"), output.OfType<GenerateContentResponse>().Select(a => a.Text));
            Assert.Equal(10, Assert.IsType<GeminiRunSummary>(output.Last()).Succeeded);
        }

        Assert.Equal(40, server.RequestCount);
    }

    [Fact]
    public void The_summary_has_a_view()
    {
        using var server = FakeGeminiServer.Start();
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));

        shell.Run("'a', 'b' | Invoke-GeminiContent -Summary | Where-Object { $_ -is [CometGemini.GeminiRunSummary] } | Out-Default").AssertNoErrors();

        // One table row under the headers; the time to a tenth of a second; the Budget column is empty without a budget.
        string[] lines = screen.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(new[] { "Requests", "Succeeded", "Failed", "Retries", "PromptTokens", "OutputTokens", "TotalTokens", "Elapsed", "Budget" }, lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        string[] row = lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new[] { "2", "2", "0", "0" }, row.Take(4));
        Assert.Matches(@"^\d\d:\d\d:\d\d\.\d$", row.Last());
    }
}
