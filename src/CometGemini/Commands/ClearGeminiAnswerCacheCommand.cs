using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CometGemini.Generation;

namespace CometGemini.Commands;

/// <summary>
/// Empties an -AnswerCache folder, or with -OlderThan removes the answers saved longer ago than that. Only the files the
/// cache itself names (&lt;sha256&gt;.json and its temporary files) are removed, so a folder given by mistake keeps
/// everything else, and the folder itself stays.
/// </summary>
[Cmdlet(VerbsCommon.Clear, "GeminiAnswerCache", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class ClearGeminiAnswerCacheCommand : PSCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = null!;

    [Parameter]
    public TimeSpan OlderThan { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string folder in Folders())
            Clear(folder);
    }

    private IEnumerable<string> Folders()
    {
        if (ParameterSetName == LiteralPathSet)
            return LiteralPath.Select(p => AnswerCacheFolder.FullPath(this, p));
        var folders = new List<string>();
        foreach (string pattern in Path)
        {
            try
            {
                folders.AddRange(GetResolvedProviderPathFromPSPath(pattern, out ProviderInfo provider).Where(p => provider.Name == "FileSystem" && Directory.Exists(p)));
            }
            catch (ItemNotFoundException)
            {
                // a cache never written to is already empty
                this.WriteVerboseLine($"No answer cache at '{pattern}': nothing to remove.");
            }
        }

        return folders;
    }

    private void Clear(string folder)
    {
        TimeSpan? olderThan = MyInvocation.BoundParameters.ContainsKey(nameof(OlderThan)) ? OlderThan : null;
        List<FileInfo> files;
        try
        {
            files = AnswerCache.FilesToClear(folder, olderThan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(e, "GeminiAnswerCacheNotRead", ErrorCategory.ReadError, folder)
            {
                ErrorDetails = new ErrorDetails($"The answer cache '{folder}' could not be read: {e.Message}") { RecommendedAction = "Check the folder's permissions." },
            });
            return;
        }

        string which = olderThan is TimeSpan age ? $"the answers saved more than {age} ago" : "every answer";
        if (files.Count == 0)
        {
            this.WriteVerboseLine($"Answer cache '{folder}': nothing to remove ({which}).");
            return;
        }

        if (!ShouldProcess($"Remove {which} from the answer cache '{folder}' ({files.Count} file(s), {files.Sum(f => f.Length):N0} bytes)", $"Remove {files.Count} file(s) from the answer cache '{folder}'?", "Clear the answer cache"))
            return;
        int removed = 0;
        foreach (FileInfo file in files)
        {
            try
            {
                file.Delete();
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(e, "GeminiAnswerCacheEntryNotRemoved", ErrorCategory.WriteError, file)
                {
                    ErrorDetails = new ErrorDetails($"'{file.FullName}' was not removed: {e.Message}") { RecommendedAction = "Another run may be using it; try again when it has ended." },
                });
            }
        }

        this.WriteVerboseLine($"Answer cache '{folder}': removed {removed} file(s).");
    }
}
