using System;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CometGemini;

/// <summary>
/// Windows PowerShell 5.1 has no binding redirects for modules, and the netstandard2.0 dependency graph
/// disagrees with itself (System.Memory wants Unsafe 4.0.4.1, System.Text.Json 8 wants 6.0.0.0). So on
/// .NET Framework, requests for our own dependencies are answered with the copy in the module folder,
/// whatever version was asked for (what PSResourceGet does). On pwsh the runtime's copies win and this stays off.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    /// <summary>The dlls the module ships beside CometGemini.dll (a test keeps this equal to the module folder).</summary>
    internal static readonly string[] OwnDependencies =
    {
        "Microsoft.Bcl.AsyncInterfaces",
        "System.Buffers",
        "System.Memory",
        "System.Numerics.Vectors",
        "System.Runtime.CompilerServices.Unsafe",
        "System.Text.Encodings.Web",
        "System.Text.Json",
        "System.Threading.Tasks.Extensions",
    };

    private static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty;

    private static bool IsNetFramework => RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    public void OnImport()
    {
        if (IsNetFramework)
            OnImportNetFramework();
    }

    // Its own method, so that on pwsh the JIT never loads what it names (System.Net.Requests, System.Net.Security):
    // importing stays cheap (bench/README.md, import time).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OnImportNetFramework()
    {
        AppDomain.CurrentDomain.AssemblyResolve += ResolveOwnDependency;

        // powershell.exe targets an old .NET Framework, so unless the machine opts in (SchUseStrongCrypto /
        // SystemDefaultTlsVersions) its HttpClient offers only SSL 3 and TLS 1.0; CometAPI and Google need TLS 1.2.
        // Add it, keeping what is already allowed; 0 (SystemDefault) already lets the OS choose.
        SecurityProtocolType current = ServicePointManager.SecurityProtocol;
        if (current != 0 && (current & SecurityProtocolType.Tls12) == 0)
            ServicePointManager.SecurityProtocol = current | SecurityProtocolType.Tls12;
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        if (IsNetFramework)
            AppDomain.CurrentDomain.AssemblyResolve -= ResolveOwnDependency;
    }

    /// <summary>The module-folder copy to load for <paramref name="requested"/>, or null when it is not ours.</summary>
    internal static string? OwnDependencyPath(AssemblyName requested)
    {
        if (Array.IndexOf(OwnDependencies, requested.Name) < 0)
            return null;
        string path = Path.Combine(ModuleDirectory, requested.Name + ".dll");
        return File.Exists(path) ? path : null;
    }

    private static Assembly? ResolveOwnDependency(object? sender, ResolveEventArgs args)
    {
        string? path = OwnDependencyPath(new AssemblyName(args.Name));
        return path is null ? null : Assembly.LoadFrom(path);
    }
}
