using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CometGemini.Tests.Harness;

namespace CometGemini.Tests;

/// <summary>
/// Examples are copied into Linux and macOS shells too: one that needs a Windows-only command says so near it (its
/// heading, its text, or a comment in it), or uses a command every platform has (issue 19, point 14).
/// </summary>
public sealed class WindowsOnlyExampleTests
{
    // Commands that pwsh has only on Windows (or, like Get-WmiObject and Get-EventLog, only Windows PowerShell has).
    private static readonly string[] WindowsOnly =
    {
        "Get-EventLog", "Get-WinEvent", "Get-Service", "Restart-Service", "Start-Service", "Stop-Service", "Set-Service",
        "New-Service", "Get-CimInstance", "Invoke-CimMethod", "Get-WmiObject", "Get-LocalUser", "Get-LocalGroup",
        "Get-LocalGroupMember", "Get-Counter", "Get-HotFix", "Get-ComputerInfo", "Get-Printer", "Get-NetAdapter",
        "Get-NetIPAddress", "Get-ScheduledTask", "Get-Volume", "Get-Disk", "Get-WindowsFeature", "Get-AppxPackage",
    };

    private static readonly Regex Uses = new(
        @"(?<![\w-])(" + string.Join("|", WindowsOnly.Select(Regex.Escape)) + @")(?![\w-])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    // How many lines above a block (its heading) and below it (its explanation) count as near.
    private const int LinesAbove = 3;
    private const int LinesBelow = 6;

    /// <summary>Each example: where it is, its code, and the text near it.</summary>
    public static IEnumerable<(string Where, string Code, string Near)> Examples()
    {
        var pages = Directory.GetFiles(Path.Combine(Paths.RepoRoot, "docs", "en-US"), "*.md", SearchOption.AllDirectories)
            .Append(Path.Combine(Paths.RepoRoot, "README.md"));
        foreach (string page in pages)
        {
            string[] lines = File.ReadAllLines(page);
            for (int i = 0; i < lines.Length; i++)
            {
                if (!lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
                    continue;
                int end = i + 1;
                while (end < lines.Length && !lines[end].TrimStart().StartsWith("```", StringComparison.Ordinal))
                    end++;
                string code = string.Join("\n", lines[(i + 1)..Math.Min(end, lines.Length)]);
                string near = string.Join("\n", lines[Math.Max(0, i - LinesAbove)..i].Concat(lines[Math.Min(lines.Length, end + 1)..Math.Min(lines.Length, end + 1 + LinesBelow)]));
                yield return ($"{Path.GetRelativePath(Paths.RepoRoot, page)}:{i + 1}", code, near);
                i = end;
            }
        }

        foreach (string script in Directory.GetFiles(Path.Combine(Paths.RepoRoot, "docs", "examples"), "*.ps1"))
            yield return (Path.GetRelativePath(Paths.RepoRoot, script), File.ReadAllText(script), string.Empty);
    }

    [Fact]
    public void Examples_that_use_a_Windows_only_command_say_Windows_near_it()
    {
        List<string> unmarked = Examples()
            .Where(e => Uses.IsMatch(e.Code) && !(e.Code + "\n" + e.Near).Contains("Windows", StringComparison.Ordinal))
            .Select(e => $"{e.Where} uses {Uses.Match(e.Code).Value}")
            .ToList();

        Assert.True(unmarked.Count == 0, "Say \"(Windows)\" in the heading or a comment, or use a command every platform has:\n" + string.Join("\n", unmarked));
    }

    [Fact]
    public void The_check_finds_an_unmarked_block_and_accepts_a_marked_one()
    {
        Assert.Matches(Uses, "Get-Service | Where-Object Status -eq Stopped");
        Assert.Matches(Uses, "-Tool get-winevent,Get-Process");
        Assert.DoesNotMatch(Uses, "Get-ServiceStatus -Name x; Get-MyServiceStatus; Get-Process");
        Assert.NotEmpty(Examples());
        Assert.Contains(Examples(), e => e.Where.StartsWith("README.md", StringComparison.Ordinal));
        Assert.Contains(Examples(), e => e.Where.StartsWith(Path.Combine("docs", "examples"), StringComparison.Ordinal));
    }
}
