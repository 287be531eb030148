using System;
using System.IO;
using System.Management.Automation;
using CometGemini.Client;
using CometGemini.Generation;

namespace CometGemini.Commands;

/// <summary>The one mapping from failures to PowerShell ErrorRecords: category, id, target and what to do.</summary>
internal static partial class ErrorRecords
{
    /// <summary>The record of a failed call; <paramref name="action"/>, when given, replaces the advice the failure itself suggests.</summary>
    public static ErrorRecord FromGemini(GeminiException e, object? target, string? action = null)
    {
        (ErrorCategory category, string classified) = Classify(e);
        action ??= classified;
        string id = e.Failure == GeminiFailure.Http ? $"GeminiHttp{e.StatusCode}" : "Gemini" + e.Failure;
        return new ErrorRecord(e, id, category, target)
        {
            ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = action },
        };
    }

    public static ErrorRecord FromInput(Exception e, string id, object? target)
    {
        ErrorCategory category = e switch
        {
            FileNotFoundException or DirectoryNotFoundException or ItemNotFoundException or System.Management.Automation.DriveNotFoundException => ErrorCategory.ObjectNotFound,
            UnauthorizedAccessException => ErrorCategory.PermissionDenied,
            InvalidDataException or ArgumentException => ErrorCategory.InvalidArgument,
            EmptyInputException => ErrorCategory.InvalidData,
            _ => ErrorCategory.ReadError,
        };
        string? action = e switch
        {
            FileNotFoundException or DirectoryNotFoundException or ItemNotFoundException or System.Management.Automation.DriveNotFoundException =>
                "Check the path: a relative path starts at the current location (Get-Location); -LiteralPath takes the name as written, without wildcards.",
            UnauthorizedAccessException => "Check that the current user may read (or write) the file, or copy it somewhere that allows it.",
            IOException and not EndOfStreamException and not EmptyInputException => "Close the program that holds the file open (or copy the file), then try again.",
            _ => null, // the message of an InvalidDataException or ArgumentException already says what to change
        };
        return new ErrorRecord(e, id, category, target)
        {
            ErrorDetails = action is null ? null : new ErrorDetails(e.Message) { RecommendedAction = action },
        };
    }

    /// <summary>An input not sent because the token budget would be passed (-MaxTotalTokens, Connect-Gemini -MaxTotalTokens).</summary>
    public static ErrorRecord BudgetExceeded(TokenBudgetExceededException e, object? target) =>
        new(e, "GeminiBudgetExceeded", ErrorCategory.LimitsExceeded, target)
        {
            ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = e.Refusal.RecommendedAction },
        };

    /// <summary>For an invocation that cannot work at all (no key, bad base URI, conflicting options).</summary>
    public static ErrorRecord Usage(string message, string id, ErrorCategory category, object? target, string? action = null) =>
        new(new ArgumentException(message), id, category, target)
        {
            ErrorDetails = action is null ? null : new ErrorDetails(message) { RecommendedAction = action },
        };

    private static (ErrorCategory, string) Classify(GeminiException e)
    {
        const string kept = "The chunks that arrived were written to the pipeline; the exception's PartialText holds their text. Run the request again for a complete answer.";
        return e.Failure switch
        {
            GeminiFailure.Network => (ErrorCategory.ConnectionError, "Check the network connection, the proxy (-Proxy) and the base URI (-BaseUri or COMETAPI_BASE_URL)."),
            GeminiFailure.Timeout => (ErrorCategory.OperationTimeout, e.PartialChunks.Count > 0 ? kept : "Raise -TimeoutSec, or try again later."),
            GeminiFailure.WrongEndpoint => (ErrorCategory.InvalidArgument, "Point -BaseUri or $env:COMETAPI_BASE_URL at the API host: https://api.cometapi.com (CometAPI) or https://generativelanguage.googleapis.com (Google)."),
            GeminiFailure.Protocol => (ErrorCategory.ProtocolError, e.PartialChunks.Count > 0 ? kept : "The endpoint did not answer as Gemini's API does. Check -BaseUri, or try again."),
            GeminiFailure.MidStream or GeminiFailure.Truncated => (ErrorCategory.ProtocolError, kept),
            GeminiFailure.ResponseTooLarge => (ErrorCategory.LimitsExceeded, ResponseLimits.RaiseAdvice + (e.PartialChunks.Count > 0 ? " " + kept : string.Empty)),
            _ => ClassifyHttp(e),
        };
    }

    private static (ErrorCategory, string) ClassifyHttp(GeminiException e)
    {
        if (e.Reason == "API_KEY_INVALID" || e.StatusCode == 401)
            return (ErrorCategory.AuthenticationError, "Check the API key: set $env:COMETAPI_KEY (or pass -ApiKey) to a valid key for this endpoint.");

        string retried = e.Attempts > 1 ? $" (tried {e.Attempts} times; -MaxRetries sets how often)" : string.Empty;
        return e.StatusCode switch
        {
            400 when e.ServerMessage?.IndexOf("thinking", StringComparison.OrdinalIgnoreCase) >= 0 => (ErrorCategory.InvalidArgument,
                "The model does not take this thinking option. Gemini 3 and later models take -ThinkingLevel (which levels, their model card says), "
                + "Gemini 2.5 models -ThinkingBudget; Get-GeminiModel <model> shows whether a model thinks."),
            400 => (ErrorCategory.InvalidArgument, "Change the request as the server's message says; -Debug shows the request body."),
            403 => (ErrorCategory.PermissionDenied, "The key may not use this model or API: check its permissions, or that the API is enabled for its project."),
            404 => (ErrorCategory.ObjectNotFound, "Check the model name (-Model) and the base URI; Tab after -Model lists known models."),
            408 or 504 => (ErrorCategory.OperationTimeout, "The server timed out" + retried + ". Try again later or with a shorter request."),
            429 => (ErrorCategory.QuotaExceeded,
                "The quota or rate limit was reached" + retried + "."
                + (e.RetryAfter is TimeSpan wait ? $" The server asked to wait {wait.TotalSeconds:0.#} s." : string.Empty)
                + " Slow down, raise -MaxRetries, or check the plan's limits."),
            >= 500 => (ErrorCategory.ResourceUnavailable, "The service is busy or failing" + retried + ". Try again later."),
            _ => (ErrorCategory.NotSpecified, "See the server's message."),
        };
    }
}
