using System.Management.Automation;
using CometGemini.Client;

namespace CometGemini.Commands;

[Cmdlet(VerbsLifecycle.Invoke, "GeminiContent", DefaultParameterSetName = PromptSet)]
[OutputType(typeof(GenerateContentResponse))]
public sealed class InvokeGeminiContentCommand : GenerationCommand
{
    private protected override void Send(GenerateContentRequest request, object? input, string? sourcePath)
    {
        try
        {
            Content? answer = null;
            GenerateContentResponse? asObject = null;
            RunAsync(async (outbox, token) =>
            {
                GenerateContentResponse response = await Client.GenerateContentAsync(ModelId, request, outbox, token).ConfigureAwait(false);
                answer = response.FirstCandidate?.Content;
                response.Input = input;
                response.SourcePath = sourcePath;
                response.Model = ModelId;
                response.RequestedMimeType = request.GenerationConfig?.ResponseMimeType;
                foreach (string warning in ResponseWarnings.For(response))
                    outbox.Warning(warning);
                if (AsObject.IsPresent)
                    asObject = response;
                else
                    outbox.Object(response);
            });
            if (asObject is not null)
                WriteAnswerObjects(asObject);
            Remember(request, answer);
        }
        catch (GeminiException e)
        {
            WriteGeminiError(e, input);
        }
    }
}
