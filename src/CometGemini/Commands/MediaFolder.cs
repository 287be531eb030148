using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;

namespace CometGemini.Commands;

/// <summary>
/// The folder of -OutFolder: resolved through PowerShell's paths once, on the pipeline thread, then
/// given files with unique names (gemini-20261124-103012-1.png) that never replace an existing file.
/// </summary>
internal sealed class MediaFolder
{
    private const int MaxTries = 10000;
    private int _counter;

    private MediaFolder(string path) => FullName = path;

    public string FullName { get; }

    /// <summary>The folder named by <paramref name="path"/> (created when missing); a terminating error when it cannot be one.</summary>
    public static MediaFolder Open(PSCmdlet cmdlet, string path)
    {
        string fullPath;
        try
        {
            fullPath = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
            if (provider.Name != "FileSystem")
                throw new ArgumentException($"-OutFolder must be a folder in the file system; '{path}' is in the {provider.Name} provider.");
            if (File.Exists(fullPath))
                throw new IOException($"-OutFolder '{path}' is a file, not a folder.");
            // Under -WhatIf the folder is only announced; Save announces each file the same way.
            if (!Directory.Exists(fullPath) && cmdlet.ShouldProcess(fullPath, "Create the folder for the answer's images and audio"))
                Directory.CreateDirectory(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or SessionStateException or ProviderInvocationException)
        {
            var record = new ErrorRecord(e, "GeminiOutFolderInvalid", e is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.InvalidArgument, path)
            {
                ErrorDetails = new ErrorDetails($"Cannot save to -OutFolder '{path}': {e.Message}")
                {
                    RecommendedAction = "Name a folder in the file system that you can write to; a missing folder is created.",
                },
            };
            cmdlet.ThrowTerminatingError(record);
            throw; // not reached: ThrowTerminatingError throws
        }

        return new MediaFolder(fullPath);
    }

    /// <summary>Writes <paramref name="media"/> to a new file (raw PCM audio as WAV) and returns it.</summary>
    public FileInfo Save(GeminiMedia media)
    {
        byte[] content = media.FileContent(); // bad base64 fails here, before a file exists
        string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        for (int tries = 0; ; tries++)
        {
            string path = Path.Combine(FullName, $"gemini-{stamp}-{++_counter}{media.Extension}");
            FileStream stream;
            try
            {
                // CreateNew: a file that is already there (from an earlier run, or another process) is never replaced.
                stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            }
            catch (IOException) when (tries < MaxTries && (File.Exists(path) || Directory.Exists(path)))
            {
                continue;
            }

            try
            {
                using (stream)
                    stream.Write(content, 0, content.Length);
            }
            catch
            {
                TryDelete(path);
                throw;
            }

            return new FileInfo(path);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The write error that brought us here is the one to report.
        }
    }
}
