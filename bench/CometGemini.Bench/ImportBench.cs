using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Net.Http;
using System.Reflection;
using System.Text.Json.Serialization.Metadata;

namespace CometGemini.Bench;

/// <summary>
/// 4. Import time: Import-Module in a fresh hosted runspace of a fresh process (cold, as a user's first import),
/// CometGemini against the empty binary module (bench/EmptyModule). Each child process first opens the runspace
/// and runs one statement, so the engine's own start-up is outside the measurement for both.
/// </summary>
internal static class ImportBench
{
    public static IEnumerable<Row> Run(Settings settings)
    {
        var module = new List<double>();
        var empty = new List<double>();
        string[] lastModule = Array.Empty<string>(), lastEmpty = Array.Empty<string>();
        for (int i = 0; i < settings.ImportRuns; i++)
        {
            lastEmpty = Child.Run("--import-child", settings.EmptyManifest).Split(';');
            empty.Add(double.Parse(lastEmpty[0], System.Globalization.CultureInfo.InvariantCulture));
            lastModule = Child.Run("--import-child", Paths.Manifest).Split(';');
            module.Add(double.Parse(lastModule[0], System.Globalization.CultureInfo.InvariantCulture));
        }

        double moduleMedian = Stats.Median(module), emptyMedian = Stats.Median(empty);
        double extra = moduleMedian - emptyMedian;
        yield return new Row($"4. import: Import-Module in a fresh process and runspace (median of {module.Count})",
            $"{Report.Ms(moduleMedian)} ({(extra >= 0 ? "+" : "−")}{Report.Ms(Math.Abs(extra))})", Report.Ms(emptyMedian), moduleMedian / emptyMedian, "< +150 ms", extra < 150);
        Settings.Note($"Import: assemblies the CometGemini import loaded: {lastModule[1]} (the empty module's: {lastEmpty[1]}); shared HttpClient created at import: {lastModule[2]}; "
            + $"JSON metadata created at import: {lastModule[3]}. Runs: module {string.Join(", ", module.Select(m => m.ToString("0")))} ms; "
            + $"empty {string.Join(", ", empty.Select(m => m.ToString("0")))} ms.");
    }

    /// <summary>In the child: "ms;new assemblies;HttpClient created;JSON context created".</summary>
    public static string ChildMain(string manifest)
    {
        using Runspace runspace = Engine.Open();
        Engine.Run(runspace, "$null = 1");
        HashSet<string> before = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name!).ToHashSet();
        long start = Stopwatch.GetTimestamp();
        Engine.Run(runspace, "Import-Module " + Engine.Quote(manifest));
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        string[] loaded = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name!).Where(n => !before.Contains(n)).OrderBy(n => n).ToArray();

        string http = "n/a", json = "n/a";
        Assembly? comet = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "CometGemini");
        if (comet is not null)
        {
            // Read without running anything: a type's static fields are only inspected once the checks above are done.
            var lazy = (Lazy<HttpClient>?)comet.GetType("CometGemini.Client.GeminiClient")!.GetField("SharedHttp", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null);
            http = lazy!.IsValueCreated ? "yes" : "no";
            // The generated context builds each type's metadata (a JsonTypeInfo field) on first use: count those built.
            Type contextType = comet.GetType("CometGemini.GeminiJsonContext")!;
            object context = contextType.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            FieldInfo[] metadata = contextType.GetFields(BindingFlags.NonPublic | BindingFlags.Instance).Where(f => typeof(JsonTypeInfo).IsAssignableFrom(f.FieldType)).ToArray();
            int built = metadata.Count(f => f.GetValue(context) is not null);
            json = $"{(built == 0 ? "no" : "yes")} ({built} of {metadata.Length} types' metadata built)";
        }

        return FormattableString.Invariant($"{ms:0.0};{(loaded.Length == 0 ? "none" : string.Join(", ", loaded))};{http};{json}");
    }
}
