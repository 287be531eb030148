using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CometGemini.HelpBuilder;

/// <summary>
/// Reads a platyPS v1 (schema 2.0.0) cmdlet page into a <see cref="CommandHelp"/>, and checks the module page.
/// Strict: anything platyPS 0.14 would not write, or a help page left incomplete, is a <see cref="HelpFormatException"/>.
/// </summary>
internal static partial class MarkdownHelpReader
{
    private const string AllParameterSets = "__AllParameterSets";

    private static readonly string[] s_sections =
        ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];

    private static readonly string[] s_requiredSections = ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS"];

    private static readonly string[] s_yamlKeys =
    [
        "Type", "Parameter Sets", "Aliases", "Accepted values", "Applicable", "Required", "Position", "Default value",
        "Accept pipeline input", "Accept wildcard characters",
    ];

    private static readonly string[] s_requiredYamlKeys =
        ["Type", "Parameter Sets", "Required", "Position", "Accept pipeline input", "Accept wildcard characters"];

    public static CommandHelp ReadCommand(MarkdownPage page)
    {
        var helpFile = page.Require("external help file", 1);
        if (!HelpFileName().IsMatch(helpFile.Value))
        {
            throw page.Error(helpFile.Line, $"'external help file: {helpFile.Value}' is not a file name like 'Module.dll-Help.xml'");
        }

        var moduleName = page.Require("Module Name", 1);
        if (moduleName.Value.Length == 0)
        {
            throw page.Error(moduleName.Line, "'Module Name:' is empty");
        }

        var schema = page.Require("schema", 1);
        if (schema.Value != "2.0.0")
        {
            throw page.Error(schema.Line, $"'schema: {schema.Value}' is not supported; only platyPS schema 2.0.0 is");
        }

        if (page.Blocks.Count == 0 || page.Blocks[0] is not HeadingBlock { Level: 1 } title)
        {
            throw page.Error(page.Blocks.Count == 0 ? 1 : page.Blocks[0].Line + 1, "expected the '# Verb-Noun' title");
        }

        var name = page.HeadingText(title);
        var fileName = System.IO.Path.GetFileNameWithoutExtension(page.Path);
        if (!CommandName().IsMatch(name))
        {
            throw page.Error(title, $"title '{name}' is not a Verb-Noun command name");
        }

        if (name != fileName)
        {
            throw page.Error(title, $"title '{name}' does not match the file name '{fileName}.md'");
        }

        var sections = ReadSections(page, title);
        var parameters = ReadParameters(page, sections["PARAMETERS"]);
        return new CommandHelp(
            name,
            helpFile.Value,
            moduleName.Value,
            ReadSynopsis(page, sections["SYNOPSIS"]),
            ReadText(page, sections["DESCRIPTION"], required: true),
            ReadSyntax(page, name, sections["SYNTAX"], parameters),
            parameters.Select(p => p.Help).ToList(),
            ReadTypes(page, Optional(sections, "INPUTS")),
            ReadTypes(page, Optional(sections, "OUTPUTS")),
            ReadText(page, Optional(sections, "NOTES"), required: false),
            ReadExamples(page, sections["EXAMPLES"]),
            ReadLinks(page, Optional(sections, "RELATED LINKS")));
    }

    /// <summary>Checks the module page (<c>Module.md</c>): its front matter, and that it lists exactly the commands that have pages.</summary>
    public static void CheckModulePage(MarkdownPage page, string moduleName, IReadOnlyCollection<string> commands)
    {
        var name = page.Require("Module Name", 1);
        if (name.Value != moduleName)
        {
            throw page.Error(name.Line, $"'Module Name: {name.Value}' differs from the cmdlet pages' '{moduleName}'");
        }

        var guid = page.Require("Module Guid", 1);
        if (!Guid.TryParse(guid.Value, out _))
        {
            throw page.Error(guid.Line, $"'Module Guid: {guid.Value}' is not a GUID");
        }

        if (page.Blocks.Count == 0 || page.Blocks[0] is not HeadingBlock { Level: 1 } title)
        {
            throw page.Error(page.Blocks.Count == 0 ? 1 : page.Blocks[0].Line + 1, "expected the '# Module' title");
        }

        var listed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var heading in page.Blocks.OfType<HeadingBlock>().Where(h => h.Level == 3))
        {
            var link = heading.Inline?.Descendants<LinkInline>().FirstOrDefault();
            var command = link is null ? page.HeadingText(heading) : PlainText(link);
            if (!commands.Contains(command, StringComparer.OrdinalIgnoreCase))
            {
                throw page.Error(heading, $"the module page lists '{command}', which has no cmdlet page");
            }

            listed.Add(command);
        }

        if (commands.FirstOrDefault(c => !listed.Contains(c)) is { } missing)
        {
            throw page.Error(title, $"the module page does not list '{missing}' under '### [{missing}]({missing}.md)'");
        }
    }

    // GetValueOrDefault would give a default tuple, not null, for a section the page leaves out.
    private static (HeadingBlock Heading, List<Block> Blocks)? Optional(Dictionary<string, (HeadingBlock Heading, List<Block> Blocks)> sections, string name) =>
        sections.TryGetValue(name, out var section) ? section : null;

    private static Dictionary<string, (HeadingBlock Heading, List<Block> Blocks)> ReadSections(MarkdownPage page, HeadingBlock title)
    {
        var split = MarkdownPage.SplitAtHeadings(page.Blocks.Skip(1), 2);
        if (split[0].Blocks.Count > 0)
        {
            throw page.Error(split[0].Blocks[0], "text before the first '## SYNOPSIS' section");
        }

        var sections = new Dictionary<string, (HeadingBlock Heading, List<Block> Blocks)>(StringComparer.Ordinal);
        foreach (var (heading, blocks) in split.Skip(1))
        {
            var text = page.HeadingText(heading!);
            var key = text.ToUpperInvariant();
            if (!s_sections.Contains(key))
            {
                throw page.Error(heading!, $"unknown section '## {text}'; expected {string.Join(", ", s_sections)}");
            }

            if (!sections.TryAdd(key, (heading!, blocks)))
            {
                throw page.Error(heading!, $"section '## {text}' appears twice");
            }

            if (blocks.OfType<HeadingBlock>().FirstOrDefault(h => h.Level == 1) is { } extra)
            {
                throw page.Error(extra, "a page documents one command; unexpected second '# ' title");
            }
        }

        foreach (var required in s_requiredSections.Where(s => !sections.ContainsKey(s)))
        {
            throw page.Error(title, $"missing '## {required}' section");
        }

        return sections;
    }

    private static List<string> ReadSynopsis(MarkdownPage page, (HeadingBlock Heading, List<Block> Blocks) section)
    {
        var blocks = section.Blocks.Where(b => !MarkdownPage.IsInvisible(b)).ToList();
        if (blocks.Count == 0)
        {
            throw page.Error(section.Heading, "'## SYNOPSIS' is empty");
        }

        if (blocks.Count > 1 || blocks[0] is not ParagraphBlock)
        {
            throw page.Error(blocks[blocks.Count > 1 ? 1 : 0], "'## SYNOPSIS' must be one paragraph of text");
        }

        return MamlText.ToParagraphs(page, blocks);
    }

    private static List<string> ReadText(MarkdownPage page, (HeadingBlock Heading, List<Block> Blocks)? section, bool required)
    {
        if (section is not { } s)
        {
            return [];
        }

        var paragraphs = MamlText.ToParagraphs(page, s.Blocks);
        if (required && paragraphs.Count == 0)
        {
            throw page.Error(s.Heading, $"'## {page.HeadingText(s.Heading)}' is empty");
        }

        return paragraphs;
    }

    private static List<TypeHelp> ReadTypes(MarkdownPage page, (HeadingBlock Heading, List<Block> Blocks)? section)
    {
        if (section is not { } s)
        {
            return [];
        }

        var split = MarkdownPage.SplitAtHeadings(s.Blocks, 3);
        if (split[0].Blocks.Count > 0)
        {
            throw page.Error(split[0].Blocks[0], $"expected a '### TypeName' heading under '## {page.HeadingText(s.Heading)}'");
        }

        return split.Skip(1).Select(t => new TypeHelp(page.HeadingText(t.Heading!), MamlText.ToParagraphs(page, t.Blocks))).ToList();
    }

    private static List<ExampleHelp> ReadExamples(MarkdownPage page, (HeadingBlock Heading, List<Block> Blocks) section)
    {
        var split = MarkdownPage.SplitAtHeadings(section.Blocks, 3);
        if (split[0].Blocks.Count > 0)
        {
            throw page.Error(split[0].Blocks[0], "expected a '### Example 1: ...' heading under '## EXAMPLES'");
        }

        if (split.Count == 1)
        {
            throw page.Error(section.Heading, "'## EXAMPLES' has no example");
        }

        var examples = new List<ExampleHelp>();
        foreach (var (heading, blocks) in split.Skip(1))
        {
            var title = page.HeadingText(heading!);
            var first = blocks.FindIndex(b => b is CodeBlock);
            if (first < 0)
            {
                throw page.Error(heading!, $"example '{title}' has no code block");
            }

            var last = first;
            while (last + 1 < blocks.Count && blocks[last + 1] is CodeBlock)
            {
                last++;
            }

            var code = new List<string>();
            foreach (var block in blocks.Skip(first).Take(last - first + 1).Cast<CodeBlock>())
            {
                var text = MamlText.CodeText(block);
                if (text.Trim().Length == 0)
                {
                    throw page.Error(block, $"example '{title}' has an empty code block");
                }

                code.Add(text);
            }

            examples.Add(new ExampleHelp(
                title,
                MamlText.ToParagraphs(page, blocks.Take(first)),
                string.Join("\n\n", code),
                MamlText.ToParagraphs(page, blocks.Skip(last + 1))));
        }

        return examples;
    }

    private static List<LinkHelp> ReadLinks(MarkdownPage page, (HeadingBlock Heading, List<Block> Blocks)? section)
    {
        var links = new List<LinkHelp>();
        if (page.FrontMatter!.TryGetValue("online version", out var online) && online.Value.Length > 0)
        {
            if (!IsWebUri(online.Value))
            {
                throw page.Error(online.Line, $"'online version: {online.Value}' is not an http(s) URL");
            }

            links.Add(new LinkHelp("Online Version:", online.Value));
        }

        foreach (var block in section?.Blocks ?? [])
        {
            var paragraphs = block switch
            {
                ParagraphBlock p => [p],
                ListBlock list when list.All(i => i is ListItemBlock { Count: 1 } item && item[0] is ParagraphBlock) =>
                    list.Select(i => (ParagraphBlock)((ListItemBlock)i)[0]).ToList(),
                _ when MarkdownPage.IsInvisible(block) => [],
                _ => throw page.Error(block, "'## RELATED LINKS' holds only links, like [Get-Thing](Get-Thing.md)"),
            };

            foreach (var inline in paragraphs.SelectMany(p => p.Inline ?? Enumerable.Empty<Inline>()))
            {
                if (inline is LineBreakInline || (inline is LiteralInline literal && literal.Content.IsEmptyOrWhitespace()))
                {
                    continue;
                }

                // Get-Help -Online opens the first related link that has a uri. Another site's page is no command's
                // online help, so its address goes into the text (Get-Help shows it the same) and the uri stays empty.
                links.Add(inline switch
                {
                    LinkInline { IsImage: false } link when PlainText(link).Length > 0 =>
                        new LinkHelp(IsWebUri(link.Url) ? PlainText(link) + " " + link.Url : PlainText(link), string.Empty),
                    AutolinkInline auto => new LinkHelp(auto.Url, string.Empty),
                    _ => throw page.Error(inline.Line + 1, $"'## RELATED LINKS' holds only links; found '{SourceOf(page, inline)}'"),
                });
            }
        }

        return links;
    }

    private sealed record YamlBlock(
        int Line,
        IReadOnlyList<string>? Sets,
        ParameterAttributes Attributes,
        bool? Required,
        IReadOnlyDictionary<string, bool>? RequiredBySet);

    private sealed record ParsedParameter(HeadingBlock Heading, ParameterHelp Help, IReadOnlyList<YamlBlock> Blocks);

    private static List<ParsedParameter> ReadParameters(MarkdownPage page, (HeadingBlock Heading, List<Block> Blocks) section)
    {
        var split = MarkdownPage.SplitAtHeadings(section.Blocks, 3);
        if (split[0].Blocks.Count > 0)
        {
            throw page.Error(split[0].Blocks[0], "expected a '### -Name' heading under '## PARAMETERS'");
        }

        var parameters = new List<ParsedParameter>();
        foreach (var (heading, blocks) in split.Skip(1))
        {
            var text = page.HeadingText(heading!);
            if (text is "CommonParameters" or "WorkflowCommonParameters")
            {
                continue;
            }

            if (!text.StartsWith('-') || !Identifier().IsMatch(text[1..]))
            {
                throw page.Error(heading!, $"expected '### -ParameterName' or '### CommonParameters', found '### {text}'");
            }

            var name = text[1..];
            if (parameters.Any(p => string.Equals(p.Help.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw page.Error(heading!, $"parameter -{name} is documented twice");
            }

            var firstYaml = blocks.FindIndex(IsYaml);
            if (firstYaml < 0)
            {
                throw page.Error(heading!, $"-{name} has no ```yaml block with its Type, Parameter Sets, Required...");
            }

            var description = MamlText.ToParagraphs(page, blocks.Take(firstYaml));
            if (description.Count == 0)
            {
                throw page.Error(heading!, $"-{name} has no description");
            }

            var yamlBlocks = new List<YamlBlock>();
            foreach (var block in blocks.Skip(firstYaml))
            {
                if (!IsYaml(block))
                {
                    throw page.Error(block, $"unexpected text after the ```yaml block of -{name}; the description goes before it");
                }

                yamlBlocks.Add(ReadYaml(page, name, (FencedCodeBlock)block, yamlBlocks));
            }

            parameters.Add(new ParsedParameter(heading!, new ParameterHelp(name, description, yamlBlocks[0].Attributes), yamlBlocks));
        }

        return parameters;
    }

    private static bool IsYaml(Block block) =>
        block is FencedCodeBlock fenced && string.Equals(fenced.Info?.Trim(), "yaml", StringComparison.OrdinalIgnoreCase);

    private static YamlBlock ReadYaml(MarkdownPage page, string parameter, FencedCodeBlock block, List<YamlBlock> previous)
    {
        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.OrdinalIgnoreCase);
        var lineNumber = block.Line + 1;
        foreach (var line in MamlText.CodeLines(block))
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw page.Error(lineNumber, $"yaml line of -{parameter} is not 'Key: value': '{line}'");
            }

            var key = line[..colon].Trim();
            if (!s_yamlKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                throw page.Error(lineNumber, $"unknown yaml key '{key}' for -{parameter}; expected {string.Join(", ", s_yamlKeys)}");
            }

            if (!values.TryAdd(key, (line[(colon + 1)..].Trim(), lineNumber)))
            {
                throw page.Error(lineNumber, $"yaml key '{key}' appears twice for -{parameter}");
            }
        }

        foreach (var key in s_requiredYamlKeys.Where(k => !values.ContainsKey(k)))
        {
            throw page.Error(block, $"the yaml block of -{parameter} has no '{key}:'");
        }

        var type = values["Type"];
        if (type.Value.Length == 0)
        {
            throw page.Error(type.Line, $"'Type:' of -{parameter} is empty");
        }

        if (previous.Count > 0 && previous[0].Attributes.Type != type.Value)
        {
            throw page.Error(type.Line, $"'Type: {type.Value}' of -{parameter} differs from its first yaml block's '{previous[0].Attributes.Type}'");
        }

        var sets = ReadSets(page, parameter, values["Parameter Sets"]);
        foreach (var other in previous)
        {
            if (sets is null || other.Sets is null || sets.Intersect(other.Sets, StringComparer.OrdinalIgnoreCase).Any())
            {
                throw page.Error(values["Parameter Sets"].Line, $"each yaml block of -{parameter} must name its own parameter sets, not '(All)' or a set of another block");
            }
        }

        var (required, requiredBySet) = ReadRequired(page, parameter, values["Required"], sets);
        var attributes = new ParameterAttributes(
            type.Value,
            required ?? requiredBySet!.Values.Any(r => r),
            ReadPosition(page, parameter, values["Position"]),
            ReadPipelineInput(page, parameter, values["Accept pipeline input"]),
            ReadBool(page, parameter, values["Accept wildcard characters"], "Accept wildcard characters"),
            SplitList(values.GetValueOrDefault("Aliases").Value),
            SplitList(values.GetValueOrDefault("Accepted values").Value),
            values.TryGetValue("Default value", out var d) && d.Value.Length > 0 ? d.Value : "None");
        return new YamlBlock(block.Line + 1, sets, attributes, required, requiredBySet);
    }

    /// <summary>The set names of 'Parameter Sets:', or null for '(All)'.</summary>
    private static List<string>? ReadSets(MarkdownPage page, string parameter, (string Value, int Line) value)
    {
        if (string.Equals(value.Value, "(All)", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var sets = value.Value.Split(',').Select(s => s.Trim()).ToList();
        if (sets.Any(s => s.Length == 0 || s.Equals("(All)", StringComparison.OrdinalIgnoreCase)))
        {
            throw page.Error(value.Line, $"'Parameter Sets: {value.Value}' of -{parameter} must be '(All)' or a comma-separated list of set names");
        }

        if (sets.Distinct(StringComparer.OrdinalIgnoreCase).Count() != sets.Count)
        {
            throw page.Error(value.Line, $"'Parameter Sets:' of -{parameter} names a set twice");
        }

        return sets;
    }

    /// <summary>'True' / 'False' for every set, or 'True (SetA, SetB) False (SetC)' per set.</summary>
    private static (bool? All, Dictionary<string, bool>? BySet) ReadRequired(
        MarkdownPage page, string parameter, (string Value, int Line) value, List<string>? sets)
    {
        if (TryParseBool(value.Value, out var all))
        {
            return (all, null);
        }

        var match = RequiredBySet().Match(value.Value);
        if (!match.Success)
        {
            throw page.Error(value.Line, $"'Required: {value.Value}' of -{parameter} must be True, False, or like 'True (SetA) False (SetB)'");
        }

        var bySet = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < match.Groups["value"].Captures.Count; i++)
        {
            var required = match.Groups["value"].Captures[i].Value.Equals("true", StringComparison.OrdinalIgnoreCase);
            foreach (var set in match.Groups["sets"].Captures[i].Value.Split(',').Select(s => s.Trim()))
            {
                if (set.Length == 0 || !bySet.TryAdd(set, required))
                {
                    throw page.Error(value.Line, $"'Required: {value.Value}' of -{parameter} names an empty or repeated parameter set");
                }

                if (sets is not null && !sets.Contains(set, StringComparer.OrdinalIgnoreCase))
                {
                    throw page.Error(value.Line, $"'Required:' of -{parameter} names set '{set}', which is not in its 'Parameter Sets:'");
                }
            }
        }

        foreach (var set in sets?.Where(s => !bySet.ContainsKey(s)) ?? [])
        {
            throw page.Error(value.Line, $"'Required:' of -{parameter} does not say whether it is required in set '{set}'");
        }

        return (null, bySet);
    }

    private static string ReadPosition(MarkdownPage page, string parameter, (string Value, int Line) value)
    {
        if (value.Value.Equals("Named", StringComparison.OrdinalIgnoreCase))
        {
            return "named";
        }

        if (int.TryParse(value.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            return position.ToString(CultureInfo.InvariantCulture);
        }

        throw page.Error(value.Line, $"'Position: {value.Value}' of -{parameter} must be Named or a number");
    }

    /// <summary>'False', or 'True (ByValue)', 'True (ByPropertyName)', 'True (ByValue, ByPropertyName)'...</summary>
    private static string ReadPipelineInput(MarkdownPage page, string parameter, (string Value, int Line) value)
    {
        if (TryParseBool(value.Value, out var plain) && !plain)
        {
            return "False";
        }

        var match = PipelineInput().Match(value.Value);
        var kinds = match.Success ? match.Groups["kinds"].Value.Split(',').Select(k => k.Trim()).ToList() : [];
        string[] known = ["ByValue", "ByPropertyName", "FromRemainingArguments"];
        if (kinds.Count == 0 || kinds.Distinct(StringComparer.OrdinalIgnoreCase).Count() != kinds.Count ||
            kinds.Any(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            throw page.Error(value.Line,
                $"'Accept pipeline input: {value.Value}' of -{parameter} must be False, or True with (ByValue), (ByPropertyName) or (ByValue, ByPropertyName)");
        }

        return $"True ({string.Join(", ", kinds.Select(k => known.First(n => n.Equals(k, StringComparison.OrdinalIgnoreCase))))})";
    }

    private static bool ReadBool(MarkdownPage page, string parameter, (string Value, int Line) value, string key) =>
        TryParseBool(value.Value, out var result)
            ? result
            : throw page.Error(value.Line, $"'{key}: {value.Value}' of -{parameter} must be True or False");

    private static bool TryParseBool(string value, out bool result)
    {
        result = value.Equals("True", StringComparison.OrdinalIgnoreCase);
        return result || value.Equals("False", StringComparison.OrdinalIgnoreCase);
    }

    private static List<string> SplitList(string? value) =>
        (value ?? string.Empty).Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();

    private static List<SyntaxHelp> ReadSyntax(
        MarkdownPage page, string command, (HeadingBlock Heading, List<Block> Blocks) section, List<ParsedParameter> parameters)
    {
        // platyPS writes '### SetName' (+ ' (Default)') over each set's code block, or one bare block for a single set.
        var split = MarkdownPage.SplitAtHeadings(section.Blocks, 3);
        var entries = new List<(string Set, bool IsDefault, Block At, CodeBlock Code)>();
        if (split[0].Blocks.Count > 0)
        {
            if (split.Count > 1 || split[0].Blocks.Count > 1 || split[0].Blocks[0] is not CodeBlock bare)
            {
                throw page.Error(split[0].Blocks[0], "expected one syntax code block, or a '### ParameterSetName' heading over each");
            }

            entries.Add((AllParameterSets, true, bare, bare));
        }

        foreach (var (heading, blocks) in split.Skip(1))
        {
            var text = page.HeadingText(heading!);
            var isDefault = text.EndsWith("(Default)", StringComparison.Ordinal);
            var set = isDefault ? text[..^"(Default)".Length].TrimEnd() : text;
            if (blocks.Count != 1 || blocks[0] is not CodeBlock code)
            {
                throw page.Error(blocks.Count > 1 ? blocks[1] : heading!, $"parameter set '{set}' needs exactly one syntax code block");
            }

            if (entries.Any(e => e.Set.Equals(set, StringComparison.OrdinalIgnoreCase)))
            {
                throw page.Error(heading!, $"parameter set '{set}' appears twice");
            }

            if (isDefault && entries.Any(e => e.IsDefault))
            {
                throw page.Error(heading!, $"parameter set '{set}' is the second one marked (Default)");
            }

            entries.Add((set, isDefault, heading!, code));
        }

        if (entries.Count == 0)
        {
            throw page.Error(section.Heading, "'## SYNTAX' has no syntax block");
        }

        var setNames = entries.Select(e => e.Set).ToList();
        foreach (var parameter in parameters)
        {
            foreach (var block in parameter.Blocks)
            {
                var unknown = (block.Sets ?? []).Concat(block.RequiredBySet?.Keys ?? [])
                    .FirstOrDefault(s => !setNames.Contains(s, StringComparer.OrdinalIgnoreCase));
                if (unknown is not null)
                {
                    throw page.Error(block.Line, $"-{parameter.Help.Name} names parameter set '{unknown}', which '## SYNTAX' does not have");
                }
            }
        }

        return entries.Select(entry => ReadSyntaxEntry(page, command, entry.Set, entry.IsDefault, entry.Code, parameters)).ToList();
    }

    private static SyntaxHelp ReadSyntaxEntry(
        MarkdownPage page, string command, string set, bool isDefault, CodeBlock code, List<ParsedParameter> parameters)
    {
        var line = string.Join(' ', MamlText.CodeLines(code)).Trim();
        var first = line.Split(' ', 2)[0];
        if (first != command)
        {
            throw page.Error(code, $"the syntax of parameter set '{Display(set)}' starts with '{first}', not '{command}'");
        }

        var result = new List<SyntaxParameterHelp>();
        foreach (Match match in SyntaxParameter().Matches(line))
        {
            var name = match.Groups["name"].Value;
            var parameter = parameters.FirstOrDefault(p => p.Help.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw page.Error(code, $"the syntax of parameter set '{Display(set)}' has -{name}, which has no '### -{name}' section");
            var block = BlockFor(parameter, set)
                ?? throw page.Error(code, $"the syntax of parameter set '{Display(set)}' has -{name}, but the yaml of -{parameter.Help.Name} does not list that set");
            if (result.Any(p => p.Parameter == parameter.Help))
            {
                throw page.Error(code, $"the syntax of parameter set '{Display(set)}' has -{name} twice");
            }

            var required = block.Required
                ?? (block.RequiredBySet!.TryGetValue(set, out var r)
                    ? r
                    : throw page.Error(block.Line, $"'Required:' of -{parameter.Help.Name} does not say whether it is required in set '{set}'"));
            result.Add(new SyntaxParameterHelp(parameter.Help, block.Attributes with { Required = required }));
        }

        foreach (var missing in parameters.Where(p => BlockFor(p, set) is not null && result.All(r => r.Parameter != p.Help)))
        {
            throw page.Error(code, $"-{missing.Help.Name} is in parameter set '{Display(set)}' but not in its syntax");
        }

        return new SyntaxHelp(set, isDefault, result);
    }

    private static YamlBlock? BlockFor(ParsedParameter parameter, string set) =>
        parameter.Blocks.FirstOrDefault(b => b.Sets is null || b.Sets.Contains(set, StringComparer.OrdinalIgnoreCase));

    private static string Display(string set) => set == AllParameterSets ? "(All)" : set;

    private static bool IsWebUri(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static string PlainText(ContainerInline container)
    {
        var text = new System.Text.StringBuilder();
        foreach (var inline in container.Descendants())
        {
            text.Append(inline switch
            {
                LiteralInline literal => literal.Content.ToString(),
                CodeInline code => code.Content,
                LineBreakInline => " ",
                _ => string.Empty,
            });
        }

        return text.ToString().Trim();
    }

    private static string SourceOf(MarkdownPage page, Inline inline) =>
        inline.Span.Length > 0 ? page.Source.Substring(inline.Span.Start, inline.Span.Length) : inline.ToString() ?? string.Empty;

    [GeneratedRegex(@"^[^/\\:]+-help\.xml$", RegexOptions.IgnoreCase)]
    private static partial Regex HelpFileName();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9_.]+$")]
    private static partial Regex CommandName();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"(?<=^|[\s\[])-(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex SyntaxParameter();

    [GeneratedRegex(@"^\s*(?:(?<value>true|false)\s*\((?<sets>[^()]*)\)\s*)+$", RegexOptions.IgnoreCase)]
    private static partial Regex RequiredBySet();

    [GeneratedRegex(@"^\s*true\s*\((?<kinds>[^()]*)\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex PipelineInput();
}
