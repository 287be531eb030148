using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using CometGemini.Client;
using CometGemini.Generation;

namespace CometGemini.Commands;

/// <summary>
/// Asks the model once per input and writes each answer. Inputs run in the background, up to -ThrottleLimit at once,
/// while more keep arriving; answers are written in input order (or as they come with -Unordered) by the pipeline
/// thread only, and tool calls run there too, between a request's rounds. A failing input is an error for that input
/// and the run goes on; -RequestsPerMinute and a server's 429 pace the whole run through the client's RequestPacer;
/// -Summary tallies it.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "GeminiContent", DefaultParameterSetName = PromptSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GenerateContentResponse), typeof(System.IO.FileInfo), typeof(GeminiRunSummary))]
public sealed class InvokeGeminiContentCommand : AnsweringCommand
{
    private readonly SortedDictionary<int, Action> _ready = new();
    private PipelineInputs? _inputs;
    private RequestPump? _pump;
    private RunProgress? _progress;
    private BudgetGate? _budget;
    private int _nextIndex;
    private int _nextToWrite;
    private bool _stopsAtFirstError;

    [Parameter]
    [ValidateRange(1, 100)]
    public int ThrottleLimit { get; set; } = 1;

    [Parameter]
    public SwitchParameter Unordered { get; set; }

    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int RequestsPerMinute { get; set; }

    [Parameter]
    public SwitchParameter Summary { get; set; }

    protected override void BeginProcessing()
    {
        // Turns of a chat depend on each other: the next one needs the answer to the last.
        if (Chat is not null && ThrottleLimit > 1)
        {
            ThrowTerminatingError(ErrorRecords.Usage(
                "-Chat sends one turn after the other, each with the answers before it, so it cannot run turns at once (-ThrottleLimit).",
                "GeminiChatNotConcurrent",
                ErrorCategory.InvalidArgument,
                ThrottleLimit,
                "Leave out -ThrottleLimit for a chat, or leave out -Chat to send independent requests at once."));
        }

        _inputs = new PipelineInputs(this, StartAnswering(), (input, reason) => _progress!.Refused(input, reason));
        if (RequestsPerMinute > 0)
            Client.Pacer = new RequestPacer(RequestsPerMinute);
        object? errorAction = MyInvocation.BoundParameters.TryGetValue("ErrorAction", out object? bound) ? bound : GetVariableValue("ErrorActionPreference");
        _stopsAtFirstError = errorAction is ActionPreference.Stop || (errorAction is not ActionPreference && string.Equals(errorAction?.ToString(), "Stop", StringComparison.OrdinalIgnoreCase));
        _progress = new RunProgress(MyInvocation.MyCommand.Name, _inputs.KnownCount());
        _budget = OpenBudget(ThrottleLimit);
    }

    protected override void ProcessRecord()
    {
        foreach (RequestInput input in _inputs!.Record())
            Take(input);
    }

    protected override void EndProcessing()
    {
        Guarded(() =>
        {
            foreach (RequestInput input in _inputs!.End())
                Take(input);

            _pump?.RunUntil(this, () => _pump.Running == 0, () => _progress!.Tick(this));
        });
        TrimAnswerCache();
        GeminiRunSummary summary = _progress!.Complete(this, Client.Pacer.Retries, _budget);
        if (Summary.IsPresent)
            WriteObject(summary);
    }

    private protected override void ReleaseResources()
    {
        _pump?.Dispose();
        base.ReleaseResources();
    }

    // One input: answered from -AnswerCache (it never reaches the pump, so it sends nothing and spends no budget),
    // or sent after -WhatIf and -Confirm.
    private void Take(RequestInput input)
    {
        if (AnsweredFromCache(input.Request, input.Input, out string? key, out GenerateContentResponse? cached))
        {
            if (cached is not null)
                Guarded(() => WriteFromCache(new PendingRequest(input.Request, input.Input, input.SourcePath, key), cached));
            return;
        }

        if (ShouldSend(input.Request))
            Enqueue(new PendingRequest(input.Request, input.Input, input.SourcePath, key));
    }

    // A cached answer takes its place in input order like any other, behind answers still running before it.
    private void WriteFromCache(PendingRequest item, GenerateContentResponse cached)
    {
        item.Index = _nextIndex++;
        _progress!.FromCache();
        Finish(item, succeeded: true, () => WriteAnswer(item, cached), fromCache: true);
    }

    // Starts the input's request, then waits (writing what has come back meanwhile) until fewer than -ThrottleLimit run,
    // and, in input order, until few enough answers wait for a slower one before them: memory stays bounded.
    private void Enqueue(PendingRequest item)
    {
        item.Index = _nextIndex++;
        Guarded(() =>
        {
            _pump ??= new RequestPump(StopToken, IsDebugEnabled, IsVerboseEnabled);
            _pump.RunQueued(this);
            Start(item);
            _progress!.Started(this, item.Input); // after Start: the record counts this request as running
            _pump.RunUntil(this, () => _pump.Running < ThrottleLimit && _ready.Count < 4 * ThrottleLimit, () => _progress.Tick(this));
        });
    }

    // Each round of an input is a request of its own: it takes its turn in the budget (in the order started) when there is one.
    private void Start(PendingRequest item)
    {
        _progress!.InFlight++;
        BudgetTicket? ticket = _budget?.Open();
        _pump!.Start(
            (outbox, token) =>
            {
                IClientLog log = ThrottleLimit > 1 ? new InputLog(outbox, item.Input) : outbox;
                return ticket is null
                    ? Client.Generation.GenerateContentAsync(ModelId, item.Request, log, token)
                    : SendWithinBudgetAsync(item, _budget!, ticket, log, token);
            },
            finished => Answered(item, finished));
    }

    private async Task<GenerateContentResponse> SendWithinBudgetAsync(PendingRequest item, BudgetGate budget, BudgetTicket ticket, IClientLog log, CancellationToken token)
    {
        await AdmitAsync(budget, ticket, item.Request, log, token).ConfigureAwait(false);
        try
        {
            GenerateContentResponse response = await Client.Generation.GenerateContentAsync(ModelId, item.Request, log, token).ConfigureAwait(false);
            Spent(budget, ticket, response.UsageMetadata?.TotalTokenCount ?? 0, log);
            return response;
        }
        catch
        {
            ticket.Abandon();
            throw;
        }
    }

    // On the pipeline thread, as each call ends: run the tools it asks for (another round), or finish the input.
    private void Answered(PendingRequest item, Task<GenerateContentResponse> call)
    {
        _progress!.InFlight--;
        if (call.IsCanceled)
            throw new PipelineStoppedException();
        if (call.Exception?.InnerException is Exception failure)
        {
            if (failure is TokenBudgetExceededException stopped)
            {
                _progress.StoppedByBudget(item.Input, wasSent: item.ToolCalls.Count > 0);
                Finish(item, succeeded: false, () => WriteError(ErrorRecords.BudgetExceeded(stopped, item.Input)));
                return;
            }

            if (failure is not GeminiException gemini)
            {
                if (failure is OperationCanceledException && StopToken.IsCancellationRequested)
                    throw new PipelineStoppedException();
                ExceptionDispatchInfo.Capture(failure).Throw();
                return;
            }

            Finish(item, succeeded: false, () => WriteGeminiError(gemini, item.Input));
            return;
        }

        GenerateContentResponse response = call.Result;
        _progress.Answered(response.UsageMetadata);
        if (ContinueWithTools(item.Request, response.FirstCandidate?.Content, item.ToolCalls))
        {
            Start(item);
            return;
        }

        SaveToCache(item.CacheKey, response, item.ToolCalls.Count);
        Finish(item, succeeded: true, () => WriteAnswer(item, response));
    }

    // Writes the input's outcome now (-Unordered; a failure under -ErrorAction Stop, which ends the run at once),
    // or when every input before it has been written.
    private void Finish(PendingRequest item, bool succeeded, Action write, bool fromCache = false)
    {
        _progress!.Finished(this, succeeded, item.Input, fromCache);
        if (Unordered.IsPresent || (!succeeded && _stopsAtFirstError))
        {
            write();
            return;
        }

        _ready[item.Index] = write;
        while (_ready.TryGetValue(_nextToWrite, out Action? next))
        {
            _ready.Remove(_nextToWrite++);
            next();
        }
    }

    // On the pipeline thread, in input order (or as answers come with -Unordered): one input's final answer.
    private void WriteAnswer(PendingRequest item, GenerateContentResponse response)
    {
        response.Input = item.Input;
        response.SourcePath = item.SourcePath;
        response.RequestedModel = ModelId;
        WarnIfRouted(response.ModelVersion);
        response.RequestedMimeType = item.Request.GenerationConfig?.ResponseMimeType;
        response.ToolCalls = item.ToolCalls.ToGeminiList();
        foreach (string warning in ResponseWarnings.For(response))
            WriteWarning(warning);
        Remember(item.Request, response.FirstCandidate?.Content); // first: a downstream Select-Object -First may end us at WriteObject
        if (AsObject.IsPresent)
            WriteAnswerObjects(response);
        else
            WriteObject(response);
        SaveMedia(MediaOf(response));
    }

    // Leaving by an exception (-ErrorAction Stop, Ctrl+C, a downstream command that has enough): cancel what still runs, now.
    private void Guarded(Action step)
    {
        try
        {
            step();
        }
        catch
        {
            _pump?.Dispose();
            throw;
        }
    }

    private sealed class PendingRequest
    {
        public PendingRequest(GenerateContentRequest request, object? input, string? sourcePath, string? cacheKey)
        {
            Request = request;
            Input = input;
            SourcePath = sourcePath;
            CacheKey = cacheKey;
        }

        /// <summary>With -AnswerCache, the hash of the request as first sent: its answer is saved under it.</summary>
        public string? CacheKey { get; }

        public int Index { get; set; }

        public GenerateContentRequest Request { get; }

        public object? Input { get; }

        public string? SourcePath { get; }

        public List<ToolCall> ToolCalls { get; } = new();
    }

    // With several requests at once, each verbose line says which input it is about.
    // Lines of requests that run at once, each named by its input ('app-03.log'), so a log of many says whose it is.
    private sealed class InputLog : IClientLog
    {
        private readonly IClientLog _log;
        private readonly string _prefix;

        public InputLog(IClientLog log, object? input)
        {
            _log = log;
            _prefix = $"'{InputNames.Of(input)}': ";
        }

        public bool IsDebugEnabled => _log.IsDebugEnabled;

        public bool IsVerboseEnabled => _log.IsVerboseEnabled;

        public void Verbose(string message) => _log.Verbose(_prefix + message);

        public void Debug(string message) => _log.Debug(_prefix + message);

        public void Waiting(string why, TimeSpan total, TimeSpan left) => _log.Waiting(_prefix + why, total, left);
    }
}
