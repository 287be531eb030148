using System;
using System.IO;
using System.Management.Automation;
using CometGemini.Client;
using CometGemini.Completion;

namespace CometGemini.Commands;

/// <summary>Deletes batch jobs on the server (which does not cancel a running one) and this machine's record of their inputs.</summary>
[Cmdlet(VerbsCommon.Remove, "GeminiBatchJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveGeminiBatchJobCommand : BatchJobCommand
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BatchJobNameCompleter))]
    public string[] Name { get; set; } = null!;

    protected override void BeginProcessing() => Connect();

    protected override void ProcessRecord()
    {
        foreach (string given in Name)
        {
            if (NormalizeName(given) is not string name || !ShouldProcess(name, "Delete the batch job and its answers"))
                continue;
            try
            {
                RunAsync(async (outbox, token) => await Client.Batches.DeleteAsync(name, outbox, token).ConfigureAwait(false));
            }
            catch (GeminiException e)
            {
                WriteBatchError(e, given, "batches.delete", name);
                continue;
            }

            try
            {
                BatchJobStore.Delete(name);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                WriteWarning($"Batch job {name} was deleted, but the record of its inputs was not: {e.Message}");
            }
        }
    }
}
