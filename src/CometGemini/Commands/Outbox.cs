using System;
using System.Collections.Concurrent;
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
    private readonly BlockingCollection<Action<Cmdlet>> _queue = new(boundedCapacity: 256);
    // Its own progress activity, apart from a run's bar (RunProgress uses 4711).
    private const int WaitActivityId = 4712;

    private readonly CancellationToken _abort;
    private int _toldWaiting;

    public Outbox(CancellationToken abort, bool debugEnabled, bool verboseEnabled)
    {
        _abort = abort;
        IsDebugEnabled = debugEnabled;
        IsVerboseEnabled = verboseEnabled;
    }

    public bool IsDebugEnabled { get; }

    public bool IsVerboseEnabled { get; }

    public void Object(object item) => Add(c => c.WriteObject(item));

    public void Warning(string text) => Add(c => c.WriteWarning(text));

    // A line nobody will see is not queued: each queued write wakes the pipeline thread (bench/README.md, per-call overhead).
    public void Verbose(string message)
    {
        if (IsVerboseEnabled)
            Add(c => c.WriteVerboseLine(message));
    }

    public void Debug(string message)
    {
        if (IsDebugEnabled)
            Add(c => c.WriteDebugLine(message));
    }

    /// <summary>
    /// A long wait: one warning when the first one starts (a run of many inputs held back by one quota says it once),
    /// and a progress record that counts down, so a console never sits silent for a minute.
    /// </summary>
    public void Waiting(string why, TimeSpan total, TimeSpan left)
    {
        if (Interlocked.Exchange(ref _toldWaiting, 1) == 0)
            Warning($"Waiting {total.TotalSeconds:0} s {why}");
        var record = new ProgressRecord(WaitActivityId, "Waiting to retry", $"{Math.Ceiling(left.TotalSeconds):0} s left {why}")
        {
            SecondsRemaining = (int)Math.Ceiling(left.TotalSeconds),
            PercentComplete = total > TimeSpan.Zero ? (int)(100 * (1 - left.TotalMilliseconds / total.TotalMilliseconds)) : 100,
            RecordType = left > TimeSpan.Zero ? ProgressRecordType.Processing : ProgressRecordType.Completed,
        };
        Add(c => c.WriteProgress(record));
    }

    /// <summary>Work that must happen on the pipeline thread, in order with the writes around it (it may write too).</summary>
    public void Run(Action<Cmdlet> work) => Add(work);

    public void Complete() => _queue.CompleteAdding();

    /// <summary>
    /// The next queued write, waiting for it at most <paramref name="wait"/> (false when none came); throws
    /// OperationCanceledException at once when <paramref name="stopping"/> fires.
    /// </summary>
    public bool TryNext(out Action<Cmdlet> write, TimeSpan wait, CancellationToken stopping) => _queue.TryTake(out write!, (int)wait.TotalMilliseconds, stopping);

    /// <summary>A write that is already queued, without waiting.</summary>
    public bool TryNext(out Action<Cmdlet> write) => _queue.TryTake(out write!);

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
