using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading.Tasks;
using CometGemini.Client;
using CometGemini.Completion;

namespace CometGemini.Commands;

/// <summary>
/// Polls batch jobs until they end, backing off between polls and showing progress, then writes each finished job.
/// Ctrl+C stops the waiting only: the job runs on, and any later session can wait for it again by name.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "GeminiBatchJob")]
[OutputType(typeof(GeminiBatchJob))]
public sealed class WaitGeminiBatchJobCommand : BatchJobCommand
{
    // Jobs take minutes to hours: polls start at -PollIntervalSec and grow by half each time up to this (or the interval, if larger).
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromSeconds(60);

    private int _activity;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BatchJobNameCompleter))]
    public string[] Name { get; set; } = null!;

    [Parameter]
    [ValidateRange(0.1, 3600.0)]
    public double PollIntervalSec { get; set; } = 10;

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int MaxWaitSec { get; set; }

    protected override void BeginProcessing() => Connect();

    protected override void ProcessRecord()
    {
        foreach (string given in Name)
        {
            if (NormalizeName(given) is string name)
                Wait(name, given, ++_activity);
        }
    }

    private void Wait(string name, string given, int activityId)
    {
        TimeSpan first = TimeSpan.FromSeconds(PollIntervalSec);
        TimeSpan cap = first > MaxPollInterval ? first : MaxPollInterval;
        TimeSpan? limit = MaxWaitSec > 0 ? TimeSpan.FromSeconds(MaxWaitSec) : null;
        try
        {
            RunAsync(async (outbox, token) =>
            {
                var clock = Stopwatch.StartNew();
                TimeSpan interval = first;
                for (int poll = 1; ; poll++)
                {
                    GeminiBatchJob job = GeminiBatchJob.From(await Client.Batches.GetAsync(name, outbox, token).ConfigureAwait(false));
                    ProgressRecord progress = Progress(job, activityId);
                    outbox.Run(c => c.WriteProgress(progress));
                    if (job.IsDone)
                    {
                        outbox.Verbose($"{name} ended {job.State} after {clock.Elapsed.TotalSeconds:0.#} s and {poll} poll(s).");
                        outbox.Object(job);
                        return;
                    }

                    TimeSpan wait = interval;
                    if (limit is TimeSpan most)
                    {
                        TimeSpan left = most - clock.Elapsed;
                        if (left <= TimeSpan.Zero)
                        {
                            ErrorRecord timedOut = ErrorRecords.BatchWaitTimedOut(job, clock.Elapsed);
                            outbox.Run(c => c.WriteError(timedOut));
                            return;
                        }

                        wait = left < wait ? left : wait;
                    }

                    outbox.Verbose($"{name} is {job.State}; next poll in {wait.TotalSeconds:0.#} s.");
                    await Task.Delay(wait, token).ConfigureAwait(false);
                    interval = TimeSpan.FromTicks(Math.Min(cap.Ticks, (long)(interval.Ticks * 1.5)));
                }
            });
        }
        catch (GeminiException e)
        {
            WriteBatchError(e, given, "batches.get", name);
        }

        // Not in a finally: after Ctrl+C nothing may be written, and the host clears the bar itself.
        WriteProgress(new ProgressRecord(activityId, "Waiting for batch job " + name, "Done") { RecordType = ProgressRecordType.Completed });
    }

    private static ProgressRecord Progress(GeminiBatchJob job, int activityId)
    {
        long done = job.SucceededCount + job.FailedCount;
        string status = job.RequestCount > 0
            ? $"{job.State}: {done} of {job.RequestCount} requests done{(job.FailedCount > 0 ? $" ({job.FailedCount} failed)" : string.Empty)}"
            : job.State;
        return new ProgressRecord(activityId, "Waiting for batch job " + (job.DisplayName is { Length: > 0 } shown ? $"'{shown}' ({job.Name})" : job.Name), status)
        {
            PercentComplete = job.RequestCount > 0 ? (int)Math.Min(100, done * 100 / job.RequestCount) : -1,
        };
    }
}
