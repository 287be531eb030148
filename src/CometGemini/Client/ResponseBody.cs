using System;
using System.Buffers;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Client;

/// <summary>
/// A response body of unannounced length (a gzip'd answer: Google compresses when asked) read in pieces that the
/// JSON reader takes as one sequence, so a 13 MB image answer is never grown, copied, or joined into one array.
/// </summary>
internal sealed class ResponseBody
{
    private const int FirstPiece = 16 * 1024;
    private const int LargestPiece = 1024 * 1024;

    private ResponseBody(ReadOnlySequence<byte> bytes) => Bytes = bytes;

    public ReadOnlySequence<byte> Bytes { get; }

    /// <summary>The body to its end. Closing the response is what stops a stalled read on .NET Framework.</summary>
    public static async Task<ResponseBody> ReadAsync(Stream stream, HttpResponseMessage response, CancellationToken token)
    {
        using CancellationTokenRegistration close = token.Register(response.Dispose);
        try
        {
            Piece? first = null, last = null;
            int size = FirstPiece;
            while (true)
            {
                byte[] buffer = new byte[size];
                int filled = 0, read;
                while (filled < buffer.Length && (read = await stream.ReadAsync(buffer, filled, buffer.Length - filled, token).ConfigureAwait(false)) > 0)
                    filled += read;
                if (filled > 0)
                {
                    last = new Piece(new ReadOnlyMemory<byte>(buffer, 0, filled), last);
                    first ??= last;
                }

                if (filled < buffer.Length)
                    break;
                size = Math.Min(size * 2, LargestPiece);
            }

            return new ResponseBody(first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length));
        }
        catch (Exception e) when (token.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("Cancelled while reading the answer.", e, token);
        }
    }

    private sealed class Piece : ReadOnlySequenceSegment<byte>
    {
        public Piece(ReadOnlyMemory<byte> memory, Piece? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}
