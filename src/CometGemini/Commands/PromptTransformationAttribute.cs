using System;
using System.Collections;
using System.IO;
using System.Management.Automation;

namespace CometGemini.Commands;

/// <summary>
/// Keeps -Prompt to text. PowerShell's last resort for a piped object is converting it to a parameter's type, and
/// [string] takes anything: an Import-Csv row became "@{Title=...}", a service "System.ServiceProcess.ServiceController".
/// Refusing such objects as an invalid cast makes the binder move on (a cast failure in pipeline binding means "not
/// this parameter"), so they reach -InputObject, which writes them out as Name: value lines. Objects whose text says
/// something (an answer piped on to the next question, a Select-String match, an error record) stay prompts.
/// </summary>
internal sealed class PromptTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = PSObjects.BaseObject(inputData);
        if (value is null or string or ValueType)
            return inputData;

        // -Prompt (Get-Content notes.txt): lines, which PowerShell would join with spaces ($OFS); keep them lines.
        if (value is IList lines && value is not IDictionary)
        {
            var texts = new string[lines.Count];
            for (int i = 0; i < lines.Count; i++)
            {
                object? item = Transform(engineIntrinsics, lines[i]);   // an object in the list is refused the same way
                texts[i] = LanguagePrimitives.ConvertTo<string>(PSObjects.BaseObject(item)) ?? string.Empty;
            }

            return string.Join("\n", texts);
        }

        if (value is not (PSCustomObject or IDictionary or FileSystemInfo) && SaysSomething(value))
            return inputData;

        throw new ArgumentTransformationMetadataException(
            $"-Prompt takes text, not a {value.GetType().Name}. Pass objects as -InputObject (or pipe them), with the question in -Prompt; they are written into the prompt as Name: value lines.",
            new PSInvalidCastException($"A {value.GetType().FullName} is not a prompt."));
    }

    // Object.ToString and Component.ToString give the type's name, and many objects (a drive, a command, a module) give
    // only their Name: neither tells the model anything that the object's properties would not tell better.
    private static bool SaysSomething(object value)
    {
        try
        {
            string? text = value.ToString();
            return !string.IsNullOrWhiteSpace(text) && !text!.StartsWith(value.GetType().FullName!, StringComparison.Ordinal)
                && !string.Equals(Convert.ToString(PSObject.AsPSObject(value).Properties["Name"]?.Value, System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or NotImplementedException or NullReferenceException
            or GetValueException or ExtendedTypeSystemException)
        {
            return false;
        }
    }
}
