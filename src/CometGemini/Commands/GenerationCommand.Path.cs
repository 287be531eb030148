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
            foreach (string file in FilePatterns.Resolve(this, pattern))
                SendFile(file);
        }
    }
}
