using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading;
using CometGemini.Client;
using CometGemini.Tests.Harness;
using CsCheck;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>
/// The SSE reader and the response parser under generated and mutated input: the outcome is always the right
/// chunks or a GeminiException, never another exception, a hang or a stack overflow. The seeds are in
/// Fixtures/fuzz-corpus; COMETGEMINI_LONG_TESTS=1 runs fifty times as many cases.
/// </summary>
public sealed class FuzzTests
{
    private static readonly string[] LineEnds = { "\r\n", "\n", "\r" };

    // ---- SSE reader: a model of the format, generated, framed every way, split anywhere ----

    private sealed record SseLine(int Kind, string Value, int End); // Kind: 0 data, 1 data without space, 2 comment, 3 event, 4 id, 5 retry

    private static readonly Gen<string> Value =
        Gen.Char["abcxyz {}[]\":,.-_/\\é世0123456789"].Array[0, 24].Select(a => new string(a));

    private static readonly Gen<SseLine> Line = Gen.Select(Gen.Frequency((6, Gen.Int[0, 1]), (1, Gen.Int[2, 5])), Value, Gen.Int[0, 2], (k, v, e) => new SseLine(k, v, e));

    private static readonly Gen<(bool Bom, SseLine[][] Events, int BlankEnd)> Stream =
        Gen.Select(Gen.Bool, Line.Array[1, 4].Array[0, 6], Gen.Int[0, 2]);

    /// <summary>The body, and the events a correct reader must give for it (data lines joined with LF).</summary>
    private static (byte[] Body, List<string> Expected) Render(bool bom, SseLine[][] events, int blankEnd)
    {
        var text = new StringBuilder(bom ? "\uFEFF" : string.Empty);
        var expected = new List<string>();
        string previousEnd = string.Empty;
        foreach (SseLine[] evt in events)
        {
            var data = new List<string>();
            foreach (SseLine line in evt)
            {
                string end = LineEnds[line.End];
                switch (line.Kind)
                {
                    case 0:
                        text.Append("data: ").Append(line.Value);
                        data.Add(line.Value);
                        break;
                    case 1:
                        text.Append("data:").Append(line.Value);
                        data.Add(line.Value.StartsWith(' ') ? line.Value[1..] : line.Value); // one leading space is the separator
                        break;
                    case 2:
                        text.Append(':').Append(line.Value);
                        break;
                    default:
                        text.Append(line.Kind switch { 3 => "event: ", 4 => "id: ", _ => "retry: " }).Append(line.Value);
                        break;
                }

                text.Append(end);
                previousEnd = end;
            }

            // A CR then an LF is one line end, so after a bare CR the blank line must not start with LF.
            string blank = LineEnds[blankEnd];
            if (previousEnd == "\r" && blank != "\r")
                blank = "\r";
            text.Append(blank);
            previousEnd = blank;
            if (data.Count > 0)
                expected.Add(string.Join("\n", data));
        }

        return (Encoding.UTF8.GetBytes(text.ToString()), expected);
    }

    private static List<(string? Data, string? Raw)> ReadAll(Stream stream, int maxEventBytes = 256 * 1024 * 1024)
    {
        var reader = new SseReader(stream, maxEventBytes);
        var events = new List<(string?, string?)>();
        while (reader.ReadAsync(CancellationToken.None).GetAwaiter().GetResult() is SseEvent e)
        {
            events.Add((e.Data, e.Raw));
            Assert.True(events.Count < 100_000, "the reader does not stop");
        }

        return events;
    }

    [Fact]
    public void Generated_streams_in_any_framing_and_any_split_give_exactly_their_data_events()
    {
        Gen.Select(Stream, Gen.Int[1, 40].Array[0, 30]).Sample((stream, pieces) =>
        {
            (byte[] body, List<string> expected) = Render(stream.Bom, stream.Events, stream.BlankEnd);
            var events = ReadAll(new PiecewiseStream(body, pieces));
            Assert.Equal(expected, events.Select(e => e.Data!));
            Assert.All(events, e => Assert.Null(e.Raw));
        }, iter: Fuzz.Iterations(2000), threads: 1);
    }

    [Theory]
    [MemberData(nameof(SseCorpus))]
    public void Every_split_of_every_corpus_stream_gives_the_same_events(string file)
    {
        byte[] body = Fuzz.Read(file);
        var whole = ReadAll(new MemoryStream(body));
        for (int cut = 1; cut < body.Length; cut++)
            Assert.Equal(whole, ReadAll(new PiecewiseStream(body, new[] { cut })));
        Assert.Equal(whole, ReadAll(new PiecewiseStream(body, Enumerable.Repeat(1, body.Length).ToArray())));
    }

    [Fact]
    public void Random_bytes_give_events_or_a_data_error_never_a_crash_or_a_hang()
    {
        Gen.Select(Gen.Byte.Array[0, 4096], Gen.Int[1, 300].Array[0, 20]).Sample((noise, pieces) =>
        {
            try
            {
                ReadAll(new PiecewiseStream(noise, pieces), maxEventBytes: 1024);
            }
            catch (InvalidDataException)
            {
                // the documented outcome for an over-long line or event
            }
        }, iter: Fuzz.Iterations(3000), threads: 1);
    }

    [Fact]
    public void Mutated_corpus_streams_give_events_or_a_data_error()
    {
        byte[][] seeds = Fuzz.Corpus(".sse").Select(File.ReadAllBytes).ToArray();
        Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Int, Gen.Int[1, 64].Array[0, 30]).Sample((seed, salt, pieces) =>
        {
            byte[] body = Fuzz.Mutate(seeds[seed], new Random(salt));
            try
            {
                ReadAll(new PiecewiseStream(body, pieces), maxEventBytes: 64 * 1024);
            }
            catch (InvalidDataException)
            {
            }
        }, iter: Fuzz.Iterations(2000), threads: 1);
    }

    // ---- the client: SSE reader + response parser + error mapping, over real HTTP to the fake server ----

    public static IEnumerable<object[]> SseCorpus() => Fuzz.CorpusFiles(".sse");

    public static IEnumerable<object[]> JsonCorpus() => Fuzz.CorpusFiles(".json");

    [Theory]
    [MemberData(nameof(SseCorpus))]
    public async Task Corpus_streams_through_the_client_give_chunks_or_a_GeminiException(string file)
    {
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { RecordRequests = false });
        (int chunks, GeminiException? failure) = await StreamAsync(server, Fuzz.Read(file));
        if (file is "stream-thinking.sse" or "stream-code-execution.sse" or "stream-mixed-framing.sse" or "stream-multiline-data.sse")
            Assert.Null(failure);
        if (file is "stream-error-tail.sse" or "stream-truncated-json.sse")
        {
            Assert.NotNull(failure);
            Assert.True(chunks > 0 && failure!.PartialChunks.Count == chunks, "the chunks before the failure are on the exception");
        }
    }

    [Theory]
    [MemberData(nameof(JsonCorpus))]
    public async Task Corpus_responses_through_the_client_give_a_response_or_a_GeminiException(string file)
    {
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { RecordRequests = false });
        GeminiException? failure = await UnaryAsync(server, Fuzz.Read(file));
        if (file.StartsWith("unary-error", StringComparison.Ordinal))
            Assert.NotNull(failure);
        else
            Assert.Null(failure);
    }

    [Fact]
    public async Task Mutated_streams_and_responses_through_the_client_never_fail_with_anything_but_GeminiException()
    {
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { RecordRequests = false });
        byte[][] streams = Fuzz.Corpus(".sse").Select(File.ReadAllBytes).ToArray();
        byte[][] responses = Fuzz.Corpus(".json").Select(File.ReadAllBytes).ToArray();
        await Gen.Select(Gen.Bool, Gen.Int[0, 1000], Gen.Int, Gen.Int[1, 3]).SampleAsync(async (stream, seed, salt, rounds) =>
        {
            var random = new Random(salt);
            byte[] body = stream ? streams[seed % streams.Length] : responses[seed % responses.Length];
            for (int i = 0; i < rounds; i++)
                body = Fuzz.Mutate(body, random);
            if (stream)
                await StreamAsync(server, body);
            else
                await UnaryAsync(server, body);
        }, iter: Fuzz.Iterations(400), threads: 1);
    }

    /// <summary>
    /// Mutated answers through the cmdlets in the hosted engine (chunks, warnings, chat history, views' properties):
    /// every input ends in output or an error record built from a GeminiException, and the command itself never fails.
    /// </summary>
    [Fact]
    public void Mutated_answers_through_the_cmdlets_end_in_output_or_Gemini_errors()
    {
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { RecordRequests = false });
        using var shell = new Shell(server);
        byte[][] streams = Fuzz.Corpus(".sse").Select(File.ReadAllBytes).ToArray();
        byte[][] responses = Fuzz.Corpus(".json").Select(File.ReadAllBytes).ToArray();
        var random = Fuzz.LongMode ? new Random() : new Random(20261129);
        int rounds = (int)Fuzz.Iterations(3);
        for (int round = 0; round < rounds; round++)
        {
            const int count = 40;
            foreach (bool stream in new[] { true, false })
            {
                for (int i = 0; i < count; i++)
                {
                    byte[] seed = stream ? streams[random.Next(streams.Length)] : responses[random.Next(responses.Length)];
                    byte[] body = random.Next(4) == 0 ? seed : Fuzz.Mutate(seed, random);
                    server.Enqueue(stream ? FakeReply.SseRaw(body) : FakeReply.Raw(200, "application/json", body));
                }

                string command = stream ? "Get-GeminiStream" : "Invoke-GeminiContent";
                ShellResult result = shell.Run(
                    $"$chat = New-GeminiChat; 1..{count} | ForEach-Object {{ \"p$_\" }} | {command} -MaxRetries 0 -Chat $chat -WarningAction SilentlyContinue |" +
                    " ForEach-Object { $_.Text; $_.ToString(); $_ }");

                Assert.True(result.Terminating is null, $"{command} failed as a whole: {result.Terminating}");
                Assert.All(result.Errors, e => Assert.True(e.Exception is GeminiException, $"{e.FullyQualifiedErrorId}: {e.Exception}"));
                Assert.Equal(0, server.PendingReplies);
                foreach (PSObject item in result.Output)
                    Fuzz.Touch(item.BaseObject);
            }
        }
    }

    [Theory]
    [InlineData("Invoke-GeminiContent")]
    [InlineData("Get-GeminiStream")]
    public void A_JSON_answer_nested_thousands_deep_is_an_error_not_a_stack_overflow(string command)
    {
        using var server = FakeGeminiServer.Start();
        string deep = new string('[', 20_000) + new string(']', 20_000);
        string answer = HostileServerTests.Chunk(deep, last: true);
        server.Enqueue(command == "Get-GeminiStream" ? FakeReply.Sse(new[] { answer }) : FakeReply.Json(200, answer));
        using var shell = new Shell(server);

        ShellResult result = shell.Run($"{command} 'x' -ResponseMimeType application/json -AsObject");

        Assert.Null(result.Terminating);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("GeminiAnswerNotJson", error.FullyQualifiedErrorId);
    }

    private static async Task<(int Chunks, GeminiException? Failure)> StreamAsync(FakeGeminiServer server, byte[] body)
    {
        server.Enqueue(FakeReply.SseRaw(body));
        using var client = new GeminiClient(new GeminiEndpoint(server.BaseUri, Fuzz.Key()) { MaxRetries = 0, Timeout = TimeSpan.FromSeconds(30) });
        var chunks = new List<GenerateContentResponse>();
        try
        {
            await foreach (GenerateContentResponse chunk in client.Generation.StreamGenerateContentAsync("gemini-2.5-flash", Fuzz.Request(), new RecordingLog(), CancellationToken.None)
                .WithCancellation(CancellationToken.None).ConfigureAwait(false))
            {
                Fuzz.Touch(chunk);
                Fuzz.Touch(new GeminiStreamChunk(chunk, chunks.Count, "fuzz", null));
                chunks.Add(chunk);
            }

            return (chunks.Count, null);
        }
        catch (GeminiException e)
        {
            CheckFailure(e);
            Assert.Equal(chunks, e.PartialChunks);
            return (chunks.Count, e);
        }
    }

    private static async Task<GeminiException?> UnaryAsync(FakeGeminiServer server, byte[] body)
    {
        server.Enqueue(FakeReply.Raw(200, "application/json", body));
        using var client = new GeminiClient(new GeminiEndpoint(server.BaseUri, Fuzz.Key()) { MaxRetries = 0, Timeout = TimeSpan.FromSeconds(30) });
        try
        {
            Fuzz.Touch(await client.Generation.GenerateContentAsync("gemini-2.5-flash", Fuzz.Request(), new RecordingLog(), CancellationToken.None).ConfigureAwait(false));
            return null;
        }
        catch (GeminiException e)
        {
            CheckFailure(e);
            return e;
        }
    }

    private static void CheckFailure(GeminiException e)
    {
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        Assert.NotEqual(GeminiFailure.Timeout, e.Failure); // a complete body never waits for the clock
        Fuzz.Touch(e.PartialChunks);
        _ = e.PartialText;
    }
}
