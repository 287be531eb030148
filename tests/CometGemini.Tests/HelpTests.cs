using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using CometGemini.HelpBuilder;
using CometGemini.Tests.Harness;

namespace CometGemini.Tests;

/// <summary>Every exported command has complete help, and the markdown source agrees with the code.</summary>
public sealed class HelpTests
{
    private static readonly string[] CommonParameters =
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
    };

    public static IEnumerable<object[]> ExportedCommands()
    {
        using var shell = new Shell();
        return shell.Run("(Get-Module CometGemini).ExportedCommands.Keys").Output.Select(o => new object[] { o.ToString() }).ToList();
    }

    [Theory]
    [MemberData(nameof(ExportedCommands))]
    public void Get_Help_Full_has_synopsis_description_examples_and_every_parameter(string command)
    {
        using var shell = new Shell();
        ShellResult result = shell.Run($"Get-Help {command} -Full");
        result.AssertNoErrors();
        PSObject help = Assert.Single(result.Output);

        string synopsis = help.Properties["Synopsis"].Value?.ToString()?.Trim() ?? string.Empty;
        Assert.False(string.IsNullOrEmpty(synopsis));
        Assert.DoesNotContain(command + " [", synopsis); // the synopsis PowerShell makes up when there is no help

        string description = Text(help.Properties["description"]?.Value);
        Assert.True(description.Length > 40, $"{command}: description too short: '{description}'");

        var examples = Items(help, "examples", "example");
        Assert.True(examples.Count >= 2, $"{command} has {examples.Count} examples");
        Assert.All(examples, e => Assert.False(string.IsNullOrWhiteSpace(e.Properties["code"]?.Value?.ToString())));

        var documented = Items(help, "parameters", "parameter")
            .ToDictionary(p => p.Properties["name"].Value.ToString()!, p => Text(p.Properties["description"]?.Value), StringComparer.OrdinalIgnoreCase);
        ShellResult parameters = shell.Run($"(Get-Command {command}).Parameters.Keys");
        foreach (string name in parameters.Output.Select(o => o.ToString()).Where(n => !CommonParameters.Contains(n)))
        {
            Assert.True(documented.TryGetValue(name, out string? text), $"{command} -{name} has no help");
            Assert.False(string.IsNullOrWhiteSpace(text), $"{command} -{name} has an empty description");
        }

        Assert.NotEmpty(Items(help, "inputTypes", "inputType"));
        Assert.NotEmpty(Items(help, "returnValues", "returnValue"));
    }

    [Theory]
    [MemberData(nameof(ExportedCommands))]
    public void The_markdown_agrees_with_the_command_metadata(string command)
    {
        // The page as the help builder reads it: shared parameter sections included.
        string markdown = HelpIncludes.ExpandFile(Path.Combine(Paths.RepoRoot, "docs", "en-US", command + ".md")).Text;
        Dictionary<string, Dictionary<string, string>> documented = ParameterBlocks(markdown);

        using var shell = new Shell();
        ShellResult result = shell.Run($"(Get-Command {command}).Parameters.Values | Where-Object {{ $_.Name -notin 'Verbose','Debug','ErrorAction','WarningAction','InformationAction','ProgressAction','ErrorVariable','WarningVariable','InformationVariable','OutVariable','OutBuffer','PipelineVariable','WhatIf','Confirm' }}");
        result.AssertNoErrors();
        var actual = result.Output.Select(o => (ParameterMetadata)o.BaseObject).ToList();
        // -WhatIf and -Confirm are documented as platyPS does, and left out of the comparison like the other common parameters.
        Assert.Equal(actual.Select(p => p.Name).OrderBy(n => n), documented.Keys.Where(n => n is not ("WhatIf" or "Confirm")).OrderBy(n => n));

        foreach (ParameterMetadata parameter in actual)
        {
            Dictionary<string, string> yaml = documented[parameter.Name];
            string where = $"{command} -{parameter.Name}";
            Assert.True(TypeMatches(parameter.ParameterType, yaml["Type"]), $"{where}: Type '{yaml["Type"]}' but the code says {parameter.ParameterType}");

            var sets = parameter.ParameterSets;
            string[] docSets = yaml["Parameter Sets"].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (sets.ContainsKey("__AllParameterSets"))
                Assert.True(docSets.SequenceEqual(new[] { "(All)" }), $"{where}: sets should be (All)");
            else
                Assert.Equal(sets.Keys.OrderBy(s => s), docSets.OrderBy(s => s));

            string aliases = string.Join(", ", parameter.Aliases);
            Assert.True(aliases == yaml.GetValueOrDefault("Aliases", string.Empty), $"{where}: aliases '{yaml.GetValueOrDefault("Aliases")}' but the code has '{aliases}'");

            bool mandatory = sets.Values.Any(s => s.IsMandatory);
            Assert.True(yaml["Required"].StartsWith(mandatory ? "True" : "False", StringComparison.Ordinal) || yaml["Required"].Contains("True") == mandatory, $"{where}: Required");

            int position = sets.Values.Select(s => s.Position).DefaultIfEmpty(int.MinValue).Max();
            string expectedPosition = position < 0 ? "Named" : position.ToString();
            Assert.True(expectedPosition == yaml["Position"], $"{where}: Position '{yaml["Position"]}' but the code says {expectedPosition}");

            bool byValue = sets.Values.Any(s => s.ValueFromPipeline);
            bool byName = sets.Values.Any(s => s.ValueFromPipelineByPropertyName);
            string pipeline = byValue && byName ? "True (ByValue, ByPropertyName)" : byValue ? "True (ByValue)" : byName ? "True (ByPropertyName)" : "False";
            Assert.True(pipeline == yaml["Accept pipeline input"], $"{where}: pipeline input '{yaml["Accept pipeline input"]}' but the code says {pipeline}");
        }
    }

    [Theory]
    [MemberData(nameof(ExportedCommands))]
    public void Example_code_parses(string command)
    {
        using var shell = new Shell();
        PSObject help = Assert.Single(shell.Run($"Get-Help {command} -Full").Output);
        foreach (PSObject example in Items(help, "examples", "example"))
        {
            string code = example.Properties["code"].Value.ToString()!;
            code = Regex.Replace(code, @"^PS[^>]*>\s?", string.Empty, RegexOptions.Multiline);
            Parser.ParseInput(code, out _, out ParseError[] errors);
            Assert.True(errors.Length == 0, $"{command} example does not parse: {code}\n{string.Join("\n", errors.Select(e => e.Message))}");
        }
    }

    // Parsing is not enough: a renamed parameter, or two parameters from different sets, fails only when the
    // example is copied into a console. The engine's static binder resolves each module command's arguments.
    [Theory]
    [MemberData(nameof(ExportedCommands))]
    public void Example_commands_bind_their_parameters(string command)
    {
        using var shell = new Shell();
        PSObject help = Assert.Single(shell.Run($"Get-Help {command} -Full").Output);
        var failures = new List<string>();
        foreach (PSObject example in Items(help, "examples", "example"))
        {
            string code = Regex.Replace(example.Properties["code"].Value.ToString()!, @"^PS[^>]*>\s?", string.Empty, RegexOptions.Multiline);
            failures.AddRange(UnboundCommands(shell, code));
        }

        Assert.True(failures.Count == 0, $"{command} examples that would not bind:\n{string.Join("\n", failures)}");
    }

    /// <summary>"command: parameter: why" for each module command in the code that the engine's static binder cannot bind.</summary>
    internal static IEnumerable<string> UnboundCommands(Shell shell, string code)
    {
        shell.Set("exampleCode", code);
        ShellResult bound = shell.Run("""
            $module = (Get-Module CometGemini).ExportedCommands.Keys
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($exampleCode, [ref]$null, [ref]$null)
            foreach ($commandAst in $ast.FindAll({ param($a) $a -is [System.Management.Automation.Language.CommandAst] }, $true)) {
                if ($commandAst.GetCommandName() -notin $module) { continue }
                # The static binder throws on some commands nested in arguments ("same key has already been added",
                # PowerShell 7.6); those are checked where they stand alone in other examples.
                try { $result = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($commandAst, $true) }
                catch { continue }
                # With input piped in, the set can depend on that input, which a static binder cannot see.
                $piped = $commandAst.Parent -is [System.Management.Automation.Language.PipelineAst] -and $commandAst.Parent.PipelineElements.IndexOf($commandAst) -gt 0
                foreach ($entry in $result.BindingExceptions.GetEnumerator()) {
                    if ($piped -and $entry.Key -eq $commandAst.GetCommandName()) { continue }
                    "$($commandAst.Extent.Text): $($entry.Key): $($entry.Value.BindingException.Message)"
                }
            }
            """);
        bound.AssertNoErrors();
        return bound.Output.Select(o => o.ToString()!).ToList();
    }

    [Fact]
    public void The_about_topic_is_found()
    {
        using var shell = new Shell();
        ShellResult result = shell.Run("Get-Help about_CometGemini");
        result.AssertNoErrors();
        string text = string.Join("\n", result.Output.Select(o => o.ToString()));
        Assert.Contains("COMETAPI_KEY", text);
        Assert.Contains("Get-GeminiStream", text);
        // The topics a user looks for: configuration, CometAPI vs Google, streaming, tools, chats, models and tokens, batches.
        Assert.All(new[] { "CONFIGURATION", "COMETAPI OR GOOGLE", "STREAMING", "TOOLS", "CONVERSATIONS", "MODELS AND TOKENS", "BATCH JOBS" }, heading => Assert.Contains(heading, text));
        Assert.All(new[] { "Get-GeminiModel", "Measure-GeminiToken", "Connect-Gemini", "New-GeminiChat", "-Tool" }, name => Assert.Contains(name, text));
    }

    /// <summary>
    /// -Online: no command promises a page that is not its own page in this repository. The module has no hosting
    /// (the manifest names no ProjectUri), so today no page has an `online version:`, no related link has a uri
    /// (Get-Help -Online would open the first one) and no cmdlet has a HelpUri; Get-Help -Online then says plainly
    /// that there is no online help (tests/Pester/Host.Tests.ps1). Once the manifest names where the repository is
    /// published, a link to that place's docs/en-US/&lt;Command&gt;.md, a file that exists, passes.
    /// </summary>
    [Theory]
    [MemberData(nameof(ExportedCommands))]
    public void No_command_promises_an_online_link_that_is_not_its_own_page_in_this_repository(string command)
    {
        string page = Path.Combine(Paths.RepoRoot, "docs", "en-US", command + ".md");
        Match online = Regex.Match(File.ReadAllText(page), @"^online version:[ \t]*(.*?)\s*$", RegexOptions.Multiline);
        Assert.True(online.Success, $"{command}.md has no 'online version:' line in its header");
        Match project = Regex.Match(File.ReadAllText(Path.Combine(Paths.RepoRoot, "CometGemini.psd1")), @"ProjectUri\s*=\s*'([^']+)'");

        bool OwnPage(string uri) =>
            project.Success
            && uri.StartsWith(project.Groups[1].Value.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase)
            && uri.EndsWith("/docs/en-US/" + command + ".md", StringComparison.Ordinal)
            && File.Exists(page);

        string promised = online.Groups[1].Value;
        Assert.True(promised.Length == 0 || OwnPage(promised), $"{command}.md promises 'online version: {promised}', which is not its page in this repository");

        using var shell = new Shell();
        ShellResult result = shell.Run($"Get-Help {command} -Full");
        result.AssertNoErrors();
        PSObject help = Assert.Single(result.Output);
        List<string> uris = Items(help, "relatedLinks", "navigationLink")
            .Select(l => l.Properties["uri"]?.Value?.ToString() ?? string.Empty)
            .Where(u => u.Length > 0)
            .ToList();
        string helpUri = shell.Run($"(Get-Command {command}).HelpUri").Output.FirstOrDefault()?.ToString() ?? string.Empty;
        Assert.All(uris, uri => Assert.True(OwnPage(uri), $"{command}'s help has the related link '{uri}', which Get-Help -Online would open as its online help"));
        Assert.True(helpUri.Length == 0 || OwnPage(helpUri), $"{command} has the HelpUri '{helpUri}', which is not its page in this repository");
    }

    private static List<PSObject> Items(PSObject help, string outer, string inner)
    {
        object? container = help.Properties[outer]?.Value;
        if (container is not PSObject box)
            return new List<PSObject>();
        object? items = box.Properties[inner]?.Value;
        return items switch
        {
            null => new List<PSObject>(),
            object[] many => many.Cast<PSObject>().ToList(),
            PSObject one => new List<PSObject> { one },
            _ => new List<PSObject>(),
        };
    }

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        object[] paras => string.Join("\n", paras.Select(Text)),
        PSObject p when p.Properties["Text"] is { } t => t.Value?.ToString() ?? string.Empty,
        _ => value.ToString() ?? string.Empty,
    };

    private static Dictionary<string, Dictionary<string, string>> ParameterBlocks(string markdown)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        foreach (Match match in Regex.Matches(markdown, @"^### -(\w+)\s*$(.*?)^```yaml\s*$(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline))
        {
            var yaml = new Dictionary<string, string>();
            foreach (string line in match.Groups[3].Value.Split('\n'))
            {
                int colon = line.IndexOf(':');
                if (colon > 0)
                    yaml[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
            }

            result[match.Groups[1].Value] = yaml;
        }

        return result;
    }

    private static bool TypeMatches(Type type, string documented)
    {
        string Name(Type t) =>
            Nullable.GetUnderlyingType(t) is Type inner ? $"Nullable`1[{inner.Name}]"
            : t.IsArray ? Name(t.GetElementType()!) + "[]"
            : t.Name;
        return documented == Name(type) || documented == type.FullName;
    }

    [Fact]
    public void Every_error_id_the_module_raises_is_documented()
    {
        string about = File.ReadAllText(Path.Combine(Paths.RepoRoot, "docs", "en-US", "about_CometGemini.md"));
        string[] sources = Directory.GetFiles(Path.Combine(Paths.RepoRoot, "src", "CometGemini"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText).ToArray();
        var nouns = sources.SelectMany(text => Regex.Matches(text, "\\[Cmdlet\\([^,]+,\\s*\"(\\w+)\"").Select(m => m.Groups[1].Value)).ToHashSet();
        string[] ids = sources
            .SelectMany(text => Regex.Matches(text, "\"(Gemini[A-Z][A-Za-z]+)\"").Select(m => m.Groups[1].Value))
            .Where(id => !nouns.Contains(id))
            .Distinct()
            .ToArray();
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.Contains("`" + id + "`", about));
    }

    [Theory]
    [MemberData(nameof(ExportedCommands))]
    public void Every_parameter_is_shown_in_an_example(string command)
    {
        using var shell = new Shell();
        PSObject help = Assert.Single(shell.Run($"Get-Help {command} -Full").Output);
        string code = string.Join("\n", Items(help, "examples", "example").Select(e => e.Properties["code"].Value.ToString()));
        ShellResult names = shell.Run($"(Get-Command {command}).Parameters.Keys");
        string[] common = { "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm" };
        string[] missing = names.Output.Select(o => o.ToString()!).Where(n => !common.Contains(n) && !Regex.IsMatch(code, "-" + n + "\\b")).ToArray();
        Assert.True(missing.Length == 0, $"{command}: no example shows -{string.Join(", -", missing)}");
    }
}
