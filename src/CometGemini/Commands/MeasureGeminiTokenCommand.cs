using System.Management.Automation;
using CometGemini.Client;

namespace CometGemini.Commands;

/// <summary>Counts the tokens of exactly the request Invoke-GeminiContent would send for the same input and options.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "GeminiToken", DefaultParameterSetName = PromptSet)]
[OutputType(typeof(GeminiTokenCount))]
public sealed class MeasureGeminiTokenCommand : GenerationCommand
{
    private protected override void Send(GenerateContentRequest request, object? input, string? sourcePath)
    {
        try
        {
            GeminiTokenCount? count = null;
            RunAsync(async (outbox, token) => count = await Client.Tokens.CountAsync(ModelId, request, outbox, token).ConfigureAwait(false));
            count!.Model = ModelId;
            count.Input = input;
            count.SourcePath = sourcePath;
            WriteObject(count);
        }
        catch (GeminiException e)
        {
            WriteGeminiError(e, input);
        }
    }
}
