using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Management.Automation;
using CometGemini.Generation;
using CometGemini.Completion;

namespace CometGemini.Commands;

[Cmdlet(VerbsCommon.New, "GeminiPart", DefaultParameterSetName = TextSet)]
[OutputType(typeof(Part))]
public sealed class NewGeminiPartCommand : ApiCommand
{
    private const string TextSet = "Text";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string DataSet = "Data";
    private const string FileUriSet = "FileUri";
    private const string StreamSet = "Stream";
    private const string FunctionResponseSet = "FunctionResponse";
    private const string GeminiFileSet = "GeminiFile";

    [Parameter(ParameterSetName = TextSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowEmptyString]
    public string Text { get; set; } = string.Empty;

    [Parameter(ParameterSetName = PathSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = DataSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public byte[] Data { get; set; } = Array.Empty<byte>();

    [Parameter(ParameterSetName = StreamSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Stream? Stream { get; set; }

    [Parameter(ParameterSetName = FileUriSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public Uri? FileUri { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = DataSet, Mandatory = true)]
    [Parameter(ParameterSetName = StreamSet, Mandatory = true)]
    [Parameter(ParameterSetName = FileUriSet, Mandatory = true)]
    [ArgumentCompleter(typeof(MimeTypeCompleter))]
    [ValidateMimeType]
    public string? MimeType { get; set; }

    // A Files API file (Add-GeminiFile, Get-GeminiFile) as the fileData part that names it.
    [Parameter(ParameterSetName = GeminiFileSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public GeminiFile[] File { get; set; } = Array.Empty<GeminiFile>();

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    public SwitchParameter Upload { get; set; }

    [Parameter(ParameterSetName = FunctionResponseSet, Mandatory = true)]
    [ValidateNotNull]
    public object? FunctionResponse { get; set; }

    [Parameter(ParameterSetName = FunctionResponseSet, Position = 0, ValueFromPipeline = true)]
    [AllowNull]
    public object? Response { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = DataSet)]
    [Parameter(ParameterSetName = StreamSet)]
    [ValidateRange(1, long.MaxValue)]
    public long MaxInlineSize { get; set; } = PartFactory.DefaultMaxInlineBytes;

    // What a media part may carry beside its data (PartMedia): its own resolution, and for a video the clip and frame rate.
    [Parameter]
    public GeminiMediaResolution? MediaResolution { get; set; }

    [Parameter]
    [DurationTransformation]
    public TimeSpan? StartOffset { get; set; }

    [Parameter]
    [DurationTransformation]
    public TimeSpan? EndOffset { get; set; }

    [Parameter]
    public double? FramesPerSecond { get; set; }

    private readonly List<object?> _responses = new();

    private PartMedia? _media;
    private bool _mediaChecked;

    protected override void BeginProcessing()
    {
        try
        {
            _media = PartMedia.Create(MediaResolution, StartOffset, EndOffset, FramesPerSecond);
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "GeminiPartMediaInvalid", ErrorCategory.InvalidArgument, null));
        }
    }

    // The parameter set is known only once a record is bound: a piped file object binds -File, not the default -Text.
    private void CheckMediaFitsTheSet()
    {
        if (_mediaChecked)
            return;
        _mediaChecked = true;
        if (_media is not null && ParameterSetName is TextSet or FunctionResponseSet)
        {
            ThrowTerminatingError(ErrorRecords.Usage(
                "-MediaResolution, -StartOffset, -EndOffset and -FramesPerSecond apply to media parts, not to text or function responses.",
                "GeminiPartMediaInvalid",
                ErrorCategory.InvalidArgument,
                null,
                "Use them with -Path, -LiteralPath, -Data, -Stream or -FileUri, for example New-GeminiPart -Path talk.mp4 -StartOffset 60 -EndOffset 90."));
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == FunctionResponseSet)
            WriteObject(FunctionResponsePart(_responses.Count == 1 ? _responses[0] : _responses.ToArray()));
    }

    protected override void ProcessRecord()
    {
        CheckMediaFitsTheSet();
        switch (ParameterSetName)
        {
            case TextSet:
                WriteObject(PartFactory.FromText(Text));
                break;
            case DataSet:
                try
                {
                    WritePart(PartFactory.FromBytes(Data, MimeType!, MaxInlineSize));
                }
                catch (InvalidDataException e)
                {
                    WriteError(ErrorRecords.FromInput(e, "GeminiInlineDataTooLarge", Data));
                }

                break;
            case StreamSet:
                try
                {
                    WritePart(PartFactory.FromStream(Stream!, MimeType!, MaxInlineSize));
                }
                catch (InvalidDataException e)
                {
                    WriteError(ErrorRecords.FromInput(e, "GeminiInlineDataTooLarge", Stream));
                }
                catch (Exception e) when (e is IOException or NotSupportedException or ObjectDisposedException)
                {
                    WriteError(ErrorRecords.FromInput(e, "GeminiStreamUnreadable", Stream));
                }

                break;
            case FunctionResponseSet:
                _responses.Add(Response); // one call gets one reply: piped results are gathered into it
                break;
            case FileUriSet:
                WritePart(PartFactory.FromUri(FileUri!.OriginalString, MimeType!));
                break;
            case GeminiFileSet:
                foreach (GeminiFile file in File)
                    WriteFileObjectPart(file);
                break;
            case PathSet:
                foreach (string file in Path.SelectMany(pattern => FilePatterns.Resolve(this, pattern)))
                    WriteFilePart(file, file);

                break;
            default:
                foreach (string literal in LiteralPath)
                    WriteFilePart(literal, null);
                break;
        }
    }

    private void WriteFilePart(string path, string? resolved)
    {
        FileInput file = FileInput.Read(SessionState, resolved ?? path, path, MimeType, MaxInlineSize, upload: Uploader(Upload));
        if (file.Warning is not null)
            WriteWarning(file.Warning);
        if (file.Error is not null)
            WriteError(file.Error);
        else
            WritePart(file.Part!);
    }

    // The one place a media part is written: decorated first (PartMedia), and a part that cannot take it is an error for that part.
    private void WritePart(Part part)
    {
        if (_media is null)
        {
            WriteObject(part);
            return;
        }

        try
        {
            WriteObject(_media.ApplyTo(part));
        }
        catch (ArgumentException e)
        {
            WriteError(new ErrorRecord(e, "GeminiPartMediaInvalid", ErrorCategory.InvalidArgument, part)
            {
                ErrorDetails = new ErrorDetails(e.Message)
                {
                    RecommendedAction = "Give -StartOffset, -EndOffset and -FramesPerSecond only with video, and -MediaResolution only with media (or pass -MimeType when the type was guessed wrong).",
                },
            });
        }
    }

    private void WriteFileObjectPart(GeminiFile file)
    {
        if (file.State == "FAILED")
        {
            WriteError(FileFailed(file, file));
            return;
        }

        if (string.IsNullOrEmpty(file.Uri))
        {
            WriteError(ErrorRecords.Usage(
                $"The file {file.Name} has no Uri, so no request can name it.",
                "GeminiFileUriMissing",
                ErrorCategory.InvalidData,
                file,
                "Get it again with Get-GeminiFile, which returns it with its Uri."));
            return;
        }

        if (file.State is not (null or "ACTIVE"))
            WriteWarning($"{file.Name} is {file.State}: a request that names it fails until it is ACTIVE. Add-GeminiFile waits for that unless -NoWait is given; Get-GeminiFile {file.Name} shows its state now.");
        WritePart(file.ToPart());
    }

    // The reply to a function call the model made (from a response's FunctionCalls, or its name): the result as
    // {"output": ...}, or a hashtable or object given as the whole response; the call's id goes back with it.
    private Part FunctionResponsePart(object? given)
    {
        object? call = PSObjects.UnwrapUnlessCustom(FunctionResponse);
        string name = call is FunctionCall functionCall ? functionCall.Name ?? string.Empty : call?.ToString() ?? string.Empty;
        object? result = PSObjects.UnwrapUnlessCustom(given);
        JsonElement response = result is System.Collections.IDictionary || (result is PSObject custom && custom.BaseObject is PSCustomObject)
            ? PSJson.FromObject(result)
            : ToolOutput.Result(result is null ? new PSObject[0] : result is object[] many ? many.Select(PSObject.AsPSObject).ToArray() : new[] { PSObject.AsPSObject(result) }, new string[0]);
        return new Part
        {
            FunctionResponse = new CometGemini.FunctionResponse { Id = (call as FunctionCall)?.Id, Name = name, Response = response },
        };
    }
}
