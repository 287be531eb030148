using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace CometGemini.Commands;

/// <summary>
/// The commands that ask the model and write its answers (Invoke-GeminiContent, Get-GeminiStream): beyond building
/// requests, they run the model's tool calls, keep the chat's history, save media and turn JSON answers into objects.
/// </summary>
public abstract partial class AnsweringCommand : GenerationCommand
{
    private MediaFolder? _outFolder;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFolder { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (OutFolder is not null)
            _outFolder = MediaFolder.Open(this, OutFolder);
    }

    private protected override bool AnswersAsObjects => AsObject.IsPresent;

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
