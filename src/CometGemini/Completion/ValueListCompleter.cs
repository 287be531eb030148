using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CometGemini.Completion;

/// <summary>Completes from a fixed list without rejecting other values (the API keeps adding some).</summary>
public abstract class ValueListCompleter : IArgumentCompleter
{
    protected abstract IEnumerable<string> Values { get; }

    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return Values
            .Where(v => v.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(v => new CompletionResult(Quote(v), v, CompletionResultType.ParameterValue, v));
    }

    internal static string Quote(string value) =>
        value.IndexOfAny(new[] { ' ', ';', ',', '(', ')', '{', '}', '$', '\'' }) >= 0 ? "'" + value.Replace("'", "''") + "'" : value;
}

public sealed class ThinkingLevelCompleter : ValueListCompleter
{
    protected override IEnumerable<string> Values => new[] { "Minimal", "Low", "Medium", "High" };
}

public sealed class ResponseMimeTypeCompleter : ValueListCompleter
{
    protected override IEnumerable<string> Values => new[] { "text/plain", "application/json", "text/x.enum" };
}

public sealed class MimeTypeCompleter : ValueListCompleter
{
    protected override IEnumerable<string> Values => new[]
    {
        "image/png", "image/jpeg", "image/webp", "application/pdf", "audio/wav", "audio/mp3", "video/mp4",
        "text/plain", "text/csv", "text/html", "application/json",
    };
}

public sealed class FunctionCallingModeCompleter : ValueListCompleter
{
    protected override IEnumerable<string> Values => new[] { "Auto", "Any", "None", "Validated" };
}

public sealed class ResponseModalityCompleter : ValueListCompleter
{
    protected override IEnumerable<string> Values => new[] { "Text", "Image", "Audio" };
}

public sealed class AspectRatioCompleter : ValueListCompleter
{
    protected override IEnumerable<string> Values => new[] { "1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9" };
}

public sealed class ImageSizeCompleter : ValueListCompleter
{
    protected override IEnumerable<string> Values => new[] { "1K", "2K", "4K" };
}

/// <summary>The prebuilt voices of Gemini's TTS models (https://ai.google.dev/gemini-api/docs/speech-generation).</summary>
public sealed class VoiceNameCompleter : ValueListCompleter
{
    internal static readonly string[] KnownVoices =
    {
        "Achernar", "Achird", "Algenib", "Algieba", "Alnilam", "Aoede", "Autonoe", "Callirrhoe", "Charon", "Despina",
        "Enceladus", "Erinome", "Fenrir", "Gacrux", "Iapetus", "Kore", "Laomedeia", "Leda", "Orus", "Puck",
        "Pulcherrima", "Rasalgethi", "Sadachbia", "Sadaltager", "Schedar", "Sulafat", "Umbriel", "Vindemiatrix", "Zephyr", "Zubenelgenubi",
    };

    protected override IEnumerable<string> Values => KnownVoices;
}

public sealed class EncodingCompleter : ValueListCompleter
{
    protected override IEnumerable<string> Values => CometGemini.Commands.EncodingTransformationAttribute.Names;
}
