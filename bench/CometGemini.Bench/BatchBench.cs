using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FakeGemini;

namespace CometGemini.Bench;

/// <summary>
/// 3. Batch throughput: 100 piped prompts, every answer 200 ms late, -ThrottleLimit 8: ideal 100 / 8 × 200 ms = 2.5 s.
/// The floor runs the same 100 requests with HttpClient, eight at a time. Reports n/a while the cmdlet lacks -ThrottleLimit.
/// </summary>
internal static class BatchBench
{
    private const int Inputs = 100;
    private const int Throttle = 8;
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(200);
    private static readonly double IdealMs = Inputs * Latency.TotalMilliseconds / Throttle;

    public static IEnumerable<Row> Run(Settings settings, FakeGeminiServer server)
    {
        using Runspace runspace = Engine.Open(Paths.Manifest);
        bool hasThrottle = (bool)Engine.Run(runspace, "(Get-Command Invoke-GeminiContent).Parameters.ContainsKey('ThrottleLimit')")[0].BaseObject;
        double floorMs = FloorRun(server);
        if (!hasThrottle)
        {
            yield return new Row($"3. batch: {Inputs} inputs, 200 ms each, -ThrottleLimit {Throttle}", "n/a (no -ThrottleLimit)",
                Report.Ms(floorMs), null, $"≤ 1.2 × ideal {Report.Ms(IdealMs)}", null);
            yield break;
        }

        ModuleRun(runspace, server, 16); // warm-up
        double moduleMs = ModuleRun(runspace, server, Inputs);
        yield return new Row($"3. batch: {Inputs} inputs, 200 ms each, -ThrottleLimit {Throttle} (total)", Report.Ms(moduleMs),
            Report.Ms(floorMs), moduleMs / floorMs, $"≤ 1.2 × ideal {Report.Ms(IdealMs)}", moduleMs <= 1.2 * IdealMs);
        Settings.Note($"Batch: module {moduleMs / IdealMs:0.00}x the ideal {Report.Ms(IdealMs)}, floor {floorMs / IdealMs:0.00}x.");
    }

    private static void Script(FakeGeminiServer server, int count)
    {
        for (int i = 0; i < count; i++)
            server.Enqueue(FakeReply.Json(200, Wire.TextResponse("answer " + i)).DelayHeaders(Latency));
    }

    private static double ModuleRun(Runspace runspace, FakeGeminiServer server, int count)
    {
        Script(server, count);
        Engine.Set(runspace, "prompts", Enumerable.Range(1, count).Select(i => "Prompt " + i).ToArray());
        var clock = Stopwatch.StartNew();
        int answers = Engine.Run(runspace, $"$prompts | Invoke-GeminiContent -ThrottleLimit {Throttle}").Count;
        clock.Stop();
        if (answers != count)
            throw new InvalidOperationException($"expected {count} answers, got {answers}");
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double FloorRun(FakeGeminiServer server)
    {
        using var floor = new Floor(Settings.ApiKey);
        Uri uri = new(server.BaseUri, $"/v1beta/models/{Wire.Model}:generateContent");
        byte[] body = Encoding.UTF8.GetBytes("""{"contents":[{"role":"user","parts":[{"text":"Prompt"}]}]}""");
        Script(server, Throttle);
        Task.WhenAll(Enumerable.Range(0, Throttle).Select(_ => floor.GenerateAsync(uri, body))).GetAwaiter().GetResult(); // warm-up: open 8 connections
        Script(server, Inputs);
        using var gate = new SemaphoreSlim(Throttle);
        var clock = Stopwatch.StartNew();
        Task.WhenAll(Enumerable.Range(0, Inputs).Select(async _ =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                await floor.GenerateAsync(uri, body).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).GetAwaiter().GetResult();
        return clock.Elapsed.TotalMilliseconds;
    }
}
