using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Commands;

/// <summary>
/// The one way a CometGemini cmdlet runs async work: on the thread pool, under a token that Ctrl+C
/// (StopProcessing) and Dispose cancel, while the pipeline thread carries out the queued writes.
/// </summary>
public abstract class GeminiCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    // Ctrl+C or PowerShell.Stop(): called on another thread while the pump below waits.
    protected override void StopProcessing() => _stopping.Cancel();

    // Also reached when a downstream command ends the pipeline early, without StopProcessing.
    public void Dispose()
    {
        _stopping.Cancel();
        ReleaseResources();
        GC.SuppressFinalize(this);
    }

    /// <summary>What a command holds beyond the call (a per-proxy HTTP client), let go when the command ends.</summary>
    private protected virtual void ReleaseResources()
    {
    }

    private protected bool IsDebugEnabled =>
        MyInvocation.BoundParameters.TryGetValue("Debug", out object? debug)
            ? debug is SwitchParameter { IsPresent: true }
            : GetVariableValue("DebugPreference") is ActionPreference preference && preference != ActionPreference.SilentlyContinue;

    private protected bool IsVerboseEnabled =>
        MyInvocation.BoundParameters.TryGetValue("Verbose", out object? verbose)
            ? verbose is SwitchParameter { IsPresent: true }
            : GetVariableValue("VerbosePreference") is ActionPreference preference && preference is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);

    /// <summary>Runs <paramref name="work"/> in the background; what it queues reaches the pipeline from this thread.</summary>
    private protected void RunAsync(Func<Outbox, CancellationToken, Task> work)
    {
        var abort = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var outbox = new Outbox(abort.Token, IsDebugEnabled, IsVerboseEnabled);
        Task running = Task.Run(async () =>
        {
            try
            {
                await work(outbox, abort.Token).ConfigureAwait(false);
            }
            finally
            {
                outbox.Complete();
            }
        });

        try
        {
            foreach (Action<Cmdlet> write in outbox.Drain(_stopping.Token))
                write(this);
            running.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            // Leaving for any reason (done, failed, stopped, or stopped by a downstream command): drop the HTTP call now.
            abort.Cancel();
            outbox.Complete();
            // After Ctrl+C the work may outlive this call while it unwinds; its token source goes with it.
            running.ContinueWith(_ => abort.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }
}
