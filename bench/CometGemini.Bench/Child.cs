using System;
using System.Diagnostics;
using System.IO;

namespace CometGemini.Bench;

/// <summary>Runs this program again in a fresh process (cold start, clean memory figures) and returns its last output line.</summary>
internal static class Child
{
    public static string Run(params string[] args)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string? self = Environment.ProcessPath;
        if (self is null || Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.FileName = "dotnet";
            start.ArgumentList.Add(typeof(Child).Assembly.Location);
        }
        else
        {
            start.FileName = self;
        }

        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        using Process process = Process.Start(start)!;
        System.Threading.Tasks.Task<string> errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"child {string.Join(' ', args)} failed ({process.ExitCode}): {errors.Result}{output}");
        string[] lines = output.Trim().Split('\n');
        return lines[^1].Trim();
    }
}
