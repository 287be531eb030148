using System.Management.Automation;

namespace CometGemini;

/// <summary>
/// What -InputObject holds: any object (a service, a ticket, a hashtable) to be written into the prompt.
/// A type of its own, converted from any object by its constructor, because PowerShell binds pipeline input by
/// value without conversion first: a parameter of type object would take strings and files too, which must stay
/// prompts (-Prompt) and files (-LiteralPath by PSPath). Conversion is the binder's last resort, so only objects
/// nothing else takes land here.
/// </summary>
public sealed class GeminiInput
{
    public GeminiInput(object value)
    {
        Value = Commands.PSObjects.UnwrapUnlessCustom(value)!;
    }

    /// <summary>The object as it came (a PSCustomObject stays wrapped, so its properties stay reachable).</summary>
    public object Value { get; }

    public override string ToString() => Value.ToString() ?? string.Empty;
}
