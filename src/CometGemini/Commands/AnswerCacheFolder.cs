using System;
using System.IO;
using System.Management.Automation;
using CometGemini.Generation;

namespace CometGemini.Commands;

/// <summary>The PowerShell side of -AnswerCache: the path resolved on the pipeline thread, the folder opened, its size kept.</summary>
internal static class AnswerCacheFolder
{
    /// <summary>
    /// The cache of <paramref name="path"/> (a PowerShell path, relative to the current location), its folder made
    /// owner-only; null without -AnswerCache. -AnswerCacheMaxAge or -AnswerCacheMaxSize without it, or a path that is not
    /// a folder of the file system, ends the command.
    /// </summary>
    public static AnswerCache? Open(PSCmdlet cmdlet, string? path, TimeSpan maxAge, long maxSize)
    {
        if (path is null)
        {
            string? orphan = cmdlet.MyInvocation.BoundParameters.ContainsKey("AnswerCacheMaxAge") ? "-AnswerCacheMaxAge"
                : cmdlet.MyInvocation.BoundParameters.ContainsKey("AnswerCacheMaxSize") ? "-AnswerCacheMaxSize"
                : null;
            if (orphan is not null)
            {
                cmdlet.ThrowTerminatingError(ErrorRecords.Usage(
                    $"{orphan} limits an answer cache, but no -AnswerCache folder was given.",
                    "GeminiAnswerCacheMissing",
                    ErrorCategory.InvalidArgument,
                    orphan,
                    "Add -AnswerCache <folder>, or leave out " + orphan + "."));
            }

            return null;
        }

        if (cmdlet.MyInvocation.BoundParameters.ContainsKey("AnswerCacheMaxAge") && maxAge <= TimeSpan.Zero)
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.Usage(
                $"-AnswerCacheMaxAge must be more than zero (it was {maxAge}).",
                "GeminiAnswerCacheMaxAgeInvalid",
                ErrorCategory.InvalidArgument,
                maxAge,
                "Give how long an answer stays good, for example 7.00:00:00 for a week; leave it out to keep answers until removed."));
        }

        string folder = FullPath(cmdlet, path);
        var cache = new AnswerCache(folder, maxAge > TimeSpan.Zero ? maxAge : null, maxSize > 0 ? maxSize : null);
        try
        {
            cache.Open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(e, "GeminiAnswerCacheUnusable", ErrorCategory.WriteError, path)
            {
                ErrorDetails = new ErrorDetails($"The answer cache folder '{folder}' cannot be used: {e.Message}")
                {
                    RecommendedAction = "Give -AnswerCache a folder you can write to (it is made if missing).",
                },
            });
        }

        return cache;
    }

    /// <summary>A file system path of the current provider's location, refused for other providers (a registry key).</summary>
    public static string FullPath(PSCmdlet cmdlet, string path)
    {
        string folder = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
        if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.Usage(
                $"'{path}' is on the {provider.Name} provider; the answer cache is a folder of files.",
                "GeminiAnswerCacheNotAFolder",
                ErrorCategory.InvalidArgument,
                path,
                "Give a file system folder, for example ./cache."));
        }

        if (File.Exists(folder))
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.Usage(
                $"'{folder}' is a file; the answer cache is a folder.",
                "GeminiAnswerCacheNotAFolder",
                ErrorCategory.InvalidArgument,
                path,
                "Give a folder (it is made if missing)."));
        }

        return folder;
    }

    /// <summary>With -AnswerCacheMaxSize: evicts the least recently used entries, saying how many under -Verbose.</summary>
    public static void Trim(Cmdlet cmdlet, AnswerCache? cache)
    {
        if (cache?.MaxSize is not long maxSize)
            return;
        try
        {
            int removed = cache.Trim();
            if (removed > 0)
                cmdlet.WriteVerboseLine($"Answer cache over {maxSize:N0} bytes: removed the {removed} least recently used entr{(removed == 1 ? "y" : "ies")}.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            cmdlet.WriteWarning($"The answer cache '{cache.Folder}' could not be kept under {maxSize:N0} bytes ({e.Message}).");
        }
    }
}
