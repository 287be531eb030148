using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Commands;

/// <summary>
/// Background work that spans a command's records (the requests of a run that go at once, -ThrottleLimit): RunAsync's design stretched over
/// the whole command. One outbox for all of it; the pipeline thread carries out its writes whenever the command waits
/// (for a free slot, for the end), so inputs keep arriving while requests run and only the pipeline thread writes.
/// </summary>
internal sealed class RequestPump : IDisposable
{
    private readonly CancellationToken _stopping;
    private readonly CancellationTokenSource _abort;
    private readonly TaskCompletionSource<bool> _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Outbox _outbox;
    private int _running;

    // The pump itself (until Dispose) and each started work hold the abort token source; the last to let go disposes it.
    private int _holders = 1;
    private int _disposed;

    public RequestPump(CancellationToken stopping, bool debugEnabled, bool verboseEnabled)
    {
        _stopping = stopping;
        _abort = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _outbox = new Outbox(_abort.Token, debugEnabled, verboseEnabled);
    }

    /// <summary>Work started and not yet reported back (read and changed on the pipeline thread only).</summary>
    public int Running => _running;

    /// <summary>Done once the pump is disposed and every work it started has ended (for tests).</summary>
    internal Task Released => _released.Task;

    /// <summary>
    /// Starts <paramref name="work"/> on the thread pool; once it has ended, <paramref name="done"/> gets the finished
    /// task on the pipeline thread (in the order the work ends), the writes the work queued before it already made.
    /// </summary>
    public void Start<T>(Func<Outbox, CancellationToken, Task<T>> work, Action<Task<T>> done)
    {
        CancellationToken token = _abort.Token;
        Interlocked.Increment(ref _holders);
        _running++;
        Task<T> task = Task.Run(() => work(_outbox, token));

        _ = task.ContinueWith(
            finished =>
            {
                try
                {
                    _outbox.Run(_ =>
                    {
                        _running--;
                        done(finished);
                    });
                }
                catch (OperationCanceledException)
                {
                    // The command has left (stopped, failed, or has enough): nobody is waiting for this result.
                }
                finally
                {
                    LetGo();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, // on the thread that ended the work: no extra hop through the thread pool
            TaskScheduler.Default);
    }

    /// <summary>How often a waiting pipeline thread looks up from the queue (for <c>idle</c>: a progress bar's clock).</summary>
    internal static readonly TimeSpan IdleInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Carries out queued writes on this, the pipeline thread, until <paramref name="enough"/>; Ctrl+C ends the wait at once.
    /// <paramref name="idle"/> runs on this thread after each write and whenever nothing came for <see cref="IdleInterval"/>.
    /// </summary>
    public void RunUntil(Cmdlet cmdlet, Func<bool> enough, Action? idle = null)
    {
        try
        {
            while (!enough())
            {
                if (_outbox.TryNext(out Action<Cmdlet> write, IdleInterval, _stopping))
                    write(cmdlet);
                idle?.Invoke();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Carries out the writes already queued, without waiting.</summary>
    public void RunQueued(Cmdlet cmdlet)
    {
        while (_outbox.TryNext(out Action<Cmdlet> write))
            write(cmdlet);
    }

    /// <summary>Cancels what still runs (Ctrl+C, -ErrorAction Stop, a downstream command that has enough) and drops its writes.</summary>
    /// <remarks>
    /// Called more than once as a command unwinds (a request sent from EndProcessing is guarded twice, then the command's
    /// own Dispose): only the first call acts, since the token source may already be gone with the work it served.
    /// </remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _abort.Cancel();
        _outbox.Complete();
        LetGo();
    }

    // The work may outlive the command while it unwinds; its token source goes with the last of it.
    private void LetGo()
    {
        if (Interlocked.Decrement(ref _holders) != 0)
            return;
        _abort.Dispose();
        _released.TrySetResult(true);
    }
}
