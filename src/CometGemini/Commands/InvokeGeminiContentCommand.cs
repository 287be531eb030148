using System.Collections.Generic;
using System.Management.Automation;
using CometGemini.Client;

namespace CometGemini.Commands;

[Cmdlet(VerbsLifecycle.Invoke, "GeminiContent", DefaultParameterSetName = PromptSet, SupportsShouldProcess = true)]
[OutputType(typeof(GenerateContentResponse), typeof(System.IO.FileInfo))]
public sealed class InvokeGeminiContentCommand : AnsweringCommand
{
    private protected override void Send(GenerateContentRequest request, object? input, string? sourcePath)
    {
        var toolCalls = new List<ToolCall>();
        try
        {
            GenerateContentResponse? response;
            do
            {
                response = null;
                RunAsync(async (outbox, token) => response = await Client.GenerateContentAsync(ModelId, request, outbox, token).ConfigureAwait(false));
            }
            while (ContinueWithTools(request, response!.FirstCandidate?.Content, toolCalls));

            response.Input = input;
            response.SourcePath = sourcePath;
            response.Model = ModelId;
            response.RequestedMimeType = request.GenerationConfig?.ResponseMimeType;
            response.ToolCalls = toolCalls.ToArray();
            foreach (string warning in ResponseWarnings.For(response))
                WriteWarning(warning);
            Remember(request, response.FirstCandidate?.Content); // first: a downstream Select-Object -First may end us at WriteObject
            if (AsObject.IsPresent)
                WriteAnswerObjects(response);
            else
                WriteObject(response);
            SaveMedia(MediaOf(response));
        }
        catch (GeminiException e)
        {
            WriteGeminiError(e, input);
        }
    }
}
