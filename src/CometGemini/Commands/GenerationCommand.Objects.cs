using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace CometGemini.Commands;

// Objects as input: any object piped in (or passed as -InputObject) is written into the prompt, one request per
// object, or all of them in one request with -Batch; -PromptTemplate fills {Property} placeholders per object.
public abstract partial class GenerationCommand
{
    internal const string ObjectSet = "InputObject";

    private readonly List<(object Item, string Text)> _batched = new();

    [Parameter(ParameterSetName = ObjectSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public GeminiInput[]? InputObject { get; set; }

    [Parameter(ParameterSetName = ObjectSet)]
    [ValidateNotNullOrEmpty]
    [ValidatePromptTemplate]
    public string? PromptTemplate { get; set; }

    [Parameter(ParameterSetName = ObjectSet)]
    public SwitchParameter Batch { get; set; }

    [Parameter(ParameterSetName = ObjectSet)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Property { get; set; }

    /// <summary>How many inputs the command will get, when the arguments tell (-Path *.log; -LiteralPath a,b,c; -InputObject $list); else null.</summary>
    private protected int? KnownInputCount()
    {
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Path)) && Path is not null)
            return MatchingFiles().Count;
        if (MyInvocation.BoundParameters.ContainsKey(nameof(LiteralPath)) && LiteralPath is not null)
            return LiteralPath.Length;
        if (MyInvocation.BoundParameters.ContainsKey(nameof(InputObject)) && InputObject is not null)
            return Batch.IsPresent ? 1 : InputObject.Length;
        return null;
    }

    // Per record: each object becomes its own request (a file object, its file), or waits for -Batch.
    private void SendObjects(GeminiInput[] inputs)
    {
        _sentPerRecord = true;
        foreach (object item in inputs.Select(i => i.Value))
        {
            // A folder too, so that it gets the "is a directory" error a piped folder gets, not a description.
            if (PSObjects.UnwrapUnlessCustom(item) is FileSystemInfo file)
            {
                SendFile(file.FullName);
                continue;
            }

            string? text = ObjectText(item);
            if (text is null)
                continue;
            if (Batch.IsPresent)
            {
                _batched.Add((item, text));
                continue;
            }

            var parts = new List<Part>(_argumentParts) { PartFactory.FromText(text) };
            if (Prompt is not null)
                parts.Add(PartFactory.FromText(Prompt));
            Send(WithContents(parts.ToArray()), item, sourcePath: null);
        }
    }

    // -Batch: every object in one request, after the last one arrived.
    private void SendBatch()
    {
        if (_batched.Count == 0)
            return;
        var parts = new List<Part>(_argumentParts) { PartFactory.FromText(InputText.DescribeAll(_batched.Select(b => b.Text).ToList())) };
        if (Prompt is not null)
            parts.Add(PartFactory.FromText(Prompt));
        Send(WithContents(parts.ToArray()), _batched.Select(b => b.Item).ToArray(), sourcePath: null);
    }

    // The object's text: the filled template, or the object described; null (and an error for that object) when the template does not fit.
    private string? ObjectText(object item)
    {
        if (PromptTemplate is null)
            return InputText.Describe(item, Property);
        string? filled = InputText.Fill(PromptTemplate, item, out string? missing);
        if (filled is null)
        {
            WriteError(ErrorRecords.Usage(
                $"The input has no property '{missing}' for the -PromptTemplate placeholder {{{missing}}}; it has: {InputText.PropertyNames(item)}.",
                "GeminiTemplatePropertyMissing",
                ErrorCategory.InvalidData,
                item,
                "Fix the placeholder's name, or give the object that property (ForEach-Object { [pscustomobject]@{ ... } }). Write {{ and }} for literal braces."));
            InputRefused(item, $"no property '{missing}' for the -PromptTemplate placeholder");
        }

        return filled;
    }
}
