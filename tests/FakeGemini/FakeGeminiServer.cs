using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace FakeGemini;

/// <summary>
/// A fake Gemini REST server on 127.0.0.1, speaking HTTP/1.1 by hand over a raw <see cref="TcpListener"/> so tests
/// control every byte. Unscripted requests get a plausible Gemini answer (<see cref="DefaultGemini"/>); scripted
/// replies (<see cref="Enqueue(FakeReply)"/>) take precedence. Thread-safe; each connection runs on its own task.
/// </summary>
public sealed class FakeGeminiServer : IDisposable, IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<int, HttpConnection> _connections = new();
    private readonly ConcurrentDictionary<int, Task> _connectionTasks = new();
    private readonly object _gate = new();
    private readonly List<RecordedRequest> _requests = new();
    private readonly List<(string? PathContains, FakeReply Reply)> _script = new();
    private readonly Counter _requestCount = new();
    private readonly Counter _disconnects = new();
    private readonly Task _acceptLoop;
    private volatile string _expectedApiKey;
    private int _nextConnectionId;
    private int _openConnections;
    private int _disposed;

    private FakeGeminiServer(FakeGeminiOptions options)
    {
        Options = options;
        _expectedApiKey = options.ApiKey;
        _listener = new TcpListener(IPAddress.Loopback, options.Port);
        _listener.Server.NoDelay = true;
        _listener.Start(512);
        int port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        BaseUri = new Uri($"http://127.0.0.1:{port}");
        Files = new FakeFilesApi(BaseUri, () => Batches!.Unavailable);
        Batches = new FakeBatchMode(BaseUri, Caches, Files);
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Starts a server on 127.0.0.1 (port 0 = a free port unless <see cref="FakeGeminiOptions.Port"/> says otherwise).</summary>
    public static FakeGeminiServer Start(FakeGeminiOptions? options = null) => new(options ?? new FakeGeminiOptions());

    /// <summary>http://127.0.0.1:PORT</summary>
    public Uri BaseUri { get; }

    public FakeGeminiOptions Options { get; }

    /// <summary>The batch jobs and files of the Batch Mode routes, and their settings (states, a proxy without Batch Mode).</summary>
    public FakeBatchMode Batches { get; }

    /// <summary>The Files API routes: uploads (resumable, cut on demand), files get/list/delete, and their settings.</summary>
    public FakeFilesApi Files { get; }
    /// <summary>The context caches the default behaviour keeps (cachedContents); tests may seed them.</summary>
    public FakeCacheStore Caches { get; } = new();

    /// <summary>The key the default behaviour requires (x-goog-api-key, Authorization: Bearer, or ?key=). Default "test-key".</summary>
    public string ExpectedApiKey
    {
        get => _expectedApiKey;
        set => _expectedApiKey = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>A snapshot of the requests received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
                return _requests.ToArray();
        }
    }

    /// <summary>How many requests arrived (counted even when <see cref="FakeGeminiOptions.RecordRequests"/> is off).</summary>
    public int RequestCount => _requestCount.Value;

    /// <summary>Scripted replies not yet used.</summary>
    public int PendingReplies
    {
        get
        {
            lock (_gate)
                return _script.Count;
        }
    }

    public int OpenConnections => Volatile.Read(ref _openConnections);

    /// <summary>Responses whose client went away before the body ended.</summary>
    public int DisconnectedMidResponse => _disconnects.Value;

    /// <summary>Queues a reply for the next request, whatever its path (FIFO).</summary>
    public void Enqueue(FakeReply reply) => Add(null, reply);

    /// <summary>Queues a reply for the next request whose path and query contain <paramref name="pathContains"/>.</summary>
    public void Enqueue(string pathContains, FakeReply reply) => Add(pathContains ?? throw new ArgumentNullException(nameof(pathContains)), reply);

    /// <summary>Forgets the recorded requests (the count in <see cref="RequestCount"/> stays).</summary>
    public void ClearRequests()
    {
        lock (_gate)
            _requests.Clear();
    }

    /// <summary>Waits until <paramref name="count"/> requests have arrived and returns that one; <see cref="TimeoutException"/> otherwise.</summary>
    public async Task<RecordedRequest> WaitForRequestAsync(int count, TimeSpan timeout)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count));
        if (!Options.RecordRequests)
            throw new InvalidOperationException("Requests are not recorded (FakeGeminiOptions.RecordRequests is false).");
        await _requestCount.WaitAsync(count, timeout, $"{count} request(s)", _shutdown.Token).ConfigureAwait(false);
        lock (_gate)
            return _requests[Math.Min(count, _requests.Count) - 1];
    }

    /// <summary>Completes once a response in progress has noticed its client close the connection (at any time since the start).</summary>
    public Task WaitForClientDisconnectAsync(TimeSpan timeout) => WaitForClientDisconnectAsync(1, timeout);

    /// <summary>Completes once <see cref="DisconnectedMidResponse"/> reaches <paramref name="count"/>.</summary>
    public Task WaitForClientDisconnectAsync(int count, TimeSpan timeout) =>
        _disconnects.WaitAsync(count, timeout, $"{count} client disconnect(s) during a response", _shutdown.Token);

    /// <summary>
    /// Stops listening and closes every connection at once (hanging replies included). Does not block on the
    /// connection tasks, which end by themselves within moments: a blocking wait here would starve the thread
    /// pool when many tests dispose servers in parallel.
    /// </summary>
    public void Dispose() => BeginShutdown();

    /// <summary>Like <see cref="Dispose"/>, then waits (up to 2 s, without blocking a thread) for the connection tasks to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!BeginShutdown())
            return;
        try
        {
            await Task.WhenAll(_connectionTasks.Values.Append(_acceptLoop)).WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or AggregateException)
        {
        }
    }

    public override string ToString() => $"FakeGemini {BaseUri} ({RequestCount} requests, {OpenConnections} open connections)";

    internal RecordedRequest Record(ParsedRequest request, int connectionId)
    {
        var recorded = new RecordedRequest(request.Method, request.PathAndQuery, request.Headers, request.Body)
        {
            ConnectionId = connectionId,
            ReceivedUtc = DateTime.UtcNow,
        };
        if (Options.RecordRequests)
        {
            lock (_gate)
                _requests.Add(recorded);
        }

        _requestCount.Increment();
        return recorded;
    }

    /// <summary>The first scripted reply that fits the request, else the default Gemini behaviour.</summary>
    internal FakeReply ReplyFor(RecordedRequest request)
    {
        lock (_gate)
        {
            int index = _script.FindIndex(s => s.PathContains is null || request.PathAndQuery.Contains(s.PathContains, StringComparison.Ordinal));
            if (index >= 0)
            {
                FakeReply scripted = _script[index].Reply;
                _script.RemoveAt(index);
                return scripted;
            }
        }

        try
        {
            FakeReply answer = Files.Answer(request, ExpectedApiKey, Options) ?? Batches.Answer(request, ExpectedApiKey, Options) ?? DefaultGemini.Answer(request, ExpectedApiKey, Options, Caches);
            return Options.DefaultAnswerDelay is { } delay ? answer with { HeaderDelay = delay(request) } : answer;
        }
        catch (Exception e)
        {
            return FakeReply.Error(500, "INTERNAL", "FakeGemini failed: " + e.Message);
        }
    }

    internal void OnClientDisconnected() => _disconnects.Increment();

    internal void OnConnectionClosed(HttpConnection connection)
    {
        if (_connections.TryRemove(connection.Id, out _))
            Interlocked.Decrement(ref _openConnections);
    }

    private void Add(string? pathContains, FakeReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        lock (_gate)
            _script.Add((pathContains, reply));
    }

    private bool BeginShutdown()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return false;
        _shutdown.Cancel();
        _listener.Stop();
        foreach (HttpConnection connection in _connections.Values)
            connection.Close();
        return true;
    }

    private async Task AcceptLoopAsync()
    {
        CancellationToken token = _shutdown.Token;
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            catch (SocketException)
            {
                if (token.IsCancellationRequested)
                    return;
                continue;
            }

            int id = Interlocked.Increment(ref _nextConnectionId);
            var connection = new HttpConnection(this, socket, id);
            Interlocked.Increment(ref _openConnections);
            _connections[id] = connection;
            if (token.IsCancellationRequested)
            {
                connection.Close();
                return;
            }

            Task run = Task.Run(() => connection.RunAsync(token));
            _connectionTasks[id] = run;
            _ = run.ContinueWith(_ => _connectionTasks.TryRemove(id, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>A count that can be awaited until it reaches a value.</summary>
    private sealed class Counter
    {
        private readonly object _gate = new();
        private int _value;
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Value => Volatile.Read(ref _value);

        public void Increment()
        {
            TaskCompletionSource changed;
            lock (_gate)
            {
                _value++;
                changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            changed.TrySetResult();
        }

        public async Task WaitAsync(int target, TimeSpan timeout, string what, CancellationToken token)
        {
            DateTime deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                Task changed;
                lock (_gate)
                {
                    if (_value >= target)
                        return;
                    changed = _changed.Task;
                }

                TimeSpan left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                    throw new TimeoutException($"FakeGemini: no {what} within {timeout.TotalSeconds:0.###} s (have {Value}).");
                try
                {
                    await changed.WaitAsync(left, token).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // loop once more to report with the count
                }
            }
        }
    }
}
