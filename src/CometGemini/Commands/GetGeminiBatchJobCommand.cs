using System.Management.Automation;
using System.Threading.Tasks;
using CometGemini.Client;
using CometGemini.Completion;

namespace CometGemini.Commands;

/// <summary>The batch jobs of the key's project (every page, newest first as the server lists them), or the named ones.</summary>
[Cmdlet(VerbsCommon.Get, "GeminiBatchJob")]
[OutputType(typeof(GeminiBatchJob))]
public sealed class GetGeminiBatchJobCommand : BatchJobCommand
{
    private const int PageSize = 100;

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BatchJobNameCompleter))]
    public string[]? Name { get; set; }

    protected override void BeginProcessing() => Connect();

    protected override void ProcessRecord()
    {
        if (Name is null)
        {
            List();
            return;
        }

        foreach (string given in Name)
        {
            if (NormalizeName(given) is not string name)
                continue;
            try
            {
                RunAsync(async (outbox, token) =>
                    outbox.Object(Describe(GeminiBatchJob.From(await Client.Batches.GetAsync(name, outbox, token).ConfigureAwait(false)))));
            }
            catch (GeminiException e)
            {
                WriteBatchError(e, given, "batches.get", name);
            }
        }
    }

    private void List()
    {
        try
        {
            RunAsync(async (outbox, token) =>
            {
                await foreach (BatchOperation operation in Client.Batches.ListAsync(PageSize, outbox, token).ConfigureAwait(false))
                    outbox.Object(Describe(GeminiBatchJob.From(operation)));
            });
        }
        catch (GeminiException e)
        {
            WriteBatchError(e, null, "batches.list", jobName: null);
        }
    }

    private static GeminiBatchJob Describe(GeminiBatchJob job)
    {
        string? path = BatchJobStore.IsFileName(job.Name) ? BatchJobStore.PathFor(job.Name) : null;
        job.InputsFile = path is not null && System.IO.File.Exists(path) ? path : null;
        return job;
    }
}
