using System;
using System.Linq;
using System.Management.Automation;
using CometGemini.Client;
using CometGemini.Tests.Harness;
using FakeGemini;
using Xunit.Abstractions;

namespace CometGemini.Tests;

/// <summary>
/// The memory figures below count every byte the process allocates, so these tests run alone (after the parallel ones):
/// another test's allocations would blur them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LimitsCollection
{
    public const string Name = "Limits";
}

/// <summary>
/// One response-size limit (-MaxResponseSize) under servers that lie or never stop: Content-Length is a hint, compressed
/// bodies count after decompression, endless bodies and lines end at the limit, and one oversized answer is an error
/// for its own input only, never retried.
/// </summary>
[Collection(LimitsCollection.Name)]
public sealed class ResponseLimitTests
{
    private const long MB = 1024 * 1024;
    private readonly ITestOutputHelper _output;

    public ResponseLimitTests(ITestOutputHelper output) => _output = output;

    private static string Answer(string text) => HostileServerTests.Chunk(text, last: true);

    /// <summary>Bytes the whole process allocated while <paramref name="run"/> ran: an upper bound for what the module reserved.</summary>
    internal static long Allocated(Action run)
    {
        GC.Collect();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        run();
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }

    private static ErrorRecord TooLarge(ShellResult result, object target)
    {
        Assert.Null(result.Terminating);
        ErrorRecord error = Assert.Single(result.Errors, e => Equals(e.TargetObject, target));
        Assert.Equal("GeminiResponseTooLarge", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
        GeminiException failure = Assert.IsType<GeminiException>(error.Exception);
        Assert.Equal(GeminiFailure.ResponseTooLarge, failure.Failure);
        Assert.Contains("-MaxResponseSize", failure.Message);
        Assert.Contains("Connect-Gemini -MaxResponseSize", error.ErrorDetails!.RecommendedAction);
        return error;
    }

    [Theory]
    [InlineData(2_147_483_647L)]
    [InlineData(9_000_000_000L)]
    [InlineData(2_000_000_000L)]
    public void A_Content_Length_over_the_limit_is_the_size_error_for_that_input_and_the_next_inputs_are_answered(long announced)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(":generateContent", FakeReply.Json(200, "{\"candidates\":[") with { AnnouncedLength = announced, HangAfter = 1 });
        using var shell = new Shell(server);

        long allocated = 0;
        ShellResult result = null!;
        allocated = Allocated(() => result = shell.Run("'liar', 'b', 'c' | Invoke-GeminiContent -TimeoutSec 20"));

        ErrorRecord error = TooLarge(result, "liar");
        Assert.Contains("Content-Length", error.Exception.Message);
        Assert.Equal(new[] { "Echo: b", "Echo: c" }, result.All<GenerateContentResponse>().Select(r => r.Text));
        Assert.Equal(3, server.RequestCount); // not retried
        Assert.True(allocated < 100 * MB, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Twelve_answers_announcing_2_GB_then_silent_reserve_nothing_even_under_a_2_GB_limit()
    {
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { RecordRequests = false });
        for (int i = 0; i < 12; i++)
            server.Enqueue(":generateContent", FakeReply.Json(200, "{\"candidates\":[") with { AnnouncedLength = 2_000_000_000, HangAfter = 1 });
        using var shell = new Shell(server);
        shell.Set("inputs", Enumerable.Range(1, 12).Select(i => $"p{i}").ToArray());

        ShellResult result = null!;
        long allocated = Allocated(() => result = shell.Run("$inputs | Invoke-GeminiContent -ThrottleLimit 12 -MaxResponseSize 2GB -TimeoutSec 2 -MaxRetries 0"));

        _output.WriteLine($"allocated {allocated / (double)MB:0.0} MB for 12 answers announcing 2,000,000,000 bytes");
        Assert.Null(result.Terminating);
        Assert.Equal(12, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal(GeminiFailure.Timeout, Assert.IsType<GeminiException>(e.Exception).Failure));
        Assert.True(allocated < 100 * MB, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void A_gzip_bomb_is_bounded_after_decompression_and_the_next_input_is_answered()
    {
        FakeReply bomb = FakeReply.GzipBomb(256 * MB); // made before the count starts: the fake runs in this process
        using var server = FakeGeminiServer.Start();
        server.Enqueue(":generateContent", bomb);
        using var shell = new Shell(server);

        ShellResult result = null!;
        long allocated = Allocated(() => result = shell.Run("'bomb', 'b' | Invoke-GeminiContent -MaxResponseSize 4MB"));

        _output.WriteLine($"gzip bomb of {bomb.Body.Length:N0} bytes (256 MB inflated): {allocated / (double)MB:0.0} MB allocated");
        TooLarge(result, "bomb");
        Assert.Equal("Echo: b", result.Single<GenerateContentResponse>().Text);
        Assert.Equal(2, server.RequestCount);
        Assert.True(allocated < 100 * MB, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void An_endless_chunked_body_ends_at_the_limit()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(":generateContent", FakeReply.EndlessBody());
        using var shell = new Shell(server);

        ShellResult result = null!;
        long allocated = Allocated(() => result = shell.Run("'endless', 'b' | Invoke-GeminiContent -MaxResponseSize 8MB -TimeoutSec 60"));

        TooLarge(result, "endless");
        Assert.Equal("Echo: b", result.Single<GenerateContentResponse>().Text);
        Assert.True(allocated < 100 * MB, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void An_endless_SSE_line_ends_at_the_limit_keeping_the_chunk_before_it()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue("streamGenerateContent", FakeReply.EndlessSseLine(HostileServerTests.Chunk("first ")));
        using var shell = new Shell(server);

        ShellResult result = null!;
        long allocated = Allocated(() => result = shell.Run("'endless', 'b' | Get-GeminiStream -MaxResponseSize 8MB -TimeoutSec 60"));

        ErrorRecord error = TooLarge(result, "endless");
        var failure = (GeminiException)error.Exception;
        Assert.Equal("first ", failure.PartialText);
        Assert.Contains("written to the pipeline", error.ErrorDetails!.RecommendedAction);
        var chunks = result.All<GeminiStreamChunk>();
        Assert.Equal("first ", string.Concat(chunks.Where(c => Equals(c.Input, "endless")).Select(c => c.Text)));
        Assert.Equal("Echo: b", string.Concat(chunks.Where(c => Equals(c.Input, "b")).Select(c => c.Text)));
        Assert.Equal(2, server.RequestCount);
        Assert.True(allocated < 100 * MB, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public async System.Threading.Tasks.Task Ctrl_C_while_an_endless_line_or_body_pours_in_stops_the_command_and_drops_the_connection()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue("streamGenerateContent", FakeReply.EndlessSseLine(HostileServerTests.Chunk("first ")));
        server.Enqueue(":generateContent", FakeReply.EndlessBody());
        using var shell = new Shell(server);

        using (RunningScript stream = shell.Start("Get-GeminiStream 'endless line'"))
        {
            stream.WaitForFirstOutput(); // the first chunk is out; the endless line is being read
            stream.Stop();
            stream.Finish();
            Assert.Equal(System.Management.Automation.PSInvocationState.Stopped, stream.State);
        }

        await server.WaitForClientDisconnectAsync(TimeSpan.FromSeconds(10));
        using (RunningScript body = shell.Start("Invoke-GeminiContent 'endless body'"))
        {
            await server.WaitForRequestAsync(2, TimeSpan.FromSeconds(10));
            await System.Threading.Tasks.Task.Delay(200); // the body is pouring in
            body.Stop();
            body.Finish();
            Assert.Equal(System.Management.Automation.PSInvocationState.Stopped, body.State);
        }

        await server.WaitForClientDisconnectAsync(2, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_stream_whose_first_event_is_too_large_is_not_retried()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue("streamGenerateContent", FakeReply.Sse(new[] { Answer(new string('x', 4096)) }));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'big' -MaxResponseSize 1KB");

        TooLarge(result, "big");
        Assert.Empty(result.Output);
        Assert.Equal(1, server.RequestCount);
    }

    [Theory]
    [InlineData(":embedContent", "Get-GeminiEmbedding 'x' -MaxResponseSize 1KB")]
    [InlineData(":countTokens", "Measure-GeminiToken 'x' -MaxResponseSize 1KB")]
    [InlineData("/cachedContents", "Get-GeminiCache -MaxResponseSize 1KB")]
    [InlineData("/models", "Get-GeminiModel -MaxResponseSize 1KB")]
    [InlineData(":generateContent", "Invoke-GeminiContent 'x' -MaxResponseSize 1KB")]
    public void Every_kind_of_call_is_bounded(string path, string script)
    {
        using var server = FakeGeminiServer.Start();
        // A valid but padded body: today it parses; over the limit it must not be read.
        server.Enqueue(path, FakeReply.Json(200, "{" + new string(' ', 4096) + "}"));
        server.Enqueue(path, FakeReply.Json(200, "{" + new string(' ', 4096) + "}") with { Chunked = true });
        using var shell = new Shell(server);

        foreach (string _ in new[] { "announced", "chunked" })
        {
            ShellResult result = shell.Run(script);
            Assert.Null(result.Terminating);
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("GeminiResponseTooLarge", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
        }

        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public void An_answer_within_the_limit_is_read_whole_with_or_without_Content_Length()
    {
        using var server = FakeGeminiServer.Start();
        string text = new('y', 200_000);
        server.Enqueue(":generateContent", FakeReply.Json(200, Answer(text)));
        server.Enqueue(":generateContent", FakeReply.Json(200, Answer(text)) with { Chunked = true });
        server.Enqueue(":generateContent", FakeReply.Json(200, Answer(text)).WithGzip());
        using var shell = new Shell(server);

        ShellResult result = shell.Run("1..3 | ForEach-Object { \"p$_\" } | Invoke-GeminiContent -MaxResponseSize 1MB");

        result.AssertNoErrors();
        Assert.All(result.All<GenerateContentResponse>(), r => Assert.Equal(text, r.Text));
    }

    [Fact]
    public void The_limit_parameter_refuses_values_outside_1_KB_to_2_GB()
    {
        using var shell = new Shell();
        foreach (string value in new[] { "1023", "3GB" })
        {
            ShellResult result = shell.Run($"Invoke-GeminiContent 'x' -MaxResponseSize {value}");
            ParameterBindingException refused = Assert.IsAssignableFrom<ParameterBindingException>(result.Terminating);
            Assert.Equal("MaxResponseSize", refused.ParameterName);
        }
    }
}
