using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CometGemini.Client;

namespace CometGemini.Bench;

/// <summary>
/// 6. The module's parsers on recorded traffic (tests/CometGemini.Tests/Fixtures), each paired with its floor: what
/// System.Text.Json's DOM needs for the same bytes. In-process (the module's dll is the one in out/CometGemini).
/// </summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    internal const string RequestFixture = "llm-gemini/derived/test_tools_with_gemini_3_thought_signatures.1.request.json";
    internal const string ResponseFixture = "firebase-test-data/googleai/unary-success-google-search-grounding.json";
    internal const string SseFixture = "pydantic-ai/derived/test_google_model_web_search_tool_stream.0.response.sse";

    private GenerateContentRequest _request = null!;
    private JsonDocument _requestDocument = null!;
    private byte[] _response = null!;
    private byte[] _sse = null!;
    private readonly ArrayBufferWriter<byte> _copy = new();

    /// <summary>Bytes each benchmark reads or writes per operation, for MB/s.</summary>
    internal static Dictionary<string, long> Sizes { get; } = new();

    [GlobalSetup]
    public void Setup()
    {
        byte[] request = File.ReadAllBytes(Fixture(RequestFixture));
        _request = JsonSerializer.Deserialize(request, GeminiJsonContext.Default.GenerateContentRequest)!;
        _requestDocument = JsonDocument.Parse(request);
        _response = File.ReadAllBytes(Fixture(ResponseFixture));
        _sse = File.ReadAllBytes(Fixture(SseFixture));
        long serialized = JsonSerializer.SerializeToUtf8Bytes(_request, GeminiJsonContext.Default.GenerateContentRequest).Length;
        Sizes[nameof(SerializeRequest)] = serialized;
        Sizes[nameof(SerializeRequestFloor)] = serialized;
        Sizes[nameof(ParseResponse)] = _response.Length;
        Sizes[nameof(ParseResponseFloor)] = _response.Length;
        Sizes[nameof(ParseSse)] = _sse.Length;
        Sizes[nameof(ParseSseFloor)] = _sse.Length;
    }

    [Benchmark(Description = "request serialization")]
    public byte[] SerializeRequest() => JsonSerializer.SerializeToUtf8Bytes(_request, GeminiJsonContext.Default.GenerateContentRequest);

    /// <summary>Floor: writing the same JSON from a parsed DOM.</summary>
    [Benchmark]
    public int SerializeRequestFloor()
    {
        _copy.Clear();
        using (var writer = new Utf8JsonWriter(_copy))
            _requestDocument.WriteTo(writer);
        return _copy.WrittenCount;
    }

    [Benchmark(Description = "response parsing")]
    public GenerateContentResponse ParseResponse() => JsonSerializer.Deserialize(_response, GeminiJsonContext.Default.GenerateContentResponse)!;

    [Benchmark]
    public int ParseResponseFloor()
    {
        using JsonDocument document = JsonDocument.Parse(_response);
        return (int)document.RootElement.ValueKind;
    }

    /// <summary>SseReader over the recorded stream, each event deserialized as the client does.</summary>
    [Benchmark(Description = "SSE parsing")]
    public int ParseSse()
    {
        var reader = new SseReader(new MemoryStream(_sse, writable: false));
        int chunks = 0;
        while (reader.ReadAsync(default).GetAwaiter().GetResult() is SseEvent e)
        {
            if (e.Data is not null && JsonSerializer.Deserialize(e.Data, GeminiJsonContext.Default.GenerateContentResponse) is not null)
                chunks++;
        }

        return chunks;
    }

    /// <summary>Floor: StreamReader lines, JsonDocument per data line.</summary>
    [Benchmark]
    public int ParseSseFloor()
    {
        using var reader = new StreamReader(new MemoryStream(_sse, writable: false), Encoding.UTF8);
        int chunks = 0;
        while (reader.ReadLine() is string line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
                continue;
            using JsonDocument document = JsonDocument.Parse(line.AsMemory(5));
            chunks++;
        }

        return chunks;
    }

    internal static string Fixture(string relative) => Path.Combine(Paths.RepoRoot, "tests", "CometGemini.Tests", "Fixtures", relative);

    internal static IEnumerable<Row> Run(Settings settings)
    {
        // Full: BenchmarkDotNet's defaults but for a bounded number of iterations (the default's up to 100 took ~15 minutes here).
        Job job = (settings.Quick ? Job.ShortRun : Job.Default.WithWarmupCount(6).WithIterationCount(20)).WithToolchain(InProcessEmitToolchain.Instance);
        ManualConfig config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(Path.Combine(Paths.RepoRoot, "bench", "results", "BenchmarkDotNet.Artifacts"))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        Summary summary = BenchmarkRunner.Run<ParserBenchmarks>(config);
        if (Sizes.Count == 0)
            new ParserBenchmarks().Setup();

        (double Ns, long Bytes) Result(string method)
        {
            BenchmarkReport report = summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method);
            return (report.ResultStatistics?.Median ?? double.NaN, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0);
        }

        foreach ((string method, string name) in new[]
                 {
                     (nameof(SerializeRequest), $"6. request serialization ({RequestFixture.Split('/')[^1]})"),
                     (nameof(ParseResponse), $"6. response parsing ({ResponseFixture.Split('/')[^1]})"),
                     (nameof(ParseSse), $"6. SSE parsing, SseReader + chunks ({SseFixture.Split('/')[^1]})"),
                 })
        {
            (double ns, long bytes) = Result(method);
            (double floorNs, long floorBytes) = Result(method + "Floor");
            long size = Sizes[method];
            yield return new Row(name,
                $"{Throughput(size, ns)}, {bytes / (double)size:0.0} B alloc/B",
                $"{Throughput(size, floorNs)}, {floorBytes / (double)size:0.0} B alloc/B",
                ns / floorNs, "(information)", null);
        }

        Settings.Note("Parsers: floors are System.Text.Json's DOM on the same bytes (JsonDocument.Parse; JsonDocument.WriteTo for writing), "
            + "so the ratio is the price of typed objects. BenchmarkDotNet " + typeof(BenchmarkRunner).Assembly.GetName().Version?.ToString(3)
            + $", {(settings.Quick ? "ShortRun" : "6 warm-up and 20 measured iterations")} job, in-process; full tables in bench/results/BenchmarkDotNet.Artifacts.");
    }

    private static string Throughput(long bytes, double ns) =>
        FormattableString.Invariant($"{bytes / (ns / 1e9) / (1024 * 1024):0} MB/s");
}
