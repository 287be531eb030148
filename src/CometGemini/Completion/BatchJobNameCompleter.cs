using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using System.Management.Automation.Language;
using CometGemini.Client;
using CometGemini.Commands;

namespace CometGemini.Completion;

/// <summary>
/// Completes -Name of the batch-job commands from the jobs the endpoint lists (asked on the first Tab, waited for at
/// most two seconds, kept for <see cref="Keep"/>). When the endpoint cannot be asked or does not answer in time, the jobs
/// this machine keeps a record of (Start-GeminiBatchJob's local records) are offered instead, and nothing is said.
/// </summary>
public sealed class BatchJobNameCompleter : IArgumentCompleter
{
    /// <summary>How long a list serves later Tabs: jobs change state, so not for long.</summary>
    internal static readonly TimeSpan Keep = TimeSpan.FromSeconds(30);

    // The newest jobs are the ones a user goes back to; a project with thousands is not listed in full for one Tab.
    private const int PageSize = 100;
    private const int MostJobs = 500;

    private static readonly EndpointList<GeminiBatchJob> s_lists = new(
        async (client, token) =>
        {
            var jobs = new List<GeminiBatchJob>();
            await foreach (BatchOperation operation in client.Batches.ListAsync(PageSize, SilentLog.Instance, token).ConfigureAwait(false))
            {
                jobs.Add(GeminiBatchJob.From(operation));
                if (jobs.Count >= MostJobs)
                    break;
            }

            return jobs;
        },
        Keep);

    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        IReadOnlyList<GeminiBatchJob>? jobs = CompletionEndpoint.From(commandName, fakeBoundParameters) is GeminiEndpoint endpoint ? s_lists.TryGet(endpoint) : null;
        if (jobs is null)
            return LocalRecords(typed);

        return jobs
            .Where(j => j.Name.Length > 0 && ResourceNames.Matches(typed, j.Name, j.DisplayName))
            .Select(j => new CompletionResult(ValueListCompleter.Quote(j.Name), ResourceNames.ListItem(j.Name, j.DisplayName), CompletionResultType.ParameterValue, ToolTip(j)))
            .ToList();
    }

    private static string ToolTip(GeminiBatchJob job)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(job.DisplayName))
            parts.Add(job.DisplayName!);
        parts.Add(job.State);
        if (job.CreateTime is DateTimeOffset created)
            parts.Add("created " + created.ToLocalTime().ToString("g", CultureInfo.CurrentCulture));
        return job.Name + " (" + string.Join(", ", parts) + ")";
    }

    // The records' file names are the jobs' ids (BatchJobStore.PathFor); the files themselves (inputs' text) are not read.
    private static IEnumerable<CompletionResult> LocalRecords(string typed)
    {
        try
        {
            var folder = new DirectoryInfo(BatchJobStore.Folder);
            if (!folder.Exists)
                return Array.Empty<CompletionResult>();
            return folder.GetFiles("*.json")
                .OrderByDescending(f => f.LastWriteTimeUtc)
                .Select(f => (Id: Path.GetFileNameWithoutExtension(f.Name), Saved: f.LastWriteTime))
                .Where(r => BatchesClient.IsValidName(r.Id))
                .Select(r => (Name: BatchesClient.ResourceName(r.Id), r.Saved))
                .Where(r => ResourceNames.Matches(typed, r.Name, null))
                .Select(r => new CompletionResult(
                    ValueListCompleter.Quote(r.Name),
                    r.Name,
                    CompletionResultType.ParameterValue,
                    r.Name + " (recorded here " + r.Saved.ToString("g", CultureInfo.CurrentCulture) + "; the endpoint did not list its jobs)"))
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException or ArgumentException)
        {
            return Array.Empty<CompletionResult>(); // an unreadable folder must never break Tab
        }
    }
}
