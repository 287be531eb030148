using System;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using CometGemini.Commands;

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
}
