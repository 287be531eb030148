using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Markdig.Syntax;

namespace CometGemini.HelpBuilder;

/// <summary>
/// Turns a platyPS about topic (<c># about_X</c>, <c>## SHORT DESCRIPTION</c>, <c>## LONG DESCRIPTION</c>, ...)
/// into the classic <c>about_X.help.txt</c> layout: section headings in capitals, bodies indented four spaces.
/// </summary>
internal static class AboutTopicWriter
{
    private const string Indent = "    ";

    private static readonly string[] s_requiredSections = ["SHORT DESCRIPTION", "LONG DESCRIPTION"];

    /// <summary>The topic name (file name without .md) and the text of its help file.</summary>
    public static (string Name, string Text) Write(MarkdownPage page)
    {
        var name = System.IO.Path.GetFileNameWithoutExtension(page.Path);
        if (page.Blocks.Count == 0 || page.Blocks[0] is not HeadingBlock { Level: 1 } title)
        {
            throw page.Error(page.Blocks.Count == 0 ? 1 : page.Blocks[0].Line + 1, $"expected the '# {name}' title");
        }

        if (page.HeadingText(title) != name)
        {
            throw page.Error(title, $"title '{page.HeadingText(title)}' does not match the file name '{name}.md'");
        }

        var sections = MarkdownPage.SplitAtHeadings(page.Blocks.Skip(1), 2);
        if (sections[0].Blocks.Count > 0)
        {
            throw page.Error(sections[0].Blocks[0], "text before the first '## SHORT DESCRIPTION' section");
        }

        var text = new StringBuilder();
        text.Append("TOPIC\n").Append(Indent).Append(name).Append('\n');
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (heading, blocks) in sections.Skip(1))
        {
            var sectionName = page.HeadingText(heading!).ToUpperInvariant();
            if (!seen.Add(sectionName))
            {
                throw page.Error(heading!, $"section '## {page.HeadingText(heading!)}' appears twice");
            }

            if (blocks.Where(b => !MarkdownPage.IsInvisible(b)).All(b => b is HeadingBlock))
            {
                throw page.Error(heading!, $"'## {page.HeadingText(heading!)}' is empty");
            }

            text.Append('\n').Append(sectionName).Append('\n');
            var first = true;
            foreach (var block in blocks.Where(b => !MarkdownPage.IsInvisible(b)))
            {
                if (!first)
                {
                    text.Append('\n');
                }

                first = false;
                foreach (var line in Render(page, block))
                {
                    text.Append(line).Append('\n');
                }
            }
        }

        if (s_requiredSections.FirstOrDefault(s => !seen.Contains(s)) is { } missing)
        {
            throw page.Error(title, $"missing '## {missing}' section");
        }

        return (name, text.ToString());
    }

    private static IEnumerable<string> Render(MarkdownPage page, Block block) => block switch
    {
        HeadingBlock { Level: 1 } => throw page.Error(block, "an about topic has one '# ' title"),
        HeadingBlock heading => [new string(' ', 2 * (heading.Level - 2)) + page.HeadingText(heading)],
        CodeBlock code => MamlText.CodeText(code).Split('\n').Select(line => line.Length == 0 ? line : Indent + Indent + line),
        ParagraphBlock => page.SourceOf(block).Split('\n').Select(line => Indent + line.Trim()),
        _ => page.SourceOf(block).Split('\n').Select(line => line.TrimEnd().Length == 0 ? string.Empty : Indent + line.TrimEnd()),
    };
}
