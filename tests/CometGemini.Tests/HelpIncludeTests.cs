using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CometGemini.HelpBuilder;
using CometGemini.Tests.Harness;

namespace CometGemini.Tests;

/// <summary>Shared parameter sections (docs/en-US/parameters) are written once and included where they are used.</summary>
public sealed class HelpIncludeTests : IDisposable
{
    private static readonly string Docs = Path.Combine(Paths.RepoRoot, "docs", "en-US");
    private static readonly string Shared = Path.Combine(Docs, "parameters");

    private readonly string _folder = Directory.CreateTempSubdirectory("cometgemini-help-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void An_include_naming_a_missing_file_fails_with_the_page_line_and_the_file_it_looked_for()
    {
        string page = Write("Get-Thing.md", "## PARAMETERS\n\n{{ include parameters/Nope.md }}\n\n## INPUTS\n");

        var error = Assert.Throws<HelpFormatException>(() => HelpIncludes.ExpandFile(page));

        Assert.StartsWith($"{page}:3: include 'parameters/Nope.md'", error.Message);
        Assert.Contains(Path.Combine(_folder, "parameters", "Nope.md"), error.Message);
    }

    [Theory]
    [InlineData("{{include parameters/Seed.md}}")]
    [InlineData("{{ include parameters/Seed.md }} and more")]
    [InlineData("{{ Include parameters/Seed.md }}")]
    public void A_line_that_looks_like_an_include_but_is_not_one_is_an_error_not_help_text(string line)
    {
        Write(Path.Combine("parameters", "Seed.md"), "### -Seed\nA seed.\n");
        string page = Write("Get-Thing.md", $"## PARAMETERS\n\n{line}\n");

        var error = Assert.Throws<HelpFormatException>(() => HelpIncludes.ExpandFile(page));

        Assert.StartsWith($"{page}:3: ", error.Message);
        Assert.Contains("{{ include parameters/<Name>.md }}", error.Message);
    }

    [Fact]
    public void An_include_is_replaced_by_the_section_and_each_line_knows_where_it_was_written()
    {
        string shared = Write(Path.Combine("parameters", "Seed.Variant.md"), "### -Seed\nA seed.\n\n```yaml\nType: Int32\n```\n\n");
        string page = Write("Get-Thing.md", "## PARAMETERS\r\n\r\n{{ include parameters/Seed.Variant.md }}\r\n\r\n### -Other\r\n");

        ExpandedMarkdown expanded = HelpIncludes.ExpandFile(page);

        Assert.Equal("## PARAMETERS\n\n### -Seed\nA seed.\n\n```yaml\nType: Int32\n```\n\n### -Other\n", expanded.Text);
        Assert.Equal((page, 2), expanded.OriginOf(2));
        Assert.Equal((Path.GetFullPath(shared), 1), expanded.OriginOf(3));
        Assert.Equal((Path.GetFullPath(shared), 6), expanded.OriginOf(8));
        Assert.Equal((page, 5), expanded.OriginOf(10));
    }

    [Theory]
    [InlineData("### -Other\nA seed.\n", 1, "'### -Seed'")]
    [InlineData("A seed.\n", 1, "'### -Seed'")]
    [InlineData("### -Seed\nA seed.\n\n### -Other\n", 4, "one parameter section")]
    [InlineData("### -Seed\nA seed.\n{{ include parameters/Other.md }}\n", 3, "includes nothing")]
    public void A_shared_file_is_one_section_named_as_the_file_is(string text, int line, string message)
    {
        string shared = Write(Path.Combine("parameters", "Seed.md"), text);
        string page = Write("Get-Thing.md", "{{ include parameters/Seed.md }}\n");

        var error = Assert.Throws<HelpFormatException>(() => HelpIncludes.ExpandFile(page));

        Assert.StartsWith($"{Path.GetFullPath(shared)}:{line}: ", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void No_shared_section_is_also_written_out_on_a_page()
    {
        Dictionary<string, string> shared = Directory.GetFiles(Shared, "*.md")
            .Where(f => Path.GetFileName(f) != "README.md")
            .ToDictionary(f => Normalize(File.ReadAllText(f)), f => Path.GetFileName(f));
        Assert.True(shared.Count > 40, $"only {shared.Count} shared sections");

        var failures = new List<string>();
        foreach (string page in CommandPages())
        {
            string text = File.ReadAllText(page);
            foreach (Match section in Sections(text))
            {
                if (shared.TryGetValue(Normalize(section.Value), out string? file))
                    failures.Add($"{Path.GetFileName(page)} writes out -{section.Groups[1].Value}: use '{{{{ include parameters/{file} }}}}'");
            }

            // A page that includes a section and writes the same parameter out as well documents it twice.
            foreach (var twice in Sections(HelpIncludes.ExpandFile(page).Text).GroupBy(s => s.Groups[1].Value).Where(g => g.Count() > 1))
                failures.Add($"{Path.GetFileName(page)} documents -{twice.Key} {twice.Count()} times");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Every_shared_section_is_included_by_a_page()
    {
        string pages = string.Join("\n", CommandPages().Select(File.ReadAllText));
        string[] unused = Directory.GetFiles(Shared, "*.md")
            .Select(Path.GetFileName)
            .Where(f => f != "README.md" && !pages.Contains($"{{{{ include parameters/{f} }}}}", StringComparison.Ordinal))
            .ToArray()!;
        Assert.True(unused.Length == 0, "shared sections no page includes: " + string.Join(", ", unused));
    }

    private static IEnumerable<string> CommandPages() => Directory.GetFiles(Docs, "*-*.md");

    // A '### -Name' section: its heading, description and yaml, up to the next heading.
    private static IEnumerable<Match> Sections(string markdown) =>
        Regex.Matches(markdown.Replace("\r\n", "\n"), @"^### -(\w+)[ \t]*$.*?(?=^##|\z)", RegexOptions.Multiline | RegexOptions.Singleline);

    // Trailing spaces trimmed, as tools/Find-RepeatedParameterHelp.ps1 compares sections: the only ones the pages had
    // were in 'Aliases: ' lines, whose value the builder trims.
    private static string Normalize(string text) =>
        string.Join("\n", text.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd())).Trim();

    private string Write(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
