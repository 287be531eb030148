using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CometGemini.Tests.Harness;
using FakeGemini;
using Xunit.Abstractions;

namespace CometGemini.Tests;

/// <summary>
/// Many requests (one by one, and four at once with -ThrottleLimit) and streams through several runspaces at once
/// against a server that fails at random: every prompt ends in exactly one answer (its own) or exactly one error, answers
/// keep their input order, and memory and open connections stay flat. About half a minute here;
/// COMETGEMINI_LONG_TESTS=1 runs for minutes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoakCollection
{
    // Alone, after the parallel tests: the soak keeps both cores busy, and the other tests' timeouts should not feel it.
    public const string Name = "Soak";
}

[Collection(SoakCollection.Name)]
public sealed class SoakTests
{
    private const int Runspaces = 4;
    private const int Throttle = 4; // -ThrottleLimit of the concurrent third: up to this many connections per runspace
    private readonly ITestOutputHelper _output;

    public SoakTests(ITestOutputHelper output) => _output = output;

    private static readonly string[] Partial = { HostileServerTests.Chunk("partial ") };

    // Each fault with how often it is drawn. Waits are "0s" so a retried fault costs no backoff; two faults cost a timeout.
    private static readonly (int Weight, string Path, Func<FakeReply> Reply)[] Faults =
    {
        (6, ":generateContent", () => FakeReply.Error(503, "UNAVAILABLE", "busy", "0s")),
        (4, ":generateContent", () => FakeReply.Error(429, "RESOURCE_EXHAUSTED", "slow down", "0s")),
        (3, ":generateContent", () => FakeReply.Error(400, "INVALID_ARGUMENT", "bad request")),
        (2, ":generateContent", () => FakeReply.Raw(502, "text/html", "<html><title>Bad Gateway</title></html>", ("Retry-After", "0"))),
        (2, ":generateContent", () => FakeReply.Raw(200, "text/html", "<html>portal</html>")),
        (1, ":generateContent", () => FakeReply.Json(200, "{\"candidates\":[{\"content\":{\"parts\":[null,{\"text\":1e999}]}}]}")),
        (6, "streamGenerateContent", () => FakeReply.Error(503, "UNAVAILABLE", "busy", "0s")),
        (3, "streamGenerateContent", () => FakeReply.Sse(Partial.Append(Partial[0])) with { ResetAfter = 1 }),
        (3, "streamGenerateContent", () => FakeReply.Sse(Partial.Append(Partial[0])) with { CutAfter = 1 }),
        (3, "streamGenerateContent", () => FakeReply.Sse(Partial) with { Tail = FakeReply.GoogleErrorJson(500, "INTERNAL", "failed") }),
        (1, "streamGenerateContent", () => FakeReply.Sse(Partial.Append(Partial[0])) with { HangAfter = 1 }),
        (1, ":generateContent", () => FakeReply.NoHeaders()),
    };

    // Servers that try the module's memory (issue 17), mixed in with the faults above: a lying Content-Length, a gzip
    // bomb, an endless body, an endless SSE line. Each costs its own prompt one size error, and memory stays flat.
    private static readonly (int Weight, string Path, Func<FakeReply> Reply)[] SizeFaults = Faults.Concat(new (int, string, Func<FakeReply>)[]
    {
        (3, ":generateContent", () => FakeReply.Json(200, "{\"candidates\":[") with { AnnouncedLength = 2_000_000_000, HangAfter = 1 }),
        (2, ":generateContent", () => FakeReply.Json(200, "{\"candidates\":[") with { AnnouncedLength = 9_000_000_000, HangAfter = 1 }),
        (3, ":generateContent", () => FakeReply.GzipBomb(64L * 1024 * 1024)),
        (2, ":generateContent", () => FakeReply.EndlessBody()),
        (4, "streamGenerateContent", () => FakeReply.EndlessSseLine(Partial[0])),
    }).ToArray();

    [Fact]
    public void Many_requests_and_streams_with_random_faults_in_parallel_runspaces_are_each_answered_once() =>
        Soak(Faults, string.Empty, TimeSpan.FromSeconds(25));

    [Fact]
    public void Oversized_lying_compressed_and_endless_answers_mixed_in_cost_one_error_each_and_memory_stays_flat() =>
        Soak(SizeFaults, " -MaxResponseSize 4MB", TimeSpan.FromSeconds(15));

    private void Soak((int Weight, string Path, Func<FakeReply> Reply)[] faults, string limit, TimeSpan shortBudget)
    {
        FakeReply.GzipBomb(64L * 1024 * 1024); // made once, before the warm-up's memory is measured
        TimeSpan budget = Fuzz.LongMode ? TimeSpan.FromMinutes(5) : shortBudget;
        int perRound = 30; // prompts per runspace per round: a third one by one, a third four at once (-ThrottleLimit 4), a third streamed
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { RecordRequests = false });
        var shells = Enumerable.Range(0, Runspaces).Select(_ => new Shell(server)).ToArray();
        var random = new Random(Fuzz.LongMode ? Environment.TickCount : 4242);
        int totalWeight = faults.Sum(f => f.Weight);
        var clock = Stopwatch.StartNew();
        int prompts = 0, answered = 0, failed = 0, round = 0;
        long memoryAfterWarmup = 0;
        int socketsAfterWarmup = 0;
        var sockets = new List<int>();
        try
        {
            for (; round < 3 || clock.Elapsed < budget; round++)
            {
                // About one request in five meets a fault.
                for (int f = 0; f < Runspaces * perRound / 5; f++)
                {
                    int pick = random.Next(totalWeight);
                    var fault = faults.First(x => (pick -= x.Weight) < 0);
                    server.Enqueue(fault.Path, fault.Reply());
                }

                int thisRound = round;
                var outcomes = shells.AsParallel().WithDegreeOfParallelism(Runspaces).Select((shell, s) =>
                {
                    string[] unary = Enumerable.Range(0, perRound / 3).Select(i => $"u-{thisRound}-{s}-{i}").ToArray();
                    string[] concurrent = Enumerable.Range(0, perRound / 3).Select(i => $"t-{thisRound}-{s}-{i:00}").ToArray();
                    string[] streamed = Enumerable.Range(0, perRound / 3).Select(i => $"s-{thisRound}-{s}-{i}").ToArray();
                    shell.Set("unary", unary);
                    shell.Set("concurrent", concurrent);
                    shell.Set("throttle", Throttle);
                    shell.Set("streamed", streamed);
                    ShellResult result = shell.Run(
                        $"$unary | Invoke-GeminiContent -MaxRetries 2 -TimeoutSec 2 -WarningAction SilentlyContinue{limit};" +
                        $" $concurrent | Invoke-GeminiContent -ThrottleLimit $throttle -MaxRetries 2 -TimeoutSec 2 -WarningAction SilentlyContinue{limit};" +
                        $" $streamed | Get-GeminiStream -MaxRetries 2 -TimeoutSec 2 -WarningAction SilentlyContinue{limit}");
                    return (Prompts: unary.Concat(concurrent).Concat(streamed).ToArray(), Result: result);
                }).ToList();

                foreach ((string[] asked, ShellResult result) in outcomes)
                {
                    Assert.True(result.Terminating is null, $"round {round}: {result.Terminating}");
                    (int ok, int errors) = Account(asked, result);
                    prompts += asked.Length;
                    answered += ok;
                    failed += errors;
                }

                sockets.Add(OpenClientSockets(server.BaseUri.Port));
                if (round == 1)
                {
                    memoryAfterWarmup = SettledMemory();
                    socketsAfterWarmup = sockets[^1];
                }
            }

            long memoryAtEnd = SettledMemory();
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{round} rounds, {prompts} prompts ({answered} answered, {failed} failed), {server.RequestCount} requests in {clock.Elapsed.TotalSeconds:0.0} s; " +
                $"managed memory after warm-up {memoryAfterWarmup / 1024 / 1024.0:0.0} MB, at end {memoryAtEnd / 1024 / 1024.0:0.0} MB; " +
                $"client sockets per round: {string.Join(",", sockets)}; server connections open at end: {server.OpenConnections}; " +
                $"GC heap limit {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024 / 1024.0:0} MB, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024.0:0} MB"));

            Assert.Equal(prompts, answered + failed);
            Assert.True(failed > 0 && answered > failed, "faults happened, and most prompts were answered");
            Assert.True(server.RequestCount >= prompts, "every prompt reached the server at least once");
            Assert.True(memoryAtEnd - memoryAfterWarmup < 64L * 1024 * 1024, $"memory grew from {memoryAfterWarmup:N0} to {memoryAtEnd:N0} bytes");
            Assert.True(sockets.Skip(2).All(n => n <= Math.Max(socketsAfterWarmup, Runspaces * Throttle) + Runspaces * 2), $"open sockets per round: {string.Join(",", sockets)}");
        }
        finally
        {
            foreach (Shell shell in shells)
                shell.Dispose();
        }
    }

    /// <summary>Each prompt: exactly one whole answer that is its own, or exactly one error about it.</summary>
    private static (int Answered, int Failed) Account(string[] prompts, ShellResult result)
    {
        var answers = new Dictionary<string, string>();
        foreach (PSObject item in result.Output)
        {
            switch (item.BaseObject)
            {
                case GenerateContentResponse response:
                    Assert.False(answers.ContainsKey((string)response.Input!), $"{response.Input} answered twice");
                    answers[(string)response.Input!] = response.Text;
                    break;
                case GeminiStreamChunk chunk:
                    answers[(string)chunk.Input!] = answers.GetValueOrDefault((string)chunk.Input!) + chunk.Text;
                    break;
                default:
                    Assert.Fail($"unexpected output {item.BaseObject.GetType()}");
                    break;
            }
        }

        var errors = result.Errors.GroupBy(e => (string)e.TargetObject).ToDictionary(g => g.Key, g => g.Count());
        int ok = 0, failed = 0;
        foreach (string prompt in prompts)
        {
            int errorCount = errors.GetValueOrDefault(prompt);
            Assert.True(errorCount <= 1, $"{prompt}: {errorCount} errors");
            if (errorCount == 1)
            {
                failed++;
                continue;
            }

            Assert.True(answers.TryGetValue(prompt, out string? text), $"{prompt}: neither answered nor failed");
            Assert.Equal("Echo: " + prompt, text); // its own answer, whole, once
            ok++;
        }

        // -ThrottleLimit 4 runs four at once, and still writes the answers in input order.
        string[] concurrent = result.Output.Select(o => o.BaseObject).OfType<GenerateContentResponse>().Select(r => (string)r.Input!).Where(p => p.StartsWith("t-", StringComparison.Ordinal)).ToArray();
        Assert.Equal(concurrent.OrderBy(p => p, StringComparer.Ordinal), concurrent);
        Assert.Equal(prompts.Length, prompts.Distinct().Count());
        Assert.Empty(errors.Keys.Except(prompts));
        return (ok, failed);
    }

    private static long SettledMemory()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>This machine's established TCP connections to the fake server's port (the client ends).</summary>
    private static int OpenClientSockets(int serverPort)
    {
        int count = 0;
        foreach (string table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
                continue;
            foreach (string line in File.ReadLines(table).Skip(1))
            {
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 3 && fields[3] == "01" && int.Parse(fields[2].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == serverPort)
                    count++;
            }
        }

        return count;
    }
}
