using System.IO;
using System.Linq;
using System.Management.Automation;

namespace CometGemini.Commands;

/// <summary>
/// The short name of one input, for the messages of a run of many: a file by its name, a prompt by its first words,
/// parts by their count, any other object by its text. Control characters are escaped; the name stays short.
/// </summary>
internal static class InputNames
{
    private const int Length = 60;

    public static string Of(object? input)
    {
        object? value = PSObjects.BaseObject(input);
        string text = value switch
        {
            null => "(no input)",
            FileSystemInfo file => file.Name,
            Part[] parts => parts.Length == 1 ? "1 part" : $"{parts.Length} parts",
            _ => PSObject.AsPSObject(value).ToString(),
        };
        return DisplayText.Short(text, Length);
    }
}
