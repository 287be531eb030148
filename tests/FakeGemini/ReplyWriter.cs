using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace FakeGemini;

/// <summary>Sends one <see cref="FakeReply"/> on a connection, including its deliberate misbehaviour.</summary>
internal static class ReplyWriter
{
    private static readonly string[] FramingHeaders = { "Content-Length", "Transfer-Encoding" };

    /// <summary>Writes the reply; true when the connection may carry another request.</summary>
    public static async Task<bool> SendAsync(FakeReply reply, ParsedRequest request, Socket socket, Stream stream, Exchange exchange, FakeGeminiOptions options)
    {
        CancellationToken token = exchange.Token;
        if (reply.HeaderDelay > TimeSpan.Zero)
            await Task.Delay(reply.HeaderDelay, token).ConfigureAwait(false);
        if (reply.Kind == FakeReplyKind.NoHeaders)
        {
            await Task.Delay(options.HangTimeout, token).ConfigureAwait(false);
            return false;
        }

        bool noBody = request.Method == "HEAD" || reply.Status is < 200 or 204 or 304;
        bool chunked = reply.IsStream || reply.Chunked || reply.EndlessFill is not null;
        bool gzip = reply.Gzip && AcceptsGzip(request);
        bool close = !request.KeepAlive || reply.CloseConnection || reply.Tail is not null;
        List<byte[]> events = reply.Events();

        long? contentLength = null;
        if (!chunked)
        {
            byte[] whole = Concat(events, reply.Tail);
            if (gzip)
                whole = Compress(whole);
            events = new List<byte[]> { whole };
            contentLength = reply.AnnouncedLength ?? whole.Length;
        }

        byte[] head = Head(reply, chunked, contentLength, gzip, close, noBody);
        bool plain = !chunked && reply.ByteDelay is null && reply.CutAfter is null && reply.HangAfter is null && reply.ResetAfter is null;
        if (noBody || plain)
        {
            exchange.MarkEnding();
            await stream.WriteAsync(noBody ? head : Concat(new List<byte[]> { head, events[0] }, null), token).ConfigureAwait(false);
            return !close;
        }

        await stream.WriteAsync(head, token).ConfigureAwait(false);
        using var body = new BodyWriter(stream, chunked, gzip && chunked, reply.ByteDelay, token);
        for (int i = 0; ; i++)
        {
            if (await StopsHereAsync(reply, i, events.Count, socket, exchange, options).ConfigureAwait(false))
                return false;
            if (i == events.Count)
                break;
            if (i > 0 && reply.Delay > TimeSpan.Zero)
                await Task.Delay(reply.Delay, token).ConfigureAwait(false);
            await body.WriteAsync(reply.StampSendTime ? Stamp(events[i]) : events[i], trickle: i >= reply.TrickleAfter).ConfigureAwait(false);
        }

        if (reply.EndlessFill is byte fill)
        {
            // Until the client leaves (the write fails) or the server is disposed: nothing here ever ends the body.
            byte[] block = new byte[64 * 1024];
            Array.Fill(block, fill);
            while (true)
                await body.WriteAsync(block).ConfigureAwait(false);
        }

        if (chunked && reply.Tail is not null)
        {
            if (reply.Delay > TimeSpan.Zero)
                await Task.Delay(reply.Delay, token).ConfigureAwait(false);
            await body.WriteAsync(Encoding.UTF8.GetBytes(reply.Tail)).ConfigureAwait(false);
        }

        exchange.MarkEnding();
        await body.FinishAsync().ConfigureAwait(false);
        return !close;
    }

    /// <summary>Carries out CutAfter / ResetAfter / HangAfter when <paramref name="sent"/> events are out; true when the response ends here.</summary>
    private static async Task<bool> StopsHereAsync(FakeReply reply, int sent, int total, Socket socket, Exchange exchange, FakeGeminiOptions options)
    {
        if (Reached(reply.CutAfter, sent, total))
        {
            exchange.MarkServerClosing();
            socket.Shutdown(SocketShutdown.Both);
            return true;
        }

        if (Reached(reply.ResetAfter, sent, total))
        {
            exchange.MarkServerClosing();
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
            return true;
        }

        if (Reached(reply.HangAfter, sent, total))
        {
            await Task.Delay(options.HangTimeout, exchange.Token).ConfigureAwait(false);
            exchange.MarkServerClosing();
            return true;
        }

        return false;
    }

    private static bool Reached(int? after, int sent, int total) => after is int n && Math.Clamp(n, 0, total) == sent;

    private static byte[] Head(FakeReply reply, bool chunked, long? contentLength, bool gzip, bool close, bool noBody)
    {
        var head = new StringBuilder(256);
        head.Append("HTTP/1.1 ").Append(reply.Status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Reason(reply.Status)).Append("\r\n");

        void Add(string name, string value)
        {
            if (!reply.Headers.Any(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)))
                head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (reply.ContentType is not null)
            Add("Content-Type", reply.ContentType);
        if (reply.Kind is FakeReplyKind.Sse or FakeReplyKind.SseRaw)
            Add("Content-Disposition", "attachment");
        Add("Vary", "Origin, X-Origin, Referer");
        Add("Date", DateTime.UtcNow.ToString("r", CultureInfo.InvariantCulture));
        Add("Server", "scaffolding on HTTPServer2");
        if (gzip && !noBody)
            Add("Content-Encoding", "gzip");
        if (chunked)
            head.Append("Transfer-Encoding: chunked\r\n");
        else if (reply.Status is >= 200 and not 204 and not 304)
            head.Append("Content-Length: ").Append(contentLength.GetValueOrDefault().ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        if (close)
            Add("Connection", "close");
        foreach ((string name, string value) in reply.Headers)
        {
            if (!FramingHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
                head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        return Encoding.UTF8.GetBytes(head.ToString());
    }

    private static bool AcceptsGzip(ParsedRequest request) =>
        request.Headers.TryGetValue("Accept-Encoding", out string? accept)
        && accept.Split(',').Any(coding =>
        {
            string[] parts = coding.Split(';');
            return parts[0].Trim().Equals("gzip", StringComparison.OrdinalIgnoreCase)
                && !parts.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) is "q=0" or "q=0.0" or "q=0.00" or "q=0.000");
        });

    private static byte[] Stamp(byte[] piece)
    {
        string text = Encoding.UTF8.GetString(piece);
        return text.Contains(FakeReply.SentAtPlaceholder, StringComparison.Ordinal)
            ? Encoding.UTF8.GetBytes(text.Replace(FakeReply.SentAtPlaceholder, DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
            : piece;
    }

    private static byte[] Concat(List<byte[]> pieces, string? tail)
    {
        byte[] tailBytes = tail is null ? Array.Empty<byte>() : Encoding.UTF8.GetBytes(tail);
        var whole = new byte[pieces.Sum(p => p.Length) + tailBytes.Length];
        int at = 0;
        foreach (byte[] piece in pieces.Append(tailBytes))
        {
            Buffer.BlockCopy(piece, 0, whole, at, piece.Length);
            at += piece.Length;
        }

        return whole;
    }

    private static byte[] Compress(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(data);
        return compressed.ToArray();
    }

    internal static string Reason(int status) => status switch
    {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        499 => "Client Closed Request",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    };

    /// <summary>Writes body pieces: optionally gzip (flushed per piece), chunk framing, byte-by-byte trickle.</summary>
    private sealed class BodyWriter : IDisposable
    {
        private static readonly byte[] LastChunk = Encoding.ASCII.GetBytes("0\r\n\r\n");

        private readonly Stream _stream;
        private readonly bool _chunked;
        private readonly TimeSpan? _byteDelay;
        private readonly CancellationToken _token;
        private readonly MemoryStream? _compressed;
        private readonly GZipStream? _gzip;
        private bool _wroteAny;

        public BodyWriter(Stream stream, bool chunked, bool gzip, TimeSpan? byteDelay, CancellationToken token)
        {
            _stream = stream;
            _chunked = chunked;
            _byteDelay = byteDelay;
            _token = token;
            if (gzip)
            {
                _compressed = new MemoryStream();
                _gzip = new GZipStream(_compressed, CompressionLevel.Fastest, leaveOpen: true);
            }
        }

        public async Task WriteAsync(byte[] data, bool trickle = true)
        {
            if (_gzip is not null)
            {
                _gzip.Write(data);
                _gzip.Flush();
                data = TakeCompressed();
            }

            if (data.Length == 0)
                return; // an empty chunk would end the body
            if (_byteDelay is not TimeSpan delay || delay <= TimeSpan.Zero || !trickle)
            {
                await FramedAsync(data).ConfigureAwait(false);
                return;
            }

            for (int i = 0; i < data.Length; i++)
            {
                if (_wroteAny)
                    await Task.Delay(delay, _token).ConfigureAwait(false);
                await FramedAsync(data.AsMemory(i, 1)).ConfigureAwait(false);
                _wroteAny = true;
            }
        }

        public async Task FinishAsync()
        {
            if (_gzip is not null)
            {
                _gzip.Dispose();
                await WriteRawAsync(TakeCompressed()).ConfigureAwait(false);
            }

            if (_chunked)
                await _stream.WriteAsync(LastChunk, _token).ConfigureAwait(false);
        }

        public void Dispose()
        {
            _gzip?.Dispose();
            _compressed?.Dispose();
        }

        private async Task WriteRawAsync(byte[] data)
        {
            if (data.Length > 0)
                await FramedAsync(data).ConfigureAwait(false);
        }

        private byte[] TakeCompressed()
        {
            byte[] data = _compressed!.ToArray();
            _compressed.SetLength(0);
            return data;
        }

        private async Task FramedAsync(ReadOnlyMemory<byte> data)
        {
            if (!_chunked)
            {
                await _stream.WriteAsync(data, _token).ConfigureAwait(false);
                return;
            }

            byte[] size = Encoding.ASCII.GetBytes(data.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n");
            var frame = new byte[size.Length + data.Length + 2];
            size.CopyTo(frame, 0);
            data.CopyTo(frame.AsMemory(size.Length));
            frame[^2] = (byte)'\r';
            frame[^1] = (byte)'\n';
            await _stream.WriteAsync(frame, _token).ConfigureAwait(false);
        }
    }
}
