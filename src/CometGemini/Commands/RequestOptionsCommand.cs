using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Text.RegularExpressions;
using CometGemini.Client;
using CometGemini.Completion;

namespace CometGemini.Commands;

/// <summary>
/// The request options every generating command takes (model, system instruction, generation config,
/// thinking, safety, tools): the request minus its contents, built from the bound parameters.
/// </summary>
public abstract partial class RequestOptionsCommand : ApiCommand
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

    private protected string ModelId => ModelNames.Id(Model);

    /// <summary>
    /// The request options, checked: a bad model name, thinking options that do not fit the model, or an option
    /// that cannot be sent stop the command here, before anything is sent.
    /// </summary>
    private protected GenerateContentRequest BuildRequestOptions(GenerateContentRequest? basis = null)
    {
        ValidateModelAndThinking();
        try
        {
            return BuildTemplate(basis);
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "GeminiInvalidRequestOption", ErrorCategory.InvalidArgument, null));
            throw; // not reached: ThrowTerminatingError throws
        }
    }

    // Thinking options are checked by what the model is known to take (its model card, CurrentModels), never by its
    // name: an unknown model gets them as given, and the server's 400 comes back with advice (ErrorRecords).
    private void ValidateModelAndThinking()
    {
        ValidateModelName(Model);
        IReadOnlyList<string>? levels = CurrentModels.Find(ModelId)?.ThinkingLevels;
        string? problem =
            ThinkingLevel is not null && ThinkingBudget is not null
                ? "Pass either -ThinkingLevel (Gemini 3 and later models) or -ThinkingBudget (Gemini 2.5 models), not both."
            : levels is not null && ThinkingBudget is not null
                ? $"-ThinkingBudget is for Gemini 2.5 models; {ModelId} takes -ThinkingLevel instead ({Levels(levels)})."
            : levels is not null && ThinkingLevel is not null && !levels.Contains(ThinkingLevel, StringComparer.OrdinalIgnoreCase)
                ? $"{ModelId} takes -ThinkingLevel {Levels(levels)}, not {ThinkingLevel} (its model card names no other level)."
            : null;
        if (problem is not null)
            ThrowTerminatingError(ErrorRecords.Usage(problem, "GeminiThinkingOptionMismatch", ErrorCategory.InvalidArgument, Model));
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

    private static string Levels(IReadOnlyList<string> levels) =>
        levels.Count == 1 ? levels[0] : string.Join(", ", levels.Take(levels.Count - 1)) + " or " + levels[levels.Count - 1];

    /// <summary>
    /// The request options as a request without contents: <paramref name="basis"/> (a chat's settings) with
    /// every option given to this command laid over it.
    /// </summary>
    private GenerateContentRequest BuildTemplate(GenerateContentRequest? basis)
    {
        GenerateContentRequest template = basis?.Clone() ?? new GenerateContentRequest();
        template.Contents = new List<Content>();
        GenerationConfig config = template.GenerationConfig ?? new GenerationConfig();
        config.Temperature = Temperature ?? config.Temperature;
        config.TopP = TopP ?? config.TopP;
        config.TopK = TopK ?? config.TopK;
        config.MaxOutputTokens = MaxOutputTokens ?? config.MaxOutputTokens;
        config.StopSequences = StopSequence?.ToList() ?? config.StopSequences;
        config.Seed = Seed ?? config.Seed;
        config.CandidateCount = CandidateCount ?? config.CandidateCount;
        config.ResponseMimeType = ResponseMimeType ?? config.ResponseMimeType;
        if (ResponseSchema is not null)
        {
            config.ResponseSchema = SchemaJson(ResponseSchema, nameof(ResponseSchema), jsonSchema: false);
            config.ResponseMimeType ??= "application/json";
        }

        ApplyStructuredOutput(config);

        if (ThinkingLevel is not null || ThinkingBudget is not null || IncludeThoughts.IsPresent)
        {
            ThinkingConfig thinking = config.ThinkingConfig ?? new ThinkingConfig();
            thinking.ThinkingLevel = ThinkingLevel?.ToUpperInvariant() ?? thinking.ThinkingLevel;
            thinking.ThinkingBudget = ThinkingBudget ?? thinking.ThinkingBudget;
            thinking.IncludeThoughts = IncludeThoughts.IsPresent ? true : thinking.IncludeThoughts;
            config.ThinkingConfig = thinking;
        }

        ApplyMediaOptions(config);

        if (GenerationConfig is not null)
            config = GenerationConfigMerger.Merge(config, GenerationConfig);
        template.GenerationConfig = GenerationConfigMerger.IsEmpty(config) ? null : config;

        if (SystemInstruction is not null)
            template.SystemInstruction = new Content { Parts = new List<Part> { PartFactory.FromText(SystemInstruction) } };
        if (GoogleSearch.IsPresent && template.Tools?.Any(t => t.GoogleSearch is not null) != true)
            template.Tools = (template.Tools ?? new List<CometGemini.Tool>()).Append(new CometGemini.Tool { GoogleSearch = EmptyObject() }).ToList();
        if (SafetySetting is not null)
            template.SafetySettings = BuildSafetySettings(SafetySetting);
        ApplyTools(template);
        if (CachedContent is not null)
            template.CachedContent = CacheCommand.FullName(CachedContent);
        ApplyBuiltInTools(template);
        return template;
    }

    private static List<SafetySetting> BuildSafetySettings(SafetySettingTable settings) =>
        settings.Entries
            .Select(entry =>
            {
                string category = WireNames.UpperSnake(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                string threshold = WireNames.UpperSnake(Convert.ToString(PSObjects.UnwrapUnlessCustom(entry.Value), CultureInfo.InvariantCulture) ?? string.Empty);
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

    /// <summary>
    /// -ResponseModality, -AspectRatio, -ImageSize and -Voice, laid over what <paramref name="config"/> holds
    /// (-GenerationConfig is merged after, so it still wins).
    /// </summary>
    private void ApplyMediaOptions(GenerationConfig config)
    {
        if (ResponseModality is not null)
        {
            config.ResponseModalities = ResponseModality
                .SelectMany(m => m.Split(','))
                .Select(m => m.Trim().ToUpperInvariant())
                .Where(m => m.Length > 0)
                .Distinct()
                .ToList();
            if (config.ResponseModalities.Count == 0)
                throw new ArgumentException("-ResponseModality takes Text, Image or Audio (or several, such as Text, Image).");
        }

        if (AspectRatio is not null || ImageSize is not null)
        {
            string? ratio = AspectRatio?.Trim();
            if (ratio is not null && !AspectRatioPattern.IsMatch(ratio))
                throw new ArgumentException($"-AspectRatio takes width:height, such as '16:9' or '1:1'; '{AspectRatio}' is not in that form.");
            ImageConfig image = config.ImageConfig ?? new ImageConfig();
            image.AspectRatio = ratio ?? image.AspectRatio;
            // The wire spells sizes with an upper-case K ("1K", docs/wire.md §4.3); "2k" is normalised rather than risk a 400.
            image.ImageSize = ImageSize?.Trim().ToUpperInvariant() ?? image.ImageSize;
            config.ImageConfig = image;
        }

        if (Voice is not null)
        {
            SpeechConfig speech = config.SpeechConfig ?? new SpeechConfig();
            speech.VoiceConfig ??= new VoiceConfig();
            speech.VoiceConfig.PrebuiltVoiceConfig = new PrebuiltVoiceConfig { VoiceName = Voice.Trim() };
            config.SpeechConfig = speech;
            // TTS models answer in audio, and Google's speech examples always ask for it (https://ai.google.dev/gemini-api/docs/speech-generation).
            if (ResponseModality is null)
                config.ResponseModalities = new List<string> { "AUDIO" };
        }
    }

    private static readonly Regex AspectRatioPattern = new(@"^[0-9]+:[0-9]+$", RegexOptions.CultureInvariant);

    private static JsonElement EmptyObject()
    {
        using JsonDocument document = JsonDocument.Parse("{}");
        return document.RootElement.Clone();
    }
}
