using System;
using System.IO;
using System.Management.Automation.Host;
using System.Threading;
using System.Threading.Tasks;
using CometGemini.Generation;

namespace CometGemini.Commands;

/// <summary>
/// What Enter-GeminiChat shows of an answer as it comes: the text as it is written, or, where Markdown is rendered,
/// each block once it is whole (MarkdownBlocks) through <c>render</c>. Used on the pipeline thread only.
/// </summary>
internal sealed class ChatScreen
{
    private readonly PSHostUserInterface _ui;
    private readonly Func<string, string>? _render;
    private readonly MarkdownBlocks _blocks = new();
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
        if (_render is null)
        {
            _ui.Write(text);
            _midLine = !text.EndsWith("\n", StringComparison.Ordinal);
            return;
        }

        foreach (string block in _blocks.Add(text))
            ShowBlock(block);
    }

    /// <summary>The answer (or a round of it) has ended or stopped: what is left is shown and the line ended, before anything else is.</summary>
    public void EndAnswer()
    {
        if (_render is not null && _blocks.Rest() is { } rest)
            ShowBlock(rest);
        if (_midLine)
            _ui.WriteLine();
        _midLine = false;
    }

    private void ShowBlock(string block)
    {
        string shown = _render!(block).TrimEnd('\n', '\r');
        _ui.WriteLine(shown);
        _ui.WriteLine();
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
