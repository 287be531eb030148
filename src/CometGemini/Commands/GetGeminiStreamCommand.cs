using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading.Tasks;
using CometGemini.Client;
using CometGemini.Generation;

namespace CometGemini.Commands;

[Cmdlet(VerbsCommon.Get, "GeminiStream", DefaultParameterSetName = PromptSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GeminiStreamChunk), typeof(System.IO.FileInfo))]
public sealed class GetGeminiStreamCommand : AnsweringCommand
{
    private ConsoleFlow? _flow;
    private PipelineInputs? _inputs;
    private BudgetGate? _budget;

    protected override void BeginProcessing()
    {
        _inputs = new PipelineInputs(this, StartAnswering());
        _budget = OpenBudget(window: 1); // one request at a time: each counts every answer before it
        _flow = AsObject.IsPresent ? null : ConsoleFlow.For(this);
    }

    protected override void ProcessRecord()
    {
        foreach (RequestInput input in _inputs!.Record())
            Stream(input.Request, input.Input, input.SourcePath);
    }

    protected override void EndProcessing()
    {
        foreach (RequestInput input in _inputs!.End())
            Stream(input.Request, input.Input, input.SourcePath);
        TrimAnswerCache();
    }

    // An answer from -AnswerCache: the whole of it as one chunk (FromCache), shown and kept as a streamed one would be.
    private void WriteFromCache(GenerateContentRequest request, GenerateContentResponse cached, object? input, string? sourcePath)
    {
        cached.Input = input;
        cached.SourcePath = sourcePath;
        cached.RequestedModel = ModelId;
        WarnIfRouted(cached.ModelVersion);
        if (AsObject.IsPresent)
        {
            var asObject = new StreamedObjects(request.GenerationConfig?.ResponseMimeType);
            asObject.Add(cached.Text).ForEach(item => WriteObject(item!));
            asObject.Complete(cached.FinishReason).ForEach(item => WriteObject(item!));
            if (asObject.Error is { } notJson)
                WriteNotJson(notJson, input);
        }
        else
        {
            var chunk = new GeminiStreamChunk(cached, 0, input, sourcePath);
            if (_flow is { } flow)
            {
                flow.Show(chunk);
                flow.EndLine();
            }
            else
            {
                WriteObject(chunk);
            }
        }

        SaveMedia(MediaOf(cached));
        foreach (string warning in ResponseWarnings.For(cached))
            WriteWarning(warning);
        Remember(request, cached.FirstCandidate?.Content);
    }

    // One input's answer, chunk by chunk as it comes, with the rounds its tool calls take.
    private void Stream(GenerateContentRequest request, object? input, string? sourcePath)
    {
        if (AnsweredFromCache(request, input, out string? cacheKey, out GenerateContentResponse? cached))
        {
            if (cached is not null)
                WriteFromCache(request, cached, input, sourcePath);
            return;
        }

        if (!ShouldSend(request))
            return;
        var toolCalls = new List<ToolCall>();
        var audio = new List<GeminiAudio>();
        StreamedObjects? asObject = AsObject.IsPresent ? new StreamedObjects(request.GenerationConfig?.ResponseMimeType) : null;
        int index = 0;
        try
        {
            List<GenerateContentResponse> chunks;
            Content? merged;
            do
            {
                chunks = new List<GenerateContentResponse>();
                List<GenerateContentResponse> round = chunks;
                BudgetTicket? ticket = _budget?.Open(); // each round of tool calls is a request of its own
                RunAsync(async (outbox, token) =>
                {
                    if (ticket is not null)
                        await AdmitAsync(_budget!, ticket, request, outbox, token).ConfigureAwait(false);
                    var answer = new StringBuilder();
                    try
                    {
                        await foreach (GenerateContentResponse chunk in Client.Generation.StreamGenerateContentAsync(ModelId, request, outbox, token).ConfigureAwait(false))
                        {
                            chunk.Input = input;
                            chunk.SourcePath = sourcePath;
                            chunk.RequestedModel = ModelId;
                            round.Add(chunk);
                            answer.Append(chunk.Text);
                            chunk.KeepAnswerSoFar(answer);
                            if (asObject is not null)
                            {
                                asObject.Add(chunk.Text).ForEach(item => outbox.Object(item!));
                            }
                            else
                            {
                                var streamed = new GeminiStreamChunk(chunk, index++, input, sourcePath);
                                if (_flow is { } flow)
                                    outbox.Run(_ => flow.Show(streamed));
                                else
                                    outbox.Object(streamed);
                            }

                            SaveMedia(outbox, chunk.Images);
                            audio.AddRange(chunk.Audio);
                        }
                    }
                    catch
                    {
                        ticket?.Abandon();
                        throw;
                    }

                    // A streamed answer's usage comes with its chunks, the last one's total the answer's.
                    if (ticket is not null)
                        Spent(_budget!, ticket, round.Select(c => c.UsageMetadata?.TotalTokenCount).LastOrDefault(t => t is not null) ?? 0, outbox);
                });
                WarnIfRouted(chunks.Select(c => c.ModelVersion).FirstOrDefault(v => !string.IsNullOrEmpty(v)));
                merged = Content.FromStream(chunks, StopToken); // once per round: the tools and the chat's history share it
            }
            while (EndOfRound() && ContinueWithTools(request, merged, toolCalls));

            GenerateContentResponse? last = chunks.LastOrDefault();
            asObject?.Complete(last?.FinishReason).ForEach(item => WriteObject(item!));

            // Streamed speech comes in pieces of PCM: one file for the whole answer, once it has ended.
            SaveMedia(GeminiAudio.Join(audio));
            foreach (string warning in ResponseWarnings.For(chunks))
                WriteWarning(warning);
            if (asObject?.Error is { } notJson)
                WriteNotJson(notJson, input);
            if (cacheKey is not null && toolCalls.Count == 0 && chunks.Count > 0)
                SaveToCache(cacheKey, GenerateContentResponse.Joined(chunks, merged), toolCallsMade: 0);
            Remember(request, merged);
        }
        catch (GeminiException e)
        {
            EndOfRound();
            WriteGeminiError(e, input);
        }
        catch (TokenBudgetExceededException e)
        {
            EndOfRound();
            WriteError(ErrorRecords.BudgetExceeded(e, input));
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException(); // Ctrl+C while the answer was being joined
        }
    }

    // A round has ended: the line a flowing answer left open ends before anything else is shown (a tool's prompt, a
    // warning, an error). True, to sit in the loop's condition before the tools run.
    private bool EndOfRound()
    {
        _flow?.EndLine();
        return true;
    }
}
