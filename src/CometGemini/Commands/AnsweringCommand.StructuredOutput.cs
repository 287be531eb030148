using System.Management.Automation;

namespace CometGemini.Commands;

// -AsObject: the answer as PowerShell objects instead of the response (or the stream's chunks).
public abstract partial class AnsweringCommand
{
    [Parameter]
    public SwitchParameter AsObject { get; set; }

    /// <summary>Invoke-GeminiContent -AsObject: the parsed answer, a top-level array unrolled; invalid JSON is an error.</summary>
    private protected void WriteAnswerObjects(GenerateContentResponse response) => AnswerObjects.Write(this, response);

    private protected void WriteNotJson(StructuredOutputException error, object? target) => WriteError(AnswerObjects.NotJson(error, target));
}
