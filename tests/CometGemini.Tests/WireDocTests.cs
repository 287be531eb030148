using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CometGemini.Tests.Harness;

namespace CometGemini.Tests;

/// <summary>The repository explains itself: every section of docs/wire.md that a source comment cites is there, and no comment cites a document outside the repository.</summary>
public sealed class WireDocTests
{
    private static readonly string WireDoc = Path.Combine(Paths.RepoRoot, "docs", "wire.md");

    // "docs/wire.md §6.1", "docs/wire.md §8, §9", "docs/wire.md §10 and §11"
    private static readonly Regex Citation = new(@"docs/wire\.md((?:(?:\s*,\s*|\s+and\s+|\s+)§\d+(?:\.\d+)*)+)", RegexOptions.CultureInvariant);
    private static readonly Regex SectionNumber = new(@"§(\d+(?:\.\d+)*)", RegexOptions.CultureInvariant);
    private static readonly Regex Heading = new(@"^#{2,4}\s+(\d+(?:\.\d+)*)\.?\s", RegexOptions.CultureInvariant | RegexOptions.Multiline);

    [Fact]
    public void Every_cited_section_of_the_wire_doc_exists()
    {
        HashSet<string> sections = Sections();
        var citations = SourceFiles("src", "tests")
            .SelectMany(file => Citation.Matches(File.ReadAllText(file)).Cast<Match>()
                .SelectMany(m => SectionNumber.Matches(m.Groups[1].Value).Cast<Match>())
                .Select(s => (File: Relative(file), Section: s.Groups[1].Value)))
            .ToList();

        Assert.True(citations.Count >= 10, $"expected the source to cite docs/wire.md sections; found {citations.Count}");
        var missing = citations.Where(c => !sections.Contains(c.Section)).Select(c => $"{c.File}: §{c.Section}").ToList();
        Assert.True(missing.Count == 0, "docs/wire.md has no such section: " + string.Join("; ", missing));
    }

    [Fact]
    public void Nothing_cites_the_wire_notes_outside_the_repository()
    {
        string outside = "gemini-" + "wire.md"; // spelt in two pieces so this file does not cite it
        var citing = SourceFiles("src", "tests", "tools", "bench", "docs")
            .Append(Path.Combine(Paths.RepoRoot, "README.md"))
            .Where(file => File.ReadAllText(file).IndexOf(outside, StringComparison.OrdinalIgnoreCase) >= 0)
            .Select(Relative)
            .ToList();

        Assert.True(citing.Count == 0, $"these cite {outside}, which is not in the repository (cite docs/wire.md §N): " + string.Join(", ", citing));
    }

    [Fact]
    public void Wire_doc_sections_are_numbered_once_each()
    {
        List<string> numbers = Heading.Matches(File.ReadAllText(WireDoc)).Cast<Match>().Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(numbers);
        Assert.Equal(numbers.Count, numbers.Distinct(StringComparer.Ordinal).Count());
    }

    private static HashSet<string> Sections() =>
        Heading.Matches(File.ReadAllText(WireDoc)).Cast<Match>().Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> SourceFiles(params string[] folders) =>
        folders
            .Select(f => Path.Combine(Paths.RepoRoot, f))
            .Where(Directory.Exists)
            .SelectMany(dir => Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            .Where(file => !IsBuildOutput(file))
            .Where(file => Path.GetExtension(file) is ".cs" or ".ps1" or ".psm1" or ".psd1" or ".md" or ".json" or ".yaml" or ".xml" or ".txt");

    private static bool IsBuildOutput(string file)
    {
        string[] parts = Relative(file).Split('/');
        return parts.Any(p => p is "bin" or "obj" or "TestResults" or "out");
    }

    private static string Relative(string file) => Path.GetRelativePath(Paths.RepoRoot, file).Replace('\\', '/');
}

/// <summary>The two ways of looking through PowerShell's wrapper, which every unwrapping site uses.</summary>
public sealed class PSObjectsTests
{
    [Fact]
    public void BaseObject_looks_through_any_wrapper()
    {
        var file = new FileInfo("notes.txt");
        Assert.Same(file, CometGemini.Commands.PSObjects.BaseObject(System.Management.Automation.PSObject.AsPSObject(file)));
        Assert.Same(file, CometGemini.Commands.PSObjects.BaseObject(file));
        Assert.Null(CometGemini.Commands.PSObjects.BaseObject(null));
    }

    [Fact]
    public void UnwrapUnlessCustom_keeps_a_pscustomobject_wrapped_with_its_properties()
    {
        var row = new System.Management.Automation.PSObject();
        row.Properties.Add(new System.Management.Automation.PSNoteProperty("Name", "Ada"));
        var file = new FileInfo("notes.txt");

        Assert.Same(row, CometGemini.Commands.PSObjects.UnwrapUnlessCustom(row));
        Assert.Same(file, CometGemini.Commands.PSObjects.UnwrapUnlessCustom(System.Management.Automation.PSObject.AsPSObject(file)));
        Assert.IsType<System.Management.Automation.PSCustomObject>(CometGemini.Commands.PSObjects.BaseObject(row));
    }
}
