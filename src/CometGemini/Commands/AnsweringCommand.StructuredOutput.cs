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
    private protected void WriteAnswerObjects(GenerateContentResponse response) => AnswerObjects.Write(this, response);

    private protected void WriteNotJson(StructuredOutputException error, object? target) => WriteError(AnswerObjects.NotJson(error, target));
}
