using System.Management.Automation;
using System.Text.RegularExpressions;
using CometGemini.Client;

namespace CometGemini.Commands;

/// <summary>
/// What the commands that act on existing batch jobs share: the job names (piped as strings, or by the Name property of
/// the jobs Start-GeminiBatchJob and Get-GeminiBatchJob write), the connection, and the errors of the batch endpoints.
/// </summary>
public abstract class BatchJobCommand : ApiCommand
{
    private static readonly Regex JobName = new(@"^(?:batches/)?[A-Za-z0-9][A-Za-z0-9_\-]*$", RegexOptions.CultureInvariant);

    /// <summary>"batches/abc" for "abc" or "batches/abc"; null (with the error written) for anything else.</summary>
    private protected string? NormalizeName(string name)
    {
        string trimmed = name.Trim();
        if (!JobName.IsMatch(trimmed))
        {
            WriteError(ErrorRecords.BatchJobNameInvalid(name));
            return null;
        }

        return trimmed.StartsWith("batches/", System.StringComparison.Ordinal) ? trimmed : "batches/" + trimmed;
    }

    private protected void WriteBatchError(GeminiException e, object? target, string what, string? jobName) =>
        WriteError(ErrorRecords.FromBatchCall(Secrets.Redact(e, Endpoint.ApiKey), target, what, Endpoint.BaseUri, jobName));
}
