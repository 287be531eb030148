using System;
using System.Linq;
using System.Management.Automation;
using CometGemini.Client;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

public sealed class GetGeminiStreamTests
{
    private static readonly string[] ThreeChunks =
    {
        """{"candidates":[{"content":{"parts":[{"text":"The"}],"role":"model"}}],"usageMetadata":{"promptTokenCount":5,"totalTokenCount":5},"modelVersion":"gemini-3-flash-preview","responseId":"r1"}""",
        """{"candidates":[{"content":{"parts":[{"text":" quick"}],"role":"model"}}],"usageMetadata":{"promptTokenCount":5,"totalTokenCount":5},"modelVersion":"gemini-3-flash-preview","responseId":"r1"}""",
        """{"candidates":[{"content":{"parts":[{"text":" fox."}],"role":"model"},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":3,"totalTokenCount":8},"modelVersion":"gemini-3-flash-preview","responseId":"r1"}""",
    };

    [Fact]
    public void Each_server_event_becomes_a_chunk_object()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'Tell me a story' | Get-GeminiStream");

        result.AssertNoErrors();
        var chunks = result.All<GeminiStreamChunk>();
        Assert.True(chunks.Count >= 2);
        Assert.Equal("Echo: Tell me a story", string.Concat(chunks.Select(c => c.Text)));
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Index));
        Assert.Equal("STOP", chunks[^1].FinishReason);
        Assert.All(chunks.Take(chunks.Count - 1), c => Assert.Null(c.FinishReason));
        Assert.NotNull(chunks[^1].UsageMetadata);
        Assert.Equal("/v1beta/models/gemini-3-flash-preview:streamGenerateContent?alt=sse", Assert.Single(server.Requests).PathAndQuery);
    }

    [Theory]
    [InlineData("pydantic-ai/derived/test_google_model_stream.0.response.sse", "The capital of France is Paris.\n")]
    [InlineData("firebase-test-data/googleai/streaming-success-basic-reply-short.txt", null)]
    public void Recorded_streams_replay_into_the_same_text(string fixture, string? expected)
    {
        using var server = FakeGeminiServer.Start();
        string body = Paths.FixtureText(fixture);
        server.Enqueue(FakeReply.SseRaw(body));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'What is the capital of France?'");

        result.AssertNoErrors();
        var chunks = result.All<GeminiStreamChunk>();
        int events = body.Split("data:").Length - 1;
        Assert.Equal(events, chunks.Count);
        if (expected is not null)
            Assert.Equal(expected, string.Concat(chunks.Select(c => c.Text)));
        Assert.Equal("STOP", chunks[^1].FinishReason);
    }

    [Fact]
    public void LF_framing_from_a_proxy_reads_the_same()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Sse(ThreeChunks) with { Framing = "\n\n" });
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'x'");

        result.AssertNoErrors();
        Assert.Equal("The quick fox.", string.Concat(result.All<GeminiStreamChunk>().Select(c => c.Text)));
    }

    [Fact]
    public void Thought_chunks_are_marked_and_can_be_filtered()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.SseRaw(Paths.FixtureText("firebase-test-data/googleai/streaming-success-thinking-reply-thought-summary.txt")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'Think' -IncludeThoughts | Where-Object { -not $_.IsThought }");

        result.AssertNoErrors();
        var answer = result.All<GeminiStreamChunk>();
        Assert.NotEmpty(answer);
        Assert.All(answer, c => Assert.False(c.IsThought));

        using var again = FakeGeminiServer.Start();
        again.Enqueue(FakeReply.SseRaw(Paths.FixtureText("firebase-test-data/googleai/streaming-success-thinking-reply-thought-summary.txt")));
        using var shell2 = new Shell(again);
        Assert.Contains(shell2.Run("Get-GeminiStream 'Think' -IncludeThoughts").All<GeminiStreamChunk>(), c => c.IsThought);
    }

    [Fact]
    public async Task A_downstream_command_sees_chunk_one_before_the_server_sends_chunk_two_and_Ctrl_C_stops_the_stream()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Sse(ThreeChunks) with { HangAfter = 1 });
        using var shell = new Shell(server);

        using RunningScript running = shell.Start("Get-GeminiStream 'x' | ForEach-Object { $_.Text }");
        running.WaitForFirstOutput(); // the server is holding chunk 2 back until the client goes away
        running.Stop();
        ShellResult result = running.Finish();

        Assert.Equal(PSInvocationState.Stopped, running.State);
        Assert.Equal("The", Assert.Single(result.Output).ToString());
        await server.WaitForClientDisconnectAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Ctrl_C_cancels_a_request_that_is_waiting_for_headers()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.NoHeaders());
        using var shell = new Shell(server);

        using RunningScript running = shell.Start("Invoke-GeminiContent 'x'");
        await server.WaitForRequestAsync(1, TimeSpan.FromSeconds(10));
        running.Stop();
        running.Finish();

        Assert.Equal(PSInvocationState.Stopped, running.State);
        await server.WaitForClientDisconnectAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_downstream_command_that_ends_the_pipeline_early_closes_the_stream()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Sse(ThreeChunks) with { HangAfter = 1 });
        using var shell = new Shell(server);

        // 'break' outside a loop ends the pipeline the way Select-Object -First does: no StopProcessing upstream.
        ShellResult result = shell.Run("Get-GeminiStream 'x' | ForEach-Object { $_.Text; break }");

        Assert.Equal("The", Assert.Single(result.Output).ToString());
        await server.WaitForClientDisconnectAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void An_error_tail_after_some_chunks_becomes_an_error_after_those_chunks()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.SseRaw(Paths.FixtureText("firebase-test-data/vertexai/streaming-failure-error-mid-stream.txt")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'x'");

        Assert.Equal(new[] { "First ", "Second " }, result.All<GeminiStreamChunk>().Select(c => c.Text));
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.ProtocolError, error.CategoryInfo.Category);
        var failure = Assert.IsType<GeminiException>(error.Exception);
        Assert.Equal(GeminiFailure.MidStream, failure.Failure);
        Assert.Equal(499, failure.StatusCode);
        Assert.Equal("CANCELLED", failure.Status);
        Assert.Equal("First Second ", failure.PartialText);
        Assert.Equal("x", error.TargetObject);
        Assert.Equal(new[] { "Output", "Output", "Error" }, result.Log.Select(l => l.Stream)); // the error follows the chunks
    }

    [Fact]
    public void An_error_event_with_data_prefix_is_an_error_too()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Sse(new[] { ThreeChunks[0], """{"error":{"code":503,"message":"This model is currently experiencing high demand.","status":"UNAVAILABLE"}}""" }));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'x'");

        Assert.Single(result.Output);
        var failure = Assert.IsType<GeminiException>(Assert.Single(result.Errors).Exception);
        Assert.Equal(503, failure.StatusCode);
        Assert.Contains("high demand", failure.Message);
        Assert.Single(server.Requests); // a stream that already delivered chunks is never retried
    }

    [Fact]
    public void A_stream_cut_before_its_finish_reason_is_reported_as_truncated()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Sse(ThreeChunks) with { CutAfter = 2 });
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'x'");

        Assert.Equal(2, result.Output.Count);
        ErrorRecord error = Assert.Single(result.Errors);
        var failure = Assert.IsType<GeminiException>(error.Exception);
        Assert.True(failure.Failure is GeminiFailure.Truncated or GeminiFailure.Network, failure.Failure.ToString());
        Assert.Equal("The quick", failure.PartialText);
        Assert.Single(server.Requests);
    }

    [Fact]
    public void A_blocked_prompt_in_a_stream_warns_with_the_reason()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.SseRaw(Paths.FixtureText("firebase-test-data/googleai/streaming-failure-prompt-blocked-safety.txt")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'something bad'");

        Assert.Empty(result.Errors);
        Assert.Single(result.Output);
        Assert.Contains(result.Warnings, w => w.Contains("blocked") && w.Contains("SAFETY"));
    }

    [Fact]
    public void Errors_before_the_stream_starts_are_retried_like_unary_calls()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Raw(503, "text/event-stream", Paths.FixtureText("logs-and-issues/error-503-unavailable.high-demand.json"), ("Retry-After", "0")));
        server.Enqueue(FakeReply.Sse(ThreeChunks));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'x' -Verbose");

        result.AssertNoErrors();
        Assert.Equal(3, result.Output.Count);
        Assert.Equal(2, server.Requests.Count);
        Assert.Contains(result.Verbose, v => v.Contains("Retrying"));
    }

    [Fact]
    public void A_stream_that_goes_silent_ends_at_the_timeout_and_keeps_what_arrived()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Sse(ThreeChunks) with { HangAfter = 1 });
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'x' -TimeoutSec 1");

        Assert.Single(result.Output);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Equal("The", ((GeminiException)error.Exception).PartialText);
    }
}
