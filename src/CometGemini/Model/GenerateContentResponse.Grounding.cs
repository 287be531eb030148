using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Serialization;

namespace CometGemini;

// Grounding (search, Maps, URL context) and code execution of the first candidate, as objects.
public sealed partial class GenerateContentResponse
{
    private Grounding? _grounding;

    /// <summary>The sources the answer is grounded in, numbered as Citations and CitedText cite them.</summary>
    [JsonIgnore]
    public GeminiList<GeminiSource> Sources => Grounded.Sources.ToGeminiList();

    /// <summary>The Google Search queries the model ran.</summary>
    [JsonIgnore]
    public GeminiList<string> SearchQueries => FirstCandidate?.GroundingMetadata?.WebSearchQueries.ToGeminiList() ?? new GeminiList<string>();

    /// <summary>The parts of the answer that sources support, each with its text and source numbers.</summary>
    [JsonIgnore]
    public GeminiList<GeminiCitation> Citations => Grounded.Citations.ToGeminiList();

    /// <summary>The answer with [n] markers after each cited part, followed by the numbered sources; Text when nothing is grounded.</summary>
    [JsonIgnore]
    public string CitedText => Grounded.CitedText();

    /// <summary>Each piece of code the model ran (code execution tool) with its outcome and output.</summary>
    [JsonIgnore]
    public GeminiList<GeminiCodeExecution> CodeExecutions => GeminiCodeExecution.From(FirstCandidate?.Content?.Parts).ToGeminiList();

    /// <summary>The answer with the code the model ran and its output in order, as Markdown code blocks; Text when no code ran.</summary>
    [JsonIgnore]
    public string FullText => GeminiCodeExecution.Render(FirstCandidate?.Content?.Parts) ?? Text;

    /// <summary>
    /// For a stream chunk: the answer text of the whole stream so far, which the grounding metadata of the last
    /// chunk counts its offsets in.
    /// </summary>
    [JsonIgnore]
    internal string? GroundedText { get; set; }

    private Grounding Grounded =>
        _grounding ??= FirstCandidate?.GroundingMetadata is { } metadata
            ? Grounding.From(metadata, FirstCandidate.Content?.Parts, GroundedText ?? Text)
            : Grounding.From(null, null, GroundedText ?? Text);

    /// <summary>Streams: a chunk with grounding supports gets the answer so far, so its citations find their text.</summary>
    internal void KeepAnswerSoFar(StringBuilder answer)
    {
        if (FirstCandidate?.GroundingMetadata?.GroundingSupports is { Count: > 0 })
            GroundedText = answer.ToString();
    }
}

/// <summary>One run of the code execution tool: the code the model wrote, and its outcome and output.</summary>
public sealed class GeminiCodeExecution
{
    public string? Id { get; private set; }

    /// <summary>PYTHON, as the server names it.</summary>
    public string? Language { get; private set; }

    public string? Code { get; private set; }

    /// <summary>OUTCOME_OK, OUTCOME_FAILED or OUTCOME_DEADLINE_EXCEEDED; null when no result came back.</summary>
    public string? Outcome { get; private set; }

    public string? Output { get; private set; }

    public bool Succeeded => Outcome == "OUTCOME_OK";

    public override string ToString() => Code ?? string.Empty;

    /// <summary>Code parts paired with their results: by id when the parts carry ids, else each result with the code before it.</summary>
    internal static GeminiCodeExecution[] From(List<Part>? parts)
    {
        var runs = new List<GeminiCodeExecution>();
        foreach (Part part in parts ?? Enumerable.Empty<Part>())
        {
            if (part.ExecutableCode is { } code)
            {
                runs.Add(new GeminiCodeExecution { Id = code.Id, Language = code.Language, Code = code.Code });
            }
            else if (part.CodeExecutionResult is { } result)
            {
                GeminiCodeExecution? run =
                    (result.Id is not null ? runs.LastOrDefault(r => r.Id == result.Id && r.Outcome is null) : null)
                    ?? runs.LastOrDefault(r => r.Outcome is null && r.Output is null);
                if (run is null)
                {
                    run = new GeminiCodeExecution { Id = result.Id };
                    runs.Add(run);
                }

                run.Outcome = result.Outcome;
                run.Output = result.Output;
            }
        }

        return runs.ToArray();
    }

    /// <summary>The answer parts in order, code and output as fenced blocks; null when there is no code part.</summary>
    internal static string? Render(List<Part>? parts)
    {
        if (parts is null || !parts.Any(p => p.ExecutableCode is not null || p.CodeExecutionResult is not null))
            return null;

        var text = new StringBuilder();
        bool endsWithBlock = false;
        foreach (Part part in parts.Where(p => !p.IsThought))
        {
            if (part.Text is not null)
            {
                text.Append(part.Text);
                endsWithBlock = false;
            }
            else if (part.ExecutableCode is { } code)
            {
                Block(text, (code.Language ?? string.Empty).ToLowerInvariant(), code.Code, label: null);
                endsWithBlock = true;
            }
            else if (part.CodeExecutionResult is { } result)
            {
                Block(text, string.Empty, result.Output, result.Outcome is null or "OUTCOME_OK" ? "Output:" : $"Output ({result.Outcome}):");
                endsWithBlock = true;
            }
        }

        if (endsWithBlock)
            text.Length--;
        return text.ToString();
    }

    private static void Block(StringBuilder text, string language, string? body, string? label)
    {
        if (text.Length > 0 && text[text.Length - 1] != '\n')
            text.Append('\n');
        if (label is not null)
            text.Append(label).Append('\n');
        text.Append("```").Append(language).Append('\n').Append(body ?? string.Empty);
        if (body is null || !body.EndsWith("\n", StringComparison.Ordinal))
            text.Append('\n');
        text.Append("```\n");
    }
}
