using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CometGemini.Client;
using CometGemini.Tests.Harness;

namespace CometGemini.Tests;

public sealed class SseReaderTests
{
    private static List<(string? Data, string? Raw)> Read(Stream stream)
    {
        var reader = new SseReader(stream);
        var events = new List<(string?, string?)>();
        while (reader.ReadAsync(CancellationToken.None).GetAwaiter().GetResult() is SseEvent e)
            events.Add((e.Data, e.Raw));
        return events;
    }

    private static List<(string? Data, string? Raw)> Read(string body) => Read(new MemoryStream(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("data: {\"a\":1}\r\n\r\ndata: {\"b\":2}\r\n\r\n")]
    [InlineData("data: {\"a\":1}\n\ndata: {\"b\":2}\n\n")]
    [InlineData("data: {\"a\":1}\r\rdata: {\"b\":2}\r\r")]
    [InlineData("data:{\"a\":1}\n\ndata:{\"b\":2}")]
    [InlineData("\uFEFFdata: {\"a\":1}\r\n\r\n: keep-alive comment\r\nevent: message\r\nid: 7\r\nretry: 100\r\ndata: {\"b\":2}\r\n\r\n")]
    [InlineData("data: {\"a\":1}\n\r\n\r\ndata: {\"b\":2}\r\n")]
    public void Framings_all_give_the_same_events(string body)
    {
        Assert.Equal(new (string?, string?)[] { ("{\"a\":1}", null), ("{\"b\":2}", null) }, Read(body));
    }

    [Fact]
    public void Multi_line_data_joins_with_LF()
    {
        Assert.Equal(new (string?, string?)[] { ("{\n\"a\":1\n}", null) }, Read("data: {\ndata: \"a\":1\ndata: }\n\n"));
    }

    [Fact]
    public void A_bare_JSON_error_tail_comes_out_as_raw_text()
    {
        string body = Paths.FixtureText("firebase-test-data/vertexai/streaming-failure-error-mid-stream.txt");
        var events = Read(body);
        Assert.Equal(3, events.Count);
        Assert.NotNull(events[0].Data);
        Assert.NotNull(events[1].Data);
        Assert.Null(events[2].Data);
        Assert.Contains("\"CANCELLED\"", events[2].Raw);
        Assert.NotNull(ErrorParserAccess.TryReadError(events[2].Raw!));
    }

    [Fact]
    public void Every_split_of_a_recorded_stream_gives_the_same_events()
    {
        byte[] body = File.ReadAllBytes(Paths.Fixture("pydantic-ai/derived/test_google_model_stream.0.response.sse"));
        var expected = Read(new MemoryStream(body));
        Assert.Equal(3, expected.Count);
        for (int cut = 0; cut <= body.Length; cut++)
            Assert.Equal(expected, Read(new PiecewiseStream(body, new[] { cut })));
    }

    [Fact]
    public void Random_splits_and_one_byte_reads_give_the_same_events()
    {
        byte[] body = File.ReadAllBytes(Paths.Fixture("firebase-test-data/googleai/streaming-success-thinking-reply-thought-summary.txt"));
        var expected = Read(new MemoryStream(body));
        var random = new Random(12345);
        for (int round = 0; round < 200; round++)
            Assert.Equal(expected, Read(PiecewiseStream.Random(body, random)));
        Assert.Equal(expected, Read(PiecewiseStream.Random(body, new Random(1), maxPiece: 1)));
    }

    [Fact]
    public void Multi_byte_characters_split_across_reads_survive()
    {
        string text = "data: {\"t\":\"Grüße, 世界 🌍\"}\r\n\r\n";
        byte[] body = Encoding.UTF8.GetBytes(text);
        for (int cut = 0; cut <= body.Length; cut++)
            Assert.Equal("{\"t\":\"Grüße, 世界 🌍\"}", Assert.Single(Read(new PiecewiseStream(body, new[] { cut }))).Data);
    }

    [Fact]
    public void A_long_single_line_is_read_whole()
    {
        string big = new('x', 3 * 1024 * 1024);
        Assert.Equal("{\"x\":\"" + big + "\"}", Assert.Single(Read("data: {\"x\":\"" + big + "\"}\r\n\r\n")).Data);
    }

    [Fact]
    public void An_event_larger_than_the_limit_is_an_error_not_a_hang()
    {
        var reader = new SseReader(new MemoryStream(Encoding.UTF8.GetBytes("data: " + new string('x', 100_000) + "\n\n")), maxEventBytes: 64 * 1024);
        Assert.Throws<InvalidDataException>(() => reader.ReadAsync(CancellationToken.None).GetAwaiter().GetResult());
    }

    [Fact]
    public async Task Random_bytes_never_throw_anything_but_data_errors()
    {
        var random = new Random(777);
        for (int round = 0; round < 300; round++)
        {
            byte[] noise = new byte[random.Next(0, 2048)];
            random.NextBytes(noise);
            var reader = new SseReader(PiecewiseStream.Random(noise, random), maxEventBytes: 1 << 20);
            int guard = 0;
            while (await reader.ReadAsync(CancellationToken.None) is not null)
                Assert.True(++guard < 10_000);
        }
    }
}

internal static class ErrorParserAccess
{
    public static object? TryReadError(string raw) => ErrorParser.TryReadError(Encoding.UTF8.GetBytes(raw));
}
