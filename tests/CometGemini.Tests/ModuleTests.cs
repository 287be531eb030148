using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using CometGemini.Tests.Harness;

namespace CometGemini.Tests;

public sealed class ModuleTests
{
    // Import-PowerShellDataFile is a Utility cmdlet, absent from the hosted engine: read the data as it does.
    private static Hashtable Manifest()
    {
        ScriptBlockAst ast = Parser.ParseFile(Paths.Manifest, out _, out ParseError[] errors);
        Assert.Empty(errors);
        var hashtable = (HashtableAst)ast.Find(a => a is HashtableAst, searchNestedScriptBlocks: false)!;
        return (Hashtable)hashtable.SafeGetValue();
    }

    [Fact]
    public void Import_exports_exactly_the_cmdlets_the_manifest_lists()
    {
        Hashtable manifest = Manifest();
        string[] listed = ((object[])manifest["CmdletsToExport"]!).Cast<string>().OrderBy(n => n).ToArray();
        Assert.DoesNotContain(listed, n => n.Contains('*'));

        using var shell = new Shell();
        ShellResult result = shell.Run("(Get-Module CometGemini).ExportedCmdlets.Keys");
        result.AssertNoErrors();
        Assert.Equal(listed, result.Output.Select(o => o.ToString()).OrderBy(n => n).ToArray());
    }

    [Fact]
    public void Manifest_declares_editions_format_file_and_the_assembly_version()
    {
        Hashtable manifest = Manifest();
        Assert.Equal("CometGemini.dll", manifest["RootModule"]);
        Assert.Equal(new[] { "Desktop", "Core" }, ((object[])manifest["CompatiblePSEditions"]!).Cast<string>());
        Assert.Equal("5.1", manifest["PowerShellVersion"]);
        Assert.Contains("CometGemini.format.ps1xml", ((object[])manifest["FormatsToProcess"]!).Cast<string>());
        Assert.Empty((object[])manifest["FunctionsToExport"]!);
        Assert.Empty((object[])manifest["AliasesToExport"]!);

        Version assembly = typeof(GenerateContentResponse).Assembly.GetName().Version!;
        Assert.Equal(new Version((string)manifest["ModuleVersion"]!), new Version(assembly.Major, assembly.Minor, assembly.Build));
    }

    [Fact]
    public void The_module_is_loaded_from_the_assembled_folder()
    {
        using var shell = new Shell();
        ShellResult result = shell.Run("(Get-Command Invoke-GeminiContent).DLL");
        result.AssertNoErrors();
        Assert.Equal(Path.Combine(Paths.ModuleDir, "CometGemini.dll"), result.Output.Single().ToString());
    }

    // Highest assembly versions pwsh 7.4 ships; a module asking for more fails to load there
    // ("Conflicting with PowerShell's dependencies"), which the .NET 10 test engine cannot show.
    // Every dll the module ships must be listed: a new dependency needs its pwsh 7.4 version checked before it lands.
    // All but Microsoft.Bcl.AsyncInterfaces (a package pwsh pins to 8.0.0) are in .NET 8's shared framework at 8.0.0.0.
    private static readonly (string Name, Version Max)[] Pwsh74Floor =
    {
        ("System.Text.Json", new Version(8, 0, 0, 0)),
        ("Microsoft.Bcl.AsyncInterfaces", new Version(8, 0, 0, 0)),
        ("System.Text.Encodings.Web", new Version(8, 0, 0, 0)),
        ("System.Buffers", new Version(8, 0, 0, 0)),
        ("System.Memory", new Version(8, 0, 0, 0)),
        ("System.Numerics.Vectors", new Version(8, 0, 0, 0)),
        ("System.Runtime.CompilerServices.Unsafe", new Version(8, 0, 0, 0)),
        ("System.Threading.Tasks.Extensions", new Version(8, 0, 0, 0)),
    };

    [Fact]
    public void Every_shipped_dependency_has_its_pwsh_7_4_version_on_record()
    {
        string[] shipped = Directory.GetFiles(Paths.ModuleDir, "*.dll")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => n != "CometGemini")
            .ToArray()!;
        Assert.All(shipped, name => Assert.True(
            Pwsh74Floor.Any(f => f.Name == name),
            $"{name}.dll ships but its pwsh 7.4 version is not in Pwsh74Floor: check what pwsh 7.4 ships before adding it"));

        // Also the references of the module itself: an assembly it needs but does not ship must come from the runtime.
        using var pe = new PEReader(File.OpenRead(Path.Combine(Paths.ModuleDir, "CometGemini.dll")));
        MetadataReader metadata = pe.GetMetadataReader();
        string[] referenced = metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToArray();
        Assert.All(referenced, name => Assert.True(
            name is "netstandard" or "System.Management.Automation" || shipped.Contains(name),
            $"CometGemini.dll references {name}, which the module does not ship and netstandard2.0 does not include"));
    }

    [Fact]
    public void No_shipped_assembly_needs_a_dependency_newer_than_pwsh_7_4_ships()
    {
        string[] dlls = Directory.GetFiles(Paths.ModuleDir, "*.dll");
        Assert.Contains(dlls, d => Path.GetFileName(d) == "CometGemini.dll");
        Assert.DoesNotContain(dlls, d => Path.GetFileName(d) == "System.Net.ServerSentEvents.dll");
        Assert.DoesNotContain(dlls, d => Path.GetFileName(d) == "System.Management.Automation.dll");

        foreach (string dll in dlls)
        {
            using var pe = new PEReader(File.OpenRead(dll));
            MetadataReader metadata = pe.GetMetadataReader();
            foreach (AssemblyReferenceHandle handle in metadata.AssemblyReferences)
            {
                AssemblyReference reference = metadata.GetAssemblyReference(handle);
                string name = metadata.GetString(reference.Name);
                Assert.NotEqual("System.Net.ServerSentEvents", name);
                foreach ((string floorName, Version max) in Pwsh74Floor)
                {
                    if (name == floorName)
                        Assert.True(reference.Version <= max, $"{Path.GetFileName(dll)} references {name} {reference.Version}, above the {max} pwsh 7.4 ships.");
                }
            }

            if (Path.GetFileName(dll) is var file && Pwsh74Floor.FirstOrDefault(f => f.Name + ".dll" == file) is { Name: not null } own)
                Assert.True(AssemblyName.GetAssemblyName(dll).Version! <= own.Max, $"{file} is above {own.Max}");
        }
    }

    [Fact]
    public void The_Windows_PowerShell_resolver_covers_exactly_the_shipped_dependencies()
    {
        string[] shipped = Directory.GetFiles(Paths.ModuleDir, "*.dll")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => n != "CometGemini")
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray()!;
        Assert.Equal(shipped, ModuleInitializer.OwnDependencies.OrderBy(n => n, StringComparer.Ordinal));

        Assert.Equal(
            Path.Combine(Paths.ModuleDir, "System.Text.Json.dll"),
            ModuleInitializer.OwnDependencyPath(new AssemblyName("System.Text.Json, Version=6.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")));
        Assert.Null(ModuleInitializer.OwnDependencyPath(new AssemblyName("Newtonsoft.Json, Version=13.0.0.0")));
    }
}
