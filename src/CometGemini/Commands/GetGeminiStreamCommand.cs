using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading.Tasks;
using CometGemini.Client;

namespace CometGemini.Commands;

[Cmdlet(VerbsCommon.Get, "GeminiStream", DefaultParameterSetName = PromptSet)]
[OutputType(typeof(GeminiStreamChunk), typeof(System.IO.FileInfo))]
public sealed class GetGeminiStreamCommand : GenerationCommand
{
    private protected override void Send(GenerateContentRequest request, object? input, string? sourcePath)
    {
        try
        {
            RunAsync(async (outbox, token) =>
            {
                int index = 0;
                string? blockReason = null;
                var answer = new StringBuilder();
                GenerateContentResponse? last = null;
                var audio = new List<GeminiAudio>();
                await foreach (GenerateContentResponse chunk in Client.StreamGenerateContentAsync(ModelId, request, outbox, token).ConfigureAwait(false))
                {
                    chunk.Input = input;
                    chunk.SourcePath = sourcePath;
                    chunk.Model = ModelId;
                    last = chunk;
                    blockReason ??= chunk.PromptFeedback?.BlockReason;
                    answer.Append(chunk.Text);
                    outbox.Object(new GeminiStreamChunk(chunk, index++, input, sourcePath));
                    SaveMedia(outbox, chunk.Images);
                    audio.AddRange(chunk.Audio);
                }

                // Streamed speech comes in pieces of PCM: one file for the whole answer, once it has ended.
                SaveMedia(outbox, GeminiAudio.Join(audio));

                foreach (string warning in ResponseWarnings.For(last?.FinishReason, blockReason, answer.Length == 0, last?.UsageMetadata))
                    outbox.Warning(warning);
            });
        }
        catch (GeminiException e)
        {
            WriteGeminiError(e, input);
        }
    }
}
