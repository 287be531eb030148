using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Text.Json;
using System.Threading;
using CometGemini.Client;
using FakeGemini;

namespace CometGemini.Bench;

/// <summary>
/// 1. Per-call overhead: sequential Invoke-GeminiContent calls, each its own command as in a user's loop, against a
/// fake server that answers at once; the floor sends the module's own request body with HttpClient.
/// Both run in rounds, interleaved, against the same server, so drift hits both alike.
/// </summary>
internal static class OverheadBench
{
    private const string Loop = """
        $times = [System.Collections.Generic.List[double]]::new()
        foreach ($i in 1..$calls) {
            $t0 = [System.Diagnostics.Stopwatch]::GetTimestamp()
            $null = COMMAND
            $times.Add([System.Diagnostics.Stopwatch]::GetElapsedTime($t0).TotalMilliseconds)
        }
        $times
        """;

    public static IEnumerable<Row> Run(Settings settings, FakeGeminiServer server)
    {
        using Runspace runspace = Engine.Open(Paths.Manifest, settings.EmptyManifest);
        using var floor = new Floor(Settings.ApiKey);
        Uri uri = new(server.BaseUri, $"/v1beta/models/{Wire.Model}:generateContent");

        // The floor sends exactly what the module sent.
        int before = server.RequestCount;
        Module(runspace, "Invoke-GeminiContent 'Say hi'", 20);
        byte[] body = server.Requests[^1].Body;
        Console.WriteLine($"  request body {body.Length} bytes, {server.RequestCount - before} requests in warm-up");

        var engine = new List<double>();
        var clientAlone = new List<double>();
        using var client = new GeminiClient(new GeminiEndpoint(server.BaseUri, Secret(Settings.ApiKey)) { Timeout = TimeSpan.FromSeconds(600) });
        GenerateContentRequest request = JsonSerializer.Deserialize(body, GeminiJsonContext.Default.GenerateContentRequest)!;

        // Warm-up until the module's round median stops improving: PowerShell compiles script blocks after a few runs,
        // and .NET promotes hot methods to optimized code only once no new methods have been jitted for 100 ms,
        // which PowerShell's dynamic code keeps postponing. Without this the figure is the JIT's, not the module's.
        var warmup = new List<double>();
        var clock = Stopwatch.StartNew();
        double best = double.MaxValue;
        int calm = 0;
        while (calm < 3 && clock.Elapsed < settings.WarmupLimit)
        {
            Floors(floor, uri, body, settings.WarmupRound);
            Module(runspace, "Get-Nothing", settings.WarmupRound);
            Client(client, request, settings.WarmupRound);
            double median = Stats.Median(Module(runspace, "Invoke-GeminiContent 'Say hi'", settings.WarmupRound));
            warmup.Add(median);
            calm = median < best * 0.97 ? 0 : calm + 1;
            best = Math.Min(best, median);
        }

        Settings.Note($"Per-call warm-up: {warmup.Count} rounds of {settings.WarmupRound} calls ({clock.Elapsed.TotalSeconds:0} s); module round medians "
            + string.Join(" → ", warmup.Select(m => m.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture))) + " ms "
            + "(the first rounds are what a fresh session sees, while .NET still runs unoptimized code).");

        var module = new List<double>();
        var bare = new List<double>();
        int perRound = settings.Calls / settings.Rounds;
        for (int round = 0; round < settings.Rounds; round++)
        {
            bare.AddRange(Floors(floor, uri, body, perRound));
            module.AddRange(Module(runspace, "Invoke-GeminiContent 'Say hi'", perRound));
            engine.AddRange(Module(runspace, "Get-Nothing", perRound));
            clientAlone.AddRange(Client(client, request, perRound));
        }

        double moduleMedian = Stats.Median(module);
        double floorMedian = Stats.Median(bare);
        double engineMedian = Stats.Median(engine);
        double ratio = moduleMedian / floorMedian;
        yield return new Row(
            $"1. per-call overhead ({module.Count} sequential calls, median)",
            Report.Ms(moduleMedian),
            Report.Ms(floorMedian),
            ratio,
            "≤ 1.15x",
            ratio <= 1.15);
        yield return new Row(
            "1b. the engine alone: an empty compiled cmdlet in the same loop (median)",
            Report.Ms(engineMedian),
            Report.Ms(floorMedian),
            engineMedian / floorMedian,
            "(information)",
            null);
        double clientMedian = Stats.Median(clientAlone);
        yield return new Row(
            "1c. the module's client alone: GeminiClient.Generation.GenerateContentAsync from C# (median)",
            Report.Ms(clientMedian),
            Report.Ms(floorMedian),
            clientMedian / floorMedian,
            "(information)",
            null);
        Settings.Note($"Per-call: p90 module {Report.Ms(Stats.Percentile(module, 90))}, floor {Report.Ms(Stats.Percentile(bare, 90))}; "
            + $"module minus the engine's own per-command cost = {Report.Ms(moduleMedian - engineMedian)}, "
            + $"i.e. {(moduleMedian - engineMedian) / floorMedian:0.00}x the floor for everything the module does beyond being a command.");
    }

    private static List<double> Module(Runspace runspace, string command, int calls)
    {
        Engine.Set(runspace, "calls", calls);
        return Engine.Run(runspace, Loop.Replace("COMMAND", command, StringComparison.Ordinal)).Select(o => (double)o.BaseObject).ToList();
    }

    private static List<double> Client(GeminiClient client, GenerateContentRequest request, int calls)
    {
        var times = new List<double>(calls);
        for (int i = 0; i < calls; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            client.Generation.GenerateContentAsync(Wire.Model, request, SilentLog.Instance, CancellationToken.None).GetAwaiter().GetResult();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }

        return times;
    }

    private static SecureString Secret(string text)
    {
        var secret = new SecureString();
        foreach (char c in text)
            secret.AppendChar(c);
        secret.MakeReadOnly();
        return secret;
    }

    private sealed class SilentLog : IClientLog
    {
        public static readonly SilentLog Instance = new();

        public bool IsDebugEnabled => false;

        public bool IsVerboseEnabled => false;

        public void Verbose(string message)
        {
        }

        public void Debug(string message)
        {
        }

        public void Waiting(string why, TimeSpan total, TimeSpan left)
        {
        }
    }

    private static List<double> Floors(Floor floor, Uri uri, byte[] body, int calls)
    {
        var times = new List<double>(calls);
        for (int i = 0; i < calls; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            floor.GenerateAsync(uri, body).GetAwaiter().GetResult();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }

        return times;
    }
}
