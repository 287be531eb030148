using System.Management.Automation;
using CometGemini.Client;

namespace CometGemini.Commands;

[Cmdlet(VerbsLifecycle.Invoke, "GeminiContent", DefaultParameterSetName = PromptSet)]
[OutputType(typeof(GenerateContentResponse), typeof(System.IO.FileInfo))]
public sealed class InvokeGeminiContentCommand : GenerationCommand
{
    private protected override void Send(GenerateContentRequest request, object? input, string? sourcePath)
    {
        try
        {
            RunAsync(async (outbox, token) =>
            {
                GenerateContentResponse response = await Client.GenerateContentAsync(ModelId, request, outbox, token).ConfigureAwait(false);
                response.Input = input;
                response.SourcePath = sourcePath;
                response.Model = ModelId;
                foreach (string warning in ResponseWarnings.For(response))
                    outbox.Warning(warning);
                outbox.Object(response);
                SaveMedia(outbox, response);
            });
        }
        catch (GeminiException e)
        {
            WriteGeminiError(e, input);
        }
    }
}
