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

    /// <summary>Cancelled by Ctrl+C and when the command ends: for work that outlives one RunAsync (a run's RequestPump).</summary>
    private protected CancellationToken StopToken => _stopping.Token;

    // Looked up once per command: each RunAsync (a poll, a page, a request) asks.
    private bool? _debugEnabled;
    private bool? _verboseEnabled;

    private protected bool IsDebugEnabled => _debugEnabled ??=
        IsBound("Debug") is { } debug
            ? debug
            : IsShown(GetVariableValue("DebugPreference"));

    // -Debug shows verbose lines too (as PowerShell means it), unless -Verbose:$false says otherwise.
    private protected bool IsVerboseEnabled => _verboseEnabled ??=
        IsBound("Verbose") is { } verbose
            ? verbose
            : IsBound("Debug") == true || IsShown(GetVariableValue("VerbosePreference"));

    private bool? IsBound(string commonSwitch) =>
        MyInvocation.BoundParameters.TryGetValue(commonSwitch, out object? value) ? value is SwitchParameter { IsPresent: true } : null;

    private static bool IsShown(object? preference) =>
        preference is ActionPreference shown && shown is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);

    /// <summary>Runs <paramref name="work"/> in the background; what it queues reaches the pipeline from this thread.</summary>
    /// <remarks>A run of one: the same pump that carries the requests of a run (RequestPump).</remarks>
    private protected void RunAsync(Func<Outbox, CancellationToken, Task> work)
    {
        // Leaving for any reason (done, failed, stopped, or stopped by a downstream command) disposes the pump: the HTTP call is dropped now.
        using var pump = new RequestPump(_stopping.Token, IsDebugEnabled, IsVerboseEnabled);
        Task<bool>? finished = null;
        pump.Start(
            async (outbox, token) =>
            {
                await work(outbox, token).ConfigureAwait(false);
                return true;
            },
            done => finished = done);
        try
        {
            pump.RunUntil(this, () => finished is not null);
            finished!.GetAwaiter().GetResult(); // the work's exception, on this thread
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }
}
