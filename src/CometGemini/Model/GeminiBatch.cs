using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using CometGemini.Client;

namespace CometGemini;

// Batch Mode on the wire (ai.google.dev/api/batch-mode; python-genai batches.py, _BatchJob_from_mldev):
//
//   POST /v1beta/models/{model}:batchGenerateContent
//     {"batch": {"model": "models/{model}", "displayName": "nightly",
//                "inputConfig": {"requests": {"requests": [{"request": GenerateContentRequest, "metadata": {"key": "1"}}, …]}}}}
//     or "inputConfig": {"fileName": "files/abc"}   (a JSONL file, one {"key": "1", "request": GenerateContentRequest} a line)
//   → Operation {"name": "batches/123", "metadata": GenerateContentBatch, "done"?: true, "error"?: Status, "response"?: {...}}
//   GenerateContentBatch: {"@type", "model", "name", "displayName", "createTime", "updateTime", "endTime",
//     "state": "BATCH_STATE_PENDING|RUNNING|SUCCEEDED|FAILED|CANCELLED|EXPIRED",
//     "batchStats": {"requestCount": "2", "successfulRequestCount", "failedRequestCount", "pendingRequestCount"} (int64 as strings),
//     "output": {"inlinedResponses": {"inlinedResponses": [{"response": GenerateContentResponse | "error": Status, "metadata": {"key": "1"}}]}}
//             | {"responsesFile": "files/xyz"}}   (one {"key": "1", "response": …} or {"key": "1", "error": Status} a line)
//   GET /v1beta/batches/123 → Operation;  GET /v1beta/batches?pageSize=&pageToken= → {"operations": [Operation], "nextPageToken"}
//   POST /v1beta/batches/123:cancel → {};  DELETE /v1beta/batches/123 → {}
//   Files: POST /upload/v1beta/files (X-Goog-Upload-Protocol: resumable, -Command: start, -Header-Content-Length,
//     -Header-Content-Type; body {"file": {"displayName"}}) → header X-Goog-Upload-URL; POST there with
//     X-Goog-Upload-Command: upload, finalize and X-Goog-Upload-Offset: 0 → {"file": File}.
//     GET /download/v1beta/files/xyz:download?alt=media → the file's bytes.

/// <summary>A long-running operation as the batches endpoints return it; the batch itself is in Metadata.</summary>
internal sealed class BatchOperation
{
    public string? Name { get; set; }
    public GenerateContentBatch? Metadata { get; set; }
    public bool? Done { get; set; }
    public BatchStatus? Error { get; set; }
    public BatchOutput? Response { get; set; }
}

internal sealed class GenerateContentBatch
{
    public string? Model { get; set; }
    public string? Name { get; set; }
    public string? DisplayName { get; set; }
    public BatchInputConfig? InputConfig { get; set; }
    public BatchOutput? Output { get; set; }

    [JsonConverter(typeof(TolerantDateTimeOffsetConverter))]
    public DateTimeOffset? CreateTime { get; set; }

    [JsonConverter(typeof(TolerantDateTimeOffsetConverter))]
    public DateTimeOffset? UpdateTime { get; set; }

    [JsonConverter(typeof(TolerantDateTimeOffsetConverter))]
    public DateTimeOffset? EndTime { get; set; }

    public BatchStats? BatchStats { get; set; }
    public string? State { get; set; }
}

internal sealed class BatchStats
{
    public long? RequestCount { get; set; }
    public long? SuccessfulRequestCount { get; set; }
    public long? FailedRequestCount { get; set; }
    public long? PendingRequestCount { get; set; }
}

internal sealed class BatchInputConfig
{
    public string? FileName { get; set; }
    public JsonElement? Requests { get; set; }
}

internal sealed class BatchOutput
{
    public string? ResponsesFile { get; set; }
    public InlinedResponses? InlinedResponses { get; set; }
}

internal sealed class InlinedResponses
{
    [JsonPropertyName("inlinedResponses")]
    public List<BatchResult>? Items { get; set; }
}

/// <summary>One answer of a batch: an inlined response (key in metadata) or a line of the responses file (key at the top).</summary>
internal sealed class BatchResult
{
    public string? Key { get; set; }
    public Dictionary<string, JsonElement>? Metadata { get; set; }
    public GenerateContentResponse? Response { get; set; }
    public BatchStatus? Error { get; set; }

    /// <summary>The key the request was sent with, wherever the server put it.</summary>
    [JsonIgnore]
    public string? RequestKey =>
        Key ?? (Metadata is not null && Metadata.TryGetValue("key", out JsonElement key) && key.ValueKind == JsonValueKind.String ? key.GetString() : null);
}

/// <summary>google.rpc.Status: a gRPC code (3 = INVALID_ARGUMENT, 8 = RESOURCE_EXHAUSTED, …), not an HTTP status.</summary>
internal sealed class BatchStatus
{
    public int? Code { get; set; }
    public string? Message { get; set; }
    public string? Status { get; set; }
    public List<JsonElement>? Details { get; set; }
}

internal sealed class BatchOperationList
{
    public List<BatchOperation>? Operations { get; set; }
    public string? NextPageToken { get; set; }
}

/// <summary>
/// A Gemini Batch Mode job: the requests of one Start-GeminiBatchJob call, run by the server within a day at a lower
/// price. Pipe it (or its Name) to Wait-GeminiBatchJob, Receive-GeminiBatchJob, Stop-GeminiBatchJob, Remove-GeminiBatchJob.
/// </summary>
public sealed class GeminiBatchJob
{
    /// <summary>The resource name, "batches/…": all that later commands need, in any session.</summary>
    public string Name { get; set; } = string.Empty;

    public string? DisplayName { get; set; }

    /// <summary>Pending, Running, Succeeded, Failed, Cancelled, Expired (a state the API adds later comes as it is).</summary>
    public string State { get; set; } = BatchJobStates.Unspecified;

    public string? Model { get; set; }
    public DateTimeOffset? CreateTime { get; set; }
    public DateTimeOffset? UpdateTime { get; set; }
    public DateTimeOffset? EndTime { get; set; }
    public long RequestCount { get; set; }
    public long SucceededCount { get; set; }
    public long FailedCount { get; set; }
    public long PendingCount { get; set; }

    /// <summary>True once the job has ended, whether it succeeded or not.</summary>
    public bool IsDone => BatchJobStates.IsFinal(State);

    /// <summary>The file the answers are in (files/…), for jobs whose requests went as a file; null for inline jobs.</summary>
    public string? ResponsesFile { get; set; }

    /// <summary>Why the whole job failed, when it did.</summary>
    public string? Error { get; set; }

    /// <summary>The local record of the job's inputs (see about_CometGemini, BATCH JOBS); null when there is none here.</summary>
    public string? InputsFile { get; set; }

    internal BatchOutput? Output { get; set; }

    public override string ToString() => Name;

    internal static GeminiBatchJob From(BatchOperation operation)
    {
        GenerateContentBatch batch = operation.Metadata ?? new GenerateContentBatch();
        BatchStats stats = batch.BatchStats ?? new BatchStats();
        BatchOutput? output = batch.Output ?? operation.Response;
        string state = BatchJobStates.FromWire(batch.State);
        if (state == BatchJobStates.Unspecified && operation.Done == true)
            state = operation.Error is null ? BatchJobStates.Succeeded : BatchJobStates.Failed;
        return new GeminiBatchJob
        {
            Name = operation.Name ?? batch.Name ?? string.Empty,
            DisplayName = batch.DisplayName,
            State = state,
            Model = batch.Model is { } model ? ModelNames.Id(model) : null,
            CreateTime = batch.CreateTime,
            UpdateTime = batch.UpdateTime,
            EndTime = batch.EndTime,
            RequestCount = stats.RequestCount ?? 0,
            SucceededCount = stats.SuccessfulRequestCount ?? 0,
            FailedCount = stats.FailedRequestCount ?? 0,
            PendingCount = stats.PendingRequestCount ?? 0,
            ResponsesFile = output?.ResponsesFile,
            Error = operation.Error?.Message,
            Output = output,
        };
    }
}

/// <summary>The states of a batch job as GeminiBatchJob.State shows them.</summary>
public static class BatchJobStates
{
    public const string Unspecified = "Unspecified";
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
    public const string Cancelled = "Cancelled";
    public const string Expired = "Expired";

    public static bool IsFinal(string state) => state is Succeeded or Failed or Cancelled or Expired;

    /// <summary>"BATCH_STATE_RUNNING" (or Vertex's "JOB_STATE_RUNNING") → "Running"; an unknown value stays as it came.</summary>
    internal static string FromWire(string? state)
    {
        if (string.IsNullOrEmpty(state))
            return Unspecified;
        string bare = state!.StartsWith("BATCH_STATE_", StringComparison.Ordinal) ? state.Substring("BATCH_STATE_".Length)
            : state.StartsWith("JOB_STATE_", StringComparison.Ordinal) ? state.Substring("JOB_STATE_".Length)
            : state;
        return bare switch
        {
            "UNSPECIFIED" => Unspecified,
            "PENDING" or "QUEUED" => Pending,
            "RUNNING" => Running,
            "SUCCEEDED" => Succeeded,
            "FAILED" => Failed,
            "CANCELLED" => Cancelled,
            "EXPIRED" => Expired,
            _ => state,
        };
    }
}

/// <summary>
/// What this machine keeps of a batch job so that a later session can give each answer its input back: the inputs by
/// request key, as text or file paths. Never the API key. Written by Start-GeminiBatchJob (see BatchJobStore).
/// </summary>
internal sealed class BatchJobRecord
{
    public string Name { get; set; } = string.Empty;
    public string? DisplayName { get; set; }
    public string? Model { get; set; }
    public DateTimeOffset Submitted { get; set; }

    /// <summary>The responseMimeType the requests asked for, so -AsObject parses answers as Invoke-GeminiContent would.</summary>
    public string? ResponseMimeType { get; set; }

    public List<BatchInputRecord> Inputs { get; set; } = new();
}

internal sealed class BatchInputRecord
{
    public string Key { get; set; } = string.Empty;

    /// <summary>The prompt, for a piped or given string; a description for other inputs.</summary>
    public string? Text { get; set; }

    /// <summary>The full path, for a file input (the answer's Input is then a FileInfo, as with Invoke-GeminiContent).</summary>
    public string? Path { get; set; }

    /// <summary>The request's -AnswerCache key (model, base URI and body hashed, see AnswerCache.KeyOf): Receive-GeminiBatchJob -AnswerCache saves the answer under it.</summary>
    public string? RequestHash { get; set; }
}
