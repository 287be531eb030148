using System.Management.Automation;
using CometGemini.Client;

namespace CometGemini.Commands;

/// <summary>
/// What the commands that act on existing batch jobs share: the job names (piped as strings, or by the Name property of
/// the jobs Start-GeminiBatchJob and Get-GeminiBatchJob write), the connection, and the errors of the batch endpoints.
/// </summary>
public abstract class BatchJobCommand : ApiCommand
{
    /// <summary>"batches/abc" for "abc" or "batches/abc"; null (with the error written) for anything else.</summary>
    private protected string? NormalizeName(string name)
    {
        string trimmed = name.Trim();
        if (!BatchesClient.IsValidName(trimmed))
        {
            WriteError(ErrorRecords.BatchJobNameInvalid(name));
            return null;
        }

        return BatchesClient.ResourceName(trimmed);
    }

    private protected void WriteBatchError(GeminiException e, object? target, string what, string? jobName) =>
        WriteError(ErrorRecords.FromBatchCall(Secrets.Redact(e, Endpoint.ApiKey), target, what, Endpoint.BaseUri, jobName));
}
