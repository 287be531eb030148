using System.Management.Automation;
using CometGemini.Client;

namespace CometGemini.Commands;

/// <summary>What the Files API commands share: file names, and how a missing file or a missing Files API is reported.</summary>
public abstract class FileCommand : ApiCommand
{
    /// <summary>"abc" or "files/abc" as the API names it.</summary>
    internal static string FullName(string name) => FilesClient.ResourceName(name);

    /// <summary>"files/abc" for "abc" or "files/abc"; null (with the error written) for anything else.</summary>
    private protected string? ValidFileName(string name)
    {
        if (FilesClient.IsValidName(name))
            return FullName(name);
        WriteError(ErrorRecords.Usage(
            $"'{name}' is not a file name. Files API names look like 'files/abc123' (or just 'abc123'); nothing was sent for it.",
            "GeminiFileNameInvalid",
            ErrorCategory.InvalidArgument,
            name,
            "Pass the Name of a file from Get-GeminiFile (Get-GeminiFile 'display name' | Remove-GeminiFile finds one by its display name)."));
        return null;
    }

    /// <summary>
    /// A failure on one named file. A file that does not exist (or has expired after 48 hours) is answered with 403 or
    /// 404: both become ObjectNotFound with advice that fits.
    /// </summary>
    private protected void WriteFileError(GeminiException e, string name)
    {
        e = Secrets.Redact(e, Endpoint.ApiKey);
        if (e.Failure == GeminiFailure.Http && e.StatusCode is 403 or 404)
        {
            WriteError(new ErrorRecord(e, "GeminiFileNotFound", ErrorCategory.ObjectNotFound, name)
            {
                ErrorDetails = new ErrorDetails($"No file '{FullName(name)}' for this key: {e.ServerMessage ?? e.Message}")
                {
                    RecommendedAction = "Files are deleted 48 hours after their upload; Get-GeminiFile lists those that exist. A file is visible only to keys of the project that uploaded it.",
                },
            });
            return;
        }

        WriteError(FilesError(e, name));
    }
}
