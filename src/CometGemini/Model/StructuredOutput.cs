using System;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;

namespace CometGemini;

/// <summary>The answer of a JSON-mode request was not valid JSON. RawText holds the answer as it came.</summary>
public sealed class StructuredOutputException : FormatException
{
    public StructuredOutputException(string message, string rawText, string? finishReason, Exception? inner)
        : base(message, inner)
    {
        RawText = rawText;
        FinishReason = finishReason;
    }

    /// <summary>The answer text that did not parse.</summary>
    public string RawText { get; }

    /// <summary>Why the answer ended; MAX_TOKENS means it was cut off.</summary>
    public string? FinishReason { get; }
}

/// <summary>JSON answers as PowerShell objects: objects become PSCustomObjects (properties in order), arrays object[], numbers int, long or double.</summary>
internal static class StructuredOutput
{
    public const string JsonMimeType = "application/json";
    public const string EnumMimeType = "text/x.enum";

    public static bool IsJson(string? mimeType) =>
        mimeType is not null && (mimeType.Equals(JsonMimeType, StringComparison.OrdinalIgnoreCase) || mimeType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    public static bool IsEnum(string? mimeType) => string.Equals(mimeType, EnumMimeType, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses JSON answer text (a Markdown code fence around it is tolerated); throws StructuredOutputException.</summary>
    public static object? Parse(string text, string? finishReason)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(Unfence(text));
            return ToPowerShell(document.RootElement);
        }
        catch (JsonException e)
        {
            string why = finishReason == FinishReasons.MaxTokens
                ? "it was cut off at the output token limit (MAX_TOKENS)"
                : e.Message;
            throw new StructuredOutputException($"The answer is not valid JSON: {why}. The raw text is in the exception's RawText and the response's Text.", text, finishReason, e);
        }
    }

    public static object? ToPowerShell(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var result = new PSObject();
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    object? value = ToPowerShell(property.Value);
                    if (result.Properties[property.Name] is PSNoteProperty existing)
                        existing.Value = value; // a repeated key: the last one wins, as in JSON.parse
                    else
                        result.Properties.Add(new PSNoteProperty(property.Name, value));
                }

                return result;
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(ToPowerShell).ToArray();
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                if (element.TryGetInt32(out int small))
                    return small;
                if (element.TryGetInt64(out long large))
                    return large;
                return element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    /// <summary>The text without a surrounding ```json fence, which some models add even in JSON mode.</summary>
    public static string Unfence(string text)
    {
        string trimmed = text.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal) || !trimmed.EndsWith("```", StringComparison.Ordinal) || trimmed.Length < 6)
            return text;
        int firstLine = trimmed.IndexOf('\n');
        return firstLine < 0 ? text : trimmed.Substring(firstLine + 1, trimmed.Length - 3 - firstLine - 1);
    }
}
