using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CometGemini.Generation;
using CometGemini.Client;
using CometGemini.Completion;

namespace CometGemini.Commands;

/// <summary>
/// The input parameters every generating command takes (prompt, parts, files, objects, a chat), declared once for
/// all of them; <see cref="PipelineInputs"/> makes requests of them.
/// </summary>
public abstract class GenerationCommand : RequestOptionsCommand
{

    // Two sets so that pipeline input binds one way only: a string (even one from Get-Content, which carries
    // a PSPath note property) is a prompt; an object with a path (FileInfo) is a file, never also a prompt.
    internal const string PromptSet = "Prompt";
    internal const string FileSet = "File";

    [Parameter(ParameterSetName = PathSet, Position = 0)]
    [Parameter(ParameterSetName = PromptSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = FileSet, Position = 0)]
    [Parameter(ParameterSetName = ObjectSet, Position = 0)]
    [PromptTransformation]
    [ValidatePrompt]
    public string? Prompt { get; set; }

    // No [ValidateNotNull] here, and [ValidatePrompt] lets $null by: a piped $null then binds (to -Prompt or -Part)
    // and PipelineInputs says what to pipe instead of "Cannot validate argument on parameter 'Part'". -Prompt $null
    // and -Part $null as arguments are refused there too.
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = PromptSet, ValueFromPipeline = true)]
    [Parameter(ParameterSetName = FileSet)]
    [Parameter(ParameterSetName = ObjectSet)]
    [PartTransformation]
    public Part[]? Part { get; set; }

    // Not FullName: user accounts (Get-LocalUser) and types have one too, and would be taken for files. A FileInfo
    // without PSPath (made in .NET, not by Get-ChildItem) reaches -InputObject, which sends it as its file.
    [Parameter(ParameterSetName = FileSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = FileSet)]
    [Parameter(ParameterSetName = ObjectSet)]
    [ValidateRange(1, long.MaxValue)]
    public long MaxInlineSize { get; set; } = PartFactory.DefaultMaxInlineBytes;

    /// <summary>A file over -MaxInlineSize goes through the Files API (uploaded, waited for, sent as fileData) instead of being refused.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = FileSet)]
    [Parameter(ParameterSetName = ObjectSet)]
    public SwitchParameter Upload { get; set; }

    /// <summary>How <see cref="PipelineInputs"/> uploads a file over -MaxInlineSize; null while -Upload (or Connect-Gemini -AutoUpload) is off.</summary>
    internal Func<string, string, (Part? Part, ErrorRecord? Error)>? FileUploader => Uploader(Upload);

    /// <summary>How text files are read when they carry no byte order mark; without it, UTF-8 (a file that is not says so).</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = FileSet)]
    [EncodingTransformation]
    [ArgumentCompleter(typeof(EncodingCompleter))]
    public System.Text.Encoding? Encoding { get; set; }

    [Parameter]
    [ValidateNotNull]
    public GeminiChat? Chat { get; set; }

    [Parameter]
    [Alias("History")]
    [ContentTransformation]
    [ValidateNotNull]
    public Content[]? Contents { get; set; }

    // -Path: files named by wildcard patterns, each one its own request like a file piped in.
    internal const string PathSet = "Path";

    [Parameter(ParameterSetName = PathSet, Mandatory = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    // Objects as input: any object piped in (or passed as -InputObject) is written into the prompt, one request per
    // object, or all of them in one request with -Batch; -PromptTemplate fills {Property} placeholders per object.
    internal const string ObjectSet = "InputObject";

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

    /// <summary>
    /// -WhatIf and -Confirm for one request, before anything is sent: under -WhatIf, "What if: Sending 1 request to …"
    /// (and with -Debug the body) and false; under -Confirm a question. False sends nothing for that input.
    /// </summary>
    private protected bool ShouldSend(GenerateContentRequest request, string action = "Sending 1 request")
    {
        // The common case asks nothing and shows nothing: no preview is made (it serializes the body).
        if (!IsVerboseEnabled && !this.IsWhatIf() && !this.IsConfirmRequested())
            return true;
        string what = RequestPreview.Describe(request, ModelId, action);
        try
        {
            if (ShouldProcess(what, what + ". Send it?", "Send to Gemini"))
                return true;
        }
        catch (Exception e) when (e is PSInvalidOperationException or NotImplementedException or System.Management.Automation.Host.HostException or NotSupportedException or InvalidOperationException)
        {
            // -Confirm where no one can answer (pwsh -NonInteractive, a job): not sent, as a tool call that cannot be confirmed is not run.
            WriteWarning($"Cannot ask whether to send it (no interactive host), so nothing was sent: {what}. Leave out -Confirm where no one can answer.");
            return false;
        }

        if (IsDebugEnabled && this.IsWhatIf())
            this.WriteDebugLine("Request body: " + RequestPreview.DebugText(request));
        return false;
    }

    /// <summary>
    /// What every generating command does first: the model chosen, the request options built and checked, the
    /// endpoint connected and its model list consulted. Returns the request options, without contents.
    /// </summary>
    private protected GenerateContentRequest StartGenerating(bool answerAsJson = false, GeminiServiceTier? serviceTier = null)
    {
        Model = ChosenModel(Model, Chat?.Model);
        GenerateContentRequest template = BuildRequestOptions(Chat?.Settings, answerAsJson, serviceTier);
        Connect(Chat?.Connection);
        this.WriteVerboseLine($"Model {ModelId}.");
        CheckModelWithEndpoint();
        return template;
    }
}
