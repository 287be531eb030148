using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CometGemini.Client;
using CometGemini.Completion;
using CometGemini.Generation;

namespace CometGemini.Commands;

/// <summary>
/// The answers of finished batch jobs, as Invoke-GeminiContent writes them: one response per input, in input order, each
/// with its Input and SourcePath (from this machine's record of the job); a failed request is an error naming its input.
/// A results file is read line by line as it downloads.
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "GeminiBatchJob")]
[OutputType(typeof(GenerateContentResponse))]
public sealed class ReceiveGeminiBatchJobCommand : BatchJobCommand
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BatchJobNameCompleter))]
    public string[] Name { get; set; } = null!;

    [Parameter]
    public SwitchParameter AsObject { get; set; }

    // -AnswerCache: each whole answer is saved under its request's key, so Invoke-GeminiContent -AnswerCache finds it.
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AnswerCache { get; set; }

    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long AnswerCacheMaxSize { get; set; }

    private Generation.AnswerCache? _answerCache;
    private int _cached;

    protected override void BeginProcessing()
    {
        Connect();
        _answerCache = AnswerCacheFolder.Open(this, AnswerCache, TimeSpan.Zero, AnswerCacheMaxSize);
    }

    protected override void EndProcessing()
    {
        if (_answerCache is not null)
            this.WriteVerboseLine($"{_cached} answer(s) saved in the answer cache '{_answerCache.Folder}'.");
        AnswerCacheFolder.Trim(this, _answerCache);
    }

    protected override void ProcessRecord()
    {
        foreach (string given in Name)
        {
            if (NormalizeName(given) is string name)
                Receive(name, given);
        }
    }

    private void Receive(string name, string given)
    {
        string what = "batches.get";
        try
        {
            RunAsync(async (outbox, token) =>
            {
                GeminiBatchJob job = GeminiBatchJob.From(await Client.Batches.GetAsync(name, outbox, token).ConfigureAwait(false));
                if (!job.IsDone || job.Output is null)
                {
                    ErrorRecord notReady = job.IsDone ? ErrorRecords.BatchJobNotSucceeded(job) : ErrorRecords.BatchJobNotFinished(job);
                    outbox.Run(c => c.WriteError(notReady));
                    return;
                }

                BatchJobRecord? record = LoadRecord(name, outbox);
                var answers = new Answers(this, job, record);
                if (job.Output.InlinedResponses?.Items is { } inline)
                {
                    foreach (BatchResult result in inline)
                        answers.Add(result, outbox);
                }
                else if (job.ResponsesFile is string file)
                {
                    what = "the results file download";
                    // A damaged line costs its own answer only (reported as missing at the end), not the ones after it.
                    void BadLine(GeminiException e)
                    {
                        ErrorRecord damaged = ErrorRecords.FromGemini(Secrets.Redact(e, Endpoint.ApiKey), given);
                        outbox.Run(c => c.WriteError(damaged));
                    }

                    await foreach (BatchResult result in Client.Files.DownloadJsonLinesAsync(file, GeminiJsonContext.Default.BatchResult, BadLine, outbox, token).ConfigureAwait(false))
                        answers.Add(result, outbox);
                }

                answers.Finish(outbox);
            });
        }
        catch (GeminiException e)
        {
            WriteBatchError(e, given, what, name);
        }
    }

    private static BatchJobRecord? LoadRecord(string name, Outbox outbox)
    {
        try
        {
            BatchJobRecord? record = BatchJobStore.Load(name);
            if (record is null)
                outbox.Warning($"This machine has no record of {name}'s inputs (looked for '{BatchJobStore.PathFor(name)}'): each answer's Input is its request key (1, 2, … in input order).");
            return record;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            outbox.Warning(e.Message + " Each answer's Input is its request key.");
            return null;
        }
    }

    /// <summary>
    /// Matches each answer to its request and puts the answers in input order as they arrive: one in its turn is written
    /// at once, an early one waits for its turn. An answer with a key (inline metadata.key, or a results line's key) is
    /// matched by it, in whatever order it comes. Answers without keys wait for the end: they are matched by position
    /// only when none has a key and there are as many as requests (with a warning); otherwise each is an error, as is a
    /// repeated key or one that names no request, so no answer is ever given another input's SourcePath. (Keyless answers
    /// are held until the end; Google's results files always have keys, so a results file still streams.)
    /// </summary>
    private sealed class Answers
    {
        private readonly ReceiveGeminiBatchJobCommand _command;
        private readonly GeminiBatchJob _job;
        private readonly BatchJobRecord? _record;
        private readonly Dictionary<string, BatchInputRecord> _inputs;
        private readonly Dictionary<string, BatchResult> _early = new(StringComparer.Ordinal);
        private readonly HashSet<string> _matched = new(StringComparer.Ordinal);
        private readonly List<(int Position, BatchResult Result)> _keyless = new();
        private int _next;
        private int _position;

        public Answers(ReceiveGeminiBatchJobCommand command, GeminiBatchJob job, BatchJobRecord? record)
        {
            _command = command;
            _job = job;
            _record = record;
            _inputs = record?.Inputs.GroupBy(i => i.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal)
                ?? new Dictionary<string, BatchInputRecord>(StringComparer.Ordinal);
        }

        /// <summary>How many requests the job had: the local record's count, else the server's.</summary>
        private long RequestCount => _record?.Inputs.Count ?? _job.RequestCount;

        public void Add(BatchResult result, Outbox outbox)
        {
            int position = ++_position;
            if (result.RequestKey is not string key)
            {
                _keyless.Add((position, result));
                return;
            }

            if (_record is not null && !_inputs.ContainsKey(key))
            {
                Unmatched(position, key, result, $"the key names none of the job's {RequestCount} requests", outbox);
                return;
            }

            if (!_matched.Add(key))
            {
                Unmatched(position, key, result, $"an earlier answer has the same key and was taken as request {key}'s answer", outbox);
                return;
            }

            if (_record is null)
            {
                Write(key, result, outbox);
                return;
            }

            _early[key] = result;
            while (_next < _record.Inputs.Count && _early.TryGetValue(_record.Inputs[_next].Key, out BatchResult? due))
            {
                _early.Remove(_record.Inputs[_next].Key);
                Write(_record.Inputs[_next].Key, due, outbox);
                _next++;
            }
        }

        /// <summary>After the last answer: the answers without keys are matched or refused, then inputs without an answer are errors (in input order).</summary>
        public void Finish(Outbox outbox)
        {
            if (_keyless.Count > 0)
                MatchKeyless(outbox);
            if (_record is null)
                return;
            foreach (BatchInputRecord input in _record.Inputs.Skip(_next))
            {
                if (_early.TryGetValue(input.Key, out BatchResult? result))
                {
                    Write(input.Key, result, outbox);
                }
                else if (!_matched.Contains(input.Key))
                {
                    ErrorRecord missing = ErrorRecords.BatchAnswerMissing(_job.Name, input.Key, BatchJobStore.InputOf(input, input.Key));
                    outbox.Run(c => c.WriteError(missing));
                }
            }
        }

        private void MatchKeyless(Outbox outbox)
        {
            int keyed = _position - _keyless.Count;
            if (keyed > 0 || _keyless.Count != RequestCount)
            {
                string reason = keyed > 0
                    ? $"it has no key while {keyed} other answers of the job have one, so its position says nothing"
                    : $"the server gave no keys and {_keyless.Count} answer{(_keyless.Count == 1 ? "" : "s")} for {RequestCount} requests, so positions cannot be trusted";
                foreach ((int position, BatchResult result) in _keyless)
                    Unmatched(position, null, result, reason, outbox);
                return;
            }

            // Inline answers are documented to come in request order; without keys that is all there is to go on, so say so.
            outbox.Warning($"Batch job {_job.Name} gave its {_keyless.Count} answers without keys, so they were matched to the requests by position "
                + "(the order the server promises). Check that each answer's Input and SourcePath fit it.");
            foreach ((int position, BatchResult result) in _keyless)
            {
                string key = _record?.Inputs[position - 1].Key ?? position.ToString(CultureInfo.InvariantCulture);
                _matched.Add(key);
                if (_record is null)
                    Write(key, result, outbox);
                else
                    _early[key] = result;
            }
        }

        private void Unmatched(int position, string? key, BatchResult result, string reason, Outbox outbox)
        {
            object target = _job;
            if (result.Response is GenerateContentResponse response)
            {
                response.WithoutNullElements();
                response.Model = _job.Model;
                target = response;
            }
            else if (result.Error?.Message is string failure)
            {
                reason += $"; the answer is an error: {failure}";
            }

            ErrorRecord unmatched = ErrorRecords.BatchAnswerUnmatched(_job.Name, position, key, reason, target);
            outbox.Run(c => c.WriteError(unmatched));
        }

        private void Write(string key, BatchResult result, Outbox outbox)
        {
            _inputs.TryGetValue(key, out BatchInputRecord? record);
            object? input = BatchJobStore.InputOf(record, key);
            if (result.Response is not GenerateContentResponse response)
            {
                ErrorRecord failed = ErrorRecords.BatchRequestFailed(_job.Name, key, input, result.Error ?? new BatchStatus { Message = "the result has neither a response nor an error" });
                outbox.Run(c => c.WriteError(failed));
                return;
            }

            response.WithoutNullElements(); // as the client does for generateContent's answers
            response.Input = input;
            response.SourcePath = record?.Path;
            response.Model = _job.Model;
            response.RequestedMimeType = _record?.ResponseMimeType ?? (_command.AsObject.IsPresent ? StructuredOutput.JsonMimeType : null);
            _command.SaveToCache(record, response, outbox);
            outbox.Run(_ => _command.WriteAnswer(response));
        }
    }

    // In the background, as answers come: a whole, successful answer of a request whose key was recorded. (Batch jobs run
    // no tools, so an answer that asks for function calls is simply not whole.)
    private void SaveToCache(BatchInputRecord? record, GenerateContentResponse response, Outbox outbox)
    {
        if (_answerCache is null)
            return;
        if (record?.RequestHash is not string key)
        {
            outbox.Verbose($"Request {record?.Key ?? "?"}: not saved in the answer cache (this machine's record of the job has no request key; jobs started before -AnswerCache existed have none).");
            return;
        }

        if (!Generation.AnswerCache.IsCacheable(response))
            return;
        try
        {
            _answerCache.Save(key, response.Model ?? string.Empty, response);
            Interlocked.Increment(ref _cached);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            outbox.Warning($"Request {record.Key}'s answer was not saved in the answer cache '{_answerCache.Folder}' ({e.Message}).");
        }
    }

    private void WriteAnswer(GenerateContentResponse response)
    {
        foreach (string warning in ResponseWarnings.For(response))
            WriteWarning(warning);
        if (AsObject.IsPresent)
            AnswerObjects.Write(this, response);
        else
            WriteObject(response);
    }
}
