using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace CometGemini.Tests.Harness;

/// <summary>
/// The test project compiles against CometGemini without copying it, so the only CometGemini.dll in
/// the process is the one Import-Module loads from out/CometGemini: unit tests and PowerShell share it.
/// </summary>
internal static class ModuleAssembly
{
    [ModuleInitializer]
    internal static void ResolveFromModuleFolder()
    {
        AssemblyLoadContext.Default.Resolving += (context, name) =>
            name.Name == "CometGemini" ? context.LoadFromAssemblyPath(Path.Combine(Paths.ModuleDir, "CometGemini.dll")) : null;
    }
}
