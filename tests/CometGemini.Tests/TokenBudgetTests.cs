using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CometGemini.Generation;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>
/// The budget guard: -MaxTotalTokens (a run's own budget), Connect-Gemini -MaxTotalTokens (the session's) and -Strict.
/// The echo server's answer to "item N" uses 5 tokens (2 of prompt, 3 of answer: "Echo: item N").
/// </summary>
public sealed class TokenBudgetTests
{
    private const int EchoTokens = 5;

    private static string Items(int count) => $"1..{count} | ForEach-Object {{ \"item $_\" }}";

    // ---- the gate alone, without a runspace ----

    [Fact]
    public void Without_strict_a_request_goes_while_used_is_below_the_budget_and_the_run_stops_at_the_first_refused()
    {
        var budget = new TokenBudget(10, "-MaxTotalTokens");
        var gate = new BudgetGate(new[] { budget }, strict: false, window: 1);

        Assert.Null(Decide(gate.Open(), null, settle: 6));
        Assert.Null(Decide(gate.Open(), null, settle: 6)); // 6 < 10: sent, and it passes the budget by one answer
        BudgetRefusal? refused = Decide(gate.Open(), null, settle: 0);
        BudgetRefusal? after = Decide(gate.Open(), null, settle: 0);

        Assert.NotNull(refused);
        Assert.Equal(12, refused!.Counted);
        Assert.True(after!.AfterStop);
        Assert.Equal(12, after.Counted);
        Assert.Equal(refused.Message, after.Message); // used up: the same words
        Assert.Equal(12, budget.Used);
        Assert.Contains("10", refused.Message);
        Assert.Contains("12", refused.Message);
        Assert.Contains("-MaxTotalTokens", refused.RecommendedAction);
    }

    [Fact]
    public void Strict_adds_the_prompt_estimate_and_refuses_a_request_that_would_pass()
    {
        var gate = new BudgetGate(new[] { new TokenBudget(10, "-MaxTotalTokens") }, strict: true, window: 1);

        Assert.Null(Decide(gate.Open(), 4, settle: 5));
        BudgetRefusal? refused = Decide(gate.Open(), 6, settle: 0); // 5 + 6 > 10

        Assert.NotNull(refused);
        Assert.Equal(5, refused!.Counted);
        Assert.Equal(6, refused.Estimate);
        Assert.Contains("-Strict", refused.Message);
    }

    [Fact]
    public void A_session_budget_spans_the_runs_that_count_against_it()
    {
        var session = new TokenBudget(10, "Connect-Gemini -MaxTotalTokens");
        var first = new BudgetGate(new[] { session }, strict: false, window: 1);
        Assert.Null(Decide(first.Open(), null, settle: 8));

        var second = new BudgetGate(new[] { new TokenBudget(100, "-MaxTotalTokens"), session }, strict: false, window: 1);
        Assert.Null(Decide(second.Open(), null, settle: 5));

        BudgetRefusal? refused = Decide(new BudgetGate(new[] { session }, strict: false, window: 1).Open(), null, settle: 0);
        Assert.Same(session, refused!.Budget);
        Assert.Equal(13, refused.Counted);
        Assert.Contains("Connect-Gemini -MaxTotalTokens", refused.RecommendedAction);
    }

    [Fact]
    public void Abandoned_requests_use_nothing_and_stop_no_one()
    {
        var budget = new TokenBudget(10, "-MaxTotalTokens");
        var gate = new BudgetGate(new[] { budget }, strict: true, window: 2);
        BudgetTicket failedCount = gate.Open();
        BudgetTicket next = gate.Open();
        failedCount.Abandon(); // its countTokens failed before it asked

        Assert.Null(Decide(next, 9, settle: 9));
        Assert.Equal(9, budget.Used);
        Assert.Null(gate.StoppedBy);
    }

    [Fact]
    public async Task A_wait_for_the_turn_ends_when_the_run_is_cancelled()
    {
        var gate = new BudgetGate(new[] { new TokenBudget(10, "-MaxTotalTokens") }, strict: false, window: 1);
        BudgetTicket first = gate.Open();
        Assert.Null(await first.DecideAsync(null, CancellationToken.None)); // sent, not yet answered
        using var cancel = new CancellationTokenSource();
        Task<BudgetRefusal?> waiting = gate.Open().DecideAsync(null, cancel.Token);

        Assert.False(waiting.IsCompleted);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public void With_a_window_the_requests_sent_do_not_depend_on_the_order_answers_come_in()
    {
        long[] usage = { 5, 7, 3, 9, 4, 6, 8, 2, 5, 5, 5, 5 };
        HashSet<int>? expected = null;
        foreach (bool strict in new[] { false, true })
        {
            expected = null;
            for (int seed = 0; seed < 50; seed++)
            {
                HashSet<int> sent = Simulate(usage, strict, window: 4, limit: 30, new Random(seed));
                expected ??= sent;
                Assert.Equal(expected.OrderBy(i => i), sent.OrderBy(i => i));
            }

            Assert.InRange(expected!.Count, 2, usage.Length - 1); // the budget did stop the run somewhere in the middle
        }
    }

    // Opens a ticket per request as a run of -ThrottleLimit `window` does (a new one when fewer than `window` run) and
    // answers those sent in a random order.
    private static HashSet<int> Simulate(long[] usage, bool strict, int window, long limit, Random random)
    {
        var gate = new BudgetGate(new[] { new TokenBudget(limit, "-MaxTotalTokens") }, strict, window);
        var running = new List<(int Index, BudgetTicket Ticket, Task<BudgetRefusal?> Decision)>();
        var sent = new HashSet<int>();
        int next = 0;
        while (next < usage.Length || running.Count > 0)
        {
            while (next < usage.Length && running.Count < window)
            {
                BudgetTicket ticket = gate.Open();
                running.Add((next, ticket, ticket.DecideAsync(strict ? usage[next] / 2 : null, CancellationToken.None)));
                next++;
            }

            // A decision that waited completes on the thread pool: give it the moment it takes.
            Task.WaitAny(running.Select(r => (Task)r.Decision).ToArray(), TimeSpan.FromSeconds(10));
            var decided = running.Where(r => r.Decision.IsCompleted).ToList();
            Assert.NotEmpty(decided); // the oldest request can always be decided: no deadlock
            var (index, answered, decision) = decided[random.Next(decided.Count)];
            running.RemoveAll(r => r.Index == index);
            if (decision.Result is null)
            {
                sent.Add(index);
                answered.Settle(usage[index]);
            }
        }

        return sent;
    }

    private static BudgetRefusal? Decide(BudgetTicket ticket, long? estimate, long settle)
    {
        Task<BudgetRefusal?> decision = ticket.DecideAsync(estimate, CancellationToken.None);
        Assert.True(decision.IsCompleted, "the ticket's turn has come");
        if (decision.Result is null)
            ticket.Settle(settle);
        return decision.Result;
    }

    // ---- the commands ----

    [Fact]
    public void MaxTotalTokens_stops_the_run_before_the_request_that_would_pass_and_says_so_per_input()
    {
        using FakeGeminiServer server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run(Items(5) + " | Invoke-GeminiContent -MaxTotalTokens 12");

        // 5 and 10 are below 12, so the third goes (and passes the budget by one answer); then the run stops.
        Assert.Equal(3, server.RequestCount);
        Assert.Equal(new[] { "Echo: item 1", "Echo: item 2", "Echo: item 3" }, result.All<GenerateContentResponse>().Select(a => a.Text));
        Assert.Equal(2, result.Errors.Count);
        ErrorRecord error = result.Errors[0];
        Assert.Equal("GeminiBudgetExceeded,CometGemini.Commands.InvokeGeminiContentCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
        Assert.Equal("item 4", error.TargetObject);
        Assert.Equal("item 5", result.Errors[1].TargetObject);
        Assert.Contains("12 (-MaxTotalTokens)", error.ErrorDetails.Message);
        Assert.Contains("15 tokens used", error.ErrorDetails.Message);
        Assert.Contains("Raise -MaxTotalTokens", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void The_summary_shows_the_budget_the_tokens_used_and_the_inputs_it_stopped()
    {
        using FakeGeminiServer server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run(Items(5) + " | Invoke-GeminiContent -MaxTotalTokens 12 -Summary -ErrorAction SilentlyContinue | Where-Object { $_ -is [CometGemini.GeminiRunSummary] }");

        var summary = result.Single<GeminiRunSummary>();
        Assert.Equal(12, summary.MaxTotalTokens);
        Assert.Equal(3 * EchoTokens, summary.TotalTokens);
        Assert.Equal(new[] { "item 4", "item 5" }, summary.StoppedByBudget);
        Assert.Equal(5, summary.Inputs);
        Assert.Equal(3, summary.Requests);
        Assert.Equal(3, summary.Succeeded);
        Assert.Equal(2, summary.Failed);
        Assert.Null(summary.SessionMaxTotalTokens);
        Assert.Contains("15 tokens of a budget of 12, 2 stopped by the budget", summary.ToString());
    }

    [Fact]
    public void Every_round_of_tool_calls_counts_against_the_budget()
    {
        using FakeGeminiServer server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, """{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"Get-Answer","args":{}}}]},"finishReason":"STOP"}],"usageMetadata":{"totalTokenCount":40}}"""));
        server.Enqueue(FakeReply.Json(200, """{"candidates":[{"content":{"role":"model","parts":[{"text":"42"}]},"finishReason":"STOP"}],"usageMetadata":{"totalTokenCount":45}}"""));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            function Get-Answer { [CmdletBinding()] param() 42 }
            'first', 'second' | Invoke-GeminiContent -Tool Get-Answer -MaxTotalTokens 60 -Summary
            """);

        // The first input's two rounds (40 < 60, so the second goes) use 85; the second input is not sent.
        Assert.Equal(2, server.RequestCount);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("second", error.TargetObject);
        Assert.Contains("85 tokens used", error.ErrorDetails.Message);
        GeminiRunSummary summary = result.All<object>().OfType<GeminiRunSummary>().Single();
        Assert.Equal(85, summary.TotalTokens);
    }

    [Fact]
    public void A_tool_round_that_would_pass_the_budget_is_not_sent()
    {
        using FakeGeminiServer server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, """{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"Get-Answer","args":{}}}]},"finishReason":"STOP"}],"usageMetadata":{"totalTokenCount":70}}"""));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            function Get-Answer { [CmdletBinding()] param() 42 }
            'first' | Invoke-GeminiContent -Tool Get-Answer -MaxTotalTokens 60 -Summary
            """);

        Assert.Equal(1, server.RequestCount);
        Assert.Equal("GeminiBudgetExceeded", Assert.Single(result.Errors).FullyQualifiedErrorId.Split(',')[0]);
        GeminiRunSummary summary = result.All<object>().OfType<GeminiRunSummary>().Single();
        Assert.Equal(1, summary.Requests); // it was sent; its next round was not
        Assert.Equal(new[] { "first" }, summary.StoppedByBudget);
        Assert.Equal(1, summary.Inputs);
    }

    [Fact]
    public void Get_GeminiStream_counts_the_final_usage_of_each_streamed_answer()
    {
        using FakeGeminiServer server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run(Items(3) + " | Get-GeminiStream -MaxTotalTokens 10 -Verbose");

        // 5, then 10: the third is not sent (the chunks before the last say only the prompt's tokens).
        Assert.Equal(2, server.RequestCount);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("GeminiBudgetExceeded,CometGemini.Commands.GetGeminiStreamCommand", error.FullyQualifiedErrorId);
        Assert.Equal("item 3", error.TargetObject);
        Assert.Contains("10 tokens used", error.ErrorDetails.Message);
        Assert.Contains(result.Verbose, line => line.Contains("budget: 10 of 10 tokens used (-MaxTotalTokens)"));
    }

    [Fact]
    public void Strict_counts_each_prompt_through_countTokens_before_sending_it()
    {
        using FakeGeminiServer server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run(Items(2) + " | Invoke-GeminiContent -MaxTotalTokens 100 -Strict");

        result.AssertNoErrors();
        Assert.Equal(new[] { "countTokens", "generateContent", "countTokens", "generateContent" }, server.Requests.Select(r => r.Path.Split(':').Last()));
    }

    [Fact]
    public void Strict_refuses_a_request_whose_estimate_alone_would_pass_the_budget()
    {
        using FakeGeminiServer server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'one two three four five six seven eight nine ten eleven twelve', 'item 2' | Invoke-GeminiContent -MaxTotalTokens 10 -Strict");

        // The run stops at the first: the second is refused without being counted.
        Assert.Equal(new[] { "countTokens" }, server.Requests.Select(r => r.Path.Split(':').Last()));
        Assert.Equal(2, result.Errors.Count);
        ErrorRecord error = result.Errors[0];
        Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
        Assert.Contains("estimated at 12", error.ErrorDetails.Message);
        Assert.Equal("item 2", result.Errors[1].TargetObject);
        Assert.Contains("the run stopped before the token budget of 10 (-MaxTotalTokens) would be passed: 0 tokens were used or reserved", result.Errors[1].ErrorDetails.Message);
    }

    [Fact]
    public void Strict_without_a_budget_is_a_usage_error()
    {
        using FakeGeminiServer server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'hi' | Invoke-GeminiContent -Strict");

        Assert.Equal(0, server.RequestCount);
        Assert.Contains("GeminiStrictWithoutBudget", (result.Terminating as IContainsErrorRecord)?.ErrorRecord.FullyQualifiedErrorId ?? result.Terminating?.ToString());
    }

    [Fact]
    public void A_ThrottleLimit_4_run_stops_at_the_same_inputs_however_the_answers_are_timed()
    {
        var random = new Random(4711);
        using FakeGeminiServer server = FakeGeminiServer.Start(new FakeGeminiOptions
        {
            DefaultAnswerDelay = _ => TimeSpan.FromMilliseconds(random.Next(0, 40)),
        });
        using var shell = new Shell(server);

        for (int run = 0; run < 3; run++)
        {
            ShellResult result = shell.Run(Items(12) + " | Invoke-GeminiContent -ThrottleLimit 4 -MaxTotalTokens 23 -ErrorAction SilentlyContinue -ErrorVariable stopped; $stopped.TargetObject");

            // Request k counts the answers of requests 1 … k−4 (the three before it are in flight): 5·(k−4) < 23 up to k = 8.
            Assert.Equal(Enumerable.Range(1, 8).Select(i => $"Echo: item {i}"), result.Output.Where(o => o.BaseObject is GenerateContentResponse).Select(o => ((GenerateContentResponse)o.BaseObject).Text));
            Assert.Equal(Enumerable.Range(9, 4).Select(i => $"item {i}"), result.Output.Where(o => o.BaseObject is string).Select(o => (string)o.BaseObject));
        }

        Assert.Equal(3 * 8, server.RequestCount);
    }

    [Fact]
    public void The_key_never_appears_in_what_the_budget_guard_writes()
    {
        const string key = "budget-sentinel-key-93127";
        using FakeGeminiServer server = FakeGeminiServer.Start();
        server.ExpectedApiKey = key;
        using var shell = new Shell(server, apiKey: key);

        ShellResult result = shell.Run(Items(3) + " | Invoke-GeminiContent -MaxTotalTokens 6 -Strict -Summary -Verbose -Debug");

        Assert.NotEmpty(result.Errors);
        Assert.DoesNotContain(key, result.Everything());
    }
}

/// <summary>Connect-Gemini -MaxTotalTokens: the session's budget is process-wide, so these tests run alone and disconnect after.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class SessionBudgetTests : IDisposable
{
    private readonly FakeGeminiServer _server = FakeGeminiServer.Start();

    public void Dispose()
    {
        using (var shell = new Shell())
            shell.Run("Disconnect-Gemini").AssertNoErrors();
        _server.Dispose();
    }

    [Fact]
    public void A_session_budget_spans_the_commands_of_the_session_and_the_connection_shows_it()
    {
        using var shell = new Shell(_server);

        ShellResult result = shell.Run("""
            $c = Connect-Gemini -ApiKey 'test-key' -BaseUri $uri -MaxTotalTokens 8 -PassThru
            Invoke-GeminiContent 'item 1' | Out-Null
            "$($c.UsedTokens) $($c.RemainingTokens)"
            Get-GeminiStream 'item 2' | Out-Null
            Invoke-GeminiContent 'item 3' -MaxTotalTokens 1000 -Summary -ErrorVariable stopped -ErrorAction SilentlyContinue
            "$($c.UsedTokens) $($c.RemainingTokens) $($c.MaxTotalTokens)"
            $stopped[0].ErrorDetails.Message
            $stopped[0].ErrorDetails.RecommendedAction
            """);

        Assert.Null(result.Terminating);
        List<string> lines = result.Output.Where(o => o.BaseObject is string).Select(o => (string)o.BaseObject).ToList();
        Assert.Equal("5 3", lines[0]);
        Assert.Equal("10 0 8", lines[1]);
        Assert.Contains("8 (Connect-Gemini -MaxTotalTokens)", lines[2]);
        Assert.Contains("10 tokens used", lines[2]);
        Assert.Contains("Connect-Gemini -MaxTotalTokens", lines[3]);
        GeminiRunSummary summary = result.Output.Select(o => o.BaseObject).OfType<GeminiRunSummary>().Single();
        Assert.Equal(8, summary.SessionMaxTotalTokens);
        Assert.Equal(10, summary.SessionUsedTokens);
        Assert.Equal(1000, summary.MaxTotalTokens);
        Assert.Equal(2, _server.RequestCount);
    }
}
