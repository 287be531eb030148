using System;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace CometGemini.Commands;

/// <summary>-Path: files named by wildcard patterns, each one its own request like a file piped in.</summary>
public abstract partial class GenerationCommand
{
    internal const string PathSet = "Path";

    [Parameter(ParameterSetName = PathSet, Mandatory = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    private void SendMatchingFiles()
    {
        foreach (string pattern in Path!)
        {
            string[] files;
            try
            {
                files = GetResolvedProviderPathFromPSPath(pattern, out ProviderInfo provider)
                    .Where(path => provider.Name == "FileSystem" && !Directory.Exists(path)) // a pattern such as * also matches folders
                    .ToArray();
            }
            catch (Exception e) when (e is SessionStateException or NotSupportedException or ArgumentException)
            {
                WriteError(ErrorRecords.FromInput(e, "GeminiPathNotFound", pattern));
                continue;
            }

            if (files.Length == 0)
            {
                WriteError(ErrorRecords.FromInput(new FileNotFoundException($"No file matches '{pattern}'."), "GeminiPathNotFound", pattern));
                continue;
            }

            foreach (string file in files)
                SendFile(file);
        }
    }
}
