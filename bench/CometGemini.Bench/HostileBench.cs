using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Text.Json;
using CometGemini;
using FakeGemini;

namespace CometGemini.Bench;

/// <summary>
/// 7. Hostile servers (issue 17): what a lying, compressed or endless answer costs, each in a child process after a
/// warm-up call (peak resident set above the idle process, as in 5), with the default -MaxResponseSize (256 MB) unless
/// the row says otherwise; and the time to join a streamed answer of 10k and 100k chunks into the chat's turn.
/// </summary>
internal static class HostileBench
{
    private const long MB = 1024 * 1024;
    private const long BombBytes = 1024 * MB;

    // The hostile replies wait for this model's calls only, so the child's warm-up (the default model) gets normal answers.
    private const string Target = "gemini-2.5-pro";

    public static IEnumerable<Row> Run(Settings settings, FakeGeminiServer server)
    {
        // 12 answers announcing 2,000,000,000 bytes, then silent, under the largest limit: nothing may be reserved.
        for (int i = 0; i < 12; i++)
            server.Enqueue(Target + ":generateContent", FakeReply.Json(200, "{\"candidates\":[") with { AnnouncedLength = 2_000_000_000, HangAfter = 1 });
        yield return Measure("7. hostile: 12 answers announcing 2 GB then silent, -ThrottleLimit 12 -MaxResponseSize 2GB (peak working set)", "announced", "each a timeout error, nothing reserved", 100 * MB);

        FakeReply bomb = FakeReply.GzipBomb(BombBytes);
        server.Enqueue(Target + ":generateContent", bomb);
        yield return Measure($"7. hostile: a gzip bomb, {Report.Mb(bomb.Body.Length)} inflating to 1 GB (same)", "bomb", "the size error at 256 MB", 2 * 256 * MB);
        server.Enqueue(Target + ":generateContent", bomb);
        yield return Measure("7. hostile: the same bomb with -MaxResponseSize 16MB (same)", "bomb16", "the size error at 16 MB", 64 * MB);

        server.Enqueue(Target + ":streamGenerateContent", FakeReply.EndlessSseLine(Chunk("first ")));
        yield return Measure("7. hostile: an endless SSE line (same)", "line", "the size error at 256 MB, the first chunk kept", 2 * 256 * MB);

        server.Enqueue(Target + ":generateContent", FakeReply.EndlessBody());
        yield return Measure("7. hostile: an endless chunked body (same)", "endless", "the size error at 256 MB", 2 * 256 * MB);

        foreach (int count in new[] { 10_000, 100_000 })
        {
            var chunks = Enumerable.Range(0, count)
                .Select(_ => JsonSerializer.Deserialize(Chunk("word "), GeminiJsonContext.Default.GenerateContentResponse)!)
                .ToList();
            Content.FromStream(chunks); // warm-up
            var times = new List<double>();
            for (int run = 0; run < (settings.Quick ? 3 : 7); run++)
            {
                var clock = Stopwatch.StartNew();
                Content.FromStream(chunks);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }

            double median = Stats.Median(times);
            yield return new Row($"7. stream merge: {count / 1000}k text chunks into one turn (median)", Report.Ms(median), "(was 1.3 s for 10k, 93 s for 100k)", null, "< 1 s", median < 1000);
        }

        // End to end: 100k events through Get-GeminiStream, chunks written and the answer joined.
        server.Enqueue(Target + ":streamGenerateContent", FakeReply.Sse(Enumerable.Range(0, 100_000).Select(i => Chunk("w ", last: i == 99_999)).ToArray()));
        using (Runspace runspace = Engine.Open(Paths.Manifest))
        {
            Engine.Run(runspace, "$null = Get-GeminiStream 'warm up'");
            var clock = Stopwatch.StartNew();
            int chunks = (int)Engine.Run(runspace, "$n = 0; Get-GeminiStream 'long' -Model " + Target + " | ForEach-Object { $n++ }; $n").Single().BaseObject;
            double ms = clock.Elapsed.TotalMilliseconds;
            Settings.Note(FormattableString.Invariant($"Stream of 100k events end to end (Get-GeminiStream, {chunks} chunk objects counted by ForEach-Object, the answer joined): {ms / 1000:0.0} s."));
        }
    }

    private static string Chunk(string text, bool last = false) =>
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":" + JsonSerializer.Serialize(text) + "}],\"role\":\"model\"}"
        + (last ? ",\"finishReason\":\"STOP\"" : string.Empty) + ",\"index\":0}]}";

    private static Row Measure(string name, string mode, string outcome, long target)
    {
        string[] f = Child.Run("--hostile-child", mode).Split(';');
        long peakResident = long.Parse(f[2], CultureInfo.InvariantCulture);
        Settings.Note(FormattableString.Invariant($"{name.Substring(3)}: allocated {Report.Mb(long.Parse(f[0], CultureInfo.InvariantCulture))}, peak managed heap +{Report.Mb(long.Parse(f[1], CultureInfo.InvariantCulture))}, peak resident +{Report.Mb(peakResident)} ({f[3]}); {f[4]} error(s) written, {f[5]} s."));
        return new Row(name, Report.Mb(peakResident), outcome, null, "≤ " + Report.Mb(target), peakResident <= target);
    }

    /// <summary>In the child: one warm-up call, then the hostile one; prints "allocated;peakManaged;peakResident;how;errors;seconds".</summary>
    public static string ChildMain(string mode)
    {
        using Runspace runspace = Engine.Open(Paths.Manifest);
        string script = mode switch
        {
            "announced" => "1..12 | ForEach-Object { \"p$_\" } | Invoke-GeminiContent -ThrottleLimit 12 -MaxResponseSize 2GB -TimeoutSec 2 -MaxRetries 0",
            "bomb" => "Invoke-GeminiContent 'bomb'",
            "bomb16" => "Invoke-GeminiContent 'bomb' -MaxResponseSize 16MB",
            "line" => "Get-GeminiStream 'line'",
            "endless" => "Invoke-GeminiContent 'endless'",
            _ => throw new ArgumentException(mode),
        };
        string run = $"$bad = $null; $null = {script} -Model {Target} -ErrorAction SilentlyContinue -ErrorVariable bad; $bad.Count";
        Engine.Run(runspace, mode == "announced" ? "$null = 1..12 | ForEach-Object { \"w$_\" } | Invoke-GeminiContent -ThrottleLimit 12" : "$null = Invoke-GeminiContent 'warm up'; $null = Get-GeminiStream 'warm up'");

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long managed0 = GC.GetTotalMemory(false);
        long allocated0 = GC.GetTotalAllocatedBytes(true);
        bool hwm = MemoryBench.Resident.TryResetPeak();
        long resident0 = MemoryBench.Resident.Current();
        var clock = Stopwatch.StartNew();
        using var sampler = new MemoryBench.Sampler();
        object errors = Engine.Run(runspace, run).Single().BaseObject;
        long allocated = GC.GetTotalAllocatedBytes(true) - allocated0;
        sampler.Stop();
        long peakResident = (hwm ? Math.Max(MemoryBench.Resident.Peak(), sampler.MaxResident) : sampler.MaxResident) - resident0;
        return FormattableString.Invariant($"{allocated};{sampler.MaxManaged - managed0};{peakResident};{(hwm ? "VmHWM" : "1 ms sampling")};{errors};{clock.Elapsed.TotalSeconds:0.0}");
    }
}
