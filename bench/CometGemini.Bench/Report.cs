using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace CometGemini.Bench;

/// <summary>One line of the results table: the module's figure, the floor it is compared with, and the target.</summary>
internal sealed record Row(string Benchmark, string Figure, string Floor, double? Ratio, string Target, bool? Met, string Note = "");

/// <summary>Writes the results table between the markers of bench/README.md (the prose around them is kept).</summary>
internal static class Report
{
    private const string Start = "<!-- results:start -->";
    private const string End = "<!-- results:end -->";

    public static string Table(IReadOnlyList<Row> rows, IReadOnlyList<string> notes, string machine, string mode)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Run: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, `{mode}` mode.");
        text.AppendLine();
        text.AppendLine(machine);
        text.AppendLine();
        text.AppendLine("| benchmark | module | floor | ratio | target | met? |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (Row row in rows)
        {
            string ratio = row.Ratio is double r ? r.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "–";
            string met = row.Met switch { true => "yes", false => "**no**", null => "n/a" };
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Benchmark} | {row.Figure} | {row.Floor} | {ratio} | {row.Target} | {met} |");
        }

        if (notes.Count > 0)
        {
            text.AppendLine();
            foreach (string note in notes)
                text.AppendLine("- " + note);
        }

        return text.ToString();
    }

    public static void WriteReadme(string readmePath, string table)
    {
        string block = Start + "\n" + table.Replace("\r\n", "\n", StringComparison.Ordinal) + End;
        string readme = File.Exists(readmePath) ? File.ReadAllText(readmePath) : "# Benchmarks\n\n" + Start + "\n" + End + "\n";
        int start = readme.IndexOf(Start, StringComparison.Ordinal);
        int end = readme.IndexOf(End, StringComparison.Ordinal);
        readme = start >= 0 && end > start
            ? readme.Substring(0, start) + block + readme.Substring(end + End.Length)
            : readme.TrimEnd() + "\n\n" + block + "\n";
        File.WriteAllText(readmePath, readme);
    }

    public static string Ms(double ms) => ms >= 100 ? ms.ToString("0", CultureInfo.InvariantCulture) + " ms" : ms.ToString("0.00", CultureInfo.InvariantCulture) + " ms";

    public static string Mb(double bytes) => (bytes / (1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
}
