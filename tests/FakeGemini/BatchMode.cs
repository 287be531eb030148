using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace FakeGemini;

/// <summary>
/// Gemini's Batch Mode and the part of the Files API it needs, in memory: batchGenerateContent (inline requests or a
/// JSONL file), batches get/list/cancel/delete, resumable upload and download. A job goes PENDING → RUNNING → SUCCEEDED
/// on successive polls (<see cref="PollsPerState"/> GETs in each); when it succeeds every request is answered as
/// generateContent would be (the echo), except requests whose last text contains <see cref="FailMarker"/>, which fail.
/// Inline jobs answer inline, file jobs with a results file; <see cref="ReshapeAnswers"/> changes the answers (no keys, another
/// order). <see cref="Unavailable"/> answers like a proxy without it.
/// </summary>
public sealed class FakeBatchMode
{
    /// <summary>A request whose prompt contains this fails in the results with INVALID_ARGUMENT.</summary>
    public const string FailMarker = "FAIL";

    private readonly object _gate = new();
    private readonly Uri _baseUri;
    private readonly FakeCacheStore _caches;
    private readonly List<Batch> _batches = new();
    private readonly FakeFilesApi _files;
    private int _nextId;
    private volatile int _pollsPerState = 1;
    private volatile int _maxPageSize = 1000;
    private volatile bool _unavailable;
    private volatile Func<IReadOnlyList<FakeBatchAnswer>, IEnumerable<FakeBatchAnswer>>? _reshapeAnswers;

    internal FakeBatchMode(Uri baseUri, FakeCacheStore caches, FakeFilesApi files)
    {
        _baseUri = baseUri;
        _caches = caches;
        _files = files;
    }

    /// <summary>How many GETs a job answers PENDING, then how many RUNNING, before SUCCEEDED. 0 = done at the first GET; int.MaxValue = never.</summary>
    public int PollsPerState
    {
        get => _pollsPerState;
        set => _pollsPerState = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>Largest page batches.list returns, whatever pageSize asks (to exercise paging).</summary>
    public int MaxPageSize
    {
        get => _maxPageSize;
        set => _maxPageSize = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>Answer every batch and file route with a 404 in CometAPI's envelope, as a proxy without Batch Mode may.</summary>
    public bool Unavailable
    {
        get => _unavailable;
        set => _unavailable = value;
    }

    /// <summary>
    /// Changes a finished job's answers before they are served (inline or in the results file), as Batch Mode may:
    /// drop their keys, reorder, drop or repeat answers, give keys that name no request. Null serves them as they are.
    /// </summary>
    public Func<IReadOnlyList<FakeBatchAnswer>, IEnumerable<FakeBatchAnswer>>? ReshapeAnswers
    {
        get => _reshapeAnswers;
        set => _reshapeAnswers = value;
    }

    /// <summary>The jobs that exist, oldest first.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_gate)
                return _batches.Select(b => b.Name).ToArray();
        }
    }

    /// <summary>The uploaded and generated files by name ("files/…").</summary>
    public IReadOnlyDictionary<string, byte[]> Files => _files.Content;

    /// <summary>The state a job is in now ("BATCH_STATE_RUNNING"…), without counting as a poll.</summary>
    public string StateOf(string name)
    {
        lock (_gate)
            return Find(name)?.State ?? throw new KeyNotFoundException(name);
    }

    /// <summary>The reply for a batch or file route, or null for anything else.</summary>
    internal FakeReply? Answer(RecordedRequest request, string expectedKey, FakeGeminiOptions options)
    {
        string path = request.Path;
        bool batchRoute = path.EndsWith(":batchGenerateContent", StringComparison.Ordinal) && path.StartsWith("/v1beta/models/", StringComparison.Ordinal)
            || path == "/v1beta/batches" || path.StartsWith("/v1beta/batches/", StringComparison.Ordinal);
        if (!batchRoute)
            return null;
        if (Unavailable)
            return FakeReply.CometError(404, $"Invalid URL ({request.Method} {path})", "", "invalid_request_error");
        if (DefaultGemini.CheckKey(request, expectedKey, options) is FakeReply refusal)
            return refusal;

        lock (_gate)
        {
            return (request.Method, path) switch
            {
                ("POST", _) when path.EndsWith(":batchGenerateContent", StringComparison.Ordinal) => Create(request, expectedKey, options),
                ("GET", "/v1beta/batches") => List(request),
                ("POST", _) when path.StartsWith("/v1beta/batches/", StringComparison.Ordinal) && path.EndsWith(":cancel", StringComparison.Ordinal) =>
                    Cancel(path.Substring("/v1beta/".Length, path.Length - "/v1beta/".Length - ":cancel".Length)),
                ("GET", _) when path.StartsWith("/v1beta/batches/", StringComparison.Ordinal) => Get(path.Substring("/v1beta/".Length), expectedKey, options),
                ("DELETE", _) when path.StartsWith("/v1beta/batches/", StringComparison.Ordinal) => Delete(path.Substring("/v1beta/".Length)),
                _ => FakeReply.Json(404, GeminiJson.Error(404, "NOT_FOUND", $"Method not found: {request.Method} {path}")),
            };
        }
    }

    private FakeReply Create(RecordedRequest request, string expectedKey, FakeGeminiOptions options)
    {
        string model = request.Path.Substring("/v1beta/models/".Length, request.Path.Length - "/v1beta/models/".Length - ":batchGenerateContent".Length);
        if (request.Json?.RootElement is not { ValueKind: JsonValueKind.Object } root || !GeminiJson.TryGet(root, "batch", out JsonElement batch))
            return BadRequest("Invalid JSON payload received. BatchGenerateContentRequest.batch is required.");
        if (!GeminiJson.TryGet(batch, "displayName", out JsonElement displayName) || displayName.GetString() is not { Length: > 0 } shown)
            return BadRequest("* GenerateContentBatch.display_name: required field is not set\n");
        if (!GeminiJson.TryGet(batch, "inputConfig", out JsonElement input))
            return BadRequest("* GenerateContentBatch.input_config: required field is not set\n");

        var requests = new List<(string? Key, string Request)>();
        bool fromFile = false;
        if (GeminiJson.TryGet(input, "fileName", out JsonElement fileName))
        {
            if (!_files.TryGetContent(fileName.GetString() ?? "", out byte[] content))
                return FakeReply.Json(404, GeminiJson.Error(404, "NOT_FOUND", $"File {fileName.GetString()} not found."));
            fromFile = true;
            foreach (string line in Encoding.UTF8.GetString(content).Split('\n').Where(l => l.Trim().Length > 0))
            {
                using JsonDocument entry = JsonDocument.Parse(line);
                requests.Add((entry.RootElement.GetProperty("key").GetString(), entry.RootElement.GetProperty("request").GetRawText()));
            }
        }
        else if (GeminiJson.TryGet(input, "requests", out JsonElement inlined) && GeminiJson.TryGet(inlined, "requests", out JsonElement list))
        {
            foreach (JsonElement entry in list.EnumerateArray())
            {
                string? key = GeminiJson.TryGet(entry, "metadata", out JsonElement metadata) && GeminiJson.TryGet(metadata, "key", out JsonElement k) ? k.GetString() : null;
                requests.Add((key, entry.GetProperty("request").GetRawText()));
            }
        }
        else
        {
            return BadRequest("* GenerateContentBatch.input_config.source: required one of file_name or requests\n");
        }

        if (requests.Count == 0)
            return BadRequest("* GenerateContentBatch.input_config.requests: at least one request is required\n");

        var job = new Batch($"batches/{Convert.ToString(++_nextId, CultureInfo.InvariantCulture)}fake{DateTime.UtcNow.Ticks % 100000}", shown, "models/" + model, requests, fromFile);
        _batches.Add(job);
        if (PollsPerState == 0)
            Finish(job, expectedKey, options);
        return FakeReply.Json(200, Operation(job));
    }

    private FakeReply Get(string name, string expectedKey, FakeGeminiOptions options)
    {
        Batch? job = Find(name);
        if (job is null)
            return NotFound();
        if (!job.IsFinal)
        {
            job.Polls++;
            int polls = PollsPerState;
            if (polls == int.MaxValue || job.Polls <= polls)
                job.State = "BATCH_STATE_PENDING";
            else if (job.Polls <= 2 * polls)
                job.State = "BATCH_STATE_RUNNING";
            else
                Finish(job, expectedKey, options);
            job.UpdateTime = DateTime.UtcNow;
        }

        return FakeReply.Json(200, Operation(job));
    }

    private FakeReply List(RecordedRequest request)
    {
        int size = int.TryParse(request.Query("pageSize"), NumberStyles.None, CultureInfo.InvariantCulture, out int asked) && asked > 0 ? asked : 50;
        size = Math.Min(size, MaxPageSize);
        int start = int.TryParse(request.Query("pageToken") is { Length: > 0 } token ? Encoding.UTF8.GetString(Convert.FromBase64String(token)) : "0", out int from) ? from : 0;
        Batch[] page = _batches.AsEnumerable().Reverse().Skip(start).Take(size).ToArray();
        int next = start + page.Length;
        return FakeReply.Json(200, GeminiJson.Write(true, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("operations");
            foreach (Batch job in page)
                w.WriteRawValue(Operation(job));
            w.WriteEndArray();
            if (next < _batches.Count)
                w.WriteString("nextPageToken", Convert.ToBase64String(Encoding.UTF8.GetBytes(next.ToString(CultureInfo.InvariantCulture))));
            w.WriteEndObject();
        }));
    }

    private FakeReply Cancel(string name)
    {
        Batch? job = Find(name);
        if (job is null)
            return NotFound();
        if (!job.IsFinal)
        {
            job.State = "BATCH_STATE_CANCELLED";
            job.EndTime = job.UpdateTime = DateTime.UtcNow;
        }

        return FakeReply.Json(200, "{}\n");
    }

    private FakeReply Delete(string name)
    {
        Batch? job = Find(name);
        if (job is null)
            return NotFound();
        _batches.Remove(job);
        return FakeReply.Json(200, "{}\n");
    }

    /// <summary>Answers every request of the job as generateContent would, through the default behaviour.</summary>
    private void Finish(Batch job, string expectedKey, FakeGeminiOptions options)
    {
        var answers = new List<FakeBatchAnswer>();
        foreach ((string? key, string request) in job.Requests)
        {
            string? response = null;
            string? error = null;
            if (request.Contains(FailMarker, StringComparison.Ordinal))
            {
                error = GeminiJson.Write(false, w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("code", 3);
                    w.WriteString("message", "Request contains an invalid argument.");
                    w.WriteString("status", "INVALID_ARGUMENT");
                    w.WriteEndObject();
                });
            }
            else
            {
                var single = new RecordedRequest(
                    "POST",
                    $"{job.Model.Replace("models/", "/v1beta/models/", StringComparison.Ordinal)}:generateContent",
                    new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["x-goog-api-key"] = expectedKey },
                    Encoding.UTF8.GetBytes(request));
                FakeReply reply = DefaultGemini.Answer(single, expectedKey, options, _caches);
                string body = Encoding.UTF8.GetString(reply.Body);
                if (reply.Status == 200)
                {
                    response = GeminiJson.SseLine(body);
                }
                else
                {
                    using JsonDocument failed = JsonDocument.Parse(body);
                    error = GeminiJson.SseLine(failed.RootElement.GetProperty("error").GetRawText());
                }
            }

            job.Succeeded += response is null ? 0 : 1;
            job.Failed += response is null ? 1 : 0;
            answers.Add(new FakeBatchAnswer(key, response, error));
        }

        IEnumerable<FakeBatchAnswer> served = ReshapeAnswers is { } reshape ? reshape(answers) : answers;
        var results = new List<string>();
        foreach (FakeBatchAnswer answer in served)
        {
            results.Add(GeminiJson.Write(false, w =>
            {
                w.WriteStartObject();
                if (job.FromFile && answer.Key is not null)
                    w.WriteString("key", answer.Key);
                if (answer.Response is not null)
                {
                    w.WritePropertyName("response");
                    w.WriteRawValue(answer.Response);
                }
                else
                {
                    w.WritePropertyName("error");
                    w.WriteRawValue(answer.Error!);
                }

                if (!job.FromFile && answer.Key is not null)
                {
                    w.WriteStartObject("metadata");
                    w.WriteString("key", answer.Key);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }));
        }

        if (job.FromFile)
        {
            job.ResponsesFile = $"files/batch-{job.Name.Substring("batches/".Length)}";
            _files.PutContent(job.ResponsesFile, Encoding.UTF8.GetBytes(string.Join("\n", results) + "\n"));
        }
        else
        {
            job.InlinedResponses = results;
        }

        job.State = "BATCH_STATE_SUCCEEDED";
        job.EndTime = job.UpdateTime = DateTime.UtcNow;
    }

    private Batch? Find(string name) => _batches.FirstOrDefault(b => b.Name == name);

    private static FakeReply NotFound() => FakeReply.Json(404, GeminiJson.Error(404, "NOT_FOUND", "Requested entity was not found."));

    private static FakeReply BadRequest(string message) => FakeReply.Json(400, GeminiJson.Error(400, "INVALID_ARGUMENT", message));

    private static string Operation(Batch job) => GeminiJson.Write(true, w =>
    {
        w.WriteStartObject();
        w.WriteString("name", job.Name);
        w.WriteStartObject("metadata");
        w.WriteString("@type", "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch");
        w.WriteString("model", job.Model);
        w.WriteString("name", job.Name);
        w.WriteString("displayName", job.DisplayName);
        w.WriteString("createTime", job.CreateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        w.WriteString("updateTime", job.UpdateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        if (job.EndTime is DateTime end)
            w.WriteString("endTime", end.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        w.WriteStartObject("batchStats");
        int count = job.Requests.Count;
        (int done, int failed) = job.State switch
        {
            "BATCH_STATE_SUCCEEDED" => (job.Succeeded, job.Failed),
            "BATCH_STATE_RUNNING" => (count / 2, 0),
            _ => (0, 0),
        };
        w.WriteString("requestCount", count.ToString(CultureInfo.InvariantCulture));
        if (done > 0)
            w.WriteString("successfulRequestCount", done.ToString(CultureInfo.InvariantCulture));
        if (failed > 0)
            w.WriteString("failedRequestCount", failed.ToString(CultureInfo.InvariantCulture));
        if (count - done - failed > 0 && job.State is not "BATCH_STATE_CANCELLED")
            w.WriteString("pendingRequestCount", (count - done - failed).ToString(CultureInfo.InvariantCulture));
        w.WriteEndObject();
        w.WriteString("state", job.State);
        if (job.ResponsesFile is not null || job.InlinedResponses is not null)
        {
            w.WriteStartObject("output");
            WriteOutput(w, job);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        if (job.IsFinal)
        {
            w.WriteBoolean("done", true);
            if (job.State == "BATCH_STATE_SUCCEEDED")
            {
                w.WriteStartObject("response");
                w.WriteString("@type", "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput");
                WriteOutput(w, job);
                w.WriteEndObject();
            }
        }

        w.WriteEndObject();
    });

    private static void WriteOutput(System.Text.Json.Utf8JsonWriter w, Batch job)
    {
        if (job.ResponsesFile is not null)
        {
            w.WriteString("responsesFile", job.ResponsesFile);
            return;
        }

        w.WriteStartObject("inlinedResponses");
        w.WriteStartArray("inlinedResponses");
        foreach (string result in job.InlinedResponses ?? new List<string>())
            w.WriteRawValue(result);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private sealed class Batch
    {
        public Batch(string name, string displayName, string model, List<(string? Key, string Request)> requests, bool fromFile)
        {
            Name = name;
            DisplayName = displayName;
            Model = model;
            Requests = requests;
            FromFile = fromFile;
            CreateTime = UpdateTime = DateTime.UtcNow;
        }

        public string Name { get; }
        public string DisplayName { get; }
        public string Model { get; }
        public List<(string? Key, string Request)> Requests { get; }
        public bool FromFile { get; }
        public DateTime CreateTime { get; }
        public DateTime UpdateTime { get; set; }
        public DateTime? EndTime { get; set; }
        public string State { get; set; } = "BATCH_STATE_PENDING";
        public int Polls { get; set; }
        public int Succeeded { get; set; }
        public int Failed { get; set; }
        public string? ResponsesFile { get; set; }
        public List<string>? InlinedResponses { get; set; }

        public bool IsFinal => State is "BATCH_STATE_SUCCEEDED" or "BATCH_STATE_FAILED" or "BATCH_STATE_CANCELLED" or "BATCH_STATE_EXPIRED";
    }
}

/// <summary>One answer of a finished batch job as the fake serves it: its key (null = none) and the raw JSON of its response or error.</summary>
public sealed record FakeBatchAnswer(string? Key, string? Response, string? Error);
