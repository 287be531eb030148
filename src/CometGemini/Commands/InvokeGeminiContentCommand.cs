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
            RunAsync(async (outbox, token) =>
            {
                GenerateContentResponse response = await Client.GenerateContentAsync(ModelId, request, outbox, token).ConfigureAwait(false);
                answer = response.FirstCandidate?.Content;
                response.Input = input;
                response.SourcePath = sourcePath;
                response.Model = ModelId;
                foreach (string warning in ResponseWarnings.For(response))
                    outbox.Warning(warning);
                outbox.Object(response);
            });
            Remember(request, answer);
        }
        catch (GeminiException e)
        {
            WriteGeminiError(e, input);
        }
    }
}
