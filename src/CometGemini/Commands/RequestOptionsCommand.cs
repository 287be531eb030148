using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CometGemini.Client;
using CometGemini.Completion;
using CometGemini.Generation;

namespace CometGemini.Commands;

/// <summary>
/// The request options every generating command takes (model, system instruction, generation config, thinking,
/// safety, tools), declared once for all of them; <see cref="RequestBuilder"/> makes them a request.
/// </summary>
public abstract class RequestOptionsCommand : ApiCommand
{
    [Parameter]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Model { get; set; } = CurrentModels.DefaultModel;

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
    public SafetySettingTable? SafetySetting { get; set; }

    [Parameter]
    public SwitchParameter GoogleSearch { get; set; }

    [Parameter]
    [CachedContentTransformation]
    [ValidateNotNullOrEmpty]
    public string? CachedContent { get; set; }

    [Parameter]
    [ValidateNotNull]
    public Hashtable? GenerationConfig { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ResponseModalityCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? ResponseModality { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(AspectRatioCompleter))]
    [ValidateNotNullOrEmpty]
    public string? AspectRatio { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ImageSizeCompleter))]
    [ValidateNotNullOrEmpty]
    public string? ImageSize { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(VoiceNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Voice { get; set; }

    // Structured output beside -ResponseSchema: full JSON Schema, or an enum to classify with.
    [Parameter]
    [ValidateNotNull]
    public object? ResponseJsonSchema { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? ResponseEnum { get; set; }
    // Function calling.
    private readonly List<GeminiTool> _tools = new();

    [Parameter]
    [ValidateNotNullOrEmpty]
    public object[]? Tool { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(FunctionCallingModeCompleter))]
    [ValidateNotNullOrEmpty]
    public string? FunctionCallingMode { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AllowedFunction { get; set; }

    [Parameter]
    [ValidateNotNull]
    public object? ToolConfig { get; set; }

    /// <summary>The tools of -Tool, resolved to declarations (and commands to run) on the pipeline thread.</summary>
    private protected IReadOnlyList<GeminiTool> Tools => _tools;
    // The tools Google runs on its side (Maps, code execution, URL context), beside -GoogleSearch.
    [Parameter]
    public SwitchParameter GoogleMaps { get; set; }

    [Parameter]
    [ValidateRange(-90.0, 90.0)]
    public double? Latitude { get; set; }

    [Parameter]
    [ValidateRange(-180.0, 180.0)]
    public double? Longitude { get; set; }

    [Parameter]
    public SwitchParameter CodeExecution { get; set; }

    [Parameter]
    public SwitchParameter UrlContext { get; set; }

    // Tokens spent on each image, video frame or PDF page, for the whole request (a part may set its own: New-GeminiPart -MediaResolution).
    [Parameter]
    public GeminiMediaResolution? MediaResolution { get; set; }
    private protected string ModelId => ModelNames.Id(Model);

    /// <summary>
    /// The request options, checked: a bad model name, thinking options that do not fit the model, or an option
    /// that cannot be sent stop the command here, before anything is sent.
    /// </summary>
    private protected GenerateContentRequest BuildRequestOptions(GenerateContentRequest? basis = null, bool answerAsJson = false, GeminiServiceTier? serviceTier = null)
    {
        ValidateModelName(Model);
        RequestOptions options = BoundOptions();
        options.AnswerAsJson = answerAsJson;
        options.ServiceTier = serviceTier;
        if (RequestBuilder.ThinkingMismatch(options, ModelId) is { } problem)
            ThrowTerminatingError(ErrorRecords.Usage(problem, "GeminiThinkingOptionMismatch", ErrorCategory.InvalidArgument, Model));
        try
        {
            return RequestBuilder.Build(options, basis);
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "GeminiInvalidRequestOption", ErrorCategory.InvalidArgument, null));
            throw; // not reached: ThrowTerminatingError throws
        }
    }

    /// <summary>The options bound to this call, as plain values; -Tool's items resolved to tools here, on the pipeline thread.</summary>
    private RequestOptions BoundOptions()
    {
        if (Tool is { Length: > 0 } && _tools.Count == 0)
            _tools.AddRange(Tool.Select(item => ToolResolver.Resolve(this, item)));
        return new RequestOptions
        {
            SystemInstruction = SystemInstruction,
            Temperature = Temperature,
            TopP = TopP,
            TopK = TopK,
            MaxOutputTokens = MaxOutputTokens,
            StopSequences = StopSequence,
            Seed = Seed,
            CandidateCount = CandidateCount,
            ResponseMimeType = ResponseMimeType,
            ResponseSchema = ResponseSchema,
            ResponseJsonSchema = ResponseJsonSchema,
            ResponseEnum = ResponseEnum,
            ThinkingLevel = ThinkingLevel,
            ThinkingBudget = ThinkingBudget,
            IncludeThoughts = IncludeThoughts.IsPresent,
            ResponseModalities = ResponseModality,
            AspectRatio = AspectRatio,
            ImageSize = ImageSize,
            Voice = Voice,
            GenerationConfig = GenerationConfig,
            SafetySettings = SafetySetting,
            Functions = _tools,
            ToolConfig = ToolConfig,
            FunctionCallingMode = FunctionCallingMode,
            AllowedFunctions = AllowedFunction,
            GoogleSearch = GoogleSearch.IsPresent,
            GoogleMaps = GoogleMaps.IsPresent,
            CodeExecution = CodeExecution.IsPresent,
            UrlContext = UrlContext.IsPresent,
            Latitude = Latitude,
            Longitude = Longitude,
            CachedContent = CachedContent,
            MediaResolution = MediaResolution,
        };
    }

    /// <summary>
    /// Once connected: what the endpoint's model list says of the model, when the list is in this session (Get-GeminiModel,
    /// Tab, Test-GeminiModelReference). A model that does not think refuses thinking options; a deprecated one warns, once.
    /// </summary>
    private protected void CheckModelWithEndpoint()
    {
        GeminiModel? listed = ModelCatalog.PeekModel(Endpoint, ModelId);
        if (listed is not null && !listed.Thinking && (ThinkingLevel is not null || ThinkingBudget is > 0 or -1))
        {
            ThrowTerminatingError(ErrorRecords.Usage(
                $"{ModelId} does not think (the endpoint's model list says so), so it takes neither -ThinkingLevel nor -ThinkingBudget.",
                "GeminiThinkingOptionMismatch",
                ErrorCategory.InvalidArgument,
                Model,
                "Leave the thinking options out, or choose a model that thinks: Get-GeminiModel shows the Thinking column."));
        }

        if (ModelRadar.Deprecated(Session, listed) is { } warning)
            WriteWarning(warning);
    }

    /// <summary>The warning, once per process, when the model that answered is not the one asked for.</summary>
    private protected void WarnIfRouted(string? modelVersion)
    {
        if (ModelRadar.Routed(Session, ModelId, modelVersion) is { } warning)
            WriteWarning(warning);
    }

    // The runspace this command runs in: the radar's warnings are given once in each.
    private static Guid Session => System.Management.Automation.Runspaces.Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;
}
