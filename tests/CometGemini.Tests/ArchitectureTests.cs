using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using CometGemini.Commands;
using CometGemini.Tests.Harness;

namespace CometGemini.Tests;

/// <summary>The shape docs/architecture.md describes: command bases declare parameters and helpers, and never call down.</summary>
public sealed class ArchitectureTests
{
    private const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    private static Type[] CommandBases() =>
        typeof(GeminiCmdlet).Assembly.GetTypes()
            .Where(t => t.IsAbstract && typeof(GeminiCmdlet).IsAssignableFrom(t))
            .ToArray();

    [Fact]
    public void The_command_bases_have_no_pipeline_methods_of_their_own()
    {
        Assert.Contains(typeof(GenerationCommand), CommandBases());
        foreach (Type type in CommandBases())
        {
            string[] pipeline = type.GetMethods(Declared)
                .Where(m => m.Name is "BeginProcessing" or "ProcessRecord" or "EndProcessing")
                .Select(m => m.Name)
                .ToArray();
            Assert.True(pipeline.Length == 0, $"{type.Name} overrides {string.Join(", ", pipeline)}: a command's steps belong in the command's own file.");
        }
    }

    [Fact]
    public void The_command_bases_have_no_hooks_for_commands_to_fill()
    {
        foreach (Type type in CommandBases())
        {
            string[] hooks = type.GetMethods(Declared)
                .Where(m => (m.IsAbstract || (m.IsVirtual && !m.IsFinal && m.GetBaseDefinition() == m))
                    && m.Name != "ReleaseResources" // disposal: each level lets go of what it holds
                    && m.DeclaringType != typeof(PSCmdlet))
                .Select(m => m.Name)
                .ToArray();
            Assert.True(hooks.Length == 0, $"{type.Name} declares the hooks {string.Join(", ", hooks)}: a base that calls down makes a reader climb the chain.");
        }
    }

    [Fact]
    public void Every_exported_command_is_sealed()
    {
        Type[] commands = typeof(GeminiCmdlet).Assembly.GetTypes().Where(t => t.GetCustomAttribute<CmdletAttribute>() is not null).ToArray();

        Assert.NotEmpty(commands);
        Assert.All(commands, t => Assert.True(t.IsSealed, $"{t.Name} is not sealed"));
    }

    // A command's records become inputs one way (issue 18): the commands that take files among other inputs go through
    // InputRecords; New-GeminiPart makes one part per file with its own -MimeType, Import-GeminiChat reads chat files and
    // Add-GeminiFile uploads files (no part is made).
    [Fact]
    public void Pipeline_records_become_inputs_only_through_InputRecords()
    {
        string root = Path.Combine(Paths.RepoRoot, "src", "CometGemini");
        string[] allowed = { "Generation/InputRecords.cs", "Generation/FileInput.cs", "Commands/FilePatterns.cs", "Commands/NewGeminiPartCommand.cs", "Commands/ImportGeminiChatCommand.cs", "Commands/AddGeminiFileCommand.cs" };
        string[] offenders = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("obj/", StringComparison.Ordinal) && !f.StartsWith("bin/", StringComparison.Ordinal) && !allowed.Contains(f))
            .Where(f => File.ReadAllText(Path.Combine(root, f)) is var text && (text.Contains("FileInput.Read(") || text.Contains("FilePatterns.Resolve(")))
            .ToArray();

        Assert.True(offenders.Length == 0, $"{string.Join(", ", offenders)} read files or patterns themselves: take the record's inputs from InputRecords.Record.");
        foreach (string command in new[] { "Generation/PipelineInputs.cs", "Commands/NewGeminiCacheCommand.cs", "Commands/GetGeminiEmbeddingCommand.cs" })
            Assert.Contains("new InputRecords(", File.ReadAllText(Path.Combine(root, command)));
    }
}
