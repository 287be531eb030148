using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Client;

/// <summary>One dispatched server-sent event, or a block of text that was not SSE at all.</summary>
internal readonly struct SseEvent
{
    public SseEvent(string? data, string? raw)
    {
        Data = data;
        Raw = raw;
    }

    /// <summary>The joined <c>data:</c> lines, or null when the event had none.</summary>
    public string? Data { get; }

    /// <summary>Lines that were not SSE fields, e.g. the bare JSON error a failing Gemini stream ends with.</summary>
    public string? Raw { get; }
}

/// <summary>
/// Reads Gemini's data-only SSE (docs/wire.md §6.1): lines end in CRLF, LF or CR; <c>data:</c> lines
/// (space optional) join with LF; a blank line or the end of the body dispatches. Comments and
/// <c>event:</c>/<c>id:</c>/<c>retry:</c> fields are ignored. Any other line is kept as raw text,
/// because a failing stream appends a pretty-printed <c>{"error": …}</c> without <c>data:</c>.
/// </summary>
internal sealed class SseReader
{
    private const int InitialBuffer = 16 * 1024;

    private readonly Stream _stream;
    private readonly long _limit;
    private readonly int _maxEventBytes;
    private readonly StringBuilder _data = new();
    private readonly StringBuilder _raw = new();
    private byte[] _buffer = new byte[InitialBuffer];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _skipLeadingLf;
    private bool _atBodyStart = true;
    private bool _hasData;
    private long _pendingBytes;

    /// <param name="stream">The response body.</param>
    /// <param name="maxEventBytes">-MaxResponseSize: the most one line, and one event, may hold; more is the size error.</param>
    public SseReader(Stream stream, long maxEventBytes = ResponseLimits.DefaultMaxResponseSize)
    {
        _stream = stream;
        _limit = maxEventBytes;
        _maxEventBytes = ResponseLimits.AsArrayLength(maxEventBytes);
    }

    /// <summary>The most bytes one line or event may hold.</summary>
    public long Limit => _limit;

    /// <summary>The next event, or null at the end of the body.</summary>
    public async Task<SseEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            string? line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
                return TakeEvent();

            if (line.Length == 0)
            {
                if (_hasData || _raw.Length > 0)
                    return TakeEvent();
                continue;
            }

            if (line[0] == ':')
                continue;

            int colon = line.IndexOf(':');
            string field = colon < 0 ? line : line.Substring(0, colon);
            switch (field)
            {
                case "data":
                    string value = colon < 0 ? string.Empty : line.Substring(colon + 1);
                    if (value.Length > 0 && value[0] == ' ')
                        value = value.Substring(1);
                    if (_hasData)
                        _data.Append('\n');
                    _data.Append(value);
                    _hasData = true;
                    break;
                case "event":
                case "id":
                case "retry":
                    break;
                default:
                    _raw.Append(line).Append('\n');
                    break;
            }

            _pendingBytes += line.Length;
            if (_pendingBytes > _limit)
                throw TooLarge($"A stream event is larger than {_limit} bytes.");
        }
    }

    /// <summary>Over the limit: a data error like any other, carrying the size error the client reports (IsTooLarge).</summary>
    private InvalidDataException TooLarge(string message) =>
        new(message, ResponseLimits.TooLarge("A stream event", _limit));

    /// <summary>True for the data error of a line or event over the limit.</summary>
    public static bool IsTooLarge(InvalidDataException e) => e.InnerException is GeminiException { Failure: GeminiFailure.ResponseTooLarge };

    private SseEvent? TakeEvent()
    {
        if (!_hasData && _raw.Length == 0)
            return null;
        var evt = new SseEvent(_hasData ? _data.ToString() : null, _raw.Length > 0 ? _raw.ToString() : null);
        _data.Clear();
        _raw.Clear();
        _hasData = false;
        _pendingBytes = 0;
        return evt;
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        int scanned = 0; // bytes after _start already known to hold no line break
        while (true)
        {
            if (_skipLeadingLf && _start < _end)
            {
                if (_buffer[_start] == (byte)'\n')
                    _start++;
                _skipLeadingLf = false;
            }

            if (_atBodyStart)
            {
                if (_end - _start < 3 && !_eof)
                {
                    await FillAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (_end - _start >= 3 && _buffer[_start] == 0xEF && _buffer[_start + 1] == 0xBB && _buffer[_start + 2] == 0xBF)
                    _start += 3;
                _atBodyStart = false;
            }

            for (int i = _start + scanned; i < _end; i++)
            {
                byte b = _buffer[i];
                if (b != (byte)'\n' && b != (byte)'\r')
                    continue;
                string line = Encoding.UTF8.GetString(_buffer, _start, i - _start);
                _start = i + 1;
                if (b == (byte)'\r')
                {
                    if (_start < _end)
                    {
                        if (_buffer[_start] == (byte)'\n')
                            _start++;
                    }
                    else
                    {
                        _skipLeadingLf = true;
                    }
                }

                return line;
            }

            scanned = _end - _start;
            if (_eof)
            {
                if (scanned == 0)
                    return null;
                string last = Encoding.UTF8.GetString(_buffer, _start, scanned);
                _start = _end;
                return last;
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
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
        {
            // An endless line ends here: the buffer never grows past the limit.
            if (_buffer.Length >= _maxEventBytes)
                throw TooLarge($"A stream line is longer than {_limit} bytes.");
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, _maxEventBytes));
        }

        int read = await _stream.ReadAsync(_buffer, _end, _buffer.Length - _end, cancellationToken).ConfigureAwait(false);
        if (read == 0)
            _eof = true;
        else
            _end += read;
    }
}

