using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

// No Markdig here: the test project compiles this file too, so the tests read a page exactly as the builder does.

namespace CometGemini.HelpBuilder;

/// <summary>A problem in an input file, reported as <c>path:line: message</c>.</summary>
internal sealed class HelpFormatException(string path, int line, string message)
    : Exception($"{path}:{line}: {message}");

/// <summary>A page's markdown with its includes expanded (LF line ends), and the file and line each line came from.</summary>
internal sealed record ExpandedMarkdown(string Text, IReadOnlyList<(string Path, int Line)> Origins)
{
    /// <summary>Where the 1-based line of <see cref="Text"/> was written.</summary>
    public (string Path, int Line) OriginOf(int line) => Origins.Count == 0
        ? (string.Empty, line)
        : Origins[Math.Clamp(line, 1, Origins.Count) - 1];
}

/// <summary>
/// Parameter sections written once. A shared file (<c>docs/en-US/parameters/Name.md</c>, or <c>Name.Variant.md</c> where
/// commands describe the parameter differently) holds one <c>### -Name</c> section: description and yaml block. A page
/// uses it by a line of its own, <c>{{ include parameters/Name.md }}</c>, in its PARAMETERS section; the line is replaced
/// by the file's text. Included files include nothing themselves, and a page overrides nothing in them: a parameter that
/// a page describes differently is written out on that page.
/// </summary>
internal static class HelpIncludes
{
    private static readonly Regex s_marker = new(@"^\{\{ include (?<file>[^\s{}]+) \}\}$", RegexOptions.CultureInvariant);

    // Anything that looks like a marker but is not one is an error, not text shown in the help.
    private static readonly Regex s_nearMarker = new(@"\{\{\s*include\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly Regex s_sectionHeading = new(@"^### -(?<name>\w+)$", RegexOptions.CultureInvariant);

    private static readonly Regex s_heading = new(@"^ {0,3}#{1,6}(\s|$)", RegexOptions.CultureInvariant);

    public static ExpandedMarkdown ExpandFile(string path) => Expand(path, File.ReadAllText(path));

    /// <summary>The page's text with each include line replaced by the section it names.</summary>
    public static ExpandedMarkdown Expand(string path, string source)
    {
        var lines = Lines(source);
        var text = new StringBuilder(source.Length);
        var origins = new List<(string Path, int Line)>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var marker = s_marker.Match(lines[i].TrimEnd());
            if (!marker.Success)
            {
                if (s_nearMarker.IsMatch(lines[i]))
                {
                    throw new HelpFormatException(path, i + 1,
                        $"'{lines[i].Trim()}' is not an include; write a line of its own: '{{{{ include parameters/<Name>.md }}}}'");
                }

                Add(text, origins, lines[i], path, i + 1);
                continue;
            }

            var file = marker.Groups["file"].Value;
            var fullPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, file));
            if (!File.Exists(fullPath))
            {
                throw new HelpFormatException(path, i + 1,
                    $"include '{file}': there is no file '{fullPath}'; a shared parameter section is parameters/<Name>.md beside the page");
            }

            var section = ReadSharedSection(fullPath);
            for (var j = 0; j < section.Length; j++)
            {
                Add(text, origins, section[j], fullPath, j + 1);
            }
        }

        // Lines() split after the last line end, so the text ends as the page did.
        text.Length -= 1;
        return new ExpandedMarkdown(text.ToString(), origins);
    }

    /// <summary>The lines of a shared file, checked to be one <c>### -Name</c> section named as the file is.</summary>
    public static string[] ReadSharedSection(string path)
    {
        var lines = Lines(File.ReadAllText(path).TrimEnd('\n', '\r', ' ', '\t'));
        var name = Path.GetFileName(path).Split('.')[0];
        if (s_sectionHeading.Match(lines[0].TrimEnd()) is not { Success: true } heading || heading.Groups["name"].Value != name)
        {
            throw new HelpFormatException(path, 1, $"a shared parameter section starts with its heading '### -{name}' (the file name up to its first '.')");
        }

        var inFence = false;
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }
            else if (!inFence && s_heading.IsMatch(lines[i]))
            {
                throw new HelpFormatException(path, i + 1, $"a shared file holds one parameter section; unexpected heading '{lines[i].Trim()}'");
            }
            else if (s_nearMarker.IsMatch(lines[i]))
            {
                throw new HelpFormatException(path, i + 1, "a shared parameter section includes nothing itself");
            }
        }

        return lines;
    }

    private static string[] Lines(string source) =>
        source.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');

    private static void Add(StringBuilder text, List<(string Path, int Line)> origins, string line, string path, int number)
    {
        text.Append(line).Append('\n');
        origins.Add((path, number));
    }
}
