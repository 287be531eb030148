using System;
using System.Management.Automation;
using System.Text.RegularExpressions;
using CometGemini.Client;

namespace CometGemini.Commands;

// The errors of batch jobs: an endpoint without Batch Mode said plainly, jobs not found or not finished, failed requests.
internal static partial class ErrorRecords
{
    private const string NoBatchModeAction =
        "Send the requests with Invoke-GeminiContent -ThrottleLimit (several at a time) instead; or use Google's endpoint, which offers Batch Mode "
        + "(-BaseUri https://generativelanguage.googleapis.com with a Google AI Studio key).";

    // What proxies answer for a path they do not route ("Invalid URL (POST /v1beta/…)", "Method not found", …).
    private static readonly Regex NoSuchMethod = new(
        @"method not found|not support|unsupported|not implemented|unimplemented|invalid url|no route|unknown (path|url|endpoint|method)|cannot (get|post|delete)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex ModelNotFound = new(@"models/\S+ is not found", RegexOptions.CultureInvariant);

    /// <summary>A failed call to a batch or Files endpoint; <paramref name="what"/> names the call ("batchGenerateContent").</summary>
    public static ErrorRecord FromBatchCall(GeminiException e, object? target, string what, Uri baseUri, string? jobName = null)
    {
        string host = baseUri.GetLeftPart(UriPartial.Authority);
        string said = e.ServerMessage ?? e.Message;
        if (IsBatchModeMissing(e))
        {
            string message = $"{host} does not offer Gemini's Batch Mode: {what} answered HTTP {e.StatusCode} ({said.Trim()}).";
            return new ErrorRecord(e, "GeminiBatchModeUnavailable", ErrorCategory.NotImplemented, target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = NoBatchModeAction },
            };
        }

        if (jobName is not null && e.Failure == GeminiFailure.Http && e.StatusCode == 404)
        {
            return new ErrorRecord(e, "GeminiBatchJobNotFound", ErrorCategory.ObjectNotFound, target)
            {
                ErrorDetails = new ErrorDetails($"There is no batch job '{jobName}' at {host} ({said.Trim()}).")
                {
                    RecommendedAction = "Check the name: Get-GeminiBatchJob lists the jobs of this key's project. A deleted job, or one made with another project's key, is not found.",
                },
            };
        }

        return FromGemini(e, target);
    }

    public static ErrorRecord BatchRequestFailed(string jobName, string key, object? input, BatchStatus status)
    {
        ErrorCategory category = status.Code switch
        {
            3 or 9 or 11 => ErrorCategory.InvalidArgument,
            4 => ErrorCategory.OperationTimeout,
            5 => ErrorCategory.ObjectNotFound,
            7 => ErrorCategory.PermissionDenied,
            8 => ErrorCategory.QuotaExceeded,
            13 or 14 => ErrorCategory.ResourceUnavailable,
            16 => ErrorCategory.AuthenticationError,
            _ => ErrorCategory.NotSpecified,
        };
        string code = status.Status ?? (status.Code is int number ? "code " + number : "no code");
        var e = new GeminiException(GeminiFailure.BatchRequest, $"Request {key} of batch job {jobName} ({Describe(input)}) failed: {status.Message ?? "no message"} ({code}).")
        {
            Status = status.Status,
            ServerMessage = status.Message,
        };
        return new ErrorRecord(e, "GeminiBatchRequestFailed", category, input)
        {
            ErrorDetails = new ErrorDetails(e.Message)
            {
                RecommendedAction = "Send this input again, with Invoke-GeminiContent or in a new batch job; the error's target object is the input.",
            },
        };
    }

    public static ErrorRecord BatchAnswerMissing(string jobName, string key, object? input) =>
        new(new InvalidOperationException($"Batch job {jobName} has no answer for request {key} ({Describe(input)})."), "GeminiBatchAnswerMissing", ErrorCategory.ObjectNotFound, input)
        {
            ErrorDetails = new ErrorDetails($"Batch job {jobName} has no answer for request {key} ({Describe(input)}).")
            {
                RecommendedAction = "Send this input again, with Invoke-GeminiContent or in a new batch job.",
            },
        };

    /// <summary>
    /// An answer that cannot be tied to its request (no key where position is not safe, a repeated key, a key that names
    /// no request); its target object is the answer itself, without Input or SourcePath, so it is not lost.
    /// </summary>
    public static ErrorRecord BatchAnswerUnmatched(string jobName, int position, string? key, string reason, object target)
    {
        string named = key is null ? "" : $" (key '{FunctionCall.Visible(key)}')";
        string message = $"Answer {position} of batch job {jobName}{named} cannot be matched to its request: {reason}. It is not written as an answer, so no Input or SourcePath is guessed for it.";
        return new ErrorRecord(new InvalidOperationException(message), "GeminiBatchAnswerUnmatched", ErrorCategory.InvalidResult, target)
        {
            ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = "The error's target object is the answer as the server gave it. To be sure which input an answer belongs to, send the inputs "
                    + "again with Invoke-GeminiContent or in a new batch job.",
            },
        };
    }

    public static ErrorRecord BatchJobNotFinished(GeminiBatchJob job) =>
        JobState(job, "GeminiBatchJobNotFinished", ErrorCategory.ResourceBusy,
            $"Batch job {job.Name} is {job.State} ({job.SucceededCount + job.FailedCount} of {job.RequestCount} requests done): its answers are not ready.",
            $"Wait for it first: Wait-GeminiBatchJob {job.Name} | Receive-GeminiBatchJob");

    public static ErrorRecord BatchJobNotSucceeded(GeminiBatchJob job) =>
        JobState(job, "GeminiBatchJobNotSucceeded", ErrorCategory.InvalidResult,
            $"Batch job {job.Name} ended {job.State} without answers{(job.Error is null ? "." : ": " + job.Error)}",
            "Start the job again (Start-GeminiBatchJob); an expired job ran out of the server's time limit (48 hours).");

    public static ErrorRecord BatchWaitTimedOut(GeminiBatchJob job, TimeSpan waited) =>
        JobState(job, "GeminiBatchWaitTimedOut", ErrorCategory.OperationTimeout,
            $"Batch job {job.Name} is still {job.State} after waiting {waited.TotalSeconds:0} s (-MaxWaitSec); it keeps running on the server.",
            $"Wait again later (Wait-GeminiBatchJob {job.Name}), or raise -MaxWaitSec.");

    public static ErrorRecord BatchJobNameInvalid(string name) =>
        Usage($"'{name}' is not a batch job name. Batch job names look like 'batches/123abc' (or just '123abc').", "GeminiBatchJobNameInvalid", ErrorCategory.InvalidArgument, name);

    private static bool IsBatchModeMissing(GeminiException e)
    {
        if (e.Failure != GeminiFailure.Http)
            return false;
        string said = e.ServerMessage ?? e.Message;
        if (ModelNotFound.IsMatch(said))
            return false;
        return e.StatusCode switch
        {
            405 or 501 => true,
            // Google's own NOT_FOUND is about the resource (a job, a model); a proxy's 404 is about the path.
            404 => e.Status != "NOT_FOUND" || NoSuchMethod.IsMatch(said),
            400 => NoSuchMethod.IsMatch(said),
            _ => false,
        };
    }

    private static ErrorRecord JobState(GeminiBatchJob job, string id, ErrorCategory category, string message, string action) =>
        new(new InvalidOperationException(message), id, category, job)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = action },
        };

    private static string Describe(object? input)
    {
        string text = input switch
        {
            null => "no input",
            System.IO.FileInfo file => file.FullName,
            _ => input.ToString() ?? string.Empty,
        };
        text = text.Replace("\r", " ").Replace("\n", " ");
        return text.Length > 60 ? "'" + text.Substring(0, 57) + "…'" : "'" + text + "'";
    }
}
