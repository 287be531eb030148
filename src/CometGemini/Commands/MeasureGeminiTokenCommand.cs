using System.Management.Automation;
using CometGemini.Client;
using CometGemini.Generation;

namespace CometGemini.Commands;

/// <summary>Counts the tokens of exactly the request Invoke-GeminiContent would send for the same input and options.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "GeminiToken", DefaultParameterSetName = PromptSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GeminiTokenCount))]
public sealed class MeasureGeminiTokenCommand : GenerationCommand
{
    private PipelineInputs? _inputs;

    protected override void BeginProcessing() => _inputs = new PipelineInputs(this, StartGenerating());

    protected override void ProcessRecord()
    {
        foreach (RequestInput input in _inputs!.Record())
            Count(input.Request, input.Input, input.SourcePath);
    }

    protected override void EndProcessing()
    {
        foreach (RequestInput input in _inputs!.End())
            Count(input.Request, input.Input, input.SourcePath);
    }

    private void Count(GenerateContentRequest request, object? input, string? sourcePath)
    {
        if (!ShouldSend(request, "Counting the tokens of 1 request"))
            return;
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
