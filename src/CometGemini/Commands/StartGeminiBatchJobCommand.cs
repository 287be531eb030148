using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using CometGemini.Client;
using CometGemini.Generation;

namespace CometGemini.Commands;

/// <summary>
/// Builds one request per input exactly as Invoke-GeminiContent does, and submits them all as one Batch Mode job:
/// inline when small, else as a JSONL file through the Files API. Writes the job at once; the answers come later.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "GeminiBatchJob", DefaultParameterSetName = PromptSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GeminiBatchJob))]
public sealed class StartGeminiBatchJobCommand : GenerationCommand
{
    /// <summary>Google's documented ceiling for inline batch requests; bigger batches go as a file.</summary>
    public const long DefaultInlineLimit = 20L * 1024 * 1024;

    private const string JsonLinesMimeType = "application/jsonl";

    private readonly List<BatchInputRecord> _inputs = new();
    private BatchRequests? _requests;
    private string? _responseMimeType;
    private int _shownOnly;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DisplayName { get; set; }

    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long InlineLimit { get; set; } = DefaultInlineLimit;

    private PipelineInputs? _pipeline;

    protected override void BeginProcessing()
    {
        _pipeline = new PipelineInputs(this, StartGenerating());
        _requests = new BatchRequests(InlineLimit, BatchJobStore.NewUploadFolder);
        try
        {
            BatchJobStore.RemoveLeftovers(); // request files a crashed session left behind
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            this.WriteVerboseLine($"Could not look for request files left in '{BatchJobStore.Folder}': {e.Message}");
        }
    }

    protected override void ProcessRecord()
    {
        foreach (RequestInput input in _pipeline!.Record())
            Add(input.Request, input.Input, input.SourcePath);
    }

    // Each input's request joins the job's requests, keyed by its place.
    // Under -WhatIf each is only shown, and nothing is written: not even the owner-only file of a large job.
    private void Add(GenerateContentRequest request, object? input, string? sourcePath)
    {
        if (this.IsWhatIf())
        {
            ShouldSend(request, "Adding 1 request to a batch job");
            _shownOnly++;
            return;
        }

        string key = (_inputs.Count + 1).ToString(CultureInfo.InvariantCulture);
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(request, GeminiJsonContext.Default.GenerateContentRequest);
        _requests!.Add(key, body);
        _inputs.Add(new BatchInputRecord
        {
            Key = key,
            Text = sourcePath is null ? Describe(input) : null,
            Path = sourcePath,
            RequestHash = AnswerCache.KeyOf(ModelId, Endpoint.BaseUri, body), // the key Invoke-GeminiContent -AnswerCache looks this request up by
        });
        _responseMimeType ??= request.GenerationConfig?.ResponseMimeType;
    }

    protected override void EndProcessing()
    {
        foreach (RequestInput input in _pipeline!.End())
            Add(input.Request, input.Input, input.SourcePath);
        string displayName = DisplayName ?? "CometGemini " + DateTime.Now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        if (_shownOnly > 0)
            ShouldProcess($"{_shownOnly} request(s) to {ModelId}", $"Submit batch job '{displayName}'"); // -WhatIf: only says so
        if (_requests is not { Count: > 0 } requests)
            return;

        string how = requests.FilePath is null ? "inline" : "as an uploaded JSONL file";
        if (!ShouldProcess($"{requests.Count} request(s) to {ModelId}, {requests.Bytes:N0} bytes {how}", $"Submit batch job '{displayName}'"))
            return;

        requests.Complete();
        this.WriteVerboseLine($"{requests.Count} request(s), {requests.Bytes:N0} bytes: sending them {how}{(requests.FilePath is null ? string.Empty : $" (written owner-only to '{requests.FilePath}', removed once uploaded)")}.");
        GeminiBatchJob? job = null;
        string what = "batchGenerateContent";
        try
        {
            RunAsync(async (outbox, token) =>
            {
                string? fileName = null;
                if (requests.FilePath is string path)
                {
                    what = "the Files API upload";
                    try
                    {
                        fileName = (await Client.Files.UploadAsync(path, JsonLinesMimeType, displayName + " (requests)", outbox, token).ConfigureAwait(false)).Name;
                    }
                    finally
                    {
                        requests.DeleteFile(); // sent or not, the prompts do not stay on disk
                    }

                    what = "batchGenerateContent";
                }

                BatchOperation operation = await Client.Batches.CreateAsync(ModelId, requests.CreateBody(ModelId, displayName, fileName), outbox, token).ConfigureAwait(false);
                job = GeminiBatchJob.From(operation);
            });
        }
        catch (GeminiException e)
        {
            WriteError(ErrorRecords.FromBatchCall(Secrets.Redact(e, Endpoint.ApiKey), displayName, what, Endpoint.BaseUri));
            return;
        }

        if (string.IsNullOrEmpty(job!.Name))
        {
            WriteError(ErrorRecords.FromGemini(new GeminiException(GeminiFailure.Protocol, "The server accepted the batch but named no job, so it cannot be followed."), displayName));
            return;
        }

        if (!BatchJobStore.IsFileName(job.Name))
        {
            WriteError(ErrorRecords.FromGemini(new GeminiException(GeminiFailure.Protocol, $"The server accepted the batch but named the job '{FunctionCall.Visible(job.Name)}', which is not a batch job name (a '\\', '/' or '..' in its id); nothing was recorded on this machine."), displayName));
            return;
        }

        job.Model ??= ModelId;
        job.DisplayName ??= displayName;
        if (job.RequestCount == 0)
            job.RequestCount = requests.Count;
        Record(job);
        WriteObject(job);
    }

    private protected override void ReleaseResources()
    {
        _requests?.Dispose();
        base.ReleaseResources();
    }

    /// <summary>Keeps the inputs by key on this machine, so any later session can give each answer its input back.</summary>
    private void Record(GeminiBatchJob job)
    {
        var record = new BatchJobRecord
        {
            Name = job.Name,
            DisplayName = job.DisplayName,
            Model = job.Model,
            Submitted = DateTimeOffset.UtcNow,
            ResponseMimeType = _responseMimeType,
            Inputs = _inputs,
        };
        try
        {
            job.InputsFile = BatchJobStore.Save(record);
            this.WriteVerboseLine($"Inputs of {job.Name} recorded in '{job.InputsFile}'.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            WriteWarning($"Batch job {job.Name} was submitted, but its inputs could not be recorded in '{BatchJobStore.Folder}' ({e.Message}); Receive-GeminiBatchJob will give each answer its request key (1, 2, …, in input order) as Input.");
        }
    }

    private static string? Describe(object? input) => input switch
    {
        null => null,
        string text => text,
        IEnumerable<Part> parts => string.Join(" ", parts.Select(p => p.ToString())),
        _ => InputText.Describe(input), // an object (or -Batch's objects) as the prompt described it
    };
}
