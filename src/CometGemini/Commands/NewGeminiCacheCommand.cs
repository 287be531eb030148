using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using CometGemini.Generation;
using CometGemini.Client;
using CometGemini.Completion;

namespace CometGemini.Commands;

/// <summary>
/// Creates one context cache from everything given and piped in (text, files, parts, turns), with the system
/// instruction and tools that calls using it will share. A cache holds no generation settings: those stay per call.
/// </summary>
[Cmdlet(VerbsCommon.New, "GeminiCache", DefaultParameterSetName = PromptSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GeminiCache))]
public sealed class NewGeminiCacheCommand : CacheCommand
{
    // As on Invoke-GeminiContent: a piped string (even one from Get-Content, with a PSPath) is text, a file object is a file.
    private const string PromptSet = "Prompt";
    private const string FileSet = "File";
    private const string PathSet = "Path";

    private readonly List<Part> _parts = new();
    private readonly List<string> _sources = new();
    private bool _promptFromArguments;
    private bool _partFromArguments;
    private int _unreadable;
    private int _records;

    [Parameter(ParameterSetName = PromptSet, Position = 0, ValueFromPipeline = true)]
    [Parameter(ParameterSetName = FileSet, Position = 0)]
    [Parameter(ParameterSetName = PathSet, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Prompt { get; set; }

    [Parameter(ParameterSetName = PromptSet, ValueFromPipeline = true)]
    [Parameter(ParameterSetName = FileSet)]
    [Parameter(ParameterSetName = PathSet)]
    [ValidateNotNull]
    public Part[]? Part { get; set; }

    [Parameter(ParameterSetName = PathSet, Mandatory = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    [Parameter(ParameterSetName = FileSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    [Parameter]
    [Alias("History")]
    [ContentTransformation]
    [ValidateNotNull]
    public Content[]? Contents { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SystemInstruction { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public object[]? Tool { get; set; }

    [Parameter]
    [ValidateNotNull]
    public object? ToolConfig { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Model { get; set; } = CurrentModels.DefaultModel;

    [Parameter]
    public TimeSpan? Ttl { get; set; }

    [Parameter]
    public DateTime? ExpireTime { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DisplayName { get; set; }

    protected override void BeginProcessing()
    {
        Model = ChosenModel(Model);
        ValidateModelName(Model);
        if (Ttl is not null && ExpireTime is not null)
        {
            ThrowTerminatingError(ErrorRecords.Usage(
                "Pass either -Ttl (how long the cache lives) or -ExpireTime (when it ends), not both.",
                "GeminiCacheExpiryInvalid",
                ErrorCategory.InvalidArgument,
                Ttl));
        }

        CheckExpiry(Ttl, ExpireTime);
        _promptFromArguments = MyInvocation.BoundParameters.ContainsKey(nameof(Prompt));
        _partFromArguments = MyInvocation.BoundParameters.ContainsKey(nameof(Part));
        _parts.AddRange((Prompt ?? Array.Empty<string>()).Select(PartFactory.FromText));
        _parts.AddRange(Part ?? Array.Empty<Part>());
        Connect();
    }

    // Everything piped in goes into the one cache, in the order it arrives.
    protected override void ProcessRecord()
    {
        _records++;
        foreach (string path in LiteralPath ?? Array.Empty<string>())
            AddFile(path);
        foreach (string file in (Path ?? Array.Empty<string>()).SelectMany(pattern => FilePatterns.Resolve(this, pattern)))
            AddFile(file);
        if (!_partFromArguments && Part is { Length: > 0 })
            _parts.AddRange(Part);
        if (!_promptFromArguments && Prompt is { Length: > 0 })
            _parts.AddRange(Prompt.Select(PartFactory.FromText));
    }

    protected override void EndProcessing()
    {
        if (_unreadable > 0)
        {
            WriteError(ErrorRecords.Usage(
                $"No cache was created: {_unreadable} input(s) could not be read (see the errors before this one). A cache without them would answer without them.",
                "GeminiCacheIncomplete",
                ErrorCategory.InvalidData,
                null,
                "Fix or leave out those inputs, and run the command again."));
            return;
        }

        var contents = new List<Content>(Contents ?? Array.Empty<Content>());
        if (_parts.Count > 0)
            contents.Add(new Content { Role = "user", Parts = _parts.ToList() });
        var cache = new GeminiCache
        {
            Model = ModelNames.ResourceName(Model),
            DisplayName = DisplayName,
            Contents = contents.Count > 0 ? contents : null,
            SystemInstruction = SystemInstruction is null ? null : new Content { Parts = new List<Part> { PartFactory.FromText(SystemInstruction) } },
            Tools = Tool is { Length: > 0 } ? Generation.RequestBuilder.ToolEntries(Tool.Select(t => ToolResolver.Resolve(this, t))) : null,
            ToolConfig = ToolConfig is null ? null : FromJson(ToolConfig),
            Ttl = Ttl is TimeSpan ttl ? Duration(ttl) : null,
            ExpireTime = ExpireTime is DateTime expire ? Utc(expire) : null,
        };
        if (cache.Contents is null && cache.SystemInstruction is null && cache.Tools is null)
        {
            // An upstream that produced nothing (Get-ChildItem *.pdf in a folder without PDFs) asks for nothing.
            if (MyInvocation.ExpectingInput && _records == 0)
            {
                WriteWarning("No input came down the pipeline; no cache was created.");
                return;
            }

            WriteError(ErrorRecords.Usage(
                "Nothing to cache: pass -Prompt, -LiteralPath, -Part, -Contents or -SystemInstruction, or pipe in text, files or parts.",
                "GeminiNothingToSend",
                ErrorCategory.InvalidArgument,
                null));
            return;
        }

        string target = DisplayName ?? $"{_parts.Count} part(s) and {Contents?.Length ?? 0} turn(s){(_sources.Count > 0 ? " from " + string.Join(", ", _sources.Select(System.IO.Path.GetFileName)) : string.Empty)}";
        string what = $"Sending 1 request to {ModelNames.Id(cache.Model ?? string.Empty)}: create a context cache of {DisplayText.Short(target, 200)}";
        if (!ShouldProcess(what, what + ". Send it?", "Send to Gemini"))
            return;

        try
        {
            GeminiCache? created = null;
            RunAsync(async (outbox, token) =>
            {
                created = await Client.Caches.CreateAsync(cache, outbox, token).ConfigureAwait(false);
            });
            WriteObject(created);
        }
        catch (GeminiException e)
        {
            WriteGeminiError(e, target);
        }
    }

    private void AddFile(string path)
    {
        FileInput file = FileInput.Read(SessionState, path);
        if (file.Warning is not null)
            WriteWarning(file.Warning);
        if (file.Error is not null)
        {
            WriteError(file.Error);
            _unreadable++;
            return;
        }

        _parts.Add(file.Part!);
        _sources.Add(file.FullPath);
    }

    private JsonElement FromJson(object value)
    {
        try
        {
            return PSJson.FromObjectOrJsonText(value, nameof(ToolConfig));
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "GeminiInvalidRequestOption", ErrorCategory.InvalidArgument, value));
            throw; // not reached
        }
    }
}
