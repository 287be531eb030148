using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading.Tasks;
using CometGemini.Client;

namespace CometGemini.Commands;

[Cmdlet(VerbsCommon.Get, "GeminiStream", DefaultParameterSetName = PromptSet)]
[OutputType(typeof(GeminiStreamChunk))]
public sealed class GetGeminiStreamCommand : GenerationCommand
{
    private protected override void Send(GenerateContentRequest request, object? input, string? sourcePath)
    {
        try
        {
            var chunks = new List<GenerateContentResponse>();
            StreamedObjects? asObject = AsObject.IsPresent ? new StreamedObjects(request.GenerationConfig?.ResponseMimeType) : null;
            RunAsync(async (outbox, token) =>
            {
                int index = 0;
                string? blockReason = null;
                var answer = new StringBuilder();
                GenerateContentResponse? last = null;
                await foreach (GenerateContentResponse chunk in Client.StreamGenerateContentAsync(ModelId, request, outbox, token).ConfigureAwait(false))
                {
                    chunk.Input = input;
                    chunk.SourcePath = sourcePath;
                    chunk.Model = ModelId;
                    last = chunk;
                    chunks.Add(chunk);
                    blockReason ??= chunk.PromptFeedback?.BlockReason;
                    answer.Append(chunk.Text);
                    chunk.KeepAnswerSoFar(answer);
                    if (asObject is null)
                        outbox.Object(new GeminiStreamChunk(chunk, index++, input, sourcePath));
                    else
                        asObject.Add(chunk.Text).ForEach(item => outbox.Object(item!));
                }

                asObject?.Complete(last?.FinishReason).ForEach(item => outbox.Object(item!));

                foreach (string warning in ResponseWarnings.For(last?.FinishReason, blockReason, answer.Length == 0, last?.UsageMetadata))
                    outbox.Warning(warning);
            });
            if (asObject?.Error is { } notJson)
                WriteNotJson(notJson, input);
            Remember(request, Content.FromStream(chunks));
        }
        catch (GeminiException e)
        {
            WriteGeminiError(e, input);
        }
    }
}
