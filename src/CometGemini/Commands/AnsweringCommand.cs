using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CometGemini.Client;
using CometGemini.Generation;

namespace CometGemini.Commands;

/// <summary>
/// The commands that ask the model and write its answers (Invoke-GeminiContent, Get-GeminiStream): beyond building
/// requests, they run the model's tool calls, keep the chat's history, save media and turn JSON answers into objects.
/// </summary>
public abstract class AnsweringCommand : GenerationCommand
{
    private MediaFolder? _outFolder;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFolder { get; set; }

    // -AsObject: the answer as PowerShell objects instead of the response (or the stream's chunks).
    [Parameter]
    public SwitchParameter AsObject { get; set; }

    // The model's function calls (ToolRounds) and what steers them.
    [Parameter]
    [ValidateRange(0, 1000)]
    public int MaxToolCalls { get; set; } = 10;

    [Parameter]
    public SwitchParameter NoToolExecution { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    // -AnswerCache: answers of earlier runs, by request (AnswerCache); a hit is written without sending anything.
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AnswerCache { get; set; }

    [Parameter]
    public TimeSpan AnswerCacheMaxAge { get; set; }

    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long AnswerCacheMaxSize { get; set; }

    private Generation.AnswerCache? _answerCache;
    // The budget guard (TokenBudget): this run's own budget, and -Strict to count each prompt (countTokens) before sending it.
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long MaxTotalTokens { get; set; }

    [Parameter]
    public SwitchParameter Strict { get; set; }

    /// <summary>
    /// The run's budgets (its -MaxTotalTokens, the session's), decided over a window of <paramref name="window"/> requests
    /// at once (see <see cref="BudgetGate"/>); null when there is no budget. -Strict without a budget is a usage error.
    /// </summary>
    private protected BudgetGate? OpenBudget(int window)
    {
        var budgets = new List<TokenBudget>();
        if (MyInvocation.BoundParameters.ContainsKey(nameof(MaxTotalTokens)))
            budgets.Add(new TokenBudget(MaxTotalTokens, "-MaxTotalTokens"));
        if (GeminiConnection.Session?.Budget is { } session)
            budgets.Add(session);
        if (budgets.Count == 0 && Strict.IsPresent)
        {
            ThrowTerminatingError(ErrorRecords.Usage(
                "-Strict counts each prompt against a token budget, and there is none.",
                "GeminiStrictWithoutBudget",
                ErrorCategory.InvalidArgument,
                null,
                "Add -MaxTotalTokens, or set a session budget with Connect-Gemini -MaxTotalTokens."));
        }

        if (budgets.Count == 0)
            return null;
        var gate = new BudgetGate(budgets, Strict.IsPresent, window);
        this.WriteVerboseLine("Token budget: " + gate.Describe() + (Strict.IsPresent ? "; each prompt is counted (countTokens) before it is sent." : "."));
        return gate;
    }

    /// <summary>
    /// In a request's background work, just before it is sent: its turn in the budget (with -Strict its prompt counted
    /// first through countTokens). Throws <see cref="TokenBudgetExceededException"/> when it may not go; the ticket is
    /// abandoned when the count fails or the wait is cancelled.
    /// </summary>
    private protected async Task AdmitAsync(BudgetGate gate, BudgetTicket ticket, GenerateContentRequest request, IClientLog log, CancellationToken token)
    {
        BudgetRefusal? refusal;
        try
        {
            long? estimate = null;
            if (gate.Strict && gate.StoppedBy is null) // once stopped, every later request is refused: no need to count it
            {
                estimate = (await Client.Tokens.CountAsync(ModelId, request, log, token).ConfigureAwait(false)).TotalTokens;
                log.Verbose($"Prompt estimate (countTokens): {estimate:N0} tokens.");
            }

            refusal = await ticket.DecideAsync(estimate, token).ConfigureAwait(false);
        }
        catch
        {
            ticket.Abandon();
            throw;
        }

        if (refusal is not null)
            throw new TokenBudgetExceededException(refusal);
    }

    /// <summary>After a request's answer (or its failure: 0 tokens): settles its ticket and says the running total (-Verbose).</summary>
    private protected static void Spent(BudgetGate gate, BudgetTicket ticket, long tokens, IClientLog log)
    {
        ticket.Settle(tokens);
        log.Verbose($"Used {tokens:N0} tokens; budget: {gate.Describe()}.");
    }

    // The inference tier asked for (Flex: cheaper and slower; Priority: served first, at a premium). Only these
    // commands take it: token counts are not inference, and batch jobs are a tier of their own.
    [Parameter]
    public GeminiServiceTier? ServiceTier { get; set; }

    /// <summary>What the answering commands do first: as <see cref="GenerationCommand.StartGenerating"/>, and -OutFolder opened.</summary>
    private protected GenerateContentRequest StartAnswering()
    {
        GenerateContentRequest template = StartGenerating(answerAsJson: AsObject.IsPresent, serviceTier: ServiceTier);
        if (OutFolder is not null)
            _outFolder = MediaFolder.Open(this, OutFolder);
        _answerCache = AnswerCacheFolder.Open(this, AnswerCache, AnswerCacheMaxAge, AnswerCacheMaxSize);
        return template;
    }

    /// <summary>
    /// With -AnswerCache, before anything is sent for an input: true when the cache answers it (then
    /// <paramref name="cached"/> is the answer to write, or null under -WhatIf, which only says so); false to send it,
    /// with <paramref name="key"/> to save its answer under (null without -AnswerCache). Says hit, miss or expired
    /// under -Verbose. A hit never reaches the request pump: it sends nothing and spends no token budget.
    /// </summary>
    private protected bool AnsweredFromCache(GenerateContentRequest request, object? input, out string? key, out GenerateContentResponse? cached)
    {
        cached = null;
        key = null;
        if (_answerCache is null)
            return false;
        key = Generation.AnswerCache.KeyOf(ModelId, Endpoint.BaseUri, request);
        bool whatIf = this.IsWhatIf();
        AnswerCacheLookup found = _answerCache.Find(key, touch: !whatIf);
        if (IsVerboseEnabled)
            this.WriteVerboseLine($"'{InputNames.Of(input)}': {found.Describe()}");
        if (found.Response is null)
            return false;
        if (whatIf)
        {
            ShouldProcess($"Answering '{InputNames.Of(input)}' from the answer cache ({found.Path}); nothing would be sent", string.Empty, string.Empty);
            return true;
        }

        cached = found.Response;
        return true;
    }

    /// <summary>
    /// With -AnswerCache, after an input's final answer: keeps it when it is whole and successful and no tool ran for
    /// it (a tool's result may differ next time, or the call do something: such inputs are always sent). A file that
    /// cannot be written is a warning; the answer is written all the same.
    /// </summary>
    private protected void SaveToCache(string? key, GenerateContentResponse response, int toolCallsMade)
    {
        if (_answerCache is null || key is null || toolCallsMade > 0 || !Generation.AnswerCache.IsCacheable(response))
            return;
        // An answer the server gave no time keeps the time it came, so the runs that find it later show the same CreateTime.
        response.CreateTime ??= DateTimeOffset.UtcNow;
        try
        {
            _answerCache.Save(key, ModelId, response);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            WriteWarning($"The answer was not saved in the answer cache '{_answerCache.Folder}' ({e.Message}); it will be asked again next time.");
        }
    }

    /// <summary>At the end of a run with -AnswerCacheMaxSize: the least recently used entries go until the cache fits.</summary>
    private protected void TrimAnswerCache() => AnswerCacheFolder.Trim(this, _answerCache);

    /// <summary>
    /// After an answer: runs the function calls it asks for and adds them and their results to the request; false when
    /// the answer is final (see <see cref="ToolRounds.Continue"/>).
    /// </summary>
    private protected bool ContinueWithTools(GenerateContentRequest request, Content? answer, List<ToolCall> made) =>
        new ToolRounds(this, Tools.Concat(Chat?.Tools ?? Enumerable.Empty<GeminiTool>()).Where(t => !t.IsRaw).ToList(), MaxToolCalls, NoToolExecution.IsPresent, Force.IsPresent)
            .Continue(request, answer, made);

    /// <summary>Invoke-GeminiContent -AsObject: the parsed answer, a top-level array unrolled; invalid JSON is an error.</summary>
    private protected void WriteAnswerObjects(GenerateContentResponse response) => AnswerObjects.Write(this, response);

    private protected void WriteNotJson(StructuredOutputException error, object? target) => WriteError(AnswerObjects.NotJson(error, target));

    /// <summary>
    /// With -OutFolder: saves each of <paramref name="media"/> to a new file and writes its FileInfo, on the
    /// pipeline thread, after what the work queued before. A file that cannot be written is an error for that file.
    /// </summary>
    private protected void SaveMedia(Outbox outbox, IEnumerable<GeminiMedia> media)
    {
        if (_outFolder is null)
            return;
        foreach (GeminiMedia item in media)
            outbox.Run(_ => SaveMedia(item));
    }

    /// <summary>With -OutFolder, on the pipeline thread itself: saves each of <paramref name="media"/> and writes its FileInfo.</summary>
    private protected void SaveMedia(IEnumerable<GeminiMedia> media)
    {
        if (_outFolder is null)
            return;
        foreach (GeminiMedia item in media)
            SaveMedia(item);
    }

    /// <summary>The images of <paramref name="response"/>, then its audio (PCM pieces as one clip).</summary>
    private protected static IEnumerable<GeminiMedia> MediaOf(GenerateContentResponse response) =>
        response.Images.Concat<GeminiMedia>(GeminiAudio.Join(response.Audio));

    private void SaveMedia(GeminiMedia media)
    {
        if (!ShouldProcess(_outFolder!.FullName, $"Save the {media.MimeType} answer as a new file"))
            return;
        try
        {
            WriteObject(_outFolder!.Save(media));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            WriteError(new ErrorRecord(e, "GeminiMediaNotSaved", e is FormatException ? ErrorCategory.InvalidData : ErrorCategory.WriteError, media)
            {
                ErrorDetails = new ErrorDetails($"The {media.MimeType} answer was not saved to '{_outFolder!.FullName}': {e.Message}")
                {
                    RecommendedAction = e is FormatException
                        ? "The server sent data that is not base64; the response's Candidates hold it as it came."
                        : "Check the folder's free space and permissions; the error's target object can be saved elsewhere with its Save method.",
                },
            });
        }
    }

    /// <summary>
    /// After a call succeeded: with -Chat, the turns this request added and the model's answer join the history.
    /// An answer without content (a blocked prompt, a safety stop) adds nothing, so the chat stays a valid conversation.
    /// Runs on the pipeline thread, after the call.
    /// </summary>
    private protected void Remember(GenerateContentRequest request, Content? answer)
    {
        if (Chat is null)
            return;
        if (answer?.Parts is not { Count: > 0 })
        {
            WriteWarning("The answer had no content, so this turn was not added to the chat history.");
            return;
        }

        Chat.History.AddRange(request.Contents.Skip(Chat.History.Count));
        Chat.History.Add(new Content { Role = answer.Role ?? "model", Parts = answer.Parts, ExtensionData = answer.ExtensionData });
    }
}
