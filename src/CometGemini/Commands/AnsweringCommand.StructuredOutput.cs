using System.Management.Automation;

namespace CometGemini.Commands;

// -AsObject: the answer as PowerShell objects instead of the response (or the stream's chunks).
public abstract partial class AnsweringCommand
{
    [Parameter]
    public SwitchParameter AsObject { get; set; }

    /// <summary>With -AsObject and no answer format chosen (here or in the chat), asks for JSON.</summary>
    private void PrepareAsObject(GenerateContentRequest template)
    {
        if (!AsObject.IsPresent || template.GenerationConfig?.ResponseMimeType is not null)
            return;
        template.GenerationConfig ??= new GenerationConfig();
        template.GenerationConfig.ResponseMimeType = StructuredOutput.JsonMimeType;
    }

    /// <summary>Invoke-GeminiContent -AsObject: the parsed answer, a top-level array unrolled; invalid JSON is an error.</summary>
    private protected void WriteAnswerObjects(GenerateContentResponse response)
    {
        if (!response.IsStructured)
        {
            if (response.Text.Length > 0)
                WriteObject(response.Text);
            return;
        }

        if (response.ParseError is { } error)
            WriteNotJson(error, response);
        else if (response.Parsed is object?[] items)
            WriteObject(items, enumerateCollection: true);
        else if (response.Parsed is not null)
            WriteObject(response.Parsed);
    }

    /// <summary>The error for a JSON answer that does not parse; its target is the response (or the stream's last chunk), the raw text on the exception.</summary>
    private protected void WriteNotJson(StructuredOutputException error, object? target) =>
        WriteError(new ErrorRecord(error, "GeminiAnswerNotJson", ErrorCategory.ParserError, target)
        {
            ErrorDetails = new ErrorDetails(error.Message)
            {
                RecommendedAction = error.FinishReason == FinishReasons.MaxTokens
                    ? "Raise -MaxOutputTokens (or lower the thinking budget) so the whole answer fits, and run the request again."
                    : "Run the request again, or give a schema (-ResponseSchema, -ResponseJsonSchema); the raw answer is in the exception's RawText.",
            },
        });
}
