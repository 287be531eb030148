using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CometGemini.Client;
using CometGemini.Generation;

namespace CometGemini.Commands;

/// <summary>
/// A conversation at the console: a line is read (Host.UI.ReadLine, so redirected input works too), the answer is
/// streamed onto the screen (ChatScreen), the turns are kept in a chat (ChatConversation) and slash commands (ChatLine)
/// save, switch model, clear, retry. Ctrl+C stops an answer, not the chat (AnswerInterrupt). The chat given with
/// -Chat is updated in place; a new one is written when the chat ends (and -Chat's too with -PassThru).
/// </summary>
[Cmdlet(VerbsCommon.Enter, "GeminiChat", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GeminiChat))]
public sealed class EnterGeminiChatCommand : RequestOptionsCommand
{
    private const string Prompt = "You> ";

    private ChatConversation? _conversation;
    private ChatScreen? _screen;

    [Parameter(ValueFromPipeline = true)]
    [ValidateNotNull]
    public GeminiChat? Chat { get; set; }

    [Parameter]
    [ValidateRange(0, 1000)]
    public int MaxToolCalls { get; set; } = 10;

    [Parameter]
    public SwitchParameter NoToolExecution { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter NoMarkdown { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private int _chats;

    protected override void BeginProcessing()
    {
        if (Host?.UI is null)
        {
            ThrowTerminatingError(ErrorRecords.Usage(
                "Enter-GeminiChat needs a host that shows text and reads lines, and this one has no user interface.",
                "GeminiChatNeedsHost",
                ErrorCategory.InvalidOperation,
                null,
                "Run it in pwsh, or use Invoke-GeminiContent -Chat in scripts."));
        }
    }

    // A chat piped in (Import-GeminiChat ./chat.json | Enter-GeminiChat): one conversation at a time.
    protected override void ProcessRecord()
    {
        if (MyInvocation.ExpectingInput && Chat is not null && ++_chats == 2)
        {
            WriteWarning("More than one chat came down the pipeline; the chat goes on with the last one.");
        }
    }

    protected override void EndProcessing()
    {
        Model = ChosenModel(Model, Chat?.Model);
        GenerateContentRequest options = BuildRequestOptions(Chat?.Settings);
        Connect(Chat?.Connection);
        CheckModelWithEndpoint();
        _conversation = new ChatConversation(Chat ?? NewChat(options), options);
        _screen = new ChatScreen(Host.UI, RendersMarkdown() ? RenderMarkdown : null);

        Host.UI.WriteLine($"Chatting with {ModelId}. Type /help for the commands, /exit or end of input to leave.");
        while (ReadLine() is { } line)
        {
            ChatLine typed = ChatLine.Parse(line);
            if (typed.Kind == ChatLineKind.Exit)
                break;
            Do(typed);
        }

        if (Chat is null || PassThru.IsPresent)
            WriteObject(_conversation.Chat);
    }

    private void Do(ChatLine typed)
    {
        switch (typed.Kind)
        {
            case ChatLineKind.Message:
                Answer(typed.Text);
                break;
            case ChatLineKind.Retry:
                if (_conversation!.TakeLastQuestion() is { } question)
                    Answer(question);
                else
                    WriteWarning("There is no question to ask again yet.");
                break;
            case ChatLineKind.Save:
                Save(typed.Text);
                break;
            case ChatLineKind.Model:
                SwitchModel(typed.Text);
                break;
            case ChatLineKind.Clear:
                _conversation!.Clear();
                Host.UI.WriteLine("The conversation was cleared; the next message starts a new one.");
                break;
            case ChatLineKind.Help:
                Host.UI.WriteLine(ChatLine.Help);
                break;
            case ChatLineKind.Unknown:
                WriteWarning($"{typed.Text} is not a chat command; /help lists them. To send a message that starts with /, start it with //.");
                break;
            case ChatLineKind.MissingArgument:
                WriteWarning(typed.Text);
                break;
        }
    }

    // The user's next line; null at the end of input (Ctrl+D, a redirected input that ran out).
    private string? ReadLine()
    {
        Host.UI.Write(ConsoleColor.Green, Host.UI.RawUI?.BackgroundColor ?? ConsoleColor.Black, Prompt);
        try
        {
            return Host.UI.ReadLine();
        }
        catch (Exception e) when (e is PSInvalidOperationException or NotImplementedException or NotSupportedException or System.Management.Automation.Host.HostException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "GeminiChatCannotRead", ErrorCategory.InvalidOperation, null)
            {
                ErrorDetails = new ErrorDetails($"Enter-GeminiChat cannot read what you type here: {e.Message}")
                {
                    RecommendedAction = "Run it in an interactive pwsh (not -NonInteractive), or use Invoke-GeminiContent -Chat in scripts.",
                },
            });
            return null;
        }
    }

    // One question, its answer streamed over as many rounds as its tool calls take. A server error or Ctrl+C ends the
    // answer, not the chat: what came is kept.
    private void Answer(string question)
    {
        GenerateContentRequest request = _conversation!.Ask(question);
        if (!ShouldSend(request))
            return;
        var toolCalls = new List<ToolCall>();
        var chunks = new List<GenerateContentResponse>();
        Content? answer = null;
        bool complete = false;
        using var stop = new CancellationTokenSource();
        try
        {
            do
            {
                chunks = new List<GenerateContentResponse>();
                StreamRound(request, chunks, stop);
                WarnIfRouted(chunks.Select(c => c.ModelVersion).FirstOrDefault(v => !string.IsNullOrEmpty(v)));
                answer = Content.FromStream(chunks, StopToken);
            }
            while (ContinueWithTools(request, answer, toolCalls));

            complete = true;
            foreach (string warning in ResponseWarnings.For(chunks))
                WriteWarning(warning);
        }
        catch (GeminiException e)
        {
            _screen!.EndAnswer();
            WriteGeminiError(e, question);
            answer = Content.FromStream(chunks, StopToken);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !StopToken.IsCancellationRequested)
        {
            _screen!.EndAnswer();
            WriteWarning("Stopped: the part of the answer that came is kept.");
            answer = Content.FromStream(chunks, StopToken);
        }

        if (!_conversation.Answered(request, answer, complete) && complete)
            WriteWarning("The answer had no content, so this turn was not added to the chat history.");
    }

    // One round of the answer onto the screen; Ctrl+C in a real console cancels <paramref name="stop"/> only.
    private void StreamRound(GenerateContentRequest request, List<GenerateContentResponse> chunks, CancellationTokenSource stop)
    {
        using (AnswerInterrupt.Start(Host, stop))
        {
            RunAsync(async (outbox, token) =>
            {
                using var either = CancellationTokenSource.CreateLinkedTokenSource(token, stop.Token);
                await foreach (GenerateContentResponse chunk in Client.Generation.StreamGenerateContentAsync(ModelId, request, outbox, either.Token).ConfigureAwait(false))
                {
                    chunk.RequestedModel = ModelId;
                    chunks.Add(chunk);
                    string text = chunk.Text;
                    outbox.Run(_ => _screen!.Show(text));
                }
            });
        }

        _screen!.EndAnswer();
    }

    // -WhatIf and -Confirm for each question, as GenerationCommand.ShouldSend has them for the commands with inputs:
    // the common case asks nothing and makes no preview; under -WhatIf the chat goes on and nothing is sent.
    private bool ShouldSend(GenerateContentRequest request)
    {
        if (!this.IsWhatIf() && !this.IsConfirmRequested())
            return true;
        string what = RequestPreview.Describe(request, ModelId, "Sending 1 request");
        return ShouldProcess(what, what + ". Send it?", "Send to Gemini");
    }

    private bool ContinueWithTools(GenerateContentRequest request, Content? answer, List<ToolCall> made) =>
        new ToolRounds(this, Tools.Concat(_conversation!.Chat.Tools).Distinct().ToList(), MaxToolCalls, NoToolExecution.IsPresent, Force.IsPresent)
            .Continue(request, answer, made);

    private void Save(string file)
    {
        string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(file);
        try
        {
            _conversation!.Save(path);
            Host.UI.WriteLine($"Saved the {_conversation.Chat.Turns}-turn chat to {path} (Import-GeminiChat reads it back).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            WriteError(ErrorRecords.FromInput(e, "GeminiChatFileUnwritable", path));
        }
    }

    private void SwitchModel(string model)
    {
        if (!GeminiClient.IsValidModelName(model))
        {
            WriteError(ErrorRecords.Usage(
                $"'{model}' is not a model name; the chat still asks {ModelId}.",
                "GeminiModelNameInvalid",
                ErrorCategory.InvalidArgument,
                model,
                "Type /model with a name like gemini-3.8-flash; Get-GeminiModel lists them."));
            return;
        }

        Model = model;
        _conversation!.SwitchModel(model);
        Host.UI.WriteLine($"Now asking {ModelId}.");
    }

    private GeminiChat NewChat(GenerateContentRequest options)
    {
        var chat = new GeminiChat { Model = Model, Settings = options, Connection = BoundConnection() };
        chat.Tools.AddRange(Tools);
        return chat;
    }

    // Markdown is rendered only where it shows as intended (MarkdownBlocks.Renders).
    private bool RendersMarkdown()
    {
        object? vt = PSObject.AsPSObject(Host.UI).Properties["SupportsVirtualTerminal"]?.Value;
        object? rendering = (GetVariableValue("PSStyle") is { } style ? PSObject.AsPSObject(style).Properties["OutputRendering"]?.Value : null)?.ToString();
        return MarkdownBlocks.Renders(
            NoMarkdown.IsPresent,
            Host.Name == "ConsoleHost" && Console.IsOutputRedirected,
            vt is true,
            rendering as string == "PlainText",
            InvokeCommand.GetCommand("ConvertFrom-Markdown", CommandTypes.Cmdlet) is not null);
    }

    // A block through PowerShell's own ConvertFrom-Markdown (Markdig); the text as it is when that fails.
    private string RenderMarkdown(string block)
    {
        using PowerShell shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        shell.AddCommand("ConvertFrom-Markdown").AddParameter("InputObject", block).AddParameter("AsVT100EncodedString");
        try
        {
            PSObject? info = shell.Invoke().FirstOrDefault();
            return info?.Properties["VT100EncodedString"]?.Value as string ?? block;
        }
        catch (RuntimeException)
        {
            return block;
        }
    }
}
