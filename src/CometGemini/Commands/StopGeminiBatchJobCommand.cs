using System.Management.Automation;
using CometGemini.Client;
using CometGemini.Completion;

namespace CometGemini.Commands;

/// <summary>Asks the server to cancel batch jobs; requests already answered keep their answers.</summary>
[Cmdlet(VerbsLifecycle.Stop, "GeminiBatchJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(GeminiBatchJob))]
public sealed class StopGeminiBatchJobCommand : BatchJobCommand
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BatchJobNameCompleter))]
    public string[] Name { get; set; } = null!;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing() => Connect();

    protected override void ProcessRecord()
    {
        foreach (string given in Name)
        {
            if (NormalizeName(given) is not string name || !ShouldProcess(name, "Cancel the batch job"))
                continue;
            string what = "batches.cancel";
            try
            {
                RunAsync(async (outbox, token) =>
                {
                    await Client.Batches.CancelAsync(name, outbox, token).ConfigureAwait(false);
                    if (PassThru.IsPresent)
                    {
                        what = "batches.get";
                        outbox.Object(GeminiBatchJob.From(await Client.Batches.GetAsync(name, outbox, token).ConfigureAwait(false)));
                    }
                });
            }
            catch (GeminiException e)
            {
                WriteBatchError(e, given, what, name);
            }
        }
    }
}
