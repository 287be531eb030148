using System.Linq;

namespace CometGemini;

/// <summary>One server event of Get-GeminiStream, as it arrived.</summary>
public sealed class GeminiStreamChunk
{
    public GeminiStreamChunk(GenerateContentResponse response, int index, object? input, string? sourcePath)
    {
        Response = response;
        Index = index;
        Input = input;
        SourcePath = sourcePath;
        string answer = response.Text;
        string thoughts = response.Thoughts;
        IsThought = answer.Length == 0 && thoughts.Length > 0;
        Text = IsThought ? thoughts : answer;
    }

    /// <summary>0 for the first chunk of a stream.</summary>
    public int Index { get; }

    /// <summary>The text this chunk adds: answer text, or the thought summary when IsThought.</summary>
    public string Text { get; }

    /// <summary>True when the chunk carries only thought summaries (with -IncludeThoughts).</summary>
    public bool IsThought { get; }

    /// <summary>Set on the last chunk of the answer.</summary>
    public string? FinishReason => Response.FinishReason;

    /// <summary>Token counts so far; the last chunk's are the final ones.</summary>
    public UsageMetadata? UsageMetadata => Response.UsageMetadata;

    public string? ModelVersion => Response.ModelVersion;

    /// <summary>True for the one chunk of an answer that came from -AnswerCache.</summary>
    public bool FromCache => Response.FromCache;

    /// <summary>The whole chunk as the server sent it.</summary>
    public GenerateContentResponse Response { get; }

    /// <summary>The images this chunk carries (image models send them whole, usually in the last chunk).</summary>
    public GeminiList<GeminiImage> Images => Response.Images;

    /// <summary>The audio this chunk carries (a streamed TTS answer comes as pieces of PCM).</summary>
    public GeminiList<GeminiAudio> Audio => Response.Audio;

    /// <summary>Function calls, inline data and other non-text parts of this chunk.</summary>
    public GeminiList<Part> Parts => Response.FirstCandidate?.Content?.Parts.ToGeminiList() ?? new GeminiList<Part>();

    public object? Input { get; }

    public string? SourcePath { get; }

    public override string ToString() => Text;
}
