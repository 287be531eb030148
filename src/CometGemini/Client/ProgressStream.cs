using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Client;

/// <summary>
/// A read-only stream over a file being uploaded that tells how far the upload got: (bytes sent, total) after each
/// mebibyte and at the end, so a progress bar moves without a callback per 80 KB buffer.
/// </summary>
internal sealed class ProgressStream : Stream
{
    private const long Step = 1024 * 1024;

    private readonly Stream _inner;
    private readonly long _total;
    private readonly Action<long, long>? _report;
    private long _position;
    private long _reported;

    public ProgressStream(Stream inner, long start, long total, Action<long, long>? report)
    {
        _inner = inner;
        _position = start;
        _reported = start;
        _total = total;
        _report = report;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _total;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Advance(_inner.Read(buffer, offset, count));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Advance(await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false));

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

    private int Advance(int read)
    {
        _position += read;
        if (_report is not null && (_position - _reported >= Step || (read == 0 || _position == _total) && _position != _reported))
        {
            _reported = _position;
            _report(_position, _total);
        }

        return read;
    }
}
