using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using CometGemini.Client;

namespace CometGemini.Commands;

/// <summary>
/// What Invoke-GeminiContent and Get-GeminiStream share beyond the request options: how pipeline input
/// becomes requests (one per piped string or file; piped parts gathered into one), and the endpoint.
/// </summary>
public abstract partial class GenerationCommand : RequestOptionsCommand
{
    // CancellationTokenSource.CancelAfter takes at most int.MaxValue milliseconds (24.8 days); more means no limit.
    private const int MaxTimerSeconds = int.MaxValue / 1000;

    private readonly List<Part> _gatheredParts = new();
    private GeminiEndpoint? _endpoint;
    private GeminiClient? _client;
    private GenerateContentRequest? _template;
    private bool _promptFromArguments;
    private Part[] _argumentParts = Array.Empty<Part>();
    private int _records;
    private bool _sentPerRecord;
    private MediaFolder? _outFolder;

    // Two sets so that pipeline input binds one way only: a string (even one from Get-Content, which carries
    // a PSPath note property) is a prompt; an object with a path (FileInfo) is a file, never also a prompt.
    internal const string PromptSet = "Prompt";
    internal const string FileSet = "File";

    [Parameter(ParameterSetName = PromptSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = FileSet, Position = 0)]
    [ValidatePrompt]
    public string? Prompt { get; set; }

    [Parameter(ParameterSetName = PromptSet, ValueFromPipeline = true)]
    [Parameter(ParameterSetName = FileSet)]
    [ValidateNotNull]
    public Part[]? Part { get; set; }

    [Parameter(ParameterSetName = FileSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    [Parameter(ParameterSetName = FileSet)]
    [ValidateRange(1, long.MaxValue)]
    public long MaxInlineSize { get; set; } = PartFactory.DefaultMaxInlineBytes;

    [Parameter]
    [ValidateNotNull]
    public GeminiChat? Chat { get; set; }

    [Parameter]
    [Alias("History")]
    [ContentTransformation]
    [ValidateNotNull]
    public Content[]? Contents { get; set; }

    [Parameter]
    [SecureStringTransformation]
    [ValidateNotNull]
    public SecureString? ApiKey { get; set; }

    [Parameter]
    [ValidateNotNull]
    public Uri? BaseUri { get; set; }

    [Parameter]
    [ValidateRange(0, 10)]
    public int MaxRetries { get; set; } = 3;

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int TimeoutSec { get; set; } = 600;

    [Parameter]
    [ValidateNotNull]
    public Uri? Proxy { get; set; }

    [Parameter]
    [Credential]
    [ValidateNotNull]
    public PSCredential? ProxyCredential { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFolder { get; set; }

    private protected GeminiClient Client => _client!;

    protected override void BeginProcessing()
    {
        _promptFromArguments = MyInvocation.BoundParameters.ContainsKey(nameof(Prompt));
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Part)))
            _argumentParts = Part ?? Array.Empty<Part>();
        if (ProxyCredential is not null && Proxy is null)
        {
            ThrowTerminatingError(ErrorRecords.Usage(
                "-ProxyCredential needs -Proxy: the credential is for the proxy named there.",
                "GeminiProxyMissing",
                ErrorCategory.InvalidArgument,
                ProxyCredential.UserName));
        }

        if (Chat is not null && !MyInvocation.BoundParameters.ContainsKey(nameof(Model)))
            Model = Chat.Model;
        _template = BuildRequestOptions(Chat?.Settings);
        PrepareAsObject(_template);
        _endpoint = EndpointResolver.Resolve(ApiKey, BaseUri, out ErrorRecord? error);
        if (error is not null)
            ThrowTerminatingError(error);
        _endpoint.MaxRetries = MaxRetries;
        _endpoint.Timeout = TimeoutSec is 0 or > MaxTimerSeconds ? null : TimeSpan.FromSeconds(TimeoutSec);
        if (Proxy is not null)
            _endpoint.Proxy = new WebProxy(Proxy) { Credentials = ProxyCredential?.GetNetworkCredential() };

        _client = new GeminiClient(_endpoint);
        WriteVerbose($"Model {ModelId} at {_endpoint.BaseUri.GetLeftPart(UriPartial.Authority)}.");
        if (OutFolder is not null)
            _outFolder = MediaFolder.Open(this, OutFolder);
    }

    protected override void ProcessRecord()
    {
        _records++;
        if (Part is { Length: > 0 } && _argumentParts.Length == 0)
        {
            _gatheredParts.AddRange(Part);
            return;
        }

        if (LiteralPath is { Length: > 0 })
        {
            _sentPerRecord = true;
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
            WriteVerbose("Nothing came down the pipeline; no request sent.");
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

    private protected override void ReleaseResources() => _client?.Dispose();

    /// <summary>Sends one request and writes what comes back; failures are non-terminating errors for that input.</summary>
    private protected abstract void Send(GenerateContentRequest request, object? input, string? sourcePath);

    /// <summary>
    /// With -OutFolder: saves each of <paramref name="media"/> to a new file and writes its FileInfo, on the
    /// pipeline thread, after what the work queued before. A file that cannot be written is an error for that file.
    /// </summary>
    private protected void SaveMedia(Outbox outbox, IEnumerable<GeminiMedia> media)
    {
        if (_outFolder is null)
            return;
        foreach (GeminiMedia item in media)
            outbox.Run(_ => SaveMedia(item));
    }

    /// <summary>With -OutFolder, on the pipeline thread itself: saves each of <paramref name="media"/> and writes its FileInfo.</summary>
    private protected void SaveMedia(IEnumerable<GeminiMedia> media)
    {
        if (_outFolder is null)
            return;
        foreach (GeminiMedia item in media)
            SaveMedia(item);
    }

    /// <summary>The images of <paramref name="response"/>, then its audio (PCM pieces as one clip).</summary>
    private protected static IEnumerable<GeminiMedia> MediaOf(GenerateContentResponse response) =>
        response.Images.Concat<GeminiMedia>(GeminiAudio.Join(response.Audio));

    private void SaveMedia(GeminiMedia media)
    {
        try
        {
            WriteObject(_outFolder!.Save(media));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            WriteError(new ErrorRecord(e, "GeminiMediaNotSaved", e is FormatException ? ErrorCategory.InvalidData : ErrorCategory.WriteError, media)
            {
                ErrorDetails = new ErrorDetails($"The {media.MimeType} answer was not saved to '{_outFolder!.FullName}': {e.Message}")
                {
                    RecommendedAction = e is FormatException
                        ? "The server sent data that is not base64; the response's Candidates hold it as it came."
                        : "Check the folder's free space and permissions; the error's target object can be saved elsewhere with its Save method.",
                },
            });
        }
    }

    private protected void WriteGeminiError(GeminiException e, object? input) =>
        WriteError(ErrorRecords.FromGemini(Secrets.Redact(e, _endpoint!.ApiKey), input));

    private void SendFile(string path)
    {
        string fullPath;
        Part filePart;
        try
        {
            fullPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            filePart = PartFactory.FromFile(fullPath, maxInlineBytes: MaxInlineSize);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or SessionStateException or NotSupportedException or ArgumentException)
        {
            WriteError(ErrorRecords.FromInput(e, "GeminiFileUnreadable", path));
            return;
        }

        var parts = new List<Part>(_argumentParts) { filePart };
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

    /// <summary>
    /// After a call succeeded: with -Chat, the turns this request added and the model's answer join the history.
    /// An answer without content (a blocked prompt, a safety stop) adds nothing, so the chat stays a valid conversation.
    /// Runs on the pipeline thread, after the call.
    /// </summary>
    private protected void Remember(GenerateContentRequest request, Content? answer)
    {
        if (Chat is null)
            return;
        if (answer?.Parts is not { Count: > 0 })
        {
            WriteWarning("The answer had no content, so this turn was not added to the chat history.");
            return;
        }

        Chat.History.AddRange(request.Contents.Skip(Chat.History.Count));
        Chat.History.Add(new Content { Role = answer.Role ?? "model", Parts = answer.Parts, ExtensionData = answer.ExtensionData });
    }
}
