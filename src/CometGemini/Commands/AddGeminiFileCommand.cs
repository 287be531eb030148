using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CometGemini.Client;
using CometGemini.Completion;

namespace CometGemini.Commands;

/// <summary>
/// Uploads files to the Files API (resumable, streamed from disk, resumed after a broken connection) and waits until
/// the server has processed each, so the file object it writes can go straight into a request as a fileData part.
/// </summary>
[Cmdlet(VerbsCommon.Add, "GeminiFile", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GeminiFile))]
public sealed class AddGeminiFileCommand : FileCommand
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DisplayName { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(MimeTypeCompleter))]
    [ValidateMimeType]
    public string? MimeType { get; set; }

    [Parameter]
    public SwitchParameter NoWait { get; set; }

    protected override void BeginProcessing() => Connect();

    protected override void ProcessRecord()
    {
        if (LiteralPath is not null)
        {
            foreach (string literal in LiteralPath)
                Add(literal, SessionState.Path.GetUnresolvedProviderPathFromPSPath(literal));
            return;
        }

        foreach (string file in (Path ?? Array.Empty<string>()).SelectMany(pattern => FilePatterns.Resolve(this, pattern)))
            Add(file, file);
    }

    private void Add(string given, string fullPath)
    {
        string mimeType;
        try
        {
            if (Directory.Exists(fullPath))
                throw new InvalidDataException($"'{fullPath}' is a directory. Pass files (Get-ChildItem -File) instead.");
            if (!File.Exists(fullPath))
                throw new FileNotFoundException($"The file '{fullPath}' does not exist.", fullPath);
            FileKinds.ThrowIfNotRegular(fullPath);
            if (new FileInfo(fullPath).Length == 0)
                throw new EmptyInputException($"'{System.IO.Path.GetFileName(fullPath)}' is empty; the Files API refuses an empty file, so it was not uploaded.");
            mimeType = MimeType ?? PartFactory.MimeTypeOf(fullPath);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            WriteError(ErrorRecords.FromInput(e, "GeminiFileUnreadable", given));
            return;
        }

        if (!ShouldProcess(fullPath, "Upload to the Files API"))
            return;
        GeminiFile file;
        try
        {
            file = UploadFile(fullPath, mimeType, DisplayName ?? System.IO.Path.GetFileName(fullPath), wait: !NoWait.IsPresent);
        }
        catch (GeminiException e)
        {
            WriteError(FilesError(e, given));
            return;
        }

        if (file.State == "FAILED")
        {
            WriteError(FileFailed(file, file));
            return;
        }

        WriteObject(file);
    }
}
