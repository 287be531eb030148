using System.Management.Automation;
using CometGemini.Client;

namespace CometGemini.Commands;

/// <summary>The batch jobs of the key's project (every page, newest first as the server lists them), or the named ones.</summary>
[Cmdlet(VerbsCommon.Get, "GeminiBatchJob")]
[OutputType(typeof(GeminiBatchJob))]
public sealed class GetGeminiBatchJobCommand : BatchJobCommand
{
    private const int PageSize = 100;

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
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
                var pages = new PageTokens("batch jobs");
                string? pageToken = null;
                do
                {
                    BatchOperationList page = await Client.Batches.ListAsync(PageSize, pageToken, outbox, token).ConfigureAwait(false);
                    foreach (BatchOperation? operation in page.Operations ?? new())
                    {
                        if (operation is not null)
                            outbox.Object(Describe(GeminiBatchJob.From(operation)));
                    }
                    pageToken = pages.Next(page.NextPageToken);
                }
                while (pageToken is not null);
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
