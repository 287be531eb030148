using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using CometGemini.Client;

namespace CometGemini.Commands;

/// <summary>
/// Writes queued by background work and carried out on the pipeline thread, in order: the only
/// way background code reaches Write*. Bounded, so a fast stream waits for a slow pipeline.
/// </summary>
internal sealed class Outbox : IClientLog
{
    private static readonly Action<Cmdlet> Done = _ => { };

    private readonly BlockingCollection<Action<Cmdlet>> _queue = new(boundedCapacity: 256);
    private readonly CancellationToken _abort;
    private readonly bool _verboseEnabled;
    private int _completed;

    public Outbox(CancellationToken abort, bool debugEnabled, bool verboseEnabled)
    {
        _abort = abort;
        IsDebugEnabled = debugEnabled;
        _verboseEnabled = verboseEnabled;
    }

    public bool IsDebugEnabled { get; }

    public void Object(object item) => Add(c => c.WriteObject(item));

    public void Warning(string text) => Add(c => c.WriteWarning(text));

    // A line nobody will see is not queued: each queued write wakes the pipeline thread (bench/README.md, per-call overhead).
    public void Verbose(string message)
    {
        if (_verboseEnabled)
            Add(c => c.WriteVerbose(message));
    }

    public void Debug(string message)
    {
        if (IsDebugEnabled)
            Add(c => c.WriteDebug(message));
    }

    /// <summary>Work that must happen on the pipeline thread, in order with the writes around it (it may write too).</summary>
    public void Run(Action<Cmdlet> work) => Add(work);

    /// <summary>
    /// No more writes. The pump learns it from a last queued item: CompleteAdding alone would wake it through a
    /// cancellation, an exception inside BlockingCollection that cost 0.2 ms of every call (bench/README.md, per-call).
    /// </summary>
    public void Complete()
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
            return;
        try
        {
            _queue.Add(Done, _abort);
        }
        catch (OperationCanceledException)
        {
            // The pump has left (stopped or failed): nobody waits for the item.
        }
        finally
        {
            _queue.CompleteAdding();
        }
    }

    /// <summary>The queued writes until Complete; returns at once when <paramref name="stopping"/> fires.</summary>
    public IEnumerable<Action<Cmdlet>> Drain(CancellationToken stopping)
    {
        foreach (Action<Cmdlet> write in _queue.GetConsumingEnumerable(stopping))
        {
            if (ReferenceEquals(write, Done))
                yield break;
            yield return write;
        }
    }

    // Adding after Complete (the pump has left) throws InvalidOperationException: the work is being abandoned.
    private void Add(Action<Cmdlet> write)
    {
        try
        {
            _queue.Add(write, _abort);
        }
        catch (InvalidOperationException)
        {
            throw new OperationCanceledException(_abort);
        }
    }
}
