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
        Assert.Equal(Path.ChangeExtension(report, ".csv"), ((FileInfo)result.Output[1].BaseObject).FullName);
        var summary = result.Output.Select(o => o.BaseObject).OfType<GeminiRunSummary>().Single();
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

    [Fact]
    public void The_nightly_report_over_mixed_logs_has_a_row_for_every_file_and_totals_and_warnings_that_match()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        string logs = TempDir.Create();
        File.WriteAllText(Path.Combine(logs, "app.log"), "INFO start\nERROR disk full\n");
        File.WriteAllBytes(Path.Combine(logs, "empty.log"), Array.Empty<byte>());
        File.WriteAllBytes(Path.Combine(logs, "ansi.log"), new byte[] { (byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)'\n' }); // "café" in latin1
        File.WriteAllBytes(Path.Combine(logs, "binary.log"), new byte[] { 0x00, 0xFF, 0xFE, 0x80, 0x81, 0x00 });
        using (FileStream huge = File.Create(Path.Combine(logs, "huge.log")))
            huge.SetLength(21L * 1024 * 1024); // over the 20 MB inline limit
        string report = Path.Combine(TempDir.Create(), "nightly.html");
        shell.Set("script", Path.Combine(Paths.RepoRoot, "docs", "examples", "log-report.ps1"));
        shell.Set("logs", logs);
        shell.Set("report", report);

        ShellResult result = shell.Run("& $script -LogFolder $logs -OutFile $report -ThrottleLimit 2 -WarningVariable warned");

        var summary = result.Output.Select(o => o.BaseObject).OfType<GeminiRunSummary>().Single();
        Assert.Equal(5, summary.Inputs);
        Assert.Equal(summary.Inputs, summary.Succeeded + summary.Failed);
        Assert.Equal(2, summary.Refused); // empty.log, huge.log
        Assert.Contains(result.Warnings, w => w.Contains("'empty.log' is empty", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("'ansi.log' is not valid UTF-8", StringComparison.Ordinal));

        string[][] csv = CsvRows(File.ReadAllText(Path.ChangeExtension(report, ".csv")));
        Assert.Equal(new[] { "File", "SizeKB", "ErrorLines", "Summary", "Tokens", "Cached" }, csv[0]);
        string[] names = csv.Skip(1).Select(row => row[0]).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "ansi.log", "app.log", "binary.log", "empty.log", "huge.log" }, names);
        Assert.Equal(summary.Failed, csv.Skip(1).Count(row => row[3].StartsWith("Not summarized: ", StringComparison.Ordinal)));

        string html = File.ReadAllText(report);
        Assert.Equal(5, Regex.Matches(html, "<tr><td>").Count);
        Assert.Contains($"5 files, {summary.Succeeded} summarized, {summary.Failed} failed", html);
    }

    // Issue 21: the nightly report keeps its answers (-AnswerCache, by default beside the report) and a token budget.
    [Fact]
    public void The_second_night_over_unchanged_logs_sends_nothing_and_a_budget_stops_the_logs_after_it()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        string logs = TempDir.Create();
        foreach (string name in new[] { "a.log", "b.log", "c.log" })
            File.WriteAllText(Path.Combine(logs, name), $"INFO {name} start\nERROR disk full\n");
        string report = Path.Combine(TempDir.Create(), "nightly.html");
        shell.Set("script", Path.Combine(Paths.RepoRoot, "docs", "examples", "log-report.ps1"));
        shell.Set("logs", logs);
        shell.Set("report", report);

        ShellResult first = shell.Run("& $script -LogFolder $logs -OutFile $report -ThrottleLimit 1");
        first.AssertNoErrors();
        Assert.Equal(3, server.Requests.Count);
        Assert.True(Directory.GetFiles(Path.Combine(Path.GetDirectoryName(report)!, "log-report-cache"), "*.json").Length == 3);

        server.ClearRequests();
        File.AppendAllText(Path.Combine(logs, "c.log"), "ERROR again\n");
        ShellResult second = shell.Run("& $script -LogFolder $logs -OutFile $report -ThrottleLimit 1");
        second.AssertNoErrors();
        Assert.Single(server.Requests); // only the changed log
        var summary = second.Output.Select(o => o.BaseObject).OfType<GeminiRunSummary>().Single();
        Assert.Equal(2, summary.CacheHits);
        string[][] csv = CsvRows(File.ReadAllText(Path.ChangeExtension(report, ".csv")));
        Assert.Equal(new[] { "a.log:yes", "b.log:yes", "c.log:" }, csv.Skip(1).Select(row => row[0] + ":" + row[5]).OrderBy(r => r, StringComparer.Ordinal));
        Assert.Contains("2 answered from the answer cache", File.ReadAllText(report));

        // A budget smaller than one answer: the first log is sent, the ones after it are listed as not summarized.
        server.ClearRequests();
        ShellResult budgeted = shell.Run("& $script -LogFolder $logs -OutFile $report -ThrottleLimit 1 -AnswerCache '' -MaxTotalTokens 1");
        budgeted.AssertNoErrors();
        Assert.Single(server.Requests);
        string[][] rows = CsvRows(File.ReadAllText(Path.ChangeExtension(report, ".csv"))).Skip(1).ToArray();
        Assert.Equal(3, rows.Length);
        Assert.Equal(2, rows.Count(row => row[3].StartsWith("Not summarized: ", StringComparison.Ordinal) && row[3].Contains("budget", StringComparison.OrdinalIgnoreCase)));
        Assert.Contains("budget 1, 2 file(s) stopped by it", File.ReadAllText(report));
    }

    // RFC 4180 rows: quoted cells may hold commas, quotes ("") and line breaks.
    private static string[][] CsvRows(string text)
    {
        var rows = new System.Collections.Generic.List<string[]>();
        var row = new System.Collections.Generic.List<string>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted && c == '"' && i + 1 < text.Length && text[i + 1] == '"')
            {
                cell.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (!quoted && (c == '\n' || c == '\r'))
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    i++;
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add(row.ToArray());
                row.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        return rows.ToArray();
    }
}
