using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CometGemini.Commands;

namespace CometGemini.Generation;

/// <summary>
/// Turns <see cref="RequestOptions"/> and a chat's settings into the request without its contents: the one place
/// where a request option becomes a wire field. Every option given is laid over the chat's; -GenerationConfig is
/// merged last, so any field stays reachable. Bad values are <see cref="ArgumentException"/>s that say what to pass.
/// </summary>
internal static class RequestBuilder
{
    // "[MyReport]" or "[MyReport[]]": what a type literal becomes when written as a command argument without parentheses.
    private static readonly Regex TypeLiteral = new(@"^\s*\[(?<name>[\w.+`]+(\[\])*)\]\s*$", RegexOptions.CultureInvariant);

    private static readonly Regex AspectRatioPattern = new(@"^[0-9]+:[0-9]+$", RegexOptions.CultureInvariant);

    public static GenerateContentRequest Build(RequestOptions options, GenerateContentRequest? basis = null)
    {
        GenerateContentRequest request = basis?.Clone() ?? new GenerateContentRequest();
        request.Contents = new List<Content>();
        GenerationConfig config = request.GenerationConfig ?? new GenerationConfig();
        ApplySampling(options, config);
        ApplyStructuredOutput(options, config);
        ApplyThinking(options, config);
        ApplyMedia(options, config);
        if (options.GenerationConfig is not null)
            config = GenerationConfigMerger.Merge(config, options.GenerationConfig);
        request.GenerationConfig = GenerationConfigMerger.IsEmpty(config) ? null : config;

        if (options.SystemInstruction is not null)
            request.SystemInstruction = new Content { Parts = new List<Part> { PartFactory.FromText(options.SystemInstruction) } };
        if (options.GoogleSearch)
            AddTool(request, t => t.GoogleSearch is not null, new Tool { GoogleSearch = EmptyObject() });
        if (options.SafetySettings is not null)
            request.SafetySettings = SafetySettings(options.SafetySettings);
        ApplyFunctions(options, request);
        if (options.CachedContent is not null)
            request.CachedContent = CacheCommand.FullName(options.CachedContent);
        ApplyBuiltInTools(options, request);
        if (options.ServiceTier is { } tier)
            request.ServiceTier = ServiceTierWireName(tier);

        if (options.AnswerAsJson && request.GenerationConfig?.ResponseMimeType is null)
        {
            request.GenerationConfig ??= new GenerationConfig();
            request.GenerationConfig.ResponseMimeType = StructuredOutput.JsonMimeType;
        }

        return request;
    }

    /// <summary>
    /// Why the thinking options do not fit <paramref name="modelId"/>, or null. Checked by what the model is known to
    /// take (its model card, CurrentModels), never by its name: an unknown model gets them as given, and the server's
    /// 400 comes back with advice (ErrorRecords).
    /// </summary>
    public static string? ThinkingMismatch(RequestOptions options, string modelId)
    {
        IReadOnlyList<string>? levels = CurrentModels.Find(modelId)?.ThinkingLevels;
        return options.ThinkingLevel is not null && options.ThinkingBudget is not null
                ? "Pass either -ThinkingLevel (Gemini 3 and later models) or -ThinkingBudget (Gemini 2.5 models), not both."
            : levels is not null && options.ThinkingBudget is not null
                ? $"-ThinkingBudget is for Gemini 2.5 models; {modelId} takes -ThinkingLevel instead ({Levels(levels)})."
            : levels is not null && options.ThinkingLevel is not null && !levels.Contains(options.ThinkingLevel, StringComparer.OrdinalIgnoreCase)
                ? $"{modelId} takes -ThinkingLevel {Levels(levels)}, not {options.ThinkingLevel} (its model card names no other level)."
            : null;
    }

    /// <summary>Whether the options ask a model to think (a budget of 0 turns thinking off, so it asks nothing).</summary>
    public static bool AsksForThinking(RequestOptions options) =>
        options.ThinkingLevel is not null || options.ThinkingBudget is > 0 or -1;

    /// <summary>The name a function declaration gives, or "" when it gives none.</summary>
    public static string DeclaredName(JsonElement declaration) =>
        declaration.ValueKind == JsonValueKind.Object && declaration.TryGetProperty("name", out JsonElement name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()!
            : string.Empty;

    /// <summary>A schema from a class type (or its name as "[Name]"), a hashtable, an object or JSON text.</summary>
    public static JsonElement SchemaJson(object value, string parameterName, bool jsonSchema)
    {
        object unwrapped = PSObjects.UnwrapUnlessCustom(value)!;
        if (unwrapped is Type type)
            return TypeSchema.For(type, jsonSchema, parameterName);
        if (unwrapped is string text && TypeLiteral.Match(text) is { Success: true } literal && !IsJson(text))
        {
            string name = literal.Groups["name"].Value;
            if (!LanguagePrimitives.TryConvertTo(name, out Type? named) || named is null)
                throw new ArgumentException($"-{parameterName} names the type [{name}], which is not defined here. Define the class first, or pass a hashtable or JSON text.", parameterName);
            return TypeSchema.For(named, jsonSchema, parameterName);
        }

        JsonElement schema = PSJson.FromObjectOrJsonText(value, parameterName);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException(
                $"-{parameterName} is a JSON {schema.ValueKind.ToString().ToLowerInvariant()}, not a schema. Pass a schema object, for example @{{ type = 'object'; properties = @{{ name = @{{ type = 'string' }} }} }}, its JSON text, or a class.",
                parameterName);
        }

        return schema;
    }

    private static void ApplySampling(RequestOptions options, GenerationConfig config)
    {
        config.Temperature = options.Temperature ?? config.Temperature;
        config.TopP = options.TopP ?? config.TopP;
        config.TopK = options.TopK ?? config.TopK;
        config.MaxOutputTokens = options.MaxOutputTokens ?? config.MaxOutputTokens;
        config.StopSequences = options.StopSequences?.ToList() ?? config.StopSequences;
        config.Seed = options.Seed ?? config.Seed;
        config.CandidateCount = options.CandidateCount ?? config.CandidateCount;
        config.ResponseMimeType = options.ResponseMimeType ?? config.ResponseMimeType;
    }

    // One schema kind at a time: the one given here replaces the other kinds a chat's settings may hold, since the API takes only one.
    private static void ApplyStructuredOutput(RequestOptions options, GenerationConfig config)
    {
        if (new[] { options.ResponseSchema, options.ResponseJsonSchema, options.ResponseEnum }.Count(o => o is not null) > 1)
            throw new ArgumentException("Pass only one of -ResponseSchema, -ResponseJsonSchema and -ResponseEnum: each sets the shape of the whole answer.");

        if (options.ResponseSchema is not null)
        {
            config.ResponseSchema = SchemaJson(options.ResponseSchema, nameof(options.ResponseSchema), jsonSchema: false);
            config.ResponseMimeType ??= StructuredOutput.JsonMimeType;
            config.ResponseJsonSchema = null;
        }

        if (options.ResponseJsonSchema is not null)
        {
            config.ResponseJsonSchema = SchemaJson(options.ResponseJsonSchema, nameof(options.ResponseJsonSchema), jsonSchema: true);
            config.ResponseSchema = null;
            config.ResponseMimeType = options.ResponseMimeType ?? StructuredOutput.JsonMimeType;
        }

        if (options.ResponseEnum is not null)
        {
            config.ResponseSchema = PSJson.FromObject(new System.Collections.Specialized.OrderedDictionary
            {
                ["type"] = "STRING",
                ["enum"] = options.ResponseEnum,
            });
            config.ResponseJsonSchema = null;
            config.ResponseMimeType = options.ResponseMimeType ?? StructuredOutput.EnumMimeType;
        }
    }

    private static void ApplyThinking(RequestOptions options, GenerationConfig config)
    {
        if (options.ThinkingLevel is null && options.ThinkingBudget is null && !options.IncludeThoughts)
            return;
        ThinkingConfig thinking = config.ThinkingConfig ?? new ThinkingConfig();
        thinking.ThinkingLevel = options.ThinkingLevel?.ToUpperInvariant() ?? thinking.ThinkingLevel;
        thinking.ThinkingBudget = options.ThinkingBudget ?? thinking.ThinkingBudget;
        thinking.IncludeThoughts = options.IncludeThoughts ? true : thinking.IncludeThoughts;
        config.ThinkingConfig = thinking;
    }

    /// <summary>The wire value of a service tier: lower case, as Google's generateContent docs send it (docs/wire.md §4.5).</summary>
    public static string ServiceTierWireName(GeminiServiceTier tier) => tier.ToString().ToLowerInvariant();

    /// <summary>The wire value of a media resolution, for the request and for a part alike: MEDIA_RESOLUTION_LOW … (docs/wire.md §4.6).</summary>
    public static string MediaResolutionWireName(GeminiMediaResolution resolution) => "MEDIA_RESOLUTION_" + WireNames.UpperSnake(resolution.ToString());

    // -MediaResolution, -ResponseModality, -AspectRatio, -ImageSize and -Voice (-GenerationConfig is merged after, so it still wins).
    private static void ApplyMedia(RequestOptions options, GenerationConfig config)
    {
        if (options.MediaResolution is { } resolution)
            config.MediaResolution = MediaResolutionWireName(resolution);
        if (options.ResponseModalities is not null)
        {
            config.ResponseModalities = options.ResponseModalities
                .SelectMany(m => m.Split(','))
                .Select(m => m.Trim().ToUpperInvariant())
                .Where(m => m.Length > 0)
                .Distinct()
                .ToList();
            if (config.ResponseModalities.Count == 0)
                throw new ArgumentException("-ResponseModality takes Text, Image or Audio (or several, such as Text, Image).");
        }

        if (options.AspectRatio is not null || options.ImageSize is not null)
        {
            string? ratio = options.AspectRatio?.Trim();
            if (ratio is not null && !AspectRatioPattern.IsMatch(ratio))
                throw new ArgumentException($"-AspectRatio takes width:height, such as '16:9' or '1:1'; '{options.AspectRatio}' is not in that form.");
            ImageConfig image = config.ImageConfig ?? new ImageConfig();
            image.AspectRatio = ratio ?? image.AspectRatio;
            // The wire spells sizes with an upper-case K ("1K", docs/wire.md §4.3); "2k" is normalised rather than risk a 400.
            image.ImageSize = options.ImageSize?.Trim().ToUpperInvariant() ?? image.ImageSize;
            config.ImageConfig = image;
        }

        if (options.Voice is not null)
        {
            SpeechConfig speech = config.SpeechConfig ?? new SpeechConfig();
            speech.VoiceConfig ??= new VoiceConfig();
            speech.VoiceConfig.PrebuiltVoiceConfig = new PrebuiltVoiceConfig { VoiceName = options.Voice.Trim() };
            config.SpeechConfig = speech;
            // TTS models answer in audio, and Google's speech examples always ask for it (https://ai.google.dev/gemini-api/docs/speech-generation).
            if (options.ResponseModalities is null)
                config.ResponseModalities = new List<string> { "AUDIO" };
        }
    }

    private static List<SafetySetting> SafetySettings(SafetySettingTable settings) =>
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

    // Function calling: -Tool, -ToolConfig, -FunctionCallingMode, -AllowedFunction.
    private static void ApplyFunctions(RequestOptions options, GenerateContentRequest request)
    {
        List<GeminiTool> functions = options.Functions.Where(t => !t.IsRaw).ToList();
        if (functions.Count > 0)
        {
            var names = new HashSet<string>(functions.Select(t => t.Name), StringComparer.Ordinal);
            List<Tool> tools = request.Tools ?? new List<Tool>();
            foreach (Tool entry in tools.Where(t => t.FunctionDeclarations is not null))
                entry.FunctionDeclarations = entry.FunctionDeclarations!.Where(d => !names.Contains(DeclaredName(d))).ToList(); // this call's own version wins
            tools.RemoveAll(t => t.FunctionDeclarations is { Count: 0 } && t.ExtensionData is null && t.GoogleSearch is null && t.CodeExecution is null && t.UrlContext is null && t.GoogleMaps is null);
            tools.Add(new Tool { FunctionDeclarations = functions.Select(t => t.Declaration).ToList() });
            request.Tools = tools;
        }

        // Raw tools go as given, each its own entry, beside the declarations; one a chat already has is not repeated.
        foreach (GeminiTool raw in options.Functions.Where(t => t.IsRaw))
        {
            string json = JsonSerializer.Serialize(RawEntry(raw), GeminiJsonContext.Default.Tool);
            if (request.Tools?.Any(t => JsonSerializer.Serialize(t, GeminiJsonContext.Default.Tool) == json) != true)
                request.Tools = (request.Tools ?? new List<Tool>()).Append(RawEntry(raw)).ToList();
        }

        if (options.ToolConfig is not null)
            request.ToolConfig = PSJson.FromObjectOrJsonText(options.ToolConfig, nameof(options.ToolConfig));

        if (options.FunctionCallingMode is not null || options.AllowedFunctions is not null)
        {
            JsonObject config = ToObject(request.ToolConfig);
            JsonObject calling = config["functionCallingConfig"] as JsonObject ?? new JsonObject();
            // allowedFunctionNames counts only in ANY and VALIDATED modes; naming functions implies ANY.
            calling["mode"] = WireNames.UpperSnake(options.FunctionCallingMode ?? "Any");
            if (options.AllowedFunctions is not null)
                calling["allowedFunctionNames"] = new JsonArray(options.AllowedFunctions.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
            config["functionCallingConfig"] = calling;
            request.ToolConfig = ToElement(config);
        }
    }

    // The tools Google runs on its side (Maps, code execution, URL context), once each, and the user's location for Maps grounding.
    private static void ApplyBuiltInTools(RequestOptions options, GenerateContentRequest request)
    {
        if (options.GoogleMaps)
            AddTool(request, t => t.GoogleMaps is not null, new Tool { GoogleMaps = EmptyObject() });
        if (options.CodeExecution)
            AddTool(request, t => t.CodeExecution is not null, new Tool { CodeExecution = EmptyObject() });
        if (options.UrlContext)
            AddTool(request, t => t.UrlContext is not null, new Tool { UrlContext = EmptyObject() });

        if (options.Latitude is null && options.Longitude is null)
            return;
        if (options.Latitude is null || options.Longitude is null)
            throw new ArgumentException("-Latitude and -Longitude go together: pass both, for example -Latitude 40.7128 -Longitude -74.006.");

        // toolConfig.retrievalConfig.latLng; whatever else toolConfig holds (function calling, language) stays.
        JsonObject config = ToObject(request.ToolConfig);
        if (config["retrievalConfig"] is not JsonObject retrieval)
        {
            retrieval = new JsonObject();
            config["retrievalConfig"] = retrieval;
        }

        retrieval["latLng"] = new JsonObject
        {
            ["latitude"] = JsonValue.Create(options.Latitude.Value),
            ["longitude"] = JsonValue.Create(options.Longitude.Value),
        };
        request.ToolConfig = ToElement(config);
    }

    private static Tool RawEntry(GeminiTool raw) => raw.Declaration.Deserialize(GeminiJsonContext.Default.Tool)!;

    private static void AddTool(GenerateContentRequest request, Func<Tool, bool> present, Tool tool)
    {
        if (request.Tools?.Any(present) != true)
            request.Tools = (request.Tools ?? new List<Tool>()).Append(tool).ToList();
    }

    private static JsonObject ToObject(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Object } existing ? JsonNode.Parse(existing.GetRawText())!.AsObject() : new JsonObject();

    private static JsonElement ToElement(JsonObject node)
    {
        using JsonDocument document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }

    private static JsonElement EmptyObject()
    {
        using JsonDocument document = JsonDocument.Parse("{}");
        return document.RootElement.Clone();
    }

    private static string Levels(IReadOnlyList<string> levels) =>
        levels.Count == 1 ? levels[0] : string.Join(", ", levels.Take(levels.Count - 1)) + " or " + levels[levels.Count - 1];

    private static bool IsJson(string text)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
