using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Client;

/// <summary>
/// A response body read under the limit: the bytes that actually arrive (after gzip or deflate is undone) are counted,
/// and one past the limit ends the read with the size error. Content-Length decides nothing but an early refusal:
/// an announced size over the limit is refused before a byte is read, and nothing is ever reserved from it.
/// </summary>
internal sealed class BoundedReadStream : Stream
{
    private readonly Stream _inner;
    private readonly long _limit;
    private long _read;

    private BoundedReadStream(Stream inner, long limit)
    {
        _inner = inner;
        _limit = limit;
    }

    /// <summary>The body of <paramref name="response"/>, bounded; the size error at once when its Content-Length is over.</summary>
    public static async Task<BoundedReadStream> OpenAsync(HttpResponseMessage response, long limit)
    {
        if (response.Content.Headers.ContentLength is long announced && announced > limit)
            throw ResponseLimits.AnnouncedTooLarge(announced, limit);
        return new BoundedReadStream(await response.Content.ReadAsStreamAsync().ConfigureAwait(false), limit);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(_inner.Read(buffer, offset, Allowed(count)));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Count(await _inner.ReadAsync(buffer, offset, Allowed(count), cancellationToken).ConfigureAwait(false));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _inner.Dispose();
        base.Dispose(disposing);
    }

    // Asks for at most one byte past the limit: that byte, if it comes, is the proof the body is too large.
    private int Allowed(int count) => (int)Math.Max(1, Math.Min(count, _limit - _read + 1));

    private int Count(int read)
    {
        _read += read;
        if (_read > _limit)
            throw ResponseLimits.TooLarge("The answer", _limit);
        return read;
    }
}
