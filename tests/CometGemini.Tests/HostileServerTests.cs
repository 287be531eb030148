using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Text;
using CometGemini.Client;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>
/// A server that misbehaves in every way the issue lists. Each case ends in its documented outcome within a bound
/// (the bounds are generous: they catch hangs, they do not time the module), and what arrived before a failure is on
/// the error record: the chunks in the pipeline, their text in the exception's PartialText.
/// </summary>
public sealed class HostileServerTests
{
    // Far above any timeout used here; a case that needs longer is hanging.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    internal static string Chunk(string text, bool last = false) =>
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":" + System.Text.Json.JsonSerializer.Serialize(text) + "}],\"role\":\"model\"}"
        + (last ? ",\"finishReason\":\"STOP\"" : string.Empty) + ",\"index\":0}]}";

    private static readonly string[] ThreeChunks = { Chunk("one "), Chunk("two "), Chunk("three", last: true) };

    private static (ShellResult Result, TimeSpan Took) Timed(Shell shell, string script)
    {
        var clock = Stopwatch.StartNew();
        ShellResult result = shell.Run(script);
        return (result, clock.Elapsed);
    }

    private static GeminiException Failure(ShellResult result)
    {
        Assert.Null(result.Terminating);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction), "the error says what to do");
        return Assert.IsType<GeminiException>(error.Exception);
    }

    [Theory]
    [InlineData("Invoke-GeminiContent")]
    [InlineData("Get-GeminiStream")]
    public void Headers_that_never_come_end_at_TimeoutSec(string command)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.NoHeaders());
        using var shell = new Shell(server);

        (ShellResult result, TimeSpan took) = Timed(shell, $"{command} 'x' -TimeoutSec 1 -MaxRetries 0");

        GeminiException failure = Failure(result);
        Assert.Equal(GeminiFailure.Timeout, failure.Failure);
        Assert.Equal(ErrorCategory.OperationTimeout, result.Errors[0].CategoryInfo.Category);
        Assert.Contains("-TimeoutSec", failure.Message);
        Assert.True(took < Hang, $"took {took}");
    }

    [Fact]
    public void A_stream_that_stops_mid_chunk_and_hangs_ends_at_the_idle_timeout_keeping_the_first_chunk()
    {
        using var server = FakeGeminiServer.Start();
        string body = "data: " + ThreeChunks[0] + "\r\n\r\ndata: {\"candidates\":[{\"content\":{\"parts\":[{\"te";
        server.Enqueue(FakeReply.SseRaw(body) with { HangAfter = 2 });
        using var shell = new Shell(server);

        (ShellResult result, TimeSpan took) = Timed(shell, "Get-GeminiStream 'x' -TimeoutSec 2");

        Assert.Equal("one ", Assert.Single(result.Output).ToString());
        GeminiException failure = Failure(result);
        Assert.Equal(GeminiFailure.Timeout, failure.Failure);
        Assert.Equal("one ", failure.PartialText);
        Assert.Single(failure.PartialChunks);
        Assert.Contains("written to the pipeline", result.Errors[0].ErrorDetails!.RecommendedAction);
        Assert.Equal("x", result.Errors[0].TargetObject);
        Assert.True(took < Hang, $"took {took}");
    }

    [Fact]
    public void A_connection_reset_after_two_chunks_keeps_both_and_is_not_retried()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Sse(ThreeChunks) with { ResetAfter = 2 });
        server.Enqueue(FakeReply.Sse(ThreeChunks)); // a retry would take this and duplicate the chunks
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'x'");

        Assert.Equal(new[] { "one ", "two " }, result.Output.Select(o => o.ToString()));
        GeminiException failure = Failure(result);
        Assert.Equal(GeminiFailure.Network, failure.Failure);
        Assert.Equal(ErrorCategory.ConnectionError, result.Errors[0].CategoryInfo.Category);
        Assert.Equal("one two ", failure.PartialText);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal(1, server.PendingReplies);
    }

    [Theory]
    [InlineData("Invoke-GeminiContent", 200)]
    [InlineData("Get-GeminiStream", 200)]
    [InlineData("Invoke-GeminiContent", 404)]
    [InlineData("Get-GeminiStream", 404)]
    public void An_HTML_page_instead_of_JSON_is_a_wrong_endpoint(string command, int status)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Raw(status, "text/html; charset=utf-8", "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Welcome</body></html>\n"));
        using var shell = new Shell(server);

        ShellResult result = shell.Run($"{command} 'x'");

        GeminiException failure = Failure(result);
        Assert.Equal(GeminiFailure.WrongEndpoint, failure.Failure);
        Assert.Contains("-BaseUri", result.Errors[0].ErrorDetails!.RecommendedAction);
        Assert.Equal(1, server.RequestCount);
    }

    [Theory]
    [InlineData("Invoke-GeminiContent", "application/json")]
    [InlineData("Get-GeminiStream", "text/event-stream")]
    public void A_200_with_an_empty_body_is_a_protocol_error_that_says_so(string command, string contentType)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Raw(200, contentType, string.Empty));
        using var shell = new Shell(server);

        ShellResult result = shell.Run($"{command} 'x' -MaxRetries 0");

        GeminiException failure = Failure(result);
        Assert.Equal(GeminiFailure.Protocol, failure.Failure);
        Assert.Contains("empty", failure.Message);
        Assert.Empty(result.Output);
    }

    [Theory]
    [InlineData("Invoke-GeminiContent")]
    [InlineData("Get-GeminiStream")]
    public void A_200_whose_body_is_an_error_object_is_that_error(string command)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, FakeReply.GoogleErrorJson(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers.")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run($"{command} 'x'");

        GeminiException failure = Failure(result);
        Assert.Equal(403, failure.StatusCode);
        Assert.Equal(ErrorCategory.PermissionDenied, result.Errors[0].CategoryInfo.Category);
        Assert.Contains("unregistered callers", failure.Message);
        Assert.Equal(1, server.RequestCount); // a 403 is never retried
    }

    [Fact]
    public void A_10_MB_single_SSE_line_arrives_whole()
    {
        string big = new string('a', 10 * 1024 * 1024 - 1) + "z";
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { RecordRequests = false });
        server.Enqueue(FakeReply.Sse(new[] { Chunk("start "), Chunk(big, last: true) }));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'x' | ForEach-Object { $_.Text.Length }");

        result.AssertNoErrors();
        Assert.Equal(new object[] { 6, big.Length }, result.Output.Select(o => o.BaseObject));
    }

    [Theory]
    [InlineData("Invoke-GeminiContent")]
    [InlineData("Get-GeminiStream")]
    public void Gzip_compressed_bodies_are_read(string command)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(command == "Get-GeminiStream"
            ? FakeReply.Sse(ThreeChunks).WithGzip()
            : FakeReply.Json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + new string('z', 50_000) + "\"}]},\"finishReason\":\"STOP\"}]}").WithGzip());
        using var shell = new Shell(server);

        ShellResult result = shell.Run($"({command} 'x' | ForEach-Object {{ $_.Text }}) -join ''");

        result.AssertNoErrors();
        Assert.Equal(command == "Get-GeminiStream" ? "one two three" : new string('z', 50_000), result.Single<string>());
        Assert.Contains("gzip", Assert.Single(server.Requests).Headers.First(h => h.Key.Equals("Accept-Encoding", StringComparison.OrdinalIgnoreCase)).Value);
    }

    [Theory]
    [InlineData("Invoke-GeminiContent", 301)]
    [InlineData("Invoke-GeminiContent", 307)]
    [InlineData("Get-GeminiStream", 302)]
    [InlineData("Get-GeminiStream", 308)]
    public void Redirects_are_not_followed_so_the_key_never_travels_elsewhere(string command, int status)
    {
        using var elsewhere = FakeGeminiServer.Start();
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Raw(status, "text/html", "<html>moved</html>", ("Location", elsewhere.BaseUri + "v1beta/models/gemini-2.5-flash:generateContent")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run($"{command} 'x'");

        GeminiException failure = Failure(result);
        Assert.Equal(GeminiFailure.WrongEndpoint, failure.Failure);
        Assert.Contains("redirect", failure.Message);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal(0, elsewhere.RequestCount);
    }

    [Fact]
    public void A_stream_trickling_one_byte_per_100_ms_ends_at_the_timeout_with_what_arrived()
    {
        using var server = FakeGeminiServer.Start();
        // The first chunk comes at once; the rest trickles, so no whole chunk arrives within the limit.
        server.Enqueue(FakeReply.Sse(ThreeChunks) with { ByteDelay = TimeSpan.FromMilliseconds(100), TrickleAfter = 1 });
        using var shell = new Shell(server);

        (ShellResult result, TimeSpan took) = Timed(shell, "Get-GeminiStream 'x' -TimeoutSec 2 -MaxRetries 0");

        Assert.Equal("one ", Assert.Single(result.Output).ToString());
        GeminiException failure = Failure(result);
        Assert.Equal(GeminiFailure.Timeout, failure.Failure);
        Assert.Equal("one ", failure.PartialText);
        Assert.DoesNotContain("sent nothing", failure.Message); // it did send: bytes, never a whole chunk
        Assert.True(took < Hang, $"took {took}");
    }

    [Fact]
    public void An_answer_trickling_one_byte_per_100_ms_ends_at_the_timeout()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"slow\"}]},\"finishReason\":\"STOP\"}]}") with { ByteDelay = TimeSpan.FromMilliseconds(100) });
        using var shell = new Shell(server);

        (ShellResult result, TimeSpan took) = Timed(shell, "Invoke-GeminiContent 'x' -TimeoutSec 1 -MaxRetries 0");

        Assert.Equal(GeminiFailure.Timeout, Failure(result).Failure);
        Assert.True(took < Hang, $"took {took}");
    }

    [Fact]
    public void A_trickle_that_finishes_within_the_limit_gives_the_whole_answer()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Sse(new[] { Chunk("a"), Chunk("b", last: true) }) with { ByteDelay = TimeSpan.FromMilliseconds(2) });
        using var shell = new Shell(server);

        ShellResult result = shell.Run("(Get-GeminiStream 'x' -TimeoutSec 20 | ForEach-Object { $_.Text }) -join ''");

        result.AssertNoErrors();
        Assert.Equal("ab", result.Single<string>());
    }
}
