using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using CometGemini.Client;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>
/// Retries never duplicate what reached the pipeline, stop at -MaxRetries, wait no longer than allowed, and leave
/// the requests that cannot succeed by waiting (400, 401, 403, 404) alone.
/// </summary>
public sealed class RetryCorrectnessTests
{
    private static readonly string[] ThreeChunks =
    {
        HostileServerTests.Chunk("one "), HostileServerTests.Chunk("two "), HostileServerTests.Chunk("three", last: true),
    };

    public static TheoryData<string, FakeReply> FailuresAfterOutput() => new()
    {
        { "reset", FakeReply.Sse(ThreeChunks) with { ResetAfter = 2 } },
        { "cut", FakeReply.Sse(ThreeChunks) with { CutAfter = 2 } },
        { "503 error tail", FakeReply.Sse(ThreeChunks.Take(2)) with { Tail = FakeReply.GoogleErrorJson(503, "UNAVAILABLE", "The model is overloaded.", "0s") } },
        { "429 error event", FakeReply.Sse(ThreeChunks.Take(2).Append("{\"error\":{\"code\":429,\"message\":\"slow down\",\"status\":\"RESOURCE_EXHAUSTED\"}}")) },
        { "ended without finish", FakeReply.Sse(ThreeChunks.Take(2)) },
        { "went silent", FakeReply.Sse(ThreeChunks) with { HangAfter = 2 } },
    };

    [Theory]
    [MemberData(nameof(FailuresAfterOutput))]
    public void A_stream_that_fails_after_output_is_not_restarted(string name, FakeReply reply)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(reply);
        server.Enqueue(FakeReply.Sse(ThreeChunks)); // what a silent restart would get
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'x' -TimeoutSec 3");

        Assert.Equal(new[] { "one ", "two " }, result.Output.Select(o => o.ToString()));
        ErrorRecord error = Assert.Single(result.Errors);
        var failure = Assert.IsType<GeminiException>(error.Exception);
        Assert.Equal("one two ", failure.PartialText);
        Assert.Equal(1, failure.Attempts);
        Assert.True(server.RequestCount == 1, $"{name}: {server.RequestCount} requests");
        Assert.Equal(1, server.PendingReplies);
    }

    public static TheoryData<string, FakeReply> FailuresBeforeOutput() => new()
    {
        { "503 status", FakeReply.Error(503, "UNAVAILABLE", "busy", "0s") },
        { "503 as first event", FakeReply.Sse(new[] { FakeReply.GoogleErrorJson(503, "UNAVAILABLE", "busy", "0s").Replace("\n", string.Empty) }) },
        { "reset before the first event", FakeReply.Sse(ThreeChunks) with { ResetAfter = 0 } },
    };

    [Theory]
    [MemberData(nameof(FailuresBeforeOutput))]
    public void A_stream_that_fails_before_output_is_retried_and_nothing_comes_twice(string name, FakeReply reply)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(reply);
        server.Enqueue(FakeReply.Sse(ThreeChunks));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'x' -Verbose");

        result.AssertNoErrors();
        Assert.Equal(new[] { "one ", "two ", "three" }, result.Output.Select(o => o.ToString()));
        Assert.True(server.RequestCount == 2, $"{name}: {server.RequestCount} requests");
        Assert.Contains(result.Verbose, v => v.Contains("Retrying"));
    }

    [Theory]
    [InlineData("Invoke-GeminiContent", 0)]
    [InlineData("Invoke-GeminiContent", 1)]
    [InlineData("Invoke-GeminiContent", 4)]
    [InlineData("Get-GeminiStream", 0)]
    [InlineData("Get-GeminiStream", 2)]
    public void MaxRetries_is_the_number_of_retries_exactly(string command, int maxRetries)
    {
        using var server = FakeGeminiServer.Start();
        for (int i = 0; i < 8; i++)
            server.Enqueue(FakeReply.Error(503, "UNAVAILABLE", "busy", "0s"));
        using var shell = new Shell(server);

        ShellResult result = shell.Run($"{command} 'x' -MaxRetries {maxRetries}");

        var failure = Assert.IsType<GeminiException>(Assert.Single(result.Errors).Exception);
        Assert.Equal(maxRetries + 1, server.RequestCount);
        Assert.Equal(maxRetries + 1, failure.Attempts);
        if (maxRetries > 0)
            Assert.Contains($"tried {maxRetries + 1} times", result.Errors[0].ErrorDetails!.RecommendedAction);
    }

    [Theory]
    [InlineData("Invoke-GeminiContent", 400, "INVALID_ARGUMENT")]
    [InlineData("Invoke-GeminiContent", 401, "UNAUTHENTICATED")]
    [InlineData("Invoke-GeminiContent", 403, "PERMISSION_DENIED")]
    [InlineData("Invoke-GeminiContent", 404, "NOT_FOUND")]
    [InlineData("Get-GeminiStream", 400, "INVALID_ARGUMENT")]
    [InlineData("Get-GeminiStream", 401, "UNAUTHENTICATED")]
    [InlineData("Get-GeminiStream", 403, "PERMISSION_DENIED")]
    [InlineData("Get-GeminiStream", 404, "NOT_FOUND")]
    public void Requests_that_waiting_cannot_fix_are_never_retried_even_when_the_server_says_when(string command, int status, string googleStatus)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Error(status, googleStatus, "no", retryDelay: "0s").WithHeaders(("Retry-After", "0")));
        server.Enqueue(FakeReply.Error(status, googleStatus, "no", retryDelay: "0s"));
        using var shell = new Shell(server);

        ShellResult result = shell.Run($"{command} 'x' -MaxRetries 5");

        var failure = Assert.IsType<GeminiException>(Assert.Single(result.Errors).Exception);
        Assert.Equal(status, failure.StatusCode);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal(1, failure.Attempts);
    }

    [Fact]
    public void TimeoutSec_caps_the_total_wait_including_retries_and_tells_the_last_failure()
    {
        using var server = FakeGeminiServer.Start();
        for (int i = 0; i < 5; i++)
            server.Enqueue(FakeReply.Error(503, "UNAVAILABLE", "The model is overloaded.", "20s"));
        using var shell = new Shell(server);

        var clock = Stopwatch.StartNew();
        ShellResult result = shell.Run("Invoke-GeminiContent 'x' -MaxRetries 10 -TimeoutSec 3");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}"); // not 20 s per retry
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Contains("overloaded", error.Exception.Message);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public void Every_backoff_is_capped_and_the_sum_over_the_most_retries_allowed_is_bounded()
    {
        var policy = new RetryPolicy(10);
        var transient = new GeminiException(GeminiFailure.Http, "busy") { StatusCode = 503 };
        for (int round = 0; round < 200; round++)
        {
            TimeSpan total = TimeSpan.Zero;
            for (int retry = 1; policy.NextDelay(transient, retry) is TimeSpan delay; retry++)
            {
                Assert.InRange(delay, TimeSpan.Zero, RetryPolicy.MaxDelay);
                total += delay;
                Assert.True(retry <= 10);
            }

            Assert.True(total <= TimeSpan.FromMinutes(10), $"{total}");
        }

        Assert.Null(policy.NextDelay(new GeminiException(GeminiFailure.Http, "quota") { StatusCode = 429, RetryAfter = TimeSpan.FromMinutes(5) }, 1));
        Assert.Equal(TimeSpan.FromSeconds(60), policy.NextDelay(new GeminiException(GeminiFailure.Http, "quota") { StatusCode = 429, RetryAfter = TimeSpan.FromSeconds(60) }, 1));
    }

    [Fact]
    public void Piped_prompts_each_get_their_own_retries_and_exactly_one_answer()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Error(503, "UNAVAILABLE", "busy", "0s"));
        server.Enqueue(FakeReply.Error(429, "RESOURCE_EXHAUSTED", "slow", "0s"));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'a', 'b', 'c' | Invoke-GeminiContent | ForEach-Object { $_.Text }");

        result.AssertNoErrors();
        Assert.Equal(new[] { "Echo: a", "Echo: b", "Echo: c" }, result.Output.Select(o => o.ToString()));
        Assert.Equal(5, server.RequestCount);
    }
}
