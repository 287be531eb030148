using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CometGemini.Client;
using CometGemini.Completion;

namespace CometGemini.Commands;

/// <summary>
/// What Invoke-GeminiContent and Get-GeminiStream share: the request parameters, how pipeline input
/// becomes requests (one per piped string or file; piped parts gathered into one), and the endpoint.
/// </summary>
public abstract class GenerationCommand : GeminiCmdlet
{
    public const string DefaultModel = "gemini-2.5-flash";

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

    // Two sets so that pipeline input binds one way only: a string (even one from Get-Content, which carries
    // a PSPath note property) is a prompt; an object with a path (FileInfo) is a file, never also a prompt.
    internal const string PromptSet = "Prompt";
    internal const string FileSet = "File";

    [Parameter(ParameterSetName = PromptSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = FileSet, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Prompt { get; set; }

    [Parameter(ParameterSetName = PromptSet, ValueFromPipeline = true)]
    [Parameter(ParameterSetName = FileSet)]
    [ValidateNotNull]
    public Part[]? Part { get; set; }

    [Parameter(ParameterSetName = FileSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Model { get; set; } = DefaultModel;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SystemInstruction { get; set; }

    [Parameter]
    [ValidateRange(0.0, 2.0)]
    public double? Temperature { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double? TopP { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? TopK { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? MaxOutputTokens { get; set; }

    [Parameter]
    [ValidateCount(1, 5)]
    [ValidateNotNullOrEmpty]
    public string[]? StopSequence { get; set; }

    [Parameter]
    public int? Seed { get; set; }

    [Parameter]
    [ValidateRange(1, 8)]
    public int? CandidateCount { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ResponseMimeTypeCompleter))]
    [ValidateNotNullOrEmpty]
    public string? ResponseMimeType { get; set; }

    [Parameter]
    [ValidateNotNull]
    public object? ResponseSchema { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ThinkingLevelCompleter))]
    [ValidateNotNullOrEmpty]
    public string? ThinkingLevel { get; set; }

    [Parameter]
    [ValidateRange(-1, int.MaxValue)]
    public int? ThinkingBudget { get; set; }

    [Parameter]
    public SwitchParameter IncludeThoughts { get; set; }

    [Parameter]
    [ValidateNotNull]
    public Hashtable? SafetySetting { get; set; }

    [Parameter]
    public SwitchParameter GoogleSearch { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CachedContent { get; set; }

    [Parameter]
    [ValidateNotNull]
    public Hashtable? GenerationConfig { get; set; }

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

    private protected GeminiClient Client => _client!;

    private protected string ModelId => Model.StartsWith("models/", StringComparison.Ordinal) ? Model.Substring("models/".Length) : Model;

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

        ValidateModelAndThinking();
        _endpoint = EndpointResolver.Resolve(ApiKey, BaseUri, out ErrorRecord? error);
        if (error is not null)
            ThrowTerminatingError(error);
        _endpoint.MaxRetries = MaxRetries;
        _endpoint.Timeout = TimeoutSec is 0 or > MaxTimerSeconds ? null : TimeSpan.FromSeconds(TimeoutSec);
        if (Proxy is not null)
            _endpoint.Proxy = new WebProxy(Proxy) { Credentials = ProxyCredential?.GetNetworkCredential() };

        try
        {
            _template = BuildTemplate();
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "GeminiInvalidRequestOption", ErrorCategory.InvalidArgument, null));
        }

        _client = new GeminiClient(_endpoint);
        WriteVerbose($"Model {ModelId} at {_endpoint.BaseUri.GetLeftPart(UriPartial.Authority)}.");
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

        if (_gatheredParts.Count > 0 || (!_sentPerRecord && (_promptFromArguments || _argumentParts.Length > 0)))
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

    private protected void WriteGeminiError(GeminiException e, object? input) =>
        WriteError(ErrorRecords.FromGemini(Secrets.Redact(e, _endpoint!.ApiKey), input));

    private void SendFile(string path)
    {
        string fullPath;
        Part filePart;
        try
        {
            fullPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            filePart = PartFactory.FromFile(fullPath);
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

    private GenerateContentRequest WithContents(params Part[] parts)
    {
        GenerateContentRequest template = _template!;
        return new GenerateContentRequest
        {
            Contents = new List<Content> { new() { Role = "user", Parts = parts.ToList() } },
            SystemInstruction = template.SystemInstruction,
            GenerationConfig = template.GenerationConfig,
            Tools = template.Tools,
            SafetySettings = template.SafetySettings,
            CachedContent = template.CachedContent,
        };
    }

    private void ValidateModelAndThinking()
    {
        if (!GeminiClient.IsValidModelName(Model))
        {
            ThrowTerminatingError(ErrorRecords.Usage(
                $"'{Model}' is not a model name. Model names look like 'gemini-2.5-flash' (or 'models/gemini-2.5-flash', 'tunedModels/…').",
                "GeminiModelNameInvalid",
                ErrorCategory.InvalidArgument,
                Model));
        }

        string model = ModelId.ToLowerInvariant();
        string? problem =
            ThinkingLevel is not null && ThinkingBudget is not null
                ? "Pass either -ThinkingLevel (Gemini 3 models) or -ThinkingBudget (Gemini 2.5 models), not both."
            : ThinkingLevel is not null && model.StartsWith("gemini-2", StringComparison.Ordinal)
                ? $"-ThinkingLevel is for Gemini 3 models; {ModelId} takes -ThinkingBudget instead (tokens; 0 turns thinking off on Flash models, -1 lets the model decide)."
            : ThinkingBudget is not null && model.StartsWith("gemini-3", StringComparison.Ordinal)
                ? $"-ThinkingBudget is for Gemini 2.5 models; {ModelId} takes -ThinkingLevel instead (Minimal, Low, Medium or High)."
            : null;
        if (problem is not null)
            ThrowTerminatingError(ErrorRecords.Usage(problem, "GeminiThinkingOptionMismatch", ErrorCategory.InvalidArgument, Model));
    }

    private GenerateContentRequest BuildTemplate()
    {
        var config = new GenerationConfig
        {
            Temperature = Temperature,
            TopP = TopP,
            TopK = TopK,
            MaxOutputTokens = MaxOutputTokens,
            StopSequences = StopSequence?.ToList(),
            Seed = Seed,
            CandidateCount = CandidateCount,
            ResponseMimeType = ResponseMimeType,
        };
        if (ResponseSchema is not null)
        {
            config.ResponseSchema = PSJson.FromObjectOrJsonText(ResponseSchema, nameof(ResponseSchema));
            config.ResponseMimeType ??= "application/json";
        }

        if (ThinkingLevel is not null || ThinkingBudget is not null || IncludeThoughts.IsPresent)
        {
            config.ThinkingConfig = new ThinkingConfig
            {
                ThinkingLevel = ThinkingLevel?.ToUpperInvariant(),
                ThinkingBudget = ThinkingBudget,
                IncludeThoughts = IncludeThoughts.IsPresent ? true : null,
            };
        }

        if (GenerationConfig is not null)
            config = GenerationConfigMerger.Merge(config, GenerationConfig);

        return new GenerateContentRequest
        {
            SystemInstruction = SystemInstruction is null ? null : new Content { Parts = new List<Part> { PartFactory.FromText(SystemInstruction) } },
            GenerationConfig = GenerationConfigMerger.IsEmpty(config) ? null : config,
            Tools = GoogleSearch.IsPresent ? new List<Tool> { new() { GoogleSearch = EmptyObject() } } : null,
            SafetySettings = SafetySetting is null ? null : BuildSafetySettings(SafetySetting),
            CachedContent = CachedContent is null ? null
                : CachedContent.StartsWith("cachedContents/", StringComparison.Ordinal) ? CachedContent
                : "cachedContents/" + CachedContent,
        };
    }

    private static List<SafetySetting> BuildSafetySettings(Hashtable settings) =>
        settings.Cast<DictionaryEntry>()
            .Select(entry =>
            {
                string category = WireNames.UpperSnake(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                string threshold = WireNames.UpperSnake(Convert.ToString(PSJson.Unwrap(entry.Value), CultureInfo.InvariantCulture) ?? string.Empty);
                if (category.Length == 0 || threshold.Length == 0)
                    throw new ArgumentException("-SafetySetting maps a harm category to a threshold, for example @{ DangerousContent = 'BlockOnlyHigh' }.");
                return new SafetySetting
                {
                    Category = category.StartsWith("HARM_CATEGORY_", StringComparison.Ordinal) ? category : "HARM_CATEGORY_" + category,
                    Threshold = threshold,
                };
            })
            .OrderBy(s => s.Category, StringComparer.Ordinal)
            .ToList();

    private static JsonElement EmptyObject()
    {
        using JsonDocument document = JsonDocument.Parse("{}");
        return document.RootElement.Clone();
    }
}
