using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace CometGemini.Commands;

/// <summary>The one way a -Path (wildcards allowed) becomes files: what PowerShell resolves, folders left out.</summary>
internal static class FilePatterns
{
    /// <summary>
    /// The files <paramref name="pattern"/> names. A pattern that names none (a missing file, a wildcard that matches
    /// nothing, a path outside the file system) is a non-terminating GeminiPathNotFound for that pattern.
    /// </summary>
    public static IReadOnlyList<string> Resolve(PSCmdlet cmdlet, string pattern)
    {
        try
        {
            string[] files = cmdlet.GetResolvedProviderPathFromPSPath(pattern, out ProviderInfo provider)
                .Where(path => provider.Name == "FileSystem" && !Directory.Exists(path)) // a pattern such as * also matches folders
                .ToArray();
            if (files.Length > 0)
                return files;
            cmdlet.WriteError(ErrorRecords.FromInput(new FileNotFoundException($"No file matches '{pattern}'."), "GeminiPathNotFound", pattern));
        }
        catch (Exception e) when (e is SessionStateException or NotSupportedException or ArgumentException)
        {
            cmdlet.WriteError(ErrorRecords.FromInput(e, "GeminiPathNotFound", pattern));
        }

        return Array.Empty<string>();
    }
}
