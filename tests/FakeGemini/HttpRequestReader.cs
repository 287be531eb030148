using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace FakeGemini;

/// <summary>A request the server cannot take; answered with <see cref="Status"/> and the connection closed.</summary>
internal sealed class HttpParseException : Exception
{
    public HttpParseException(int status, string message)
        : base(message) => Status = status;

    public int Status { get; }
}

/// <summary>A complete HTTP/1.x request.</summary>
internal sealed class ParsedRequest
{
    public ParsedRequest(string method, string target, string version, Dictionary<string, string> headers, byte[] body)
    {
        Method = method;
        Version = version;
        Headers = headers;
        Body = body;
        PathAndQuery = OriginForm(target);
    }

    public string Method { get; }

    public string Version { get; }

    /// <summary>The request target in origin form (a proxy request's absolute URI loses scheme and authority).</summary>
    public string PathAndQuery { get; }

    public Dictionary<string, string> Headers { get; }

    public byte[] Body { get; }

    public bool KeepAlive
    {
        get
        {
            string connection = Headers.GetValueOrDefault("Connection") ?? "";
            if (Version == "HTTP/1.0")
                return connection.Contains("keep-alive", StringComparison.OrdinalIgnoreCase);
            return !connection.Contains("close", StringComparison.OrdinalIgnoreCase);
        }
    }

    private static string OriginForm(string target)
    {
        int scheme = target.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0 || target.StartsWith('/'))
            return target;
        int path = target.IndexOfAny(new[] { '/', '?' }, scheme + 3);
        if (path < 0)
            return "/";
        return target[path] == '?' ? "/" + target.Substring(path) : target.Substring(path);
    }
}

/// <summary>
/// Reads HTTP/1.1 requests from one connection: request line, headers, a Content-Length or chunked body.
/// A read can be left running between requests (<see cref="PendingRead"/>) so the connection notices a client
/// that goes away while a response is being sent; the next request picks up whatever that read brought.
/// </summary>
internal sealed class HttpRequestReader
{
    private const int MaxChunkLineBytes = 8 * 1024;
    private static readonly byte[] Continue100 = Encoding.ASCII.GetBytes("HTTP/1.1 100 Continue\r\n\r\n");

    private readonly Stream _stream;
    private readonly int _maxHeaderBytes;
    private readonly long _maxBodyBytes;
    private byte[] _buffer = new byte[32 * 1024];
    private int _start;
    private int _end;
    private Task<int>? _pending;

    public HttpRequestReader(Stream stream, int maxHeaderBytes, long maxBodyBytes)
    {
        _stream = stream;
        _maxHeaderBytes = maxHeaderBytes;
        _maxBodyBytes = maxBodyBytes;
    }

    /// <summary>The read in flight (started if there is none); its bytes are kept for the next request.</summary>
    public Task<int> PendingRead()
    {
        if (_pending is null)
        {
            MakeRoom();
            _pending = _stream.ReadAsync(_buffer, _end, _buffer.Length - _end);
        }

        return _pending;
    }

    /// <summary>Marks the read in flight (if any) as observed, for a connection being closed.</summary>
    public void ObservePendingRead() =>
        _pending?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>The next request, or null when the client closed the connection (or stayed idle too long) between requests.</summary>
    public async Task<ParsedRequest?> ReadAsync(TimeSpan idleTimeout, TimeSpan requestTimeout, CancellationToken token)
    {
        if (_start == _end)
        {
            try
            {
                if (!await FillAsync(idleTimeout, token).ConfigureAwait(false))
                    return null;
            }
            catch (TimeoutException)
            {
                return null;
            }
        }

        DateTime deadline = DateTime.UtcNow + requestTimeout;
        int headerBytes = 0;
        string requestLine;
        do
        {
            requestLine = await ReadLineAsync(_maxHeaderBytes - headerBytes, 431, deadline, token).ConfigureAwait(false);
            headerBytes += requestLine.Length + 2;
        }
        while (requestLine.Length == 0);

        string[] parts = requestLine.Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0)
            throw new HttpParseException(400, "Malformed request line.");
        if (!parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
            throw new HttpParseException(505, "Only HTTP/1.x is spoken here.");

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            string line = await ReadLineAsync(_maxHeaderBytes - headerBytes, 431, deadline, token).ConfigureAwait(false);
            headerBytes += line.Length + 2;
            if (headerBytes > _maxHeaderBytes)
                throw new HttpParseException(431, "Request header fields too large.");
            if (line.Length == 0)
                break;
            int colon = line.IndexOf(':');
            if (colon <= 0 || char.IsWhiteSpace(line[0]))
                throw new HttpParseException(400, "Malformed header line.");
            string name = line.Substring(0, colon).Trim();
            string value = line.Substring(colon + 1).Trim();
            headers[name] = headers.TryGetValue(name, out string? earlier) ? earlier + ", " + value : value;
        }

        byte[] body = await ReadBodyAsync(headers, deadline, token).ConfigureAwait(false);
        return new ParsedRequest(parts[0], parts[1], parts[2], headers, body);
    }

    private async Task<byte[]> ReadBodyAsync(Dictionary<string, string> headers, DateTime deadline, CancellationToken token)
    {
        if (headers.TryGetValue("Transfer-Encoding", out string? encoding))
        {
            if (!encoding.TrimEnd().EndsWith("chunked", StringComparison.OrdinalIgnoreCase))
                throw new HttpParseException(501, "Only the chunked transfer coding is understood.");
            await ContinueAsync(headers, token).ConfigureAwait(false);
            return await ReadChunkedAsync(deadline, token).ConfigureAwait(false);
        }

        if (!headers.TryGetValue("Content-Length", out string? lengthText))
            return Array.Empty<byte>();
        string[] values = lengthText.Split(',');
        if (!long.TryParse(values[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long length)
            || Array.Exists(values, v => v.Trim() != values[0].Trim()))
            throw new HttpParseException(400, "Bad Content-Length.");
        if (length > _maxBodyBytes)
            throw new HttpParseException(413, $"Request bodies are limited to {_maxBodyBytes} bytes.");
        if (length == 0)
            return Array.Empty<byte>();

        await ContinueAsync(headers, token).ConfigureAwait(false);
        var body = new byte[length];
        await ReadExactAsync(body, 0, body.Length, deadline, token).ConfigureAwait(false);
        return body;
    }

    private async Task<byte[]> ReadChunkedAsync(DateTime deadline, CancellationToken token)
    {
        using var body = new MemoryStream();
        while (true)
        {
            string sizeLine = await ReadLineAsync(MaxChunkLineBytes, 400, deadline, token).ConfigureAwait(false);
            string hex = sizeLine.Split(';', 2)[0].Trim();
            if (!long.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long size) || size < 0)
                throw new HttpParseException(400, "Bad chunk size.");
            if (size == 0)
                break;
            if (body.Length + size > _maxBodyBytes)
                throw new HttpParseException(413, $"Request bodies are limited to {_maxBodyBytes} bytes.");

            var chunk = new byte[size];
            await ReadExactAsync(chunk, 0, chunk.Length, deadline, token).ConfigureAwait(false);
            body.Write(chunk);
            if ((await ReadLineAsync(MaxChunkLineBytes, 400, deadline, token).ConfigureAwait(false)).Length != 0)
                throw new HttpParseException(400, "Chunk data longer than its size.");
        }

        int trailerBytes = 0;
        string trailer;
        do
        {
            trailer = await ReadLineAsync(MaxChunkLineBytes - trailerBytes, 400, deadline, token).ConfigureAwait(false);
            trailerBytes += trailer.Length + 2;
        }
        while (trailer.Length != 0);

        return body.ToArray();
    }

    private async Task ContinueAsync(Dictionary<string, string> headers, CancellationToken token)
    {
        if (_start == _end && headers.TryGetValue("Expect", out string? expect) && expect.Contains("100-continue", StringComparison.OrdinalIgnoreCase))
            await _stream.WriteAsync(Continue100, token).ConfigureAwait(false);
    }

    private async Task<string> ReadLineAsync(int maxBytes, int tooLongStatus, DateTime deadline, CancellationToken token)
    {
        int scanned = 0;
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start + scanned, _end - _start - scanned);
            if (newline >= 0)
            {
                int length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == '\r')
                    length--;
                string line = Encoding.Latin1.GetString(_buffer, _start, length);
                _start = newline + 1;
                return line;
            }

            scanned = _end - _start;
            if (scanned > maxBytes)
                throw new HttpParseException(tooLongStatus, tooLongStatus == 431 ? "Request header fields too large." : "Line too long.");
            if (!await FillAsync(deadline - DateTime.UtcNow, token).ConfigureAwait(false))
                throw new EndOfStreamException("The client closed the connection in the middle of a request.");
        }
    }

    private async Task ReadExactAsync(byte[] target, int offset, int count, DateTime deadline, CancellationToken token)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(deadline - DateTime.UtcNow, token).ConfigureAwait(false))
                throw new EndOfStreamException("The client closed the connection in the middle of a request body.");
            int take = Math.Min(count, _end - _start);
            Buffer.BlockCopy(_buffer, _start, target, offset, take);
            _start += take;
            offset += take;
            count -= take;
        }
    }

    /// <summary>Waits for more bytes; false at end of stream. Throws <see cref="TimeoutException"/> when none come in time.</summary>
    private async Task<bool> FillAsync(TimeSpan timeout, CancellationToken token)
    {
        if (timeout <= TimeSpan.Zero)
            throw new TimeoutException("The request did not arrive in time.");
        int read = await PendingRead().WaitAsync(timeout, token).ConfigureAwait(false);
        _pending = null;
        if (read == 0)
            return false;
        _end += read;
        return true;
    }

    private void MakeRoom()
    {
        if (_start == _end)
        {
            _start = _end = 0;
            return;
        }

        if (_buffer.Length - _end >= 4096)
            return;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
            return;
        }

        if (_end < _buffer.Length)
            return;
        if (_buffer.Length >= 2 * Math.Max(_maxHeaderBytes, MaxChunkLineBytes))
            throw new HttpParseException(431, "Request header fields too large.");
        Array.Resize(ref _buffer, _buffer.Length * 2);
    }
}
