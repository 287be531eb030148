using System.Collections.Generic;
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

    private IReadOnlyList<string>? _matchingFiles;

    /// <summary>The files -Path names, resolved once: before the first request, so a progress bar knows the total.</summary>
    private protected IReadOnlyList<string> MatchingFiles() =>
        _matchingFiles ??= Path!.SelectMany(pattern => FilePatterns.Resolve(this, pattern)).ToList();

    private void SendMatchingFiles()
    {
        foreach (string file in MatchingFiles())
            SendFile(file);
    }
}
