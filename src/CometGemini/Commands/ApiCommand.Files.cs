using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CometGemini.Client;

namespace CometGemini.Commands;

// The one way a command uploads a file through the Files API and waits for it: Add-GeminiFile, and the commands that
// upload a file over -MaxInlineSize (-Upload, Connect-Gemini -AutoUpload).
public abstract partial class ApiCommand
{
    /// <summary>Files at least this large show an upload progress bar.</summary>
    internal const long ProgressFrom = 1024 * 1024;

    private const int UploadActivityId = 4713;
    private const int ProcessingActivityId = 4714;

    // Polls while the server processes a file: soon at first (small files are ready at once), then less often.
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Uploads <paramref name="fullPath"/> (resumable, streamed, with a progress bar when large) and, unless
    /// <paramref name="wait"/> is false, polls until the server has processed it. Returns the file in its last state
    /// (ACTIVE, FAILED, or PROCESSING without waiting); a failed call throws (GeminiException).
    /// </summary>
    private protected GeminiFile UploadFile(string fullPath, string mimeType, string? displayName, bool wait)
    {
        long length = new FileInfo(fullPath).Length;
        string shown = displayName ?? Path.GetFileName(fullPath);
        this.WriteVerboseLine($"Uploading '{fullPath}' ({length:N0} bytes, {mimeType}) through the Files API.");
        GeminiFile? file = null;
        try
        {
            RunAsync(async (outbox, token) =>
            {
                Action<long, long>? progress = length >= ProgressFrom ? (sent, total) => outbox.Run(c => c.WriteProgress(UploadProgress(shown, sent, total))) : null;
                file = await Client.Files.UploadAsync(fullPath, mimeType, displayName, outbox, token, progress).ConfigureAwait(false);
                if (wait)
                    file = await WaitUntilProcessedAsync(file, shown, outbox, token).ConfigureAwait(false);
            });
        }
        finally
        {
            if (length >= ProgressFrom)
                WriteProgress(new ProgressRecord(UploadActivityId, "Uploading " + shown, "Done") { RecordType = ProgressRecordType.Completed });
        }

        return file!;
    }

    private static ProgressRecord UploadProgress(string shown, long sent, long total) =>
        new(UploadActivityId, "Uploading " + shown, $"{sent / 1048576.0:0.0} of {total / 1048576.0:0.0} MB")
        {
            PercentComplete = total > 0 ? (int)Math.Min(100, sent * 100 / total) : 100,
            RecordType = sent >= total ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };

    // A file is usable once ACTIVE; FAILED ends the wait too (the caller reports it). Ctrl+C cancels the delay.
    private async Task<GeminiFile> WaitUntilProcessedAsync(GeminiFile file, string shown, Outbox outbox, CancellationToken token)
    {
        TimeSpan pause = FirstPoll;
        int polls = 0;
        while (IsProcessing(file))
        {
            polls++;
            if (outbox.IsVerboseEnabled)
                outbox.Verbose($"{file.Name} is {file.State ?? "not ready"}; asking again in {pause.TotalSeconds:0.##} s.");
            var record = new ProgressRecord(ProcessingActivityId, "Waiting for " + shown, $"{file.State ?? "PROCESSING"} ({polls} poll(s))");
            outbox.Run(c => c.WriteProgress(record));
            await Task.Delay(pause, token).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPoll.Ticks));
            file = await Client.Files.GetAsync(file.Name!, outbox, token).ConfigureAwait(false);
        }

        if (polls > 0)
        {
            var done = new ProgressRecord(ProcessingActivityId, "Waiting for " + shown, file.State ?? "Done") { RecordType = ProgressRecordType.Completed };
            outbox.Run(c => c.WriteProgress(done));
        }

        if (outbox.IsVerboseEnabled)
            outbox.Verbose($"{file.Name} is {file.State}.");
        return file;
    }

    private static bool IsProcessing(GeminiFile file) => file.State is null or "PROCESSING" or "STATE_UNSPECIFIED";

    /// <summary>The error of a file the server could not process (state FAILED), with its reason when it gave one.</summary>
    private protected static ErrorRecord FileFailed(GeminiFile file, object? target)
    {
        string message = $"The Files API could not process {file.Name} ({file.DisplayName ?? file.MimeType}): "
            + (file.ErrorMessage ?? "its state is FAILED, with no reason given") + ".";
        return new ErrorRecord(new InvalidOperationException(message), "GeminiFileFailed", ErrorCategory.InvalidData, target ?? file)
        {
            ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = "Check that the file is what its MIME type says (pass -MimeType if the extension misleads), and that the model takes that kind of file; remove it with Remove-GeminiFile.",
            },
        };
    }

    /// <summary>
    /// The record of a failed Files API call. An upload route that answers 404, 405 or 501 means the endpoint has no
    /// Files API (a relay such as CometAPI may not), which is said plainly, with what to do instead.
    /// </summary>
    private protected ErrorRecord FilesError(GeminiException e, object? target)
    {
        if (IsNoFilesApi(e))
        {
            GeminiException masked = Secrets.Redact(e, Endpoint.ApiKey);
            string message = $"The endpoint {Endpoint.BaseUri.GetLeftPart(UriPartial.Authority)} has no Files API (it answered {masked.StatusCode} to the upload route), so files cannot be uploaded there.";
            return new ErrorRecord(masked, "GeminiFilesApiUnavailable", ErrorCategory.NotImplemented, target)
            {
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = "Send a smaller file inline (under -MaxInlineSize, 20 MB by default), or use Google's endpoint, which has the Files API: -BaseUri https://generativelanguage.googleapis.com with a Google key.",
                },
            };
        }

        return GeminiError(e, target);
    }

    private static bool IsNoFilesApi(GeminiException e) => e.Failure == GeminiFailure.Http && e.StatusCode is 404 or 405 or 501;

    /// <summary>
    /// What <see cref="Generation.FileInput"/> calls for a file over -MaxInlineSize when the command may upload it
    /// (<paramref name="upload"/>: -Upload, or Connect-Gemini -AutoUpload): the file uploaded and waited for, as a
    /// fileData part, or the error to write for it. Null when uploading is off: such a file is refused as before.
    /// </summary>
    private protected Func<string, string, (Part? Part, ErrorRecord? Error)>? Uploader(SwitchParameter upload)
    {
        bool on = MyInvocation.BoundParameters.ContainsKey("Upload") ? upload.IsPresent : GeminiConnection.Session?.AutoUpload == true;
        if (!on)
            return null;
        return (fullPath, mimeType) =>
        {
            if (_client is null)
                Connect();
            long length = new FileInfo(fullPath).Length;
            this.WriteVerboseLine(string.Format(
                CultureInfo.InvariantCulture,
                "'{0}' is {1:0.#} MB, over -MaxInlineSize: it goes through the Files API ({2}).",
                Path.GetFileName(fullPath),
                length / 1048576.0,
                MyInvocation.BoundParameters.ContainsKey("Upload") ? "-Upload" : "Connect-Gemini -AutoUpload"));
            // -WhatIf sends nothing, uploads included: the request shown names the file it would have uploaded.
            if (this.IsWhatIf())
            {
                ShouldProcess(fullPath, "Upload through the Files API");
                return (PartFactory.FromUri($"(not uploaded under -WhatIf: {Path.GetFileName(fullPath)})", mimeType), null);
            }

            GeminiFile file;
            try
            {
                file = UploadFile(fullPath, mimeType, displayName: null, wait: true);
            }
            catch (GeminiException e)
            {
                return (null, FilesError(e, fullPath));
            }

            if (file.State == "FAILED")
                return (null, FileFailed(file, fullPath));
            this.WriteVerboseLine($"'{Path.GetFileName(fullPath)}' is {file.Name}; the request names it by its URI {file.Uri} (kept 48 hours; Remove-GeminiFile deletes it sooner).");
            return (file.ToPart(), null);
        };
    }
}
