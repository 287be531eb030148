using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace CometGemini.Generation;

/// <summary>
/// Cuts an answer that arrives in pieces into whole Markdown blocks (paragraphs, lists, tables, code blocks), so that
/// Enter-GeminiChat can render each block for the console as soon as it is complete: a block ends at a blank line
/// outside a code fence, or at the fence that closes a code block.
/// </summary>
internal sealed class MarkdownBlocks
{
    private readonly StringBuilder _block = new();
    private readonly StringBuilder _line = new();
    private string? _fence;

    /// <summary>Adds a piece of the answer; returns the blocks it completed, in order (often none).</summary>
    public IReadOnlyList<string> Add(string text)
    {
        var done = new List<string>();
        foreach (char c in text)
        {
            if (c != '\n')
            {
                _line.Append(c);
                continue;
            }

            string line = _line.ToString().TrimEnd('\r');
            _line.Clear();
            if (EndsBlock(line) is { } ended)
            {
                if (ended)
                    _block.Append(line).Append('\n');
                if (Take() is { } block)
                    done.Add(block);
            }
            else
            {
                _block.Append(line).Append('\n');
            }
        }

        return done;
    }

    /// <summary>The text of the block still open: what came since the last complete block.</summary>
    public string Pending => _block.ToString() + _line;

    /// <summary>What is left when the answer ends (or stops): the last block, maybe incomplete; null when nothing is left.</summary>
    public string? Rest()
    {
        if (_line.Length > 0)
        {
            _block.Append(_line);
            _line.Clear();
        }

        _fence = null;
        return Take();
    }

    // Null: the line belongs to the block. True: it ends the block and is its last line (a closing fence). False: it
    // ends the block and is not part of it (a blank line).
    private bool? EndsBlock(string line)
    {
        string trimmed = line.TrimStart();
        if (_fence is not null)
        {
            if (!trimmed.StartsWith(_fence, StringComparison.Ordinal) || trimmed.Trim().Trim(_fence[0]).Length != 0)
                return null;
            _fence = null;
            return true;
        }

        if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
        {
            _fence = trimmed.Substring(0, 3);
            return null;
        }

        return line.Trim().Length == 0 ? false : null;
    }

    private string? Take()
    {
        string block = _block.ToString();
        _block.Clear();
        return block.Trim().Length == 0 ? null : block;
    }

    /// <summary>
    /// Whether ConvertFrom-Markdown shows <paramref name="block"/> better than its text: not a table, which its console
    /// rendering runs together into one line (the Markdown of a table reads well as it is).
    /// </summary>
    public static bool RendersWell(string block) =>
        !block.Split('\n').Where(l => l.Trim().Length > 0).All(l => l.TrimStart().StartsWith("|", StringComparison.Ordinal));

    /// <summary>
    /// Whether an answer is rendered as Markdown for the console: not under -NoMarkdown, not when the output goes to a
    /// file or pipe, not when $PSStyle.OutputRendering is PlainText or the host does not do VT (escape sequences), and
    /// only where ConvertFrom-Markdown exists (PowerShell 7). Anywhere else the text is shown as it comes.
    /// </summary>
    public static bool Renders(bool noMarkdown, bool outputRedirected, bool hostSupportsVirtualTerminal, bool plainTextRendering, bool converterAvailable) =>
        !noMarkdown && !outputRedirected && hostSupportsVirtualTerminal && !plainTextRendering && converterAvailable;
}
