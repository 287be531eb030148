using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace CometGemini.HelpBuilder;

/// <summary>One parsed markdown file: its source (LF line ends, includes expanded), front matter and top-level blocks.</summary>
internal sealed partial class MarkdownPage
{
    private static readonly MarkdownPipeline s_pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().UsePreciseSourceLocation().Build();

    private readonly ExpandedMarkdown _expanded;

    private MarkdownPage(string path, ExpandedMarkdown expanded, IReadOnlyDictionary<string, FrontMatterValue>? frontMatter, IReadOnlyList<Block> blocks)
    {
        Path = path;
        _expanded = expanded;
        Source = expanded.Text;
        FrontMatter = frontMatter;
        Blocks = blocks;
    }

    public string Path { get; }

    public string Source { get; }

    /// <summary>The <c>key: value</c> pairs between the leading <c>---</c> lines, or null without front matter.</summary>
    public IReadOnlyDictionary<string, FrontMatterValue>? FrontMatter { get; }

    /// <summary>The top-level blocks after the front matter.</summary>
    public IReadOnlyList<Block> Blocks { get; }

    public static MarkdownPage Load(string path)
    {
        var expanded = HelpIncludes.ExpandFile(path);
        var source = expanded.Text;
        var document = Markdown.Parse(source, s_pipeline);
        IReadOnlyDictionary<string, FrontMatterValue>? frontMatter = null;
        var blocks = new List<Block>();
        foreach (var block in document)
        {
            if (block is YamlFrontMatterBlock yaml)
            {
                frontMatter = ParseFrontMatter(expanded, yaml);
            }
            else
            {
                blocks.Add(block);
            }
        }

        var page = new MarkdownPage(path, expanded, frontMatter, blocks);
        page.CheckPlaceholders();
        return page;
    }

    /// <summary>An error at a line of <see cref="Source"/>, reported where that line is written (the page or a file it includes).</summary>
    public HelpFormatException Error(int line, string message)
    {
        var (file, fileLine) = _expanded.OriginOf(line);
        // A shared section is read once per page that includes it: say which page this error came from.
        return new(file, fileLine, file == Path ? message : $"{message} (included by {Path})");
    }

    public HelpFormatException Error(Block block, string message) => Error(block.Line + 1, message);

    /// <summary>The markdown source of a block, without the line end after it.</summary>
    public string SourceOf(Block block) => Source.Substring(block.Span.Start, block.Span.Length).TrimEnd('\n');

    /// <summary>The text of an ATX heading, without its <c>#</c> marks.</summary>
    public string HeadingText(HeadingBlock heading)
    {
        var line = SourceOf(heading).Split('\n')[0].Trim();
        if (!heading.IsSetext)
        {
            line = line.TrimStart('#').Trim();
            var closing = ClosingHashes().Match(line);
            if (closing.Success)
            {
                line = line[..closing.Index];
            }
        }

        return line.Trim();
    }

    /// <summary>Splits blocks into (heading, blocks under it) groups at headings of the given level.</summary>
    /// <remarks>Blocks before the first such heading are returned with a null heading.</remarks>
    public static List<(HeadingBlock? Heading, List<Block> Blocks)> SplitAtHeadings(IEnumerable<Block> blocks, int level)
    {
        var sections = new List<(HeadingBlock? Heading, List<Block> Blocks)> { (null, new List<Block>()) };
        foreach (var block in blocks)
        {
            if (block is HeadingBlock heading && heading.Level == level)
            {
                sections.Add((heading, new List<Block>()));
            }
            else
            {
                sections[^1].Blocks.Add(block);
            }
        }

        return sections;
    }

    /// <summary>Blocks that show nothing: link reference definitions and HTML comments.</summary>
    public static bool IsInvisible(Block block) =>
        block is LinkReferenceDefinitionGroup or HtmlBlock { Type: HtmlBlockType.Comment };

    /// <summary>A front matter value, or an error at the front matter when the key is missing.</summary>
    public FrontMatterValue Require(string key, int fallbackLine)
    {
        if (FrontMatter is null || !FrontMatter.TryGetValue(key, out var value))
        {
            throw Error(fallbackLine, $"front matter has no '{key}:' key");
        }

        return value;
    }

    private void CheckPlaceholders()
    {
        var lines = Source.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var match = Placeholder().Match(lines[i]);
            if (match.Success)
            {
                throw Error(i + 1, $"placeholder '{match.Value}' left in the text; the help must be complete");
            }
        }
    }

    private static Dictionary<string, FrontMatterValue> ParseFrontMatter(ExpandedMarkdown expanded, YamlFrontMatterBlock block)
    {
        var result = new Dictionary<string, FrontMatterValue>(StringComparer.OrdinalIgnoreCase);
        var lines = expanded.Text.Substring(block.Span.Start, block.Span.Length).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var lineNumber = block.Line + i + 1;
            if (line.TrimEnd() is "---" or "..." || line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (char.IsWhiteSpace(line[0]) || line.StartsWith('-'))
            {
                continue; // continuation of a multi-line value of some other tool's key
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw FrontMatterError(expanded, lineNumber, $"front matter line is not 'key: value': '{line}'");
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            if (!result.TryAdd(key, new FrontMatterValue(value, lineNumber)))
            {
                throw FrontMatterError(expanded, lineNumber, $"front matter key '{key}' appears twice");
            }
        }

        return result;
    }

    private static HelpFormatException FrontMatterError(ExpandedMarkdown expanded, int line, string message)
    {
        var (file, fileLine) = expanded.OriginOf(line);
        return new(file, fileLine, message);
    }

    // platyPS placeholders: {{ Fill in the Synopsis }}, {{ Add example code here }}, {{ Short Description Placeholder }}...
    [GeneratedRegex(@"\{\{ ?[A-Z][^{}\n]*\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\s#+$")]
    private static partial Regex ClosingHashes();
}

internal readonly record struct FrontMatterValue(string Value, int Line);

/// <summary>Turns markdown blocks into MAML paragraphs: the markdown as written, soft line breaks joined.</summary>
internal static class MamlText
{
    public static List<string> ToParagraphs(MarkdownPage page, IEnumerable<Block> blocks)
    {
        var paragraphs = new List<string>();
        foreach (var block in blocks)
        {
            if (MarkdownPage.IsInvisible(block))
            {
                continue;
            }

            if (block is HeadingBlock heading)
            {
                throw page.Error(block, $"unexpected heading '{new string('#', heading.Level)} {page.HeadingText(heading)}' here");
            }

            paragraphs.Add(string.Join('\n', Render(page, block)));
        }

        return paragraphs;
    }

    /// <summary>The lines of one block as a paragraph of text.</summary>
    private static IEnumerable<string> Render(MarkdownPage page, Block block) => block switch
    {
        ParagraphBlock paragraph => Reflow(page.SourceOf(paragraph)).Split('\n'),
        ListBlock list => RenderList(page, list),
        FencedCodeBlock fenced => ["```" + fenced.Info, .. CodeLines(fenced), "```"],
        CodeBlock code => ["```", .. CodeLines(code), "```"],
        _ => page.SourceOf(block).Split('\n').Select(line => line.TrimEnd()),
    };

    public static IEnumerable<string> CodeLines(LeafBlock code) =>
        code.Lines.Lines.Take(code.Lines.Count).Select(line => line.Slice.ToString().TrimEnd());

    public static string CodeText(LeafBlock code) => string.Join('\n', CodeLines(code)).Trim('\n');

    /// <summary>Joins the lines of a paragraph with spaces, keeping hard line breaks (two trailing spaces or '\').</summary>
    public static string Reflow(string paragraph)
    {
        var lines = paragraph.Split('\n');
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var hardBreak = line.EndsWith("  ", StringComparison.Ordinal) || line.TrimEnd().EndsWith('\\');
            line = line.Trim();
            if (hardBreak && line.EndsWith('\\'))
            {
                line = line[..^1].TrimEnd();
            }

            text.Append(line);
            if (i < lines.Length - 1)
            {
                text.Append(hardBreak ? '\n' : ' ');
            }
        }

        return text.ToString();
    }

    /// <summary>One line per list item (items reflowed), nested content indented under its marker.</summary>
    private static List<string> RenderList(MarkdownPage page, ListBlock list)
    {
        var lines = new List<string>();
        var number = list.IsOrdered && int.TryParse(list.OrderedStart, out var start) ? start : 1;
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var marker = list.IsOrdered ? $"{number++}{list.OrderedDelimiter} " : $"{list.BulletType} ";
            var pad = new string(' ', marker.Length);
            var first = true;
            foreach (var child in item)
            {
                foreach (var line in Render(page, child))
                {
                    lines.Add((first ? marker : line.Length == 0 ? string.Empty : pad) + line);
                    first = false;
                }
            }

            if (first)
            {
                lines.Add(marker.TrimEnd());
            }
        }

        return lines;
    }
}
