using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CometGemini.Commands;

namespace CometGemini.Generation;

/// <summary>One request to send: its body, the input it is for (a prompt, file, object or parts) and the file it came from.</summary>
internal sealed record RequestInput(GenerateContentRequest Request, object? Input, string? SourcePath);

/// <summary>
/// Turns what a generating command receives (arguments and pipeline records: prompts, files, parts, objects) into
/// requests: one per piped string, file or object; piped parts gathered into one; -Batch objects into one. Inputs that
/// cannot be sent get their error or warning here and are reported to <c>refused</c>, so a run's summary counts them.
/// </summary>
internal sealed class PipelineInputs
{
    private readonly GenerationCommand _command;
    private readonly GenerateContentRequest _template;
    private readonly Action<object?, string> _refused;
    private readonly InputRecords _records;
    private readonly bool _promptFromArguments;
    private readonly Part[] _argumentParts = Array.Empty<Part>();
    private readonly List<Part> _gatheredParts = new();
    private readonly List<(object Item, string Text)> _batched = new();
    private int _recordCount;
    private bool _sentPerRecord;
    private bool _toldBatchOfFiles;

    /// <param name="command">The command whose parameters are read, record by record, and whose streams get the warnings and errors.</param>
    /// <param name="template">The request options, without contents (RequestBuilder).</param>
    /// <param name="refused">Told of each input that was not sent (its warning or error is written already), and why.</param>
    public PipelineInputs(GenerationCommand command, GenerateContentRequest template, Action<object?, string>? refused = null)
    {
        _command = command;
        _template = template;
        _refused = refused ?? ((_, _) => { });
        _records = new InputRecords(command, r => _refused(r.Input, r.Reason), command.MaxInlineSize, command.Encoding, command.FileUploader);
        IDictionary<string, object> bound = command.MyInvocation.BoundParameters;
        _promptFromArguments = bound.ContainsKey(nameof(command.Prompt));
        if (_promptFromArguments && command.Prompt is null)
            command.ThrowTerminatingError(NullInput("-Prompt is $null: there is no prompt to send. Pass the text to ask about, for example -Prompt 'Summarize this'.", "-Prompt"));
        if (bound.ContainsKey(nameof(command.Part)))
        {
            if (command.Part is null)
                command.ThrowTerminatingError(NullInput("-Part is $null: there is no part to send. Pass parts made by New-GeminiPart, or leave out -Part.", "-Part"));
            _argumentParts = command.Part!;
        }
    }

    /// <summary>How many inputs the command will get, when the arguments tell (-Path *.log; -LiteralPath a,b,c; -InputObject $list); else null.</summary>
    public int? KnownCount()
    {
        IDictionary<string, object> bound = _command.MyInvocation.BoundParameters;
        if (bound.ContainsKey(nameof(_command.Path)) && _command.Path is not null)
            return _records.Matching(_command.Path).Count;
        if (bound.ContainsKey(nameof(_command.LiteralPath)) && _command.LiteralPath is not null)
            return _command.LiteralPath.Length;
        if (bound.ContainsKey(nameof(_command.InputObject)) && _command.InputObject is not null)
            return _command.Batch.IsPresent ? 1 : _command.InputObject.Length;
        return null;
    }

    /// <summary>The requests of one record (ProcessRecord); parts and -Batch objects wait for <see cref="End"/>.</summary>
    public IEnumerable<RequestInput> Record()
    {
        _recordCount++;
        GenerationCommand c = _command;
        if (c.Part is { Length: > 0 } && _argumentParts.Length == 0 && c.InputObject is null)
        {
            _gatheredParts.AddRange(c.Part);
            return Array.Empty<RequestInput>();
        }

        if (c.InputObject is not null || c.Path is { Length: > 0 } || c.LiteralPath is { Length: > 0 })
        {
            _sentPerRecord = true;
            if (c.Batch.IsPresent && c.InputObject is not null && c.InputObject.Any(i => InputRecords.AsFile(i.Value) is not null))
                WarnIfBatchOfFiles();
            return _records.Record(c.Path, c.LiteralPath, c.InputObject?.Select(i => i.Value), Described)
                .Select(input => new RequestInput(WithPrompt(input.Part), input.Input, input.SourcePath));
        }

        if (!_promptFromArguments && c.Prompt is not null)
        {
            _sentPerRecord = true;
            return new[] { new RequestInput(WithContents(_argumentParts.Append(PartFactory.FromText(c.Prompt))), c.Prompt, null) };
        }

        // A record that bound nothing usable: a piped $null (a variable never set, a command that wrote $null), which
        // only -Part takes. It is this input's error; the records around it are sent, and the arguments are not sent alone.
        if (c.MyInvocation.ExpectingInput)
        {
            _sentPerRecord = true;
            string position = $"input {_recordCount}";
            c.WriteError(NullInput($"The pipeline brought $null ({position}): nothing to send. Pipe in text, files (Get-ChildItem), objects, or parts (New-GeminiPart).", position));
            _refused(position, "the pipeline brought $null");
        }

        return Array.Empty<RequestInput>();
    }

    private static ErrorRecord NullInput(string message, string target) =>
        ErrorRecords.Usage(
            message,
            "GeminiNullInput",
            ErrorCategory.InvalidArgument,
            target,
            "Check that the variable or command before the pipe gives something; leave $null out with Where-Object { $_ } if it may.");

    /// <summary>The requests that wait for the end of input (EndProcessing): gathered parts, -Batch objects, or the arguments alone.</summary>
    public IEnumerable<RequestInput> End()
    {
        GenerationCommand c = _command;

        // An upstream that produced nothing (Get-ChildItem *.log in a folder without logs) asks for nothing.
        if (c.MyInvocation.ExpectingInput && _recordCount == 0)
        {
            c.WriteWarning("No input came down the pipeline; no request was sent.");
            yield break;
        }

        if (c.Batch.IsPresent)
        {
            if (_batched.Count > 0)
                yield return new RequestInput(WithPrompt(PartFactory.FromText(InputText.DescribeAll(_batched.Select(b => b.Text).ToList()))), _batched.Select(b => b.Item).ToArray(), null);
            yield break;
        }

        if (_gatheredParts.Count > 0 || (!_sentPerRecord && (_promptFromArguments || _argumentParts.Length > 0 || c.Contents is { Length: > 0 })))
        {
            List<Part> parts = new(_argumentParts);
            parts.AddRange(_gatheredParts);
            if (c.Prompt is not null && _promptFromArguments)
                parts.Add(PartFactory.FromText(c.Prompt));
            yield return new RequestInput(WithContents(parts), c.Prompt ?? (object)parts.ToArray(), null);
        }
        else if (!_sentPerRecord)
        {
            c.WriteError(ErrorRecords.Usage(
                "Nothing to send: pass -Prompt, or pipe in text, files or parts (New-GeminiPart).",
                "GeminiNothingToSend",
                ErrorCategory.InvalidArgument,
                null));
        }
    }

    // An object (not a file) as its input: its text, or null when it has none (its error written) or waits for -Batch.
    private InputItem? Described(object? item)
    {
        string? text = ObjectText(item!);
        if (text is null)
            return null;
        if (!_command.Batch.IsPresent)
            return new InputItem(PartFactory.FromText(text), item, null);
        _batched.Add((item!, text));
        return null;
    }

    // -Batch writes objects as text into one request; a file is its content, sent as its own request, -Batch or not.
    private void WarnIfBatchOfFiles()
    {
        if (_toldBatchOfFiles)
            return;
        _toldBatchOfFiles = true;
        _command.WriteWarning(
            "-Batch joins objects into one request, not files: each file is sent in a request of its own. To send all the files in one request, "
            + "make them parts: Get-ChildItem *.log | New-GeminiPart | " + _command.MyInvocation.MyCommand.Name + " -Prompt '...'");
    }

    // The object's text: the filled template, or the object described; null (and an error for that object) when the template does not fit.
    private string? ObjectText(object item)
    {
        string? template = _command.PromptTemplate;
        if (template is null)
            return InputText.Describe(item, _command.Property);
        string? filled = InputText.Fill(template, item, out string? missing);
        if (filled is null)
        {
            _command.WriteError(ErrorRecords.Usage(
                $"The input has no property '{missing}' for the -PromptTemplate placeholder {{{missing}}}; it has: {InputText.PropertyNames(item)}.",
                "GeminiTemplatePropertyMissing",
                ErrorCategory.InvalidData,
                item,
                "Fix the placeholder's name, or give the object that property (ForEach-Object { [pscustomobject]@{ ... } }). Write {{ and }} for literal braces."));
            _refused(item, $"no property '{missing}' for the -PromptTemplate placeholder");
        }

        return filled;
    }

    // The argument parts, then the input's own part, then -Prompt (the question after what it is about).
    private GenerateContentRequest WithPrompt(Part part)
    {
        var parts = new List<Part>(_argumentParts) { part };
        if (_command.Prompt is not null)
            parts.Add(PartFactory.FromText(_command.Prompt));
        return WithContents(parts);
    }

    /// <summary>The request for one input: the chat's history, -Contents, then a user turn with the parts (if any).</summary>
    private GenerateContentRequest WithContents(IEnumerable<Part> parts)
    {
        var contents = new List<Content>(_command.Chat?.History ?? Enumerable.Empty<Content>());
        contents.AddRange(_command.Contents ?? Array.Empty<Content>());
        List<Part> turn = parts.ToList();
        if (turn.Count > 0)
            contents.Add(new Content { Role = "user", Parts = turn });
        return new GenerateContentRequest
        {
            Contents = contents,
            SystemInstruction = _template.SystemInstruction,
            GenerationConfig = _template.GenerationConfig,
            Tools = _template.Tools,
            ToolConfig = _template.ToolConfig,
            SafetySettings = _template.SafetySettings,
            CachedContent = _template.CachedContent,
            ServiceTier = _template.ServiceTier,
            ExtensionData = _template.ExtensionData,
        };
    }
}
