using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Threading;
using FakeGemini;

namespace CometGemini.Bench;

/// <summary>
/// 5. Memory: in a child process (this process hosts the fake server, whose buffers must not count), after a warm-up
/// call of the same kind: the peak resident set above what was resident before the call (VmHWM after resetting it
/// through /proc/self/clear_refs; elsewhere a 1 ms sampler), the peak of the managed heap, and all bytes allocated.
/// Upload: Invoke-GeminiContent -LiteralPath with a 15 MB image (sent inline). Download: an answer carrying a 10 MB
/// image inline, parsed into the response object the user gets.
/// </summary>
internal static class MemoryBench
{
    private const int UploadBytes = 15 * 1024 * 1024;
    private const int DownloadBytes = 10 * 1024 * 1024;

    public static IEnumerable<Row> Run(Settings settings, FakeGeminiServer server)
    {
        string dir = Path.Combine(Path.GetTempPath(), "cometgemini-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        try
        {
            string big = Path.Combine(dir, "upload.png"), small = Path.Combine(dir, "warmup.png");
            File.WriteAllBytes(big, Wire.RandomBytes(UploadBytes, 1));
            File.WriteAllBytes(small, Wire.RandomBytes(64 * 1024, 2));
            var upload = new List<Measured>();
            var download = new List<Measured>();
            var gzipped = new List<Measured>();
            byte[] smallImage = Wire.ImageResponse(Wire.RandomBytes(64 * 1024, 3));
            byte[] bigImage = Wire.ImageResponse(Wire.RandomBytes(DownloadBytes, 4));
            for (int i = 0; i < settings.MemoryRuns; i++)
            {
                upload.Add(Measured.Parse(Child.Run("--memory-child", "upload", small, big)));
                server.Enqueue(FakeReply.Json(200, "{}") with { Body = smallImage });
                server.Enqueue(FakeReply.Json(200, "{}") with { Body = bigImage });
                download.Add(Measured.Parse(Child.Run("--memory-child", "download")));
                server.Enqueue(FakeReply.Json(200, "{}") with { Body = smallImage, Gzip = true });
                server.Enqueue(FakeReply.Json(200, "{}") with { Body = bigImage, Gzip = true });
                gzipped.Add(Measured.Parse(Child.Run("--memory-child", "download")));
            }

            yield return Row("5. memory: send a 15 MB image inline (peak working set above the idle process)", upload, UploadBytes);
            yield return Row("5. memory: parse an answer with a 10 MB image (same)", download, DownloadBytes);
            yield return Row("5. memory: the same answer gzip'd, so of unannounced length (same)", gzipped, DownloadBytes);
            Settings.Note($"Memory, upload of {Report.Mb(UploadBytes)} (median of {upload.Count}): {Describe(upload)}.");
            Settings.Note($"Memory, download of {Report.Mb(DownloadBytes)} ({Report.Mb(bigImage.Length)} of JSON): {Describe(download)}; gzip'd: {Describe(gzipped)}.");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Row Row(string name, List<Measured> runs, int payload)
    {
        double peak = Stats.Median(runs.Select(r => (double)r.PeakResident));
        return new Row(name, Report.Mb(peak), Report.Mb(payload) + " payload", peak / payload, "≤ 3x payload", peak <= 3.0 * payload);
    }

    private static string Describe(List<Measured> runs) =>
        $"peak managed heap +{Report.Mb(Stats.Median(runs.Select(r => (double)r.PeakManaged)))}, "
        + $"allocated {Report.Mb(Stats.Median(runs.Select(r => (double)r.Allocated)))}, "
        + $"peak resident +{Report.Mb(Stats.Median(runs.Select(r => (double)r.PeakResident)))} ({runs[0].How})";

    /// <summary>In the child: measures one call after a warm-up; prints "allocated;peakManaged;peakResident;how".</summary>
    public static string ChildMain(string[] args)
    {
        bool upload = args[0] == "upload";
        using Runspace runspace = Engine.Open(Paths.Manifest);
        string script = upload
            ? "$null = Invoke-GeminiContent 'Describe this image' -LiteralPath $file"
            : "$global:answer = Invoke-GeminiContent 'Draw a lighthouse'";
        Engine.Set(runspace, "file", upload ? args[1] : null);
        Engine.Run(runspace, script); // warm-up: JIT, the connection, the engine's caches
        Engine.Set(runspace, "file", upload ? args[2] : null);
        Engine.Run(runspace, "$global:answer = $null");

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long managed0 = GC.GetTotalMemory(false);
        long allocated0 = GC.GetTotalAllocatedBytes(true);
        bool hwm = Resident.TryResetPeak();
        long resident0 = Resident.Current();
        using var sampler = new Sampler();
        Engine.Run(runspace, script);
        long allocated = GC.GetTotalAllocatedBytes(true) - allocated0;
        sampler.Stop();
        long peakResident = (hwm ? Math.Max(Resident.Peak(), sampler.MaxResident) : sampler.MaxResident) - resident0;
        long peakManaged = sampler.MaxManaged - managed0;
        return FormattableString.Invariant($"{allocated};{peakManaged};{peakResident};{(hwm ? "VmHWM" : "1 ms sampling")}");
    }

    private sealed record Measured(long Allocated, long PeakManaged, long PeakResident, string How)
    {
        public static Measured Parse(string line)
        {
            string[] f = line.Split(';');
            return new Measured(long.Parse(f[0], CultureInfo.InvariantCulture), long.Parse(f[1], CultureInfo.InvariantCulture), long.Parse(f[2], CultureInfo.InvariantCulture), f[3]);
        }
    }

    /// <summary>Samples the managed heap size and the working set every millisecond on its own thread.</summary>
    internal sealed class Sampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;

        public Sampler()
        {
            _thread = new Thread(Loop) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
            _thread.Start();
        }

        public long MaxManaged { get; private set; }

        public long MaxResident { get; private set; }

        public void Stop()
        {
            _stop = true;
            _thread.Join();
            Take();
        }

        public void Dispose() => Stop();

        private void Loop()
        {
            while (!_stop)
            {
                Take();
                Thread.Sleep(1);
            }
        }

        private void Take()
        {
            MaxManaged = Math.Max(MaxManaged, GC.GetTotalMemory(false));
            MaxResident = Math.Max(MaxResident, Resident.Current());
        }
    }

    /// <summary>Linux /proc figures (VmRSS, VmHWM); Environment.WorkingSet elsewhere.</summary>
    internal static class Resident
    {
        public static long Current() => Status("VmRSS:") ?? Environment.WorkingSet;

        public static long Peak() => Status("VmHWM:") ?? Environment.WorkingSet;

        /// <summary>Writing 5 to clear_refs resets VmHWM to the current RSS (Linux ≥ 4.0).</summary>
        public static bool TryResetPeak()
        {
            try
            {
                File.WriteAllText("/proc/self/clear_refs", "5");
                return Status("VmHWM:") is not null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        private static long? Status(string field)
        {
            if (!File.Exists("/proc/self/status"))
                return null;
            string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Substring(field.Length).Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
    }
}
