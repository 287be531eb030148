using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Management.Automation.Host;
using System.Threading;
using System.Threading.Tasks;
using CometGemini.Generation;

namespace CometGemini.Commands;

/// <summary>
/// What Enter-GeminiChat shows of an answer as it comes: the text as it is written, or, where Markdown is rendered, the
/// text as it is written until its block is whole (MarkdownBlocks), then that block rendered in its place (the raw
/// lines are erased with VT100 codes; a block taller than the window stays raw). Used on the pipeline thread only.
/// </summary>
internal sealed class ChatScreen
{
    private const string Escape = "\u001b[";

    private readonly PSHostUserInterface _ui;
    private readonly Func<string, string>? _render;
    private readonly MarkdownBlocks _blocks = new();
    private readonly StringBuilder _raw = new(); // the raw text on screen since the last rendered block
    private bool _midLine;

    /// <param name="render">Markdown → console text (VT100), or null to show the text as it comes.</param>
    public ChatScreen(PSHostUserInterface ui, Func<string, string>? render)
    {
        _ui = ui;
        _render = render;
    }

    public void Show(string text)
    {
        if (text.Length == 0)
            return;
        IReadOnlyList<string> done = _render is null ? Array.Empty<string>() : _blocks.Add(text);
        if (done.Count == 0)
        {
            WriteRaw(text);
            return;
        }

        foreach (string block in done)
            ShowBlock(block);
        WriteRaw(_blocks.Pending);
    }

    /// <summary>The answer (or a round of it) has ended or stopped: what is left is shown and the line ended, before anything else is.</summary>
    public void EndAnswer()
    {
        if (_render is not null && _blocks.Rest() is { } rest)
            ShowBlock(rest);
        _raw.Clear();
        if (_midLine)
            _ui.WriteLine();
        _midLine = false;
    }

    /// <summary>
    /// How many rows above the cursor the raw <paramref name="shown"/> text reaches on a screen <paramref name="width"/>
    /// columns wide, where it started at the first column: how far up to go to erase it.
    /// </summary>
    internal static int RowsAbove(string shown, int width)
    {
        string[] lines = shown.Split('\n');
        int rows = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            int length = lines[i].TrimEnd('\r').Length;
            int taken = Math.Max(1, (length + width - 1) / width);
            rows += i < lines.Length - 1 ? taken : taken - 1;
        }

        return rows;
    }

    private void WriteRaw(string text)
    {
        if (text.Length == 0)
            return;
        _ui.Write(text);
        _raw.Append(text);
        _midLine = !text.EndsWith("\n", StringComparison.Ordinal);
    }

    private void ShowBlock(string block)
    {
        if (_raw.Length > 0 && !Erase())
        {
            // Too tall to erase: the block stays as it is written, its end too.
            string shown = _raw.ToString();
            _raw.Clear();
            _ui.Write((block.StartsWith(shown, StringComparison.Ordinal) ? block.Substring(shown.Length) : string.Empty).TrimEnd('\n', '\r') + "\n\n");
            _midLine = false;
            return;
        }

        _ui.Write((MarkdownBlocks.RendersWell(block) ? _render!(block) : block).TrimEnd('\n', '\r') + "\n\n");
        _midLine = false;
    }

    // Takes the raw text of the block off the screen; false when it reaches above the window (it cannot be reached).
    private bool Erase()
    {
        int width = 80, height = 25;
        try
        {
            width = Math.Max(1, _ui.RawUI.BufferSize.Width);
            height = _ui.RawUI.WindowSize.Height;
        }
        catch (Exception e) when (e is NotImplementedException or NotSupportedException or System.Management.Automation.Host.HostException)
        {
            return false;
        }

        int up = RowsAbove(_raw.ToString(), width);
        if (up >= height - 1)
            return false;
        _ui.Write("\r" + (up > 0 ? Escape + up + "A" : string.Empty) + Escape + "J");
        _raw.Clear();
        return true;
    }
}

/// <summary>
/// Ctrl+C while an answer streams, in a real console: the console takes Ctrl+C as a key (Console.TreatControlCAsInput)
/// so that pwsh does not stop the whole command, and the key cancels the answer only. Elsewhere (input redirected,
/// another host) nothing is watched and Ctrl+C stops the command as usual. Keys typed while an answer streams are dropped.
/// </summary>
internal sealed class AnswerInterrupt : IDisposable
{
    private readonly CancellationTokenSource _done = new();
    private readonly bool _wasInput;
    private readonly Task _watch;

    private AnswerInterrupt(bool wasInput, CancellationTokenSource answer)
    {
        _wasInput = wasInput;
        _watch = Task.Run(() => Watch(answer, _done.Token));
    }

    /// <summary>Starts watching for Ctrl+C on behalf of <paramref name="answer"/>; null where there is no console to watch.</summary>
    public static AnswerInterrupt? Start(PSHost? host, CancellationTokenSource answer)
    {
        if (host?.Name != "ConsoleHost" || Console.IsInputRedirected)
            return null;
        try
        {
            bool was = Console.TreatControlCAsInput;
            Console.TreatControlCAsInput = true;
            return new AnswerInterrupt(was, answer);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _done.Cancel();
        try
        {
            _watch.Wait(1000);
        }
        catch (AggregateException)
        {
            // The watch ended with the console gone: nothing to restore it from.
        }

        try
        {
            Console.TreatControlCAsInput = _wasInput;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // No console any more (the terminal closed): nothing to restore.
        }

        _done.Dispose();
    }

    private static async Task Watch(CancellationTokenSource answer, CancellationToken done)
    {
        while (!done.IsCancellationRequested)
        {
            while (Console.KeyAvailable)
            {
                ConsoleKeyInfo key = Console.ReadKey(intercept: true);
                if ((key.Key == ConsoleKey.C && key.Modifiers.HasFlag(ConsoleModifiers.Control)) || key.KeyChar == '\u0003')
                {
                    answer.Cancel();
                    return;
                }
            }

            try
            {
                await Task.Delay(50, done).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
