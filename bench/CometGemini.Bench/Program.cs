using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FakeGemini;

namespace CometGemini.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/CometGemini.Bench [-- --quick] [--only 1,2,…]</c>: the benchmarks of issue 7,
/// the module against the floor, written into bench/README.md (a run with --only prints the table and writes nothing).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["--import-child", string manifest])
        {
            Console.WriteLine(ImportBench.ChildMain(manifest));
            return 0;
        }

        if (args is ["--hostile-child", string mode])
        {
            Console.WriteLine(HostileBench.ChildMain(mode));
            return 0;
        }

        if (args is ["--memory-child", ..])
        {
            Console.WriteLine(MemoryBench.ChildMain(args[1..]));
            return 0;
        }

        bool quick = args.Contains("--quick");
        int at = Array.IndexOf(args, "--only");
        HashSet<string>? only = at >= 0 && at + 1 < args.Length ? args[at + 1].Split(',').ToHashSet() : null;
        if (args.Except(new[] { "--quick", "--only" }).Any(a => only is null || !a.Split(',').All(only.Contains)))
        {
            Console.Error.WriteLine("usage: dotnet run -c Release --project bench/CometGemini.Bench [-- --quick] [--only 1,2,3,4,5,6,7]");
            return 2;
        }

        if (!File.Exists(Paths.Manifest))
        {
            Console.Error.WriteLine($"{Paths.Manifest} is missing: build the module first (dotnet build -c Release).");
            return 1;
        }

        var settings = new Settings { Quick = quick, EmptyManifest = Settings.WriteEmptyManifest() };
        using FakeGeminiServer server = FakeGeminiServer.Start(new FakeGeminiOptions { ApiKey = Settings.ApiKey });
        // The module finds key and endpoint where a user's session keeps them; children inherit both.
        Environment.SetEnvironmentVariable("COMETAPI_KEY", Settings.ApiKey);
        Environment.SetEnvironmentVariable("COMETAPI_BASE_URL", server.BaseUri.ToString());

        var benchmarks = new (string Id, string Name, Func<IEnumerable<Row>> Run)[]
        {
            ("1", "per-call overhead", () => OverheadBench.Run(settings, server)),
            ("2", "streaming latency", () => StreamingBench.Run(settings, server)),
            ("3", "batch throughput", () => BatchBench.Run(settings, server)),
            ("4", "import time", () => ImportBench.Run(settings)),
            ("5", "memory", () => MemoryBench.Run(settings, server)),
            ("6", "parsers (BenchmarkDotNet)", () => ParserBenchmarks.Run(settings)),
            ("7", "hostile servers and long streams", () => HostileBench.Run(settings, server)),
        };

        var rows = new List<Row>();
        var loads = new List<string> { Machine.Load() };
        foreach ((string id, string name, Func<IEnumerable<Row>> run) in benchmarks)
        {
            if (only is not null && !only.Contains(id))
                continue;
            Console.WriteLine($"== {id}. {name}");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            List<Row> result = run().ToList();
            foreach (Row row in result)
                Console.WriteLine($"  {row.Benchmark}: {row.Figure} vs {row.Floor}");
            Console.WriteLine($"  ({clock.Elapsed.TotalSeconds:0} s)");
            rows.AddRange(result);
            loads.Add(Machine.Load());
        }

        string machine = Machine.Describe() + $" Load average (1 min) at the start and after each benchmark: {string.Join(", ", loads)}.";
        string table = Report.Table(rows, Settings.Notes, machine, quick ? "--quick" : "full");
        Console.WriteLine();
        Console.WriteLine(table);
        if (only is null)
        {
            string readme = Path.Combine(Paths.RepoRoot, "bench", "README.md");
            Report.WriteReadme(readme, table);
            Console.WriteLine($"Written to {readme}");
        }

        return 0;
    }
}
