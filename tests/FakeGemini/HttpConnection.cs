using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace FakeGemini;

/// <summary>One accepted TCP connection: reads requests one after another (keep-alive) and answers each.</summary>
internal sealed class HttpConnection
{
    private readonly FakeGeminiServer _server;
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly HttpRequestReader _reader;
    private int _closed;

    public HttpConnection(FakeGeminiServer server, Socket socket, int id)
    {
        _server = server;
        _socket = socket;
        _socket.NoDelay = true;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _reader = new HttpRequestReader(_stream, server.Options.MaxHeaderBytes, server.Options.MaxBodyBytes);
        Id = id;
    }

    public int Id { get; }

    public async Task RunAsync(CancellationToken serverToken)
    {
        FakeGeminiOptions options = _server.Options;
        try
        {
            while (!serverToken.IsCancellationRequested)
            {
                ParsedRequest? request;
                try
                {
                    request = await _reader.ReadAsync(options.KeepAliveTimeout, options.RequestTimeout, serverToken).ConfigureAwait(false);
                }
                catch (HttpParseException e)
                {
                    await RefuseAsync(e, serverToken).ConfigureAwait(false);
                    break;
                }

                if (request is null)
                    break;
                RecordedRequest recorded = _server.Record(request, Id);
                FakeReply reply = _server.ReplyFor(recorded);
                if (!await RespondAsync(reply, request, serverToken).ConfigureAwait(false))
                    break;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, a read timed out, or the server is shutting down: just close.
        }
        finally
        {
            Close();
        }
    }

    /// <summary>Closes the socket at once; used by Dispose and after the last response.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
            return;
        try
        {
            _socket.Close();
        }
        catch (SocketException)
        {
        }

        _stream.Dispose();
        _reader.ObservePendingRead();
        _server.OnConnectionClosed(this);
    }

    private async Task<bool> RespondAsync(FakeReply reply, ParsedRequest request, CancellationToken serverToken)
    {
        var exchange = new Exchange(_server, serverToken);
        try
        {
            // Keep a read running while the response goes out: 0 bytes or an error means the client left.
            Task<int> watch = _reader.PendingRead();
            _ = watch.ContinueWith(
                static (read, state) => ((Exchange)state!).OnClientRead(read),
                exchange,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return await ReplyWriter.SendAsync(reply, request, _socket, _stream, exchange, _server.Options).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            exchange.OnWriteFailed();
            return false;
        }
        finally
        {
            exchange.Finish();
        }
    }

    private async Task RefuseAsync(HttpParseException error, CancellationToken token)
    {
        byte[] body = Encoding.UTF8.GetBytes(error.Message + "\n");
        string head = $"HTTP/1.1 {error.Status} {ReplyWriter.Reason(error.Status)}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(head), token).ConfigureAwait(false);
        await _stream.WriteAsync(body, token).ConfigureAwait(false);
    }
}

/// <summary>
/// The state of one response in progress: its cancellation (server shutdown or client gone) and whether
/// the client left before the body ended.
/// </summary>
internal sealed class Exchange
{
    private const int Active = 0;
    private const int Ending = 1;    // the last bytes are being written
    private const int Finished = 2;  // done, or the server itself is closing the connection
    private const int ClientGone = 3;

    private readonly FakeGeminiServer _server;
    private readonly CancellationToken _serverToken;
    private readonly CancellationTokenSource _cts;
    private int _state;

    public Exchange(FakeGeminiServer server, CancellationToken serverToken)
    {
        _server = server;
        _serverToken = serverToken;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(serverToken);
        Token = _cts.Token;
    }

    public CancellationToken Token { get; }

    public void MarkEnding() => Interlocked.CompareExchange(ref _state, Ending, Active);

    public void MarkServerClosing() => Move(Finished, Active, Ending);

    public void OnClientRead(Task<int> read)
    {
        bool gone = read.IsFaulted || read.IsCanceled || read.Result == 0;
        _ = read.Exception;
        if (gone)
            Left(strict: true);
    }

    public void OnWriteFailed() => Left(strict: false);

    public void Finish()
    {
        Move(Finished, Active, Ending);
        _cts.Dispose();
    }

    // strict: a read that sees the close after the last write started is a normal end, not a disconnect.
    private void Left(bool strict)
    {
        if (_serverToken.IsCancellationRequested)
            return;
        bool moved = strict ? Move(ClientGone, Active) : Move(ClientGone, Active, Ending);
        if (!moved)
            return;
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        _server.OnClientDisconnected();
    }

    private bool Move(int to, params int[] from)
    {
        while (true)
        {
            int current = Volatile.Read(ref _state);
            if (Array.IndexOf(from, current) < 0)
                return false;
            if (Interlocked.CompareExchange(ref _state, to, current) == current)
                return true;
        }
    }
}
