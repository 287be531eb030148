using System;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;

namespace CometGemini.Commands;

/// <summary>
/// The run's tally (for -Summary) and its Write-Progress record: done / total when the arguments tell the total
/// (PowerShell does not tell a command how many objects are coming down the pipeline), the current item, failures,
/// tokens and time. Shown only for runs of more than one input; $ProgressPreference decides whether it is seen.
/// The clock in it moves while requests run (<see cref="Tick"/>, at least every <see cref="RefreshInterval"/>).
/// Used on the pipeline thread only.
/// </summary>
internal sealed class RunProgress
{
    private readonly string _activity;
    private readonly int? _total;
    private readonly int _activityId;
    private readonly Stopwatch _clock = new();
    private bool _shown;
    private TimeSpan _shownAt;
    private object? _current;

    internal static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(500);

    public RunProgress(string activity, int? total)
    {
        _activity = activity;
        _total = total;
        _activityId = 4711; // one activity per run: the same id updates it in place
    }

    public GeminiRunSummary Summary { get; } = new();

    public int InFlight { get; set; }

    public void Started(Cmdlet cmdlet, object? input)
    {
        _clock.Start();
        Summary.Requests++;
        Show(cmdlet, input);
    }

    /// <summary>An input answered from -AnswerCache: nothing sent, no tokens; it counts as succeeded when it is finished.</summary>
    public void FromCache()
    {
        _clock.Start();
        Summary.CacheHits++;
    }

    /// <summary>An input that was never sent: it counts as failed, with its reason.</summary>
    public void Refused(object? input, string reason)
    {
        Summary.Failed++;
        Summary.RefusedInputs.Add($"{InputNames.Of(input)}: {reason}");
    }

    public void Answered(UsageMetadata? usage)
    {
        Summary.PromptTokens += usage?.PromptTokenCount ?? 0;
        Summary.OutputTokens += (usage?.CandidatesTokenCount ?? 0) + (usage?.ThoughtsTokenCount ?? 0);
        Summary.TotalTokens += usage?.TotalTokenCount ?? 0;
    }

    /// <summary>An input the token budget stopped: before its first request (not sent), or before a later round of tool calls.</summary>
    public void StoppedByBudget(object? input, bool wasSent)
    {
        if (!wasSent)
        {
            Summary.Requests--;
            Summary.NotSent++;
        }

        Summary.StoppedByBudget.Add(InputNames.Of(input));
    }

    public void Finished(Cmdlet cmdlet, bool succeeded, object? input, bool fromCache = false)
    {
        if (succeeded)
            Summary.Succeeded++;
        else
            Summary.Failed++;
        Summary.Elapsed = _clock.Elapsed;
        // Answers from the cache come hundreds a second: one record per RefreshInterval, not one each (a record per hit
        // took most of the time of a run of 500 hits).
        if (fromCache && _shown && _clock.Elapsed - _shownAt < RefreshInterval)
            return;
        Show(cmdlet, input);
    }

    /// <summary>Shows the record again when it has not changed for <see cref="RefreshInterval"/> (its time and running count).</summary>
    public void Tick(Cmdlet cmdlet)
    {
        if (_shown && _clock.Elapsed - _shownAt >= RefreshInterval)
            Show(cmdlet, _current);
    }

    /// <summary>The summary with the time and retries as they are now.</summary>
    public GeminiRunSummary Complete(Cmdlet cmdlet, int retries, Generation.BudgetGate? budget = null)
    {
        if (budget is not null)
        {
            foreach (Generation.TokenBudget each in budget.Budgets)
            {
                if (each == GeminiConnection.Session?.Budget)
                {
                    Summary.SessionMaxTotalTokens = each.Limit;
                    Summary.SessionUsedTokens = each.Used;
                }
                else
                {
                    Summary.MaxTotalTokens = each.Limit;
                }
            }
        }

        Summary.Elapsed = _clock.Elapsed;
        Summary.Retries = retries;
        if (_shown)
            cmdlet.WriteProgress(new ProgressRecord(_activityId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
        return Summary;
    }

    private void Show(Cmdlet cmdlet, object? input)
    {
        int done = Summary.Succeeded + Summary.Failed;
        if (!_shown && Summary.Requests < 2 && _total is null or < 2)
            return;
        _shown = true;
        _shownAt = _clock.Elapsed;
        _current = input;
        string total = _total is int known ? $" of {known}" : string.Empty;
        string failed = Summary.Failed > 0 ? $" ({Summary.Failed} failed)" : string.Empty;
        string status = string.Format(
            CultureInfo.InvariantCulture,
            "{0}{1} done{2}, {3} running, {4:N0} tokens, {5:hh\\:mm\\:ss} elapsed",
            done,
            total,
            failed,
            InFlight,
            Summary.TotalTokens,
            _clock.Elapsed);
        var record = new ProgressRecord(_activityId, _activity, status)
        {
            CurrentOperation = input is null ? string.Empty : InputNames.Of(input),
            PercentComplete = _total is int all and > 0 ? Math.Min(100, done * 100 / all) : -1,
        };
        cmdlet.WriteProgress(record);
    }
}
