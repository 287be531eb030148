using System.Collections.Generic;
using CometGemini;

namespace CometGemini.Commands;

/// <summary>Answers that came back but are not what was asked for: blocked, cut short, or empty.</summary>
internal static class ResponseWarnings
{
    public static IEnumerable<string> For(string? finishReason, string? blockReason, bool answerEmpty, UsageMetadata? usage)
    {
        if (blockReason is not null)
        {
            yield return $"The prompt was blocked ({blockReason}); there is no answer. Rephrase the prompt, or adjust -SafetySetting where the category allows it.";
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

    public static IEnumerable<string> For(GenerateContentResponse response) =>
        For(response.FinishReason, response.PromptFeedback?.BlockReason, response.Text.Length == 0, response.UsageMetadata);
}
