using System.Text.Json.Serialization;

namespace CometGemini;

// The answer of a JSON or enum request, parsed once, on first use.
public sealed partial class GenerateContentResponse
{
    private bool _parsed;
    private object? _result;
    private StructuredOutputException? _parseError;

    /// <summary>The responseMimeType the request asked for (set by Invoke-GeminiContent).</summary>
    [JsonIgnore]
    internal string? RequestedMimeType { get; set; }

    /// <summary>
    /// The answer of a JSON request as PowerShell objects (objects as PSCustomObjects, arrays as arrays), or the chosen
    /// value of an enum request. Null for other answers, and when the JSON answer is not valid JSON.
    /// </summary>
    [JsonIgnore]
    public object? Parsed
    {
        get
        {
            ParseOnce();
            return _result;
        }
    }

    /// <summary>Why Parsed is null for a JSON answer that did not parse; null otherwise.</summary>
    [JsonIgnore]
    internal StructuredOutputException? ParseError
    {
        get
        {
            ParseOnce();
            return _parseError;
        }
    }

    /// <summary>True when the request asked for JSON or an enum value.</summary>
    [JsonIgnore]
    internal bool IsStructured => StructuredOutput.IsJson(RequestedMimeType) || StructuredOutput.IsEnum(RequestedMimeType);

    private void ParseOnce()
    {
        if (_parsed)
            return;
        _parsed = true;
        string text = Text;
        if (text.Trim().Length == 0)
            return;
        if (StructuredOutput.IsEnum(RequestedMimeType))
        {
            _result = text.Trim();
        }
        else if (StructuredOutput.IsJson(RequestedMimeType))
        {
            try
            {
                _result = StructuredOutput.Parse(text, FinishReason);
            }
            catch (StructuredOutputException e)
            {
                _parseError = e;
            }
        }
    }
}
