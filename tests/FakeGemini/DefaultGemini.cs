using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FakeGemini;

/// <summary>
/// What the server answers when no scripted reply matches: a plausible Gemini v1beta that echoes the prompt
/// (<c>"Echo: " + text of the last content</c>) for generateContent and streamGenerateContent, counts words for
/// countTokens (in JSON mode <c>{"echo": ...}</c>, or JSON of the response schema's shape), lists five models (with modelStatus, as Google's list gives it), checks the API key and the model name like the
/// real service: an id it does not know (or a shut-down 2.0 id) is 404, a routed id (<see cref="FakeGeminiOptions.RoutedModels"/>)
/// is answered with another modelVersion, and thinking options a model does not take are 400.
/// </summary>
internal static partial class DefaultGemini
{
    private const string ModelsPath = "/v1beta/models";
    private const string ThoughtText = "Thinking about it.";
    private const string FakeCallPrefix = "FAKE-CALL ";
    private const string FakeQuotaPrefix = "FAKE-QUOTA ";

    private static readonly string[] TopLevelFields =
    {
        "contents", "systemInstruction", "tools", "toolConfig", "safetySettings", "generationConfig", "cachedContent", "serviceTier", "model", "store",
    };

    private static readonly string[] GenerationConfigFields =
    {
        "candidateCount", "stopSequences", "maxOutputTokens", "temperature", "topP", "topK", "seed", "presencePenalty", "frequencyPenalty",
        "responseLogprobs", "logprobs", "responseMimeType", "responseSchema", "responseJsonSchema", "_responseJsonSchema", "responseModalities",
        "mediaResolution", "speechConfig", "thinkingConfig", "imageConfig", "enableEnhancedCivicAnswers", "audioTranscriptionConfig",
    };

    private static readonly string[] GeneratingMethods = { "generateContent", "countTokens", "createCachedContent", "batchGenerateContent" };

    private static readonly ModelInfo[] Models =
    {
        new("gemini-2.5-flash", "001", "Gemini 2.5 Flash", "Stable version of Gemini 2.5 Flash, our mid-size multimodal model that supports up to 1 million tokens, released in June of 2025.", 1048576, 65536, true,
            GeneratingMethods)
        {
            Status = new("DEPRECATED", "2026-12-01T00:00:00Z", "Gemini 2.5 Flash is shut down; requests are routed to gemini-3.5-flash-lite."),
        },
        new("gemini-3-pro-preview", "3-pro-preview-11-2025", "Gemini 3 Pro Preview", "Gemini 3 Pro Preview", 1048576, 65536, true, GeneratingMethods)
        {
            Status = new("PREVIEW", "2027-03-09T00:00:00Z", "Use gemini-3.1-pro-preview."),
        },
        new("gemini-3-flash-preview", "3-flash-preview-12-2025", "Gemini 3 Flash Preview", "Gemini 3 Flash Preview", 1048576, 65536, true, GeneratingMethods)
        {
            Status = new("PREVIEW", null, null),
        },
        new("gemini-3.8-flash", "3.8-flash", "Gemini 3.8 Flash", "Gemini 3.8 Flash", 1048576, 65536, true, GeneratingMethods)
        {
            Status = new("STABLE", null, null),
        },
        new("gemini-embedding-001", "001", "Gemini Embedding 001", "Obtain a distributed representation of a text.", 2048, 1, false,
            new[] { "embedContent", "countTextTokens", "countTokens", "asyncBatchEmbedContent" }),
    };

    // Shut down and answered 404 like Google answers them.
    private static readonly string[] ShutDownModels = { "gemini-2.0-flash", "gemini-2.0-flash-lite", "gemini-1.5-flash", "gemini-1.5-pro" };

    public static FakeReply Answer(RecordedRequest request, string expectedKey, FakeGeminiOptions options, FakeCacheStore caches)
    {
        if (AnswerEmbeddingsAndCaches(request, expectedKey, options, caches) is FakeReply other)
            return other;
        string path = request.Path;
        if (path.TrimEnd('/') == ModelsPath && request.Method == "GET")
            return CheckKey(request, expectedKey, options) ?? ListModels(request);
        if (!path.StartsWith(ModelsPath + "/", StringComparison.Ordinal))
            return NoRoute(request);

        string name = Uri.UnescapeDataString(path.Substring(ModelsPath.Length + 1));
        int colon = name.LastIndexOf(':');
        string model = colon < 0 ? name.TrimEnd('/') : name.Substring(0, colon);
        string operation = colon < 0 ? "" : name.Substring(colon + 1);
        bool known = (request.Method, operation) switch
        {
            ("GET", "") => true,
            ("POST", "generateContent" or "streamGenerateContent" or "countTokens") => true,
            _ => false,
        };
        if (!known || model.Length == 0)
            return NoRoute(request);

        FakeReply? refusal = CheckKey(request, expectedKey, options);
        if (refusal is not null)
            return refusal;
        if (!KnownModel().IsMatch(model) || options.UnknownModels.Contains(model, StringComparer.Ordinal) || ShutDownModels.Contains(model, StringComparer.Ordinal))
            return ModelNotFound(model);
        if (operation.Length == 0)
            return FakeReply.Json(200, Write(true, w => WriteModel(w, Models.FirstOrDefault(m => m.Id == model) ?? ModelInfo.Generic(model))));

        JsonDocument? document = Parse(request.Body);
        if (document is null)
            return InvalidJson("Invalid JSON payload received. Unexpected token.");
        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return InvalidJson("Invalid JSON payload received. Expected a JSON object.");
            if (operation == "countTokens")
                return CountTokens(root);

            FakeReply? invalid = ReadPrompt(root, options, out Prompt prompt);
            if (invalid is not null)
                return invalid;
            FakeReply? cacheRefusal = CachedTokens(root, model, caches, out int cachedTokens);
            if (cacheRefusal is not null)
                return cacheRefusal;
            FakeReply? thinkingRefusal = ThinkingRefusal(root, model);
            if (thinkingRefusal is not null)
                return thinkingRefusal;
            // A prompt "FAKE-CALL {"name":...,"args":...}" is answered with that functionCall, for suites that run the
            // fake as a process (Pester) and cannot script replies; the function's response is echoed back as text.
            // A prompt "FAKE-QUOTA 6s" is answered 429 RESOURCE_EXHAUSTED with that RetryInfo delay, every time: for
            // suites that run the fake as a process and need a long retry wait.
            if (prompt.LastText.StartsWith(FakeQuotaPrefix, StringComparison.Ordinal))
                return FakeReply.Error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for this model.", prompt.LastText.Substring(FakeQuotaPrefix.Length).Trim());
            if (operation == "generateContent" && prompt.LastText.StartsWith(FakeCallPrefix, StringComparison.Ordinal))
                return FakeReply.Json(200, "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":" + prompt.LastText.Substring(FakeCallPrefix.Length) + "}]},\"finishReason\":\"STOP\"}]}");
            string answering = options.RoutedModels.TryGetValue(model, out string? routed) ? routed : model;
            var answer = new EchoAnswer(prompt with { Words = prompt.Words + cachedTokens, CachedWords = cachedTokens }, answering);
            if (operation == "generateContent")
                return FakeReply.Json(200, answer.Unary());
            return request.Query("alt") == "sse"
                ? FakeReply.Sse(answer.Events(pretty: false), options.DefaultChunkDelay)
                : FakeReply.JsonArray(answer.Events(pretty: true), options.DefaultChunkDelay);
        }
    }

    [GeneratedRegex(@"^(gemini|gemma|learnlm|imagen|veo|embedding|text-embedding)[a-z0-9.\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex KnownModel();

    internal static FakeReply? CheckKey(RecordedRequest request, string expectedKey, FakeGeminiOptions options)
    {
        string? key = request.Headers.GetValueOrDefault("x-goog-api-key");
        if (key is null && request.Headers.TryGetValue("Authorization", out string? authorization)
            && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            key = authorization.Substring("Bearer ".Length).Trim();
        key ??= request.Query("key");
        if (key == expectedKey)
            return null;

        if (options.CometMode)
            return FakeReply.CometError(401, $"Invalid token (request id: {DateTime.UtcNow:yyyyMMddHHmmssfff}{RandomId(6)})", "invalid_api_key");
        const string message = "API key not valid. Please pass a valid API key.";
        return FakeReply.Json(400, GeminiJson.Error(400, "INVALID_ARGUMENT", message, w =>
        {
            w.WriteStartObject();
            w.WriteString("@type", "type.googleapis.com/google.rpc.ErrorInfo");
            w.WriteString("reason", "API_KEY_INVALID");
            w.WriteString("domain", "googleapis.com");
            w.WriteStartObject("metadata");
            w.WriteString("service", "generativelanguage.googleapis.com");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteString("@type", "type.googleapis.com/google.rpc.LocalizedMessage");
            w.WriteString("locale", "en-US");
            w.WriteString("message", message);
            w.WriteEndObject();
        }));
    }

    // Like the real service: Gemini 2.x models take a thinking budget and no level; Gemini 3.8 Flash takes no MINIMAL level.
    private static FakeReply? ThinkingRefusal(JsonElement root, string model)
    {
        if (!GeminiJson.TryGet(root, "generationConfig", out JsonElement config) || !GeminiJson.TryGet(config, "thinkingConfig", out JsonElement thinking)
            || !GeminiJson.TryGet(thinking, "thinkingLevel", out JsonElement level) || level.ValueKind != JsonValueKind.String)
            return null;
        if (model.StartsWith("gemini-2", StringComparison.Ordinal))
            return InvalidJson("Thinking level is not supported for this model. Use thinking_budget instead.", "generation_config.thinking_config.thinking_level");
        if (model == "gemini-3.8-flash" && level.GetString() == "MINIMAL")
            return InvalidJson("Thinking level MINIMAL is not supported for this model; supported levels are LOW, MEDIUM and HIGH.", "generation_config.thinking_config.thinking_level");
        return null;
    }

    private static FakeReply NoRoute(RecordedRequest request) =>
        FakeReply.Json(404, GeminiJson.Error(404, "NOT_FOUND", $"Method not found: {request.Method} {request.Path}"));

    private static FakeReply ModelNotFound(string model) =>
        FakeReply.Json(404, GeminiJson.Error(404, "NOT_FOUND",
            $"models/{model} is not found for API version v1beta, or is not supported for generateContent. Call ModelService.ListModels to see the list of available models and their supported methods."));

    private static FakeReply InvalidJson(string message, string? field = null) =>
        FakeReply.Json(400, GeminiJson.Error(400, "INVALID_ARGUMENT", message, field is null ? null : w =>
        {
            w.WriteStartObject();
            w.WriteString("@type", "type.googleapis.com/google.rpc.BadRequest");
            w.WriteStartArray("fieldViolations");
            w.WriteStartObject();
            w.WriteString("field", field);
            w.WriteString("description", message);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }));

    private static JsonDocument? Parse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static FakeReply? ReadPrompt(JsonElement root, FakeGeminiOptions options, out Prompt prompt)
    {
        prompt = new Prompt("", 0, false, false);
        if (!GeminiJson.TryGet(root, "contents", out JsonElement contents) || contents.ValueKind != JsonValueKind.Array || contents.GetArrayLength() == 0)
            return InvalidJson("Invalid JSON payload received. GenerateContentRequest.contents must be a non-empty array of Content.", "contents");
        GeminiJson.TryGet(root, "generationConfig", out JsonElement config);
        if (options.RejectUnknownFields)
        {
            FakeReply? unknown = UnknownField(root, TopLevelFields, null) ?? UnknownField(config, GenerationConfigFields, "generation_config");
            if (unknown is not null)
                return unknown;
        }

        // Like the service: the tier and the media resolution are enums, and a value outside them is a 400.
        string? tier = GeminiJson.TryGet(root, "serviceTier", out JsonElement askedTier) ? (askedTier.ValueKind == JsonValueKind.String ? askedTier.GetString() : askedTier.GetRawText()) : null;
        if (tier is not null and not ("standard" or "flex" or "priority"))
            return InvalidJson($"Invalid value at 'service_tier' (type.googleapis.com/google.ai.generativelanguage.v1beta.ServiceTier), \"{tier}\"", "service_tier");
        if (GeminiJson.TryGet(config, "mediaResolution", out JsonElement resolution)
            && (resolution.ValueKind != JsonValueKind.String ? null : resolution.GetString()) is not ("MEDIA_RESOLUTION_UNSPECIFIED" or "MEDIA_RESOLUTION_LOW" or "MEDIA_RESOLUTION_MEDIUM" or "MEDIA_RESOLUTION_HIGH"))
            return InvalidJson($"Invalid value at 'generation_config.media_resolution', \"{resolution.GetRawText()}\"", "generation_config.media_resolution");

        int words = contents.EnumerateArray().Sum(c => Words(Text(c, thoughts: true)));
        if (GeminiJson.TryGet(root, "systemInstruction", out JsonElement system))
            words += Words(Text(system, thoughts: true));
        JsonElement lastTurn = contents[contents.GetArrayLength() - 1];
        string last = Text(lastTurn, thoughts: false);
        if (last.Length == 0 && GeminiJson.TryGet(lastTurn, "parts", out JsonElement lastParts) && lastParts.ValueKind == JsonValueKind.Array)
            last = string.Join(" ", lastParts.EnumerateArray().Where(p => GeminiJson.TryGet(p, "functionResponse", out _)).Select(p => "functionResponse " + p.GetProperty("functionResponse").GetRawText()));

        bool includeThoughts = GeminiJson.TryGet(config, "thinkingConfig", out JsonElement thinking)
            && GeminiJson.TryGet(thinking, "includeThoughts", out JsonElement include)
            && include.ValueKind == JsonValueKind.True;
        bool jsonMode = GeminiJson.TryGet(config, "responseMimeType", out JsonElement mime)
            && mime.ValueKind == JsonValueKind.String
            && mime.GetString() == "application/json";
        JsonElement? schema = jsonMode && SchemaAnswer.TryGetSchema(config, out JsonElement asked) ? asked.Clone() : null;
        prompt = new Prompt(last, words, includeThoughts, jsonMode) { Schema = schema, ServiceTier = tier };
        return null;
    }

    private static FakeReply? UnknownField(JsonElement obj, string[] known, string? at)
    {
        if (obj.ValueKind != JsonValueKind.Object)
            return null;
        foreach (JsonProperty property in obj.EnumerateObject())
        {
            string flat = property.Name.Replace("_", "", StringComparison.Ordinal);
            if (known.Any(k => string.Equals(k.TrimStart('_'), flat, StringComparison.OrdinalIgnoreCase) && (k.StartsWith('_') == property.Name.StartsWith('_'))))
                continue;
            string where = at is null ? "" : $" at '{at}'";
            return InvalidJson($"Invalid JSON payload received. Unknown name \"{property.Name}\"{where}: Cannot find field.", at ?? "");
        }

        return null;
    }

    private static FakeReply CountTokens(JsonElement root)
    {
        int words;
        if (GeminiJson.TryGet(root, "generateContentRequest", out JsonElement inner))
        {
            words = GeminiJson.TryGet(inner, "contents", out JsonElement contents) && contents.ValueKind == JsonValueKind.Array
                ? contents.EnumerateArray().Sum(c => Words(Text(c, thoughts: true)))
                : 0;
            if (GeminiJson.TryGet(inner, "systemInstruction", out JsonElement system))
                words += Words(Text(system, thoughts: true));
        }
        else if (GeminiJson.TryGet(root, "contents", out JsonElement contents) && contents.ValueKind == JsonValueKind.Array)
        {
            words = contents.EnumerateArray().Sum(c => Words(Text(c, thoughts: true)));
        }
        else
        {
            return InvalidJson("Invalid JSON payload received. CountTokensRequest needs contents or generateContentRequest.", "contents");
        }

        return FakeReply.Json(200, Write(true, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("totalTokens", words);
            w.WriteStartArray("promptTokensDetails");
            w.WriteStartObject();
            w.WriteString("modality", "TEXT");
            w.WriteNumber("tokenCount", words);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }));
    }

    private static FakeReply ListModels(RecordedRequest request)
    {
        int pageSize = int.TryParse(request.Query("pageSize"), NumberStyles.None, CultureInfo.InvariantCulture, out int size) && size > 0
            ? Math.Min(size, 1000)
            : 50;
        int start = 0;
        string? token = request.Query("pageToken");
        if (!string.IsNullOrEmpty(token))
        {
            string? after = null;
            try
            {
                after = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            }
            catch (FormatException)
            {
            }

            start = Array.FindIndex(Models, m => "models/" + m.Id == after);
            if (start < 0)
                return FakeReply.Json(400, GeminiJson.Error(400, "INVALID_ARGUMENT", "Invalid page token."));
        }

        ModelInfo[] page = Models.Skip(start).Take(pageSize).ToArray();
        int next = start + page.Length;
        return FakeReply.Json(200, Write(true, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("models");
            foreach (ModelInfo model in page)
                WriteModel(w, model);
            w.WriteEndArray();
            if (next < Models.Length)
                w.WriteString("nextPageToken", Convert.ToBase64String(Encoding.UTF8.GetBytes("models/" + Models[next].Id)));
            w.WriteEndObject();
        }));
    }

    private static void WriteModel(Utf8JsonWriter w, ModelInfo model)
    {
        w.WriteStartObject();
        w.WriteString("name", "models/" + model.Id);
        w.WriteString("version", model.Version);
        w.WriteString("displayName", model.DisplayName);
        w.WriteString("description", model.Description);
        w.WriteNumber("inputTokenLimit", model.InputTokenLimit);
        w.WriteNumber("outputTokenLimit", model.OutputTokenLimit);
        w.WriteStartArray("supportedGenerationMethods");
        foreach (string method in model.Methods)
            w.WriteStringValue(method);
        w.WriteEndArray();
        if (model.Methods.Contains("generateContent"))
        {
            w.WriteNumber("temperature", 1);
            w.WriteNumber("topP", 0.95);
            w.WriteNumber("topK", 64);
            w.WriteNumber("maxTemperature", 2);
        }

        if (model.Thinking)
            w.WriteBoolean("thinking", true);
        if (model.Status is { } status)
        {
            w.WriteStartObject("modelStatus");
            w.WriteString("modelStage", status.Stage);
            if (status.RetirementTime is not null)
                w.WriteString("retirementTime", status.RetirementTime);
            if (status.Message is not null)
                w.WriteString("message", status.Message);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>Text of a Content's text parts (with or without thought parts).</summary>
    private static string Text(JsonElement content, bool thoughts)
    {
        if (!GeminiJson.TryGet(content, "parts", out JsonElement parts) || parts.ValueKind != JsonValueKind.Array)
            return "";
        var text = new StringBuilder();
        foreach (JsonElement part in parts.EnumerateArray())
        {
            bool thought = GeminiJson.TryGet(part, "thought", out JsonElement flag) && flag.ValueKind == JsonValueKind.True;
            if ((thoughts || !thought) && GeminiJson.TryGet(part, "text", out JsonElement value) && value.ValueKind == JsonValueKind.String)
                text.Append(value.GetString());
        }

        return text.ToString();
    }

    private static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private static string Write(bool indented, Action<Utf8JsonWriter> write) => GeminiJson.Write(indented, write);

    private static string RandomId(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record Prompt(string LastText, int Words, bool IncludeThoughts, bool JsonMode)
    {
        public int CachedWords { get; init; }

        /// <summary>The response schema of a JSON-mode request: the answer takes its shape (<see cref="SchemaAnswer"/>).</summary>
        public JsonElement? Schema { get; init; }

        /// <summary>The tier asked for; the answer's usageMetadata says it ran there, as Google's does.</summary>
        public string? ServiceTier { get; init; }
    }

    private sealed record ModelStatusInfo(string Stage, string? RetirementTime, string? Message);

    private sealed record ModelInfo(string Id, string Version, string DisplayName, string Description, int InputTokenLimit, int OutputTokenLimit, bool Thinking, string[] Methods)
    {
        public ModelStatusInfo? Status { get; init; }

        public static ModelInfo Generic(string id) =>
            new(id, "001", id, "A model FakeGemini knows only by name.", 1048576, 65536, false, new[] { "generateContent", "countTokens" });
    }

    /// <summary>The echo answer to one prompt, as a unary response or as stream events.</summary>
    private sealed class EchoAnswer
    {
        private readonly Prompt _prompt;
        private readonly string _model;
        private readonly string _responseId = RandomId(16);
        private readonly string _text;
        private readonly int _thoughtWords;

        public EchoAnswer(Prompt prompt, string model)
        {
            _prompt = prompt;
            _model = model;
            _text = prompt.Schema is JsonElement schema
                ? SchemaAnswer.For(schema, prompt.LastText)
                : prompt.JsonMode
                ? Write(false, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("echo", prompt.LastText);
                    w.WriteEndObject();
                }).Replace("\":\"", "\": \"", StringComparison.Ordinal)
                : "Echo: " + prompt.LastText;
            _thoughtWords = prompt.IncludeThoughts ? Words(ThoughtText) : 0;
        }

        public string Unary() => Write(true, w => Response(w, _prompt.IncludeThoughts, _text, final: true));

        /// <summary>A thought event (when asked for), then the answer in up to three word groups; finishReason on the last.</summary>
        public IEnumerable<string> Events(bool pretty)
        {
            var events = new List<string>();
            List<string> groups = Groups(_text, 3);
            if (_prompt.IncludeThoughts)
                events.Add(Write(true, w => Response(w, true, null, final: false)));
            for (int i = 0; i < groups.Count; i++)
            {
                string group = groups[i];
                bool final = i == groups.Count - 1;
                events.Add(Write(true, w => Response(w, false, group, final)));
            }

            return pretty ? events : events.Select(GeminiJson.SseLine);
        }

        private static List<string> Groups(string text, int count)
        {
            List<string> tokens = Regex.Matches(text, @"\s*\S+\s*").Select(m => m.Value).ToList();
            if (tokens.Count == 0)
                return new List<string> { text };
            int groups = Math.Min(count, tokens.Count);
            return Enumerable.Range(0, groups)
                .Select(g => string.Concat(tokens.Skip(g * tokens.Count / groups).Take(((g + 1) * tokens.Count / groups) - (g * tokens.Count / groups))))
                .ToList();
        }

        private void Response(Utf8JsonWriter w, bool thought, string? text, bool final)
        {
            w.WriteStartObject();
            w.WriteStartArray("candidates");
            w.WriteStartObject();
            w.WriteStartObject("content");
            w.WriteStartArray("parts");
            if (thought)
            {
                w.WriteStartObject();
                w.WriteString("text", ThoughtText);
                w.WriteBoolean("thought", true);
                w.WriteEndObject();
            }

            if (text is not null)
            {
                w.WriteStartObject();
                w.WriteString("text", text);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("role", "model");
            w.WriteEndObject();
            if (final)
                w.WriteString("finishReason", "STOP");
            w.WriteNumber("index", 0);
            w.WriteEndObject();
            w.WriteEndArray();

            int candidates = Words(_text);
            w.WriteStartObject("usageMetadata");
            w.WriteNumber("promptTokenCount", _prompt.Words);
            if (final)
                w.WriteNumber("candidatesTokenCount", candidates);
            w.WriteNumber("totalTokenCount", _prompt.Words + _thoughtWords + (final ? candidates : 0));
            w.WriteStartArray("promptTokensDetails");
            w.WriteStartObject();
            w.WriteString("modality", "TEXT");
            w.WriteNumber("tokenCount", _prompt.Words);
            w.WriteEndObject();
            w.WriteEndArray();
            if (_thoughtWords > 0)
                w.WriteNumber("thoughtsTokenCount", _thoughtWords);
            if (_prompt.CachedWords > 0)
                w.WriteNumber("cachedContentTokenCount", _prompt.CachedWords);
            if (_prompt.ServiceTier is not null)
                w.WriteString("serviceTier", _prompt.ServiceTier);
            w.WriteEndObject();
            w.WriteString("modelVersion", _model);
            w.WriteString("responseId", _responseId);
            w.WriteEndObject();
        }
    }
}
