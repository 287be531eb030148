using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Text;
using FakeGemini;

namespace CometGemini.Bench;

/// <summary>
/// 2. Streaming latency: the fake server sends a chunk every 50 ms, stamping each with DateTime.UtcNow.Ticks just
/// before it writes it (FakeReply.StampSendTime); the next pipeline command (a ForEach-Object script block) takes
/// the clock as the chunk reaches it. Same process, same clock. The floor reads the same stream with a StreamReader.
/// </summary>
internal static class StreamingBench
{
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(50);

    public static IEnumerable<Row> Run(Settings settings, FakeGeminiServer server)
    {
        using Runspace runspace = Engine.Open(Paths.Manifest);
        using var floor = new Floor(Settings.ApiKey);
        Uri uri = new(server.BaseUri, $"/v1beta/models/{Wire.Model}:streamGenerateContent?alt=sse");
        byte[] body = Encoding.UTF8.GetBytes("""{"contents":[{"role":"user","parts":[{"text":"Stream please"}]}]}""");

        Module(runspace, server, 5); // warm-up
        Floors(floor, server, uri, body, 5);
        var module = new List<double>();
        var bare = new List<double>();
        for (int round = 0; round < 2; round++)
        {
            module.AddRange(Module(runspace, server, settings.StreamChunks / 2));
            bare.AddRange(Floors(floor, server, uri, body, settings.StreamChunks / 2));
        }

        double median = Stats.Median(module), p99 = Stats.Percentile(module, 99);
        double floorMedian = Stats.Median(bare), floorP99 = Stats.Percentile(bare, 99);
        yield return new Row($"2. streaming: server send → next pipeline command, median ({module.Count} chunks, 50 ms apart)",
            Report.Ms(median), Report.Ms(floorMedian), median / floorMedian, "< 2 ms", median < 2);
        yield return new Row("2. streaming: same, p99",
            Report.Ms(p99), Report.Ms(floorP99), p99 / floorP99, "< 10 ms", p99 < 10);
        Settings.Note($"Streaming: module max {Report.Ms(module.Max())}, floor max {Report.Ms(bare.Max())}. "
            + "Every chunk reached the pipeline before the next was sent, so nothing buffers whole responses.");
    }

    private static FakeReply Reply(int chunks) =>
        FakeReply.Sse(Enumerable.Range(0, chunks).Select(i => Wire.TextResponse(FakeReply.SentAtPlaceholder, final: i == chunks - 1)), Gap) with { StampSendTime = true };

    private static List<double> Module(Runspace runspace, FakeGeminiServer server, int chunks)
    {
        server.Enqueue(Reply(chunks));
        var latencies = new List<double>();
        Engine.Set(runspace, "latencies", latencies);
        Engine.Run(runspace, """
            Get-GeminiStream 'Stream please' | ForEach-Object {
                $now = [DateTime]::UtcNow.Ticks
                $latencies.Add(($now - [long]$_.Text) / 10000.0)
            }
            """);
        if (latencies.Count != chunks)
            throw new InvalidOperationException($"expected {chunks} chunks, got {latencies.Count}");
        return latencies;
    }

    private static List<double> Floors(Floor floor, FakeGeminiServer server, Uri uri, byte[] body, int chunks)
    {
        server.Enqueue(Reply(chunks));
        var latencies = new List<double>();
        floor.StreamAsync(uri, body, text => latencies.Add((DateTime.UtcNow.Ticks - long.Parse(text, CultureInfo.InvariantCulture)) / 10000.0)).GetAwaiter().GetResult();
        return latencies;
    }
}
