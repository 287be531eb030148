using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text.RegularExpressions;
using System.IO;
using System.Linq;

namespace CometGemini.Demo;

/// <summary>
/// A console of fixed width that writes to a TextWriter: what Out-Default shows a user, for the demo
/// (the real console) and for the tests of format views (a StringWriter).
/// </summary>
public sealed class TextHost : PSHost
{
    private readonly TextUI _ui;
    private readonly Guid _id = Guid.NewGuid();

    /// <param name="ansi">Whether colour codes may be written (a real console), or plain text only (files, tests).</param>
    public TextHost(TextWriter output, int width = 120, bool ansi = false)
    {
        _ui = new TextUI(output, width, ansi);
    }

    /// <summary>Answers for confirmation prompts, by choice label ("Yes", "No"), in order, "" for Enter (the default); none left means no prompting.</summary>
    public Queue<string> Answers => _ui.Answers;

    /// <summary>Lines for ReadLine to return, in order (each shown as typed); once they run out, ReadLine returns null (end of input). Null: this console cannot read lines.</summary>
    public Queue<string>? Typed { get => _ui.Typed; set => _ui.Typed = value; }

    /// <summary>Every request for input this console refused (it cannot type): what a real console would have waited on.</summary>
    public List<string> Prompts => _ui.Prompts;

    /// <summary>Every choice this console was asked to make: caption, message, the labels and the default one.</summary>
    public List<(string Caption, string Message, string[] Labels, int Default)> Choices => _ui.Choices;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override Guid InstanceId => _id;
    public override string Name => "CometGemini.Demo";
    public override PSHostUserInterface UI => _ui;
    public override Version Version => new(1, 0);
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }

    private sealed class TextUI : PSHostUserInterface
    {
        private static readonly Regex AnsiCodes = new("\u001b\\[[0-9;?]*[A-Za-z]", RegexOptions.Compiled);
        private readonly TextWriter _output;

        public TextUI(TextWriter output, int width, bool ansi)
        {
            _output = output;
            RawUI = new FixedRawUI(width);
            SupportsVirtualTerminal = ansi;
        }

        public override PSHostRawUserInterface RawUI { get; }
        public override bool SupportsVirtualTerminal { get; }
        public override void Write(string value) => Put(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Put(value);
        public override void WriteLine(string value) => Put(value + "\n");
        public override void WriteErrorLine(string value) => Put("ERROR: " + value + "\n");
        public override void WriteDebugLine(string message) => Put("DEBUG: " + message + "\n");
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) => Put("VERBOSE: " + message + "\n");
        public override void WriteWarningLine(string message) => Put("WARNING: " + message + "\n");

        // The formatter writes colour codes (table headers) whatever the host; a console without them drops them, as pwsh's does.
        private void Put(string text) => _output.Write(SupportsVirtualTerminal ? text : AnsiCodes.Replace(text, string.Empty));
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        {
            Prompts.Add($"{caption} {message} {string.Join(", ", descriptions.Select(d => d.Name))}".Trim());
            throw new NotSupportedException("This console cannot prompt.");
        }
        public Queue<string> Answers { get; } = new();

        public List<string> Prompts { get; } = new();

        public List<(string Caption, string Message, string[] Labels, int Default)> Choices { get; } = new();

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Choices.Add((caption, message, choices.Select(c => c.Label).ToArray(), defaultChoice));
            if (Answers.Count == 0)
                throw new NotSupportedException("This console cannot prompt.");
            string answer = Answers.Dequeue();
            Put($"{caption}: {message} -> {answer}\n");
            if (answer.Length == 0)
                return defaultChoice;
            for (int i = 0; i < choices.Count; i++)
            {
                if (choices[i].Label.Replace("&", string.Empty) == answer)
                    return i;
            }

            throw new ArgumentException($"No choice '{answer}' among {string.Join(", ", choices.Select(c => c.Label))}.");
        }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
        public Queue<string>? Typed { get; set; }

        public override string ReadLine()
        {
            if (Typed is null)
                throw new NotSupportedException("This console cannot read lines.");
            if (Typed.Count == 0)
                return null!; // the end of input, as a console host returns it
            string line = Typed.Dequeue();
            Put(line + "\n");
            return line;
        }

        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();
    }

    private sealed class FixedRawUI : PSHostRawUserInterface
    {
        public FixedRawUI(int width)
        {
            BufferSize = WindowSize = MaxPhysicalWindowSize = MaxWindowSize = new Size(width, 300);
        }

        public override ConsoleColor BackgroundColor { get; set; }
        public override Size BufferSize { get; set; }
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; }
        public override ConsoleColor ForegroundColor { get; set; }
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize { get; }
        public override Size MaxWindowSize { get; }
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get; set; }
        public override string WindowTitle { get; set; } = string.Empty;
        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();
    }
}
