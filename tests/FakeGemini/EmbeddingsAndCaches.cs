using System;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FakeGemini;

// embedContent, batchEmbedContents and cachedContents (docs/wire.md §10, §11), and a cache's use in generateContent.
internal static partial class DefaultGemini
{
    private const string CachesPath = "/v1beta/cachedContents";
    private const int DefaultEmbeddingDimensions = 3072;
    private const string CacheNotFound = "CachedContent not found (or permission denied)";

    private static readonly string[] TaskTypes =
    {
        "TASK_TYPE_UNSPECIFIED", "RETRIEVAL_QUERY", "RETRIEVAL_DOCUMENT", "SEMANTIC_SIMILARITY", "CLASSIFICATION", "CLUSTERING",
        "QUESTION_ANSWERING", "FACT_VERIFICATION", "CODE_RETRIEVAL_QUERY",
    };

    /// <summary>The answer for an embedding or cache request, or null when the request is for another route.</summary>
    private static FakeReply? AnswerEmbeddingsAndCaches(RecordedRequest request, string expectedKey, FakeGeminiOptions options, FakeCacheStore caches)
    {
        string path = request.Path.TrimEnd('/');
        if (path == CachesPath || path.StartsWith(CachesPath + "/", StringComparison.Ordinal))
            return CheckKey(request, expectedKey, options) ?? Caches(request, path, caches);

        Match embed = EmbedRoute().Match(path);
        if (!embed.Success || request.Method != "POST")
            return null;
        string model = Uri.UnescapeDataString(embed.Groups["model"].Value);
        return CheckKey(request, expectedKey, options) ?? Embed(request, model, embed.Groups["op"].Value == "batchEmbedContents", options);
    }

    [GeneratedRegex(@"^/v1beta/models/(?<model>[^/:]+):(?<op>embedContent|batchEmbedContents)$", RegexOptions.CultureInvariant)]
    private static partial Regex EmbedRoute();

    private static FakeReply Embed(RecordedRequest request, string model, bool batch, FakeGeminiOptions options)
    {
        if (!model.Contains("embedding", StringComparison.Ordinal) || options.UnknownModels.Contains(model, StringComparer.Ordinal))
        {
            return FakeReply.Json(404, GeminiJson.Error(404, "NOT_FOUND",
                $"models/{model} is not found for API version v1beta, or is not supported for {(batch ? "batchEmbedContents" : "embedContent")}. Call ModelService.ListModels to see the list of available models and their supported methods."));
        }

        using JsonDocument? document = Parse(request.Body);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
            return InvalidJson("Invalid JSON payload received. Expected a JSON object.");
        JsonElement root = document.RootElement;
        JsonElement[] entries;
        if (batch)
        {
            if (!GeminiJson.TryGet(root, "requests", out JsonElement list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
                return InvalidJson("* BatchEmbedContentsRequest.requests: requests must not be empty\n", "requests");
            if (list.GetArrayLength() > 100)
                return InvalidJson("* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch\n", "requests");
            entries = list.EnumerateArray().ToArray();
        }
        else
        {
            entries = new[] { root };
        }

        var vectors = new float[entries.Length][];
        for (int i = 0; i < entries.Length; i++)
        {
            JsonElement entry = entries[i];
            string at = batch ? $"requests[{i}]." : "";
            if (batch && (!GeminiJson.TryGet(entry, "model", out JsonElement named) || named.GetString() != "models/" + model))
                return InvalidJson($"* BatchEmbedContentsRequest.{at}model: unexpected model name format\n", at + "model");
            if (GeminiJson.TryGet(entry, "taskType", out JsonElement task) && !TaskTypes.Contains(task.GetString(), StringComparer.Ordinal))
                return InvalidJson($"Invalid value at '{at}task_type' (type.googleapis.com/google.ai.generativelanguage.v1beta.TaskType), \"{task.GetString()}\"", at + "task_type");
            if (!GeminiJson.TryGet(entry, "content", out JsonElement content))
                return InvalidJson($"* {(batch ? "BatchEmbedContentsRequest." + at : "EmbedContentRequest.")}content: content is required\n", at + "content");
            string text = Text(content, thoughts: true);
            bool media = GeminiJson.TryGet(content, "parts", out JsonElement parts) && parts.ValueKind == JsonValueKind.Array
                && parts.EnumerateArray().Any(p => GeminiJson.TryGet(p, "inlineData", out _));
            if (text.Trim().Length == 0 && !media)
                return InvalidJson("* EmbedContentRequest.content: contents.parts must not be empty.\n", at + "content");
            int dimensions = GeminiJson.TryGet(entry, "outputDimensionality", out JsonElement size) && size.TryGetInt32(out int n) ? n : DefaultEmbeddingDimensions;
            vectors[i] = Vector(text, dimensions);
        }

        return FakeReply.Json(200, Write(true, w =>
        {
            w.WriteStartObject();
            if (batch)
            {
                w.WriteStartArray("embeddings");
                foreach (float[] vector in vectors)
                    WriteEmbedding(w, vector);
                w.WriteEndArray();
            }
            else
            {
                w.WritePropertyName("embedding");
                WriteEmbedding(w, vectors[0]);
            }

            w.WriteEndObject();
        }));
    }

    /// <summary>A unit vector that depends only on the text: equal texts embed equally.</summary>
    private static float[] Vector(string text, int dimensions)
    {
        var random = new Random(BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0));
        float[] values = Enumerable.Range(0, dimensions).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float norm = (float)Math.Sqrt(values.Sum(v => v * v));
        return values.Select(v => v / norm).ToArray();
    }

    private static void WriteEmbedding(Utf8JsonWriter w, float[] vector)
    {
        w.WriteStartObject();
        w.WriteStartArray("values");
        foreach (float value in vector)
            w.WriteNumberValue(value);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static FakeReply Caches(RecordedRequest request, string path, FakeCacheStore caches)
    {
        if (path == CachesPath)
        {
            return request.Method switch
            {
                "POST" => CreateCache(request, caches),
                "GET" => ListCaches(request, caches),
                _ => NoRoute(request),
            };
        }

        string name = Uri.UnescapeDataString(path.Substring("/v1beta/".Length));
        FakeCache? cache = caches.Find(name);
        if (cache is null)
            return FakeReply.Json(403, GeminiJson.Error(403, "PERMISSION_DENIED", CacheNotFound));
        switch (request.Method)
        {
            case "GET":
                return FakeReply.Json(200, Write(true, w => WriteCache(w, cache)));
            case "DELETE":
                caches.Remove(name);
                return FakeReply.Json(200, "{}\n");
            case "PATCH":
                using (JsonDocument? document = Parse(request.Body))
                {
                    if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
                        return InvalidJson("Invalid JSON payload received. Expected a JSON object.");
                    string? mask = request.Query("updateMask");
                    if (mask is not null && mask.Split(',').Any(f => f is not ("ttl" or "expireTime" or "expire_time")))
                        return InvalidJson($"Only ttl or expire_time can be updated; the update mask names '{mask}'.", "update_mask");
                    FakeReply? invalid = ReadExpiry(document.RootElement, required: true, out DateTime expireTime);
                    if (invalid is not null)
                        return invalid;
                    caches.Update(cache, expireTime);
                    return FakeReply.Json(200, Write(true, w => WriteCache(w, cache)));
                }

            default:
                return NoRoute(request);
        }
    }

    private static FakeReply CreateCache(RecordedRequest request, FakeCacheStore caches)
    {
        using JsonDocument? document = Parse(request.Body);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
            return InvalidJson("Invalid JSON payload received. Expected a JSON object.");
        JsonElement root = document.RootElement;
        if (!GeminiJson.TryGet(root, "model", out JsonElement modelName) || modelName.GetString() is not string model || !model.StartsWith("models/", StringComparison.Ordinal))
            return InvalidJson("* CachedContent.model: model is required and must look like models/{model}\n", "model");
        if (!KnownModel().IsMatch(model.Substring("models/".Length)))
            return FakeReply.Json(404, GeminiJson.Error(404, "NOT_FOUND", $"{model} is not found for API version v1beta, or is not supported for createCachedContent. Call ModelService.ListModels to see the list of available models and their supported methods."));
        int words = GeminiJson.TryGet(root, "contents", out JsonElement contents) && contents.ValueKind == JsonValueKind.Array
            ? contents.EnumerateArray().Sum(c => Words(Text(c, thoughts: true)))
            : 0;
        if (GeminiJson.TryGet(root, "systemInstruction", out JsonElement system))
            words += Words(Text(system, thoughts: true));
        if (words == 0 && !GeminiJson.TryGet(root, "tools", out _))
            return InvalidJson("* CachedContent: contents, system instruction or tools must be given\n", "contents");
        FakeReply? invalid = ReadExpiry(root, required: false, out DateTime expireTime);
        if (invalid is not null)
            return invalid;
        string? displayName = GeminiJson.TryGet(root, "displayName", out JsonElement display) ? display.GetString() : null;
        FakeCache cache = caches.Add(model, words, expireTime - DateTime.UtcNow, displayName);
        return FakeReply.Json(200, Write(true, w => WriteCache(w, cache)));
    }

    private static FakeReply ListCaches(RecordedRequest request, FakeCacheStore caches)
    {
        int pageSize = int.TryParse(request.Query("pageSize"), NumberStyles.None, CultureInfo.InvariantCulture, out int size) && size > 0
            ? Math.Min(size, 1000)
            : caches.DefaultPageSize;
        var all = caches.Snapshot();
        int start = 0;
        string? token = request.Query("pageToken");
        if (!string.IsNullOrEmpty(token) && !int.TryParse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), NumberStyles.None, CultureInfo.InvariantCulture, out start))
            return FakeReply.Json(400, GeminiJson.Error(400, "INVALID_ARGUMENT", "Invalid page token."));
        var page = all.Skip(start).Take(pageSize).ToArray();
        int next = start + page.Length;
        return FakeReply.Json(200, Write(true, w =>
        {
            w.WriteStartObject();
            if (page.Length > 0)
            {
                w.WriteStartArray("cachedContents");
                foreach (FakeCache cache in page)
                    WriteCache(w, cache);
                w.WriteEndArray();
            }

            if (next < all.Count)
                w.WriteString("nextPageToken", Convert.ToBase64String(Encoding.UTF8.GetBytes(next.ToString(CultureInfo.InvariantCulture))));
            w.WriteEndObject();
        }));
    }

    /// <summary>ttl ("600s", "1.5s") or expireTime (RFC 3339); one of them, an hour from now when neither is given on create.</summary>
    private static FakeReply? ReadExpiry(JsonElement root, bool required, out DateTime expireTime)
    {
        expireTime = DateTime.UtcNow.AddHours(1);
        bool hasTtl = GeminiJson.TryGet(root, "ttl", out JsonElement ttl);
        bool hasExpire = GeminiJson.TryGet(root, "expireTime", out JsonElement expire);
        if (hasTtl && hasExpire)
            return InvalidJson("Only one of ttl or expire_time can be set.", "expiration");
        if (hasTtl)
        {
            Match seconds = Regex.Match(ttl.GetString() ?? "", @"^([0-9]+(?:\.[0-9]{1,9})?)s$");
            if (!seconds.Success)
                return InvalidJson($"Invalid value at 'ttl' (type.googleapis.com/google.protobuf.Duration), \"{ttl.GetString()}\"", "ttl");
            expireTime = DateTime.UtcNow.AddSeconds(double.Parse(seconds.Groups[1].Value, CultureInfo.InvariantCulture));
        }
        else if (hasExpire)
        {
            if (!DateTime.TryParse(expire.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out expireTime))
                return InvalidJson($"Invalid value at 'expire_time' (type.googleapis.com/google.protobuf.Timestamp), \"{expire.GetString()}\"", "expire_time");
        }
        else if (required)
        {
            return InvalidJson("Only ttl or expire_time can be updated, and one of them is required.", "ttl");
        }

        if (expireTime <= DateTime.UtcNow)
            return InvalidJson("The expiration time must be in the future.", hasTtl ? "ttl" : "expire_time");
        return null;
    }

    private static void WriteCache(Utf8JsonWriter w, FakeCache cache)
    {
        w.WriteStartObject();
        w.WriteString("name", cache.Name);
        w.WriteString("model", cache.Model);
        w.WriteString("createTime", Timestamp(cache.CreateTime));
        w.WriteString("updateTime", Timestamp(cache.UpdateTime));
        w.WriteString("expireTime", Timestamp(cache.ExpireTime));
        w.WriteString("displayName", cache.DisplayName);
        w.WriteStartObject("usageMetadata");
        w.WriteNumber("totalTokenCount", cache.TotalTokenCount);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    // Google writes nanoseconds: "2024-07-11T18:07:47.635193373Z".
    private static string Timestamp(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z";

    /// <summary>For generateContent naming a cache: its token count, or the refusal the service gives.</summary>
    private static FakeReply? CachedTokens(JsonElement root, string model, FakeCacheStore caches, out int cachedTokens)
    {
        cachedTokens = 0;
        if (!GeminiJson.TryGet(root, "cachedContent", out JsonElement named))
            return null;
        FakeCache? cache = caches.Find(named.GetString() ?? "");
        if (cache is null)
            return FakeReply.Json(403, GeminiJson.Error(403, "PERMISSION_DENIED", CacheNotFound));
        if (cache.Model != "models/" + model)
            return InvalidJson($"Model used by GenerateContent request (models/{model}) and CachedContent ({cache.Model}) has to be the same.");
        cachedTokens = cache.TotalTokenCount;
        return null;
    }
}
