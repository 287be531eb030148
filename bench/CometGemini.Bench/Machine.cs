using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime;
using System.Runtime.InteropServices;

namespace CometGemini.Bench;

internal static class Machine
{
    public static string Describe() =>
        $"Machine: {Cpu()}, {Environment.ProcessorCount} logical cores; {RuntimeInformation.OSDescription.Trim()} ({RuntimeInformation.OSArchitecture}); "
        + $"{RuntimeInformation.FrameworkDescription}; PowerShell engine (System.Management.Automation) {typeof(PSObject).Assembly.GetName().Version}; "
        + $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC.";

    /// <summary>The 1-minute load average (Linux), for the report: other work on the machine moves every figure.</summary>
    public static string Load()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string Cpu()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                string? name = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (name is not null)
                    return name.Substring(name.IndexOf(':') + 1).Trim();
            }
        }
        catch (IOException)
        {
        }

        return Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER") ?? RuntimeInformation.ProcessArchitecture.ToString();
    }
}
