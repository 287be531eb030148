using System.Collections.Generic;
using System.Linq;
using CometGemini;

namespace CometGemini.Commands;

/// <summary>Answers that came back but are not what was asked for: blocked, cut short, or empty.</summary>
internal static class ResponseWarnings
{
    private const int ShownFields = 5;

    private static readonly string[] ResponseFields = { "candidates", "promptFeedback", "usageMetadata", "modelVersion", "responseId", "createTime", "modelStatus" };

    /// <summary>The warnings for one answer, or for all the chunks of one streamed answer.</summary>
    public static IEnumerable<string> For(IReadOnlyList<GenerateContentResponse> answer)
    {
        GenerateContentResponse? last = answer.LastOrDefault(c => c.FinishReason is not null) ?? answer.LastOrDefault();
        PromptFeedback? feedback = answer.Select(c => c.PromptFeedback).FirstOrDefault(f => f?.BlockReason is not null || f?.BlockReasonMessage is not null);
        bool textEmpty = answer.All(c => c.Text.Length == 0);
        List<string> warnings = For(last?.FinishReason, feedback?.BlockReason, feedback?.BlockReasonMessage, textEmpty, last?.UsageMetadata).ToList();
        if (warnings.Count == 0 && textEmpty && Empty(answer, last?.FinishReason) is { } why)
            warnings.Add(why);
        return warnings;
    }

    public static IEnumerable<string> For(GenerateContentResponse response) => For(new[] { response });

    private static IEnumerable<string> For(string? finishReason, string? blockReason, string? blockMessage, bool answerEmpty, UsageMetadata? usage)
    {
        if (blockReason is not null || blockMessage is not null)
        {
            string why = string.Join(": ", new[] { blockReason, blockMessage is null ? null : Shown(blockMessage) }.Where(s => s is not null));
            yield return $"The prompt was blocked ({why}); there is no answer. Rephrase the prompt, or adjust -SafetySetting where the category allows it.";
            yield break;
        }

        switch (finishReason)
        {
            case null or FinishReasons.Stop:
                break;
            case FinishReasons.MaxTokens when answerEmpty && usage?.ThoughtsTokenCount > 0:
                yield return $"The answer is empty: thinking used the whole output budget ({usage.ThoughtsTokenCount} thought tokens). Raise -MaxOutputTokens, or lower -ThinkingBudget or -ThinkingLevel.";
                break;
            case FinishReasons.MaxTokens:
                yield return "The answer was cut off at the output token limit (MAX_TOKENS). Raise -MaxOutputTokens for a complete answer.";
                break;
            case FinishReasons.Safety:
                yield return $"The answer was stopped by safety filters ({finishReason}). See the candidate's SafetyRatings; -SafetySetting can adjust some thresholds.";
                break;
            case FinishReasons.NoImage:
                yield return "The model made no image (NO_IMAGE). Ask for an image explicitly, use an image model, and include Image in -ResponseModality.";
                break;
            case FinishReasons.ImageSafety:
                yield return "The image was stopped by safety filters (IMAGE_SAFETY). Rephrase the prompt.";
                break;
            case FinishReasons.ImageProhibitedContent:
                yield return "No image was made because the request asks for prohibited content (IMAGE_PROHIBITED_CONTENT). Rephrase the prompt.";
                break;
            case FinishReasons.ImageRecitation:
                yield return "The image was stopped because it resembled existing work too closely (IMAGE_RECITATION). Ask for something more original.";
                break;
            case FinishReasons.ImageOther:
                yield return "No image was made, for a reason the service does not name (IMAGE_OTHER). Try again or rephrase the prompt.";
                break;
            case FinishReasons.Recitation:
                yield return "The answer was stopped because it recited training data too closely (RECITATION). Rephrase the prompt or ask for a summary in your own terms.";
                break;
            default:
                yield return $"The answer ended with finish reason {finishReason}.";
                break;
        }
    }

    // An answer with no text that the finish reason does not explain: say what was missing, so a report row that
    // is empty is never silent. Answers that hold something else (a function call, media, code) are not empty.
    private static string? Empty(IReadOnlyList<GenerateContentResponse> answer, string? finishReason)
    {
        List<Part> parts = answer.SelectMany(c => c.FirstCandidate?.Content?.Parts ?? Enumerable.Empty<Part>()).Where(p => p is not null).ToList();
        if (parts.Any(p => p.Kind != "Text"))
            return null;
        string reason = finishReason is null ? "no finish reason" : $"finish reason {Shown(finishReason)}";
        if (answer.Count == 0)
            return "The answer is empty: the server sent nothing.";
        if (answer.All(c => c.Candidates is not { Count: > 0 }))
        {
            IEnumerable<string> fields = answer.SelectMany(c => c.ExtensionData?.Keys ?? Enumerable.Empty<string>()).Distinct();
            bool gemini = answer.Any(c => c.Candidates is not null || c.PromptFeedback is not null || c.UsageMetadata is not null);
            return gemini
                ? "The answer is empty: the server sent no candidates and no reason. Try again, or check the prompt with -Debug."
                : $"The answer is empty: the server's reply is not a Gemini answer ({Fields(fields)}). Check -BaseUri, or look at the reply with -Debug.";
        }

        if (answer.All(c => c.FirstCandidate?.Content is null))
            return $"The answer is empty: the candidate has no content ({reason}). Try again, or check the prompt with -Debug.";
        if (parts.Count == 0)
        {
            IEnumerable<string> fields = answer.SelectMany(c => c.FirstCandidate?.Content?.ExtensionData?.Keys ?? Enumerable.Empty<string>()).Distinct();
            return fields.Any()
                ? $"The answer is empty: the candidate's content has no parts, only fields this module does not know ({Fields(fields)}; {reason})."
                : $"The answer is empty: the candidate's content has no parts ({reason}). Try again, or check the prompt with -Debug.";
        }

        return parts.Any(p => p.Thought == true && !string.IsNullOrEmpty(p.Text))
            ? $"The answer is empty: the model sent only thoughts, no answer text ({reason}). Raise -MaxOutputTokens or ask again."
            : $"The answer is empty: the model sent only empty text ({reason}).";
    }

    private static string Fields(IEnumerable<string> fields)
    {
        List<string> names = fields.Where(f => !ResponseFields.Contains(f)).Select(Shown).ToList();
        return names.Count == 0 ? "no fields"
            : "its fields: " + string.Join(", ", names.Take(ShownFields)) + (names.Count > ShownFields ? $" and {names.Count - ShownFields} more" : string.Empty);
    }

    // Server text in a warning: control characters escaped, bounded.
    private static string Shown(string text) => DisplayText.Short(text, 200);
}
