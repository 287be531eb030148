using System.Management.Automation;
using System.Text.RegularExpressions;

namespace CometGemini.Commands;

/// <summary>
/// A prompt with text in it. A blank one (an empty line piped from a file) would still be a billed request, so it is
/// refused while binding: for piped input that is an error for that line only.
/// </summary>
internal sealed class ValidatePromptAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        // $null passes: a piped $null must bind somewhere for PipelineInputs to say what to pipe (GeminiNullInput),
        // and -Prompt $null is refused there.
        if (arguments is string text && text.Trim().Length == 0)
            throw new ValidationMetadataException("The prompt is empty or only white space. Pass the text to ask about, for example -Prompt 'Summarize this', or leave blank lines out of the input.");
    }
}

/// <summary>type/subtype, said in words a user can act on (ValidatePattern would print the regex).</summary>
internal sealed class ValidateMimeTypeAttribute : ValidateArgumentsAttribute
{
    private static readonly Regex Shape = new(@"^[A-Za-z0-9][\w.+-]*/[\w.+-]+(\s*;.*)?$", RegexOptions.CultureInvariant);

    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        if (arguments is not string text || !Shape.IsMatch(text))
            throw new ValidationMetadataException($"'{arguments}' is not a MIME type. Give it as type/subtype, for example -MimeType 'image/png', 'application/pdf' or 'text/plain' (Tab after -MimeType lists common ones).");
    }
}

/// <summary>A -PromptTemplate whose braces all make placeholders (or are doubled), checked before any object is sent.</summary>
internal sealed class ValidatePromptTemplateAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        if (arguments is string template && InputText.TemplateProblem(template) is string problem)
            throw new ValidationMetadataException(problem);
    }
}
