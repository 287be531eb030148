using System.Management.Automation;

namespace CometGemini.Commands;

/// <summary>
/// -AsObject: a JSON or enum answer as PowerShell objects, for every command that writes answers
/// (Invoke-GeminiContent, Get-GeminiStream, Receive-GeminiBatchJob).
/// </summary>
internal static class AnswerObjects
{
    /// <summary>The parsed answer, a top-level array unrolled; the text for an answer that is not structured; invalid JSON is an error.</summary>
    public static void Write(Cmdlet cmdlet, GenerateContentResponse response)
    {
        if (!response.IsStructured)
        {
            if (response.Text.Length > 0)
                cmdlet.WriteObject(response.Text);
            return;
        }

        if (response.ParseError is { } error)
            cmdlet.WriteError(NotJson(error, response));
        else if (response.Parsed is object?[] items)
            cmdlet.WriteObject(items, enumerateCollection: true);
        else if (response.Parsed is not null)
            cmdlet.WriteObject(response.Parsed);
    }

    /// <summary>The error for a JSON answer that does not parse; its target is the response (or the stream's last chunk), the raw text on the exception.</summary>
    public static ErrorRecord NotJson(StructuredOutputException error, object? target) =>
        new(error, "GeminiAnswerNotJson", ErrorCategory.ParserError, target)
        {
            ErrorDetails = new ErrorDetails(error.Message)
            {
                RecommendedAction = error.FinishReason == FinishReasons.MaxTokens
                    ? "Raise -MaxOutputTokens (or lower the thinking budget) so the whole answer fits, and run the request again."
                    : "Run the request again, or give a schema (-ResponseSchema, -ResponseJsonSchema); the raw answer is in the exception's RawText.",
            },
        };
}
