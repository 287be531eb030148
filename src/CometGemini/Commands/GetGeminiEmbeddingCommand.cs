using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using CometGemini.Generation;
using CometGemini.Client;
using CometGemini.Completion;

namespace CometGemini.Commands;

/// <summary>
/// Embeds each input (a string, an object as text, or a file): one input is one embedContent call; more are
/// gathered into batchEmbedContents calls of at most 100, each sent as soon as it is full.
/// </summary>
[Cmdlet(VerbsCommon.Get, "GeminiEmbedding", DefaultParameterSetName = InputSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GeminiEmbedding))]
public sealed class GetGeminiEmbeddingCommand : ApiCommand
{

    /// <summary>batchEmbedContents takes at most 100 requests (docs/wire.md §10).</summary>
    internal const int MaxBatch = 100;

    private const string InputSet = "Input";
    private const string FileSet = "File";
    private const string PathSet = "Path";
    private const string RetrievalDocument = "RETRIEVAL_DOCUMENT";

    private readonly List<Pending> _pending = new();
    private InputRecords? _inputs;
    private string? _taskType;
    private int _inputCount;
    private bool _sentBatch;
    private int _records;

    [Parameter(ParameterSetName = InputSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowEmptyString]
    public object[]? InputObject { get; set; }

    [Parameter(ParameterSetName = PathSet, Mandatory = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    [Parameter(ParameterSetName = FileSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Model { get; set; } = CurrentModels.DefaultEmbeddingModel;

    [Parameter]
    [ArgumentCompleter(typeof(EmbeddingTaskTypeCompleter))]
    [ValidateNotNullOrEmpty]
    public string? TaskType { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Title { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? OutputDimensionality { get; set; }

    private static readonly Regex TaskTypeShape = new("^[A-Z][A-Z0-9_]*$", RegexOptions.CultureInvariant);

    private string ModelId => ModelNames.Id(Model);

    protected override void BeginProcessing()
    {
        ValidateModelName(Model);
        _taskType = TaskType is null ? null : WireNames.UpperSnake(TaskType);
        // A name the completer does not list still goes (new task types come); one that cannot be a name does not.
        if (_taskType is not null && !TaskTypeShape.IsMatch(_taskType))
        {
            ThrowTerminatingError(ErrorRecords.Usage(
                $"'{TaskType}' is not an embedding task type.",
                "GeminiEmbeddingTaskTypeInvalid",
                ErrorCategory.InvalidArgument,
                TaskType,
                "Pass one of " + string.Join(", ", EmbeddingTaskTypeCompleter.TaskTypes) + " (Tab after -TaskType lists them), or leave -TaskType out."));
        }

        if (Title is not null && MyInvocation.BoundParameters.ContainsKey(nameof(Title)))
            CheckTitle(Title);
        // A file that cannot be read still takes its place in the numbering, so the indexes match the inputs.
        _inputs = new InputRecords(this, _ => _inputCount++);
        Connect();
        this.WriteVerboseLine($"Model {ModelId}{(_taskType is null ? string.Empty : ", task type " + _taskType)}.");
    }

    protected override void ProcessRecord()
    {
        _records++;
        // -Title may come from each piped object (a Title property); PowerShell resets it between records.
        string? title = Title;
        if (title is not null)
            CheckTitle(title);

        foreach (InputItem input in _inputs!.Record(Path, LiteralPath, InputObject, Text))
        {
            Part part = input.Part;
            string text = part.Text ?? $"({part.InlineData?.MimeType} file {System.IO.Path.GetFileName(input.SourcePath)})";
            Add(new Pending(input.Input, text, input.SourcePath, part, title, _inputCount++));
        }
    }

    protected override void EndProcessing()
    {
        // An upstream that produced nothing asks for nothing, and says so: an empty report must not look like a run.
        if (MyInvocation.ExpectingInput && _records == 0)
            WriteWarning("No input came down the pipeline; no request was sent.");
        if (_pending.Count > 0)
            Send(_pending.ToArray(), batch: _sentBatch || _pending.Count > 1);
        _pending.Clear();
    }

    private void CheckTitle(string title)
    {
        if (_taskType is not null and not RetrievalDocument)
        {
            ThrowTerminatingError(ErrorRecords.Usage(
                $"-Title goes only with -TaskType RETRIEVAL_DOCUMENT (the API ignores or refuses it otherwise); this call asks for {_taskType}.",
                "GeminiEmbeddingTitleMismatch",
                ErrorCategory.InvalidArgument,
                title,
                "Drop -Title, or use -TaskType RETRIEVAL_DOCUMENT (a title then improves retrieval quality)."));
        }
    }

    // An object is embedded as its text; one without text is an error for that input, which keeps its number.
    private InputItem? Text(object? item)
    {
        string text = InputText.Describe(item);
        if (text.Trim().Length > 0)
            return new InputItem(PartFactory.FromText(text), item, null);
        WriteError(ErrorRecords.Usage(
            "An input has no text to embed (an empty string, or an object without property values); it was skipped.",
            "GeminiEmbeddingInputEmpty",
            ErrorCategory.InvalidData,
            item));
        _inputCount++;
        return null;
    }

    private void Add(Pending pending)
    {
        _pending.Add(pending);
        if (_pending.Count == MaxBatch)
        {
            Pending[] full = _pending.ToArray();
            _pending.Clear();
            _sentBatch = true;
            Send(full, batch: true);
        }
    }

    private EmbedContentRequest RequestFor(Pending pending, bool withModel) => new()
    {
        Model = withModel ? ModelNames.ResourceName(Model) : null,
        Content = new Content { Parts = new List<Part> { pending.Part } },
        // A title is for documents; with no task type given, it makes the input one.
        TaskType = _taskType ?? (pending.Title is null ? null : RetrievalDocument),
        Title = pending.Title,
        OutputDimensionality = OutputDimensionality,
    };

    /// <summary>One call for <paramref name="inputs"/>; a failure is one non-terminating error naming them.</summary>
    private void Send(Pending[] inputs, bool batch)
    {
        string what = $"Sending 1 request to {ModelNames.Id(Model)}: {DisplayText.Short(inputs[0].Text, 200)}, {inputs.Length} input{(inputs.Length == 1 ? string.Empty : "s")} to embed";
        if (!ShouldProcess(what, what + ". Send it?", "Send to Gemini"))
            return;
        IReadOnlyList<ContentEmbedding?> embeddings = Array.Empty<ContentEmbedding?>();
        try
        {
            RunAsync(async (outbox, token) =>
            {
                if (batch)
                {
                    var request = new BatchEmbedContentsRequest { Requests = inputs.Select(p => RequestFor(p, withModel: true)).ToList() };
                    BatchEmbedContentsResponse answer = await Client.Embeddings.BatchEmbedAsync(Model, request, outbox, token).ConfigureAwait(false);
                    embeddings = answer.Embeddings?.ToArray() ?? Array.Empty<ContentEmbedding?>();
                }
                else
                {
                    EmbedContentResponse answer = await Client.Embeddings.EmbedAsync(Model, RequestFor(inputs[0], withModel: true), outbox, token).ConfigureAwait(false);
                    embeddings = new[] { answer.Embedding };
                }
            });

            if (embeddings.Count != inputs.Length || embeddings.Any(e => e?.Values is null))
            {
                throw new GeminiException(
                    GeminiFailure.Protocol,
                    $"The server answered {embeddings.Count(e => e?.Values is not null)} embedding(s) for {inputs.Length} input(s), so they cannot be matched to the inputs.");
            }
        }
        catch (GeminiException e)
        {
            WriteBatchError(e, inputs);
            return;
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            Pending pending = inputs[i];
            WriteObject(new GeminiEmbedding
            {
                Input = pending.Input,
                Text = pending.Text,
                SourcePath = pending.SourcePath,
                Values = embeddings[i]!.Values!,
                Model = ModelId,
                TaskType = RequestFor(pending, withModel: false).TaskType,
                Index = pending.Index,
            });
        }
    }

    private void WriteBatchError(GeminiException e, Pending[] inputs)
    {
        ErrorRecord record = ErrorRecords.FromGemini(Secrets.Redact(e, Endpoint.ApiKey), inputs.Length == 1 ? inputs[0].Input : inputs.Select(p => p.Input).ToArray());
        string which = inputs.Length == 1
            ? $"Input {inputs[0].Index + 1} ({Quote(inputs[0].Text)}) was not embedded"
            : $"Inputs {inputs[0].Index + 1}-{inputs[inputs.Length - 1].Index + 1} ({Quote(inputs[0].Text)} … {Quote(inputs[inputs.Length - 1].Text)}) were not embedded";
        record.ErrorDetails = new ErrorDetails($"{which}: {e.Message}")
        {
            RecommendedAction = record.ErrorDetails?.RecommendedAction + " The error's TargetObject holds the inputs; pipe them to Get-GeminiEmbedding again to retry.",
        };
        WriteError(record);
    }

    private static string Quote(string text)
    {
        string line = text.Replace("\r", " ").Replace("\n", " ");
        return "'" + (line.Length > 40 ? line.Substring(0, 40) + "…" : line) + "'";
    }

    private sealed record Pending(object? Input, string Text, string? SourcePath, Part Part, string? Title, int Index);
}
