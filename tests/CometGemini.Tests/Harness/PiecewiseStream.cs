using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Tests.Harness;

/// <summary>Hands out a body in the given piece sizes (then the rest), like a network stream.</summary>
internal sealed class PiecewiseStream : Stream
{
    private readonly byte[] _data;
    private readonly Queue<int> _pieces;
    private int _position;

    /// <summary>The body in random pieces of 1 to <paramref name="maxPiece"/> bytes.</summary>
    public static PiecewiseStream Random(byte[] data, Random random, int maxPiece = 64)
    {
        var pieces = new List<int>();
        for (int total = 0; total < data.Length; total += pieces[pieces.Count - 1])
            pieces.Add(random.Next(1, maxPiece + 1));
        return new PiecewiseStream(data, pieces);
    }

    public PiecewiseStream(byte[] data, IEnumerable<int> pieces)
    {
        _data = data;
        _pieces = new Queue<int>(pieces.Where(p => p > 0));
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int piece = _pieces.Count > 0 ? _pieces.Dequeue() : int.MaxValue;
        int n = Math.Min(Math.Min(count, piece), _data.Length - _position);
        Array.Copy(_data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _data.Length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
