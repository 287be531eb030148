using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CometGemini.Generation;
using CometGemini.Client;
using CometGemini.Completion;

namespace CometGemini.Commands;

/// <summary>
/// What Invoke-GeminiContent and Get-GeminiStream share beyond the request options: how pipeline input
/// becomes requests (one per piped string or file; piped parts gathered into one), and the endpoint.
/// </summary>
public abstract partial class GenerationCommand : RequestOptionsCommand
{
    private readonly List<Part> _gatheredParts = new();
    private GenerateContentRequest? _template;
    private bool _promptFromArguments;
    private Part[] _argumentParts = Array.Empty<Part>();
    private int _records;
    private bool _sentPerRecord;
    private bool _literalPathFromArguments;
    private string? _lastPipedPaths;
    private bool _toldSameFile;

    // Two sets so that pipeline input binds one way only: a string (even one from Get-Content, which carries
    // a PSPath note property) is a prompt; an object with a path (FileInfo) is a file, never also a prompt.
    internal const string PromptSet = "Prompt";
    internal const string FileSet = "File";

    [Parameter(ParameterSetName = PathSet, Position = 0)]
    [Parameter(ParameterSetName = PromptSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = FileSet, Position = 0)]
    [Parameter(ParameterSetName = ObjectSet, Position = 0)]
    [PromptTransformation]
    [ValidatePrompt]
    public string? Prompt { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = PromptSet, ValueFromPipeline = true)]
    [Parameter(ParameterSetName = FileSet)]
    [Parameter(ParameterSetName = ObjectSet)]
    [ValidateNotNull]
    public Part[]? Part { get; set; }

    // Not FullName: user accounts (Get-LocalUser) and types have one too, and would be taken for files. A FileInfo
    // without PSPath (made in .NET, not by Get-ChildItem) reaches -InputObject, which sends it as its file.
    [Parameter(ParameterSetName = FileSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = FileSet)]
    [Parameter(ParameterSetName = ObjectSet)]
    [ValidateRange(1, long.MaxValue)]
    public long MaxInlineSize { get; set; } = PartFactory.DefaultMaxInlineBytes;

    /// <summary>How text files are read when they carry no byte order mark; without it, UTF-8 (a file that is not says so).</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = FileSet)]
    [EncodingTransformation]
    [ArgumentCompleter(typeof(EncodingCompleter))]
    public System.Text.Encoding? Encoding { get; set; }

    [Parameter]
    [ValidateNotNull]
    public GeminiChat? Chat { get; set; }

    [Parameter]
    [Alias("History")]
    [ContentTransformation]
    [ValidateNotNull]
    public Content[]? Contents { get; set; }

    protected override void BeginProcessing()
    {
        _promptFromArguments = MyInvocation.BoundParameters.ContainsKey(nameof(Prompt));
        _literalPathFromArguments = MyInvocation.BoundParameters.ContainsKey(nameof(LiteralPath));
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Part)))
            _argumentParts = Part ?? Array.Empty<Part>();
        Model = ChosenModel(Model, Chat?.Model);
        _template = BuildRequestOptions(Chat?.Settings);
        Connect(Chat?.Connection);
        this.WriteVerboseLine($"Model {ModelId}.");
        CheckModelWithEndpoint();
    }

    protected override void ProcessRecord()
    {
        _records++;
        if (InputObject is not null)
        {
            SendObjects(InputObject);
            return;
        }

        if (Part is { Length: > 0 } && _argumentParts.Length == 0)
        {
            _gatheredParts.AddRange(Part);
            return;
        }

        if (Path is { Length: > 0 })
        {
            _sentPerRecord = true;
            SendMatchingFiles();
            return;
        }

        if (LiteralPath is { Length: > 0 })
        {
            _sentPerRecord = true;
            if (IsSameFileAsBefore(LiteralPath))
                return;
            foreach (string path in LiteralPath)
                SendFile(path);
            return;
        }

        if (!_promptFromArguments && Prompt is not null)
        {
            _sentPerRecord = true;
            Send(WithContents(_argumentParts.Append(PartFactory.FromText(Prompt)).ToArray()), Prompt, sourcePath: null);
        }
    }

    protected override void EndProcessing()
    {
        // An upstream that produced nothing (Get-ChildItem *.log in a folder without logs) asks for nothing.
        if (MyInvocation.ExpectingInput && _records == 0)
        {
            WriteWarning("No input came down the pipeline; no request was sent.");
            return;
        }

        if (Batch.IsPresent)
        {
            SendBatch();
            return;
        }

        if (_gatheredParts.Count > 0 || (!_sentPerRecord && (_promptFromArguments || _argumentParts.Length > 0 || Contents is { Length: > 0 })))
        {
            List<Part> parts = new(_argumentParts);
            parts.AddRange(_gatheredParts);
            if (Prompt is not null && _promptFromArguments)
                parts.Add(PartFactory.FromText(Prompt));
            Send(WithContents(parts.ToArray()), Prompt ?? (object)parts.ToArray(), sourcePath: null);
        }
        else if (!_sentPerRecord)
        {
            WriteError(ErrorRecords.Usage(
                "Nothing to send: pass -Prompt, or pipe in text, files or parts (New-GeminiPart).",
                "GeminiNothingToSend",
                ErrorCategory.InvalidArgument,
                null));
        }
    }

    /// <summary>An input that was not sent (its warning or error is written already): -Summary counts it as failed.</summary>
    private protected virtual void InputRefused(object? input, string reason)
    {
    }

    /// <summary>Sends one request and writes what comes back; failures are non-terminating errors for that input.</summary>
    private protected abstract void Send(GenerateContentRequest request, object? input, string? sourcePath);

    // Lines from Get-Content each carry their file's PSPath, so piped with -Prompt every line binds as the file:
    // a 1000-line log would be sent 1000 times. A path piped again right after itself is that file already sent.
    private bool IsSameFileAsBefore(string[] paths)
    {
        if (_literalPathFromArguments)
            return false;
        string key = string.Join("\n", paths);
        if (key == _lastPipedPaths)
        {
            if (!_toldSameFile)
                this.WriteVerboseLine($"'{paths[0]}' came down the pipeline again (lines read from it?); it was sent once.");
            _toldSameFile = true;
            return true;
        }

        _lastPipedPaths = key;
        return false;
    }

    private void SendFile(string path)
    {
        FileInput file = FileInput.Read(SessionState, path, mimeType: null, maxInlineBytes: MaxInlineSize, encoding: Encoding);
        string fullPath = file.FullPath;
        if (file.Warning is not null)
            WriteWarning(file.Warning);
        if (file.IsEmpty)
        {
            // Not an error: an empty log in a folder of logs is no failure of the run, but it is said and counted.
            WriteWarning(file.Reason);
            InputRefused(new FileInfo(fullPath), file.Reason!);
            return;
        }

        if (file.Error is not null)
        {
            WriteError(file.Error);
            InputRefused(File.Exists(fullPath) ? new FileInfo(fullPath) : path, file.Reason!);
            return;
        }

        var parts = new List<Part>(_argumentParts) { file.Part! };
        if (Prompt is not null)
            parts.Add(PartFactory.FromText(Prompt));
        Send(WithContents(parts.ToArray()), new FileInfo(fullPath), fullPath);
    }

    /// <summary>The request for one input: the chat's history, -Contents, then a user turn with the parts (if any).</summary>
    private GenerateContentRequest WithContents(params Part[] parts)
    {
        GenerateContentRequest template = _template!;
        var contents = new List<Content>(Chat?.History ?? Enumerable.Empty<Content>());
        contents.AddRange(Contents ?? Array.Empty<Content>());
        if (parts.Length > 0)
            contents.Add(new Content { Role = "user", Parts = parts.ToList() });
        return new GenerateContentRequest
        {
            Contents = contents,
            SystemInstruction = template.SystemInstruction,
            GenerationConfig = template.GenerationConfig,
            Tools = template.Tools,
            ToolConfig = template.ToolConfig,
            SafetySettings = template.SafetySettings,
            CachedContent = template.CachedContent,
            ExtensionData = template.ExtensionData,
        };
    }
}
