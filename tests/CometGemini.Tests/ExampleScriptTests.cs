using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>The scripts in docs/examples run as a user would run them, against the fake server.</summary>
public sealed class ExampleScriptTests
{
    [Fact]
    public void The_log_report_example_turns_several_logs_into_one_HTML_report_with_a_row_per_file_and_the_token_total()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Error(400, "INVALID_ARGUMENT", "The log is not allowed.") with { HeaderDelay = TimeSpan.FromMilliseconds(50) });
        using var shell = new Shell(server);
        string logs = TempDir.Create();
        // Whichever log reaches the server first gets the 400; each has two error lines and markup to encode.
        foreach (string name in new[] { "web.log", "db.log", "auth.log" })
            File.WriteAllText(Path.Combine(logs, name), $"INFO {name} start\nERROR timeout <sda1>\nWARN slow\nFATAL out of disk\n");
        File.WriteAllText(Path.Combine(logs, "notes.txt"), "not a log");
        string report = Path.Combine(TempDir.Create(), "report.html");
        shell.Set("script", Path.Combine(Paths.RepoRoot, "docs", "examples", "log-report.ps1"));
        shell.Set("logs", logs);
        shell.Set("report", report);

        ShellResult result = shell.Run("& $script -LogFolder $logs -OutFile $report -ThrottleLimit 3");

        result.AssertNoErrors();
        Assert.Equal(report, ((FileInfo)result.Output[0].BaseObject).FullName);
        var summary = (GeminiRunSummary)result.Output[1].BaseObject;
        Assert.Equal(3, summary.Requests);
        Assert.Equal(1, summary.Failed);
        string html = File.ReadAllText(report);
        // Three rows (one per log, in name order among the answered ones, the failed one after them); the .txt file is not in the report.
        string[] files = Regex.Matches(html, "<tr><td>([^<]+)</td>").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(3, files.Length);
        Assert.Equal(new[] { "auth.log", "db.log", "web.log" }, files.OrderBy(f => f, StringComparer.Ordinal));
        Assert.DoesNotContain("notes.txt", html);
        Assert.Contains("Not summarized: ", html);
        Assert.Contains("&lt;sda1&gt;", html); // the model's echo of the log, encoded
        Assert.Equal(2, Regex.Matches(html, "<td>2</td>").Count); // error lines of the two answered logs
        Assert.Contains($"<b>{summary.TotalTokens} in all</b>", html);
        Assert.True(summary.TotalTokens > 0);
    }
}
