using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace CometGemini.Commands;

/// <summary>
/// Lets -Part take Files API files (Add-GeminiFile, Get-GeminiFile) beside parts: each file becomes the fileData part
/// that names it, piped or passed (-Part $file, -Part $image, $file). Anything else is left to the binder as it was.
/// </summary>
internal sealed class PartTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = PSObjects.BaseObject(inputData);
        if (value is GeminiFile file)
            return new[] { file.ToPart() };
        if (value is not IList items || value is Part[] || value is IDictionary)
            return inputData;

        var parts = new List<Part>(items.Count);
        bool changed = false;
        foreach (object? item in items)
        {
            switch (PSObjects.BaseObject(item))
            {
                case GeminiFile one:
                    parts.Add(one.ToPart());
                    changed = true;
                    break;
                case Part part:
                    parts.Add(part);
                    break;
                default:
                    return inputData; // not only parts and files: the binder decides, as before
            }
        }

        return changed ? parts.ToArray() : inputData;
    }
}
