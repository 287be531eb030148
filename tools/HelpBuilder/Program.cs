using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace CometGemini.HelpBuilder;

/// <summary>
/// HelpBuilder &lt;docsDir&gt; &lt;outDir&gt;: reads platyPS markdown help (schema 2.0.0) from docsDir and writes
/// the MAML help file named by the pages' 'external help file' and one about_X.help.txt per about_X.md to outDir.
/// A page's '{{ include parameters/Name.md }}' lines are replaced by those shared parameter sections first (HelpIncludes).
/// Exit code 0 on success; 1, with 'path:line: message' lines on stderr, when an input is malformed; 2 on bad usage.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: HelpBuilder <docsDir> <outDir>");
            return 2;
        }

        var (docsDir, outDir) = (args[0], args[1]);
        if (!Directory.Exists(docsDir))
        {
            Console.Error.WriteLine($"{docsDir}: no such directory");
            return 2;
        }

        var errors = new List<string>();
        var commands = new List<(string Path, CommandHelp Help)>();
        var modulePages = new List<MarkdownPage>();
        var aboutTopics = new List<(string Name, string Text)>();
        foreach (var path in Directory.GetFiles(docsDir, "*.md").Order(StringComparer.Ordinal))
        {
            try
            {
                var page = MarkdownPage.Load(path);
                if (Path.GetFileName(path).StartsWith("about_", StringComparison.OrdinalIgnoreCase))
                {
                    aboutTopics.Add(AboutTopicWriter.Write(page));
                }
                else if (page.FrontMatter?.ContainsKey("external help file") == true)
                {
                    commands.Add((path, MarkdownHelpReader.ReadCommand(page)));
                }
                else if (page.FrontMatter?.ContainsKey("Module Guid") == true)
                {
                    modulePages.Add(page);
                }
                else
                {
                    throw page.Error(1, "not a platyPS page: expected front matter with 'external help file:' (a cmdlet) "
                        + "or 'Module Guid:' (the module page), or an about_*.md topic");
                }
            }
            catch (HelpFormatException e)
            {
                errors.Add(e.Message);
            }
        }

        if (errors.Count == 0)
        {
            CheckConsistency(commands, modulePages, errors);
        }

        if (errors.Count > 0)
        {
            errors.ForEach(Console.Error.WriteLine);
            return 1;
        }

        Directory.CreateDirectory(outDir);
        if (commands.Count > 0)
        {
            var helpFile = Path.Combine(outDir, commands[0].Help.HelpFileName);
            WriteIfChanged(helpFile, MamlWriter.Write(commands.Select(c => c.Help)));
            Console.WriteLine($"HelpBuilder: {commands.Count} command(s) -> {helpFile}");
        }

        foreach (var (name, text) in aboutTopics)
        {
            var file = Path.Combine(outDir, name + ".help.txt");
            WriteIfChanged(file, [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)]);
            Console.WriteLine($"HelpBuilder: {name} -> {file}");
        }

        return 0;
    }

    /// <summary>All cmdlet pages must name the same help file and module; the module page must list them all.</summary>
    private static void CheckConsistency(
        List<(string Path, CommandHelp Help)> commands, List<MarkdownPage> modulePages, List<string> errors)
    {
        if (commands.Count == 0)
        {
            return;
        }

        var first = commands[0].Help;
        foreach (var (path, command) in commands.Skip(1))
        {
            if (!string.Equals(command.HelpFileName, first.HelpFileName, StringComparison.Ordinal) ||
                !string.Equals(command.ModuleName, first.ModuleName, StringComparison.Ordinal))
            {
                errors.Add($"{path}:1: 'external help file: {command.HelpFileName}' and 'Module Name: {command.ModuleName}' "
                    + $"must be those of {commands[0].Path}: '{first.HelpFileName}', '{first.ModuleName}'");
            }
        }

        foreach (var page in modulePages)
        {
            try
            {
                MarkdownHelpReader.CheckModulePage(page, first.ModuleName, commands.Select(c => c.Help.Name).ToList());
            }
            catch (HelpFormatException e)
            {
                errors.Add(e.Message);
            }
        }
    }

    /// <summary>Leaves an up-to-date file untouched, so incremental builds see no change.</summary>
    private static void WriteIfChanged(string path, byte[] content)
    {
        if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
        {
            File.WriteAllBytes(path, content);
        }
    }
}
