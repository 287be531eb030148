using System.Management.Automation;
using CometGemini.Client;
using CometGemini.Generation;

namespace CometGemini.Commands;

[Cmdlet(VerbsLifecycle.Invoke, "GeminiContent", DefaultParameterSetName = PromptSet, SupportsShouldProcess = true)]
[OutputType(typeof(GenerateContentResponse), typeof(System.IO.FileInfo), typeof(GeminiRunSummary))]
public sealed partial class InvokeGeminiContentCommand : AnsweringCommand
{
    private PipelineInputs? _inputs;

    // Each input's request runs in the background (up to -ThrottleLimit at once, see .Batch.cs); its answer is written here.
    protected override void ProcessRecord()
    {
        foreach (RequestInput input in _inputs!.Record())
            Enqueue(new BatchItem(input.Request, input.Input, input.SourcePath));
    }

    // On the pipeline thread, in input order (or as answers come with -Unordered): one input's final answer.
    private void WriteAnswer(BatchItem item, GenerateContentResponse response)
    {
        response.Input = item.Input;
        response.SourcePath = item.SourcePath;
        response.RequestedModel = ModelId;
        WarnIfRouted(response.ModelVersion);
        response.RequestedMimeType = item.Request.GenerationConfig?.ResponseMimeType;
        response.ToolCalls = item.ToolCalls.ToGeminiList();
        foreach (string warning in ResponseWarnings.For(response))
            WriteWarning(warning);
        Remember(item.Request, response.FirstCandidate?.Content); // first: a downstream Select-Object -First may end us at WriteObject
        if (AsObject.IsPresent)
            WriteAnswerObjects(response);
        else
            WriteObject(response);
        SaveMedia(MediaOf(response));
    }
}
