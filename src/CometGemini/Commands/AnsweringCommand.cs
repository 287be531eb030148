using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
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
        return template;
    }

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
