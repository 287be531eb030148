using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Client;

/// <summary>One line of a JSON Lines file, or the news that a line was over the limit (its bytes were skipped, not kept).</summary>
internal readonly struct TextLine
{
    public TextLine(string? text, long skippedBytes)
    {
        Text = text;
        SkippedBytes = skippedBytes;
    }

    /// <summary>The line without its LF or CRLF; null when it was too long.</summary>
    public string? Text { get; }

    /// <summary>How long a line over the limit was (its bytes were read and dropped); 0 for a kept line.</summary>
    public long SkippedBytes { get; }
}

/// <summary>
/// Lines split on LF (a CR before it dropped), each held only up to the limit: a longer line is read through to its end
/// without keeping it, so one oversized or endless line costs no memory and the lines after it still come.
/// </summary>
internal sealed class LineReader
{
    private readonly Stream _stream;
    private readonly int _limit;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _atStart = true;

    public LineReader(Stream stream, long limit)
    {
        _stream = stream;
        _limit = ResponseLimits.AsArrayLength(limit);
    }

    /// <summary>The next line, or null at the end of the body.</summary>
    public async Task<TextLine?> ReadAsync(CancellationToken cancellationToken)
    {
        int scanned = 0;
        long skipped = 0;
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start + scanned, _end - _start - scanned);
            if (newline >= 0)
            {
                if (skipped > 0)
                {
                    skipped += newline - _start;
                    _start = newline + 1;
                    return new TextLine(null, skipped);
                }

                int length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == (byte)'\r')
                    length--;
                var line = new TextLine(Decode(_start, length), 0);
                _start = newline + 1;
                return line;
            }

            if (_eof)
            {
                if (skipped > 0)
                {
                    skipped += _end - _start;
                    _start = _end;
                    return new TextLine(null, skipped);
                }

                if (_end == _start)
                    return null;
                var last = new TextLine(Decode(_start, _end - _start), 0);
                _start = _end;
                return last;
            }

            if (skipped > 0 || _end - _start > _limit)
            {
                // Over the limit: drop what is buffered of this line and keep reading until it ends.
                skipped += _end - _start;
                _start = _end;
            }

            scanned = _end - _start;
            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private string Decode(int start, int length)
    {
        if (_atStart)
        {
            _atStart = false;
            if (length >= 3 && _buffer[start] == 0xEF && _buffer[start + 1] == 0xBB && _buffer[start + 2] == 0xBF)
                return Encoding.UTF8.GetString(_buffer, start + 3, length - 3);
        }

        return Encoding.UTF8.GetString(_buffer, start, length);
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, (long)_limit + 1));

        int read = await _stream.ReadAsync(_buffer, _end, _buffer.Length - _end, cancellationToken).ConfigureAwait(false);
        if (read == 0)
            _eof = true;
        else
            _end += read;
    }
}
