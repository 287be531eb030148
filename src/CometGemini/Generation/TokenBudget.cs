using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Generation;

/// <summary>
/// A most number of tokens (usageMetadata.totalTokenCount of the answers) that requests may use: a command's
/// -MaxTotalTokens for its own run, or Connect-Gemini -MaxTotalTokens for every command of the session. Thread-safe:
/// the session's budget is shared by the runspaces of the process, as the connection is.
/// </summary>
internal sealed class TokenBudget
{
    private long _used;

    public TokenBudget(long limit, string source)
    {
        if (limit < 1)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "A budget holds at least one token.");
        Limit = limit;
        Source = source;
    }

    /// <summary>The most tokens the requests may use.</summary>
    public long Limit { get; }

    /// <summary>Where the budget was set ("-MaxTotalTokens", "Connect-Gemini -MaxTotalTokens"), for messages.</summary>
    public string Source { get; }

    /// <summary>Tokens the answers so far used.</summary>
    public long Used => Interlocked.Read(ref _used);

    public long Remaining => Math.Max(0, Limit - Used);

    internal void Charge(long tokens)
    {
        if (tokens > 0)
            Interlocked.Add(ref _used, tokens);
    }

    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0:N0} of {1:N0} tokens used ({2})", Used, Limit, Source);
}

/// <summary>Why a request was not sent: the budget it would have passed, the tokens counted against it, the estimate.</summary>
internal sealed class BudgetRefusal
{
    internal BudgetRefusal(TokenBudget budget, long counted, long? estimate, bool afterStop = false)
    {
        Budget = budget;
        Counted = counted;
        Estimate = estimate;
        AfterStop = afterStop;
    }

    /// <summary>For a request after the one the budget stopped: the run does not go on, whatever this one's size.</summary>
    public bool AfterStop { get; }

    /// <summary>The refusal of every request after the one that stopped the run.</summary>
    internal BudgetRefusal Stopped() => AfterStop ? this : new BudgetRefusal(Budget, Counted, null, afterStop: true);

    public TokenBudget Budget { get; }

    /// <summary>The tokens counted against the budget when the request was refused (used, plus what was reserved with -Strict).</summary>
    public long Counted { get; }

    /// <summary>With -Strict, the request's own prompt estimate (countTokens); null without.</summary>
    public long? Estimate { get; }

    public string Message => AfterStop && Budget.Limit > Counted
        ? string.Format(CultureInfo.InvariantCulture,
            "Not sent: the run stopped before the token budget of {0:N0} ({1}) would be passed: {2:N0} tokens were used or reserved.",
            Budget.Limit, Budget.Source, Counted)
        : Estimate is long estimate
        ? string.Format(CultureInfo.InvariantCulture,
            "Not sent: the token budget of {0:N0} ({1}) would be passed: {2:N0} tokens are used or reserved and this request's prompt alone is estimated at {3:N0} (-Strict).",
            Budget.Limit, Budget.Source, Counted, estimate)
        : string.Format(CultureInfo.InvariantCulture,
            "Not sent: the token budget of {0:N0} ({1}) is used up: {2:N0} tokens used.",
            Budget.Limit, Budget.Source, Counted);

    public string RecommendedAction => Budget.Source.StartsWith("Connect-Gemini", StringComparison.Ordinal)
        ? "Raise the session's budget (Connect-Gemini -MaxTotalTokens with a larger number starts a new count), or run Connect-Gemini without -MaxTotalTokens."
        : "Raise -MaxTotalTokens, or send the inputs that were not sent in a new run.";
}

/// <summary>The exception a request's work ends with when the budget refuses it; the command turns it into an ErrorRecord.</summary>
internal sealed class TokenBudgetExceededException : Exception
{
    public TokenBudgetExceededException(BudgetRefusal refusal)
        : base(refusal.Message) => Refusal = refusal;

    public BudgetRefusal Refusal { get; }
}

/// <summary>
/// One command's run against its budgets (its own -MaxTotalTokens, the session's): every request about to be sent takes
/// a ticket in the order the command starts them (<see cref="Open"/>), asks whether it may go (<see cref="BudgetTicket.DecideAsync"/>)
/// and, once answered, settles what it used (<see cref="BudgetTicket.Settle"/>). Thread-safe.
/// </summary>
/// <remarks>
/// Decisions are deterministic for a run's requests (the same answers give the same requests sent, however the answers
/// are timed): they are made in ticket order, and the decision for ticket k counts exactly the answers of tickets
/// 0 … k − window (window = -ThrottleLimit; the ticket waits for those to be answered), while the window − 1 tickets
/// just before it count as in flight: allowed without -Strict, reserved at their prompt estimate with -Strict. Without
/// -Strict a request goes while the counted tokens are below the budget, so the run may pass the budget by up to
/// window answers; with -Strict a request goes only when counted + reserved + its own estimate stays within the budget.
/// Once a request is refused the run stops: every later ticket is refused too. Another command charging the session's
/// budget at the same time (another runspace) is counted as its answers come.
/// </remarks>
internal sealed class BudgetGate
{
    private readonly object _lock = new();
    private readonly IReadOnlyList<TokenBudget> _budgets;
    private readonly int _window;
    private readonly List<BudgetTicket> _tickets = new();
    private readonly List<long> _settledSums = new() { 0 }; // _settledSums[i] = tokens of tickets 0 … i−1, while those are settled
    private long _settledByRun; // tokens of every settled ticket of this run, in whatever order they settled
    private int _nextToDecide;
    private BudgetRefusal? _stoppedBy;

    public BudgetGate(IReadOnlyList<TokenBudget> budgets, bool strict, int window)
    {
        _budgets = budgets;
        Strict = strict;
        _window = Math.Max(1, window);
    }

    public bool Strict { get; }

    /// <summary>The budgets each request counts against: the run's own (-MaxTotalTokens) and the session's.</summary>
    public IReadOnlyList<TokenBudget> Budgets => _budgets;

    /// <summary>The refusal that stopped the run, if any.</summary>
    public BudgetRefusal? StoppedBy
    {
        get
        {
            lock (_lock)
                return _stoppedBy;
        }
    }

    /// <summary>The budgets as a line for -Verbose: "1,234 of 2,000,000 tokens used (-MaxTotalTokens)".</summary>
    public string Describe() => string.Join("; ", _budgets);

    /// <summary>A ticket for the next request this run is about to send; call in the order the requests start.</summary>
    public BudgetTicket Open()
    {
        lock (_lock)
        {
            var ticket = new BudgetTicket(this, _tickets.Count);
            _tickets.Add(ticket);
            return ticket;
        }
    }

    internal void Estimated(BudgetTicket ticket, long? estimate, bool abandoned = false)
    {
        lock (_lock)
        {
            if (ticket.Ready)
                return;
            ticket.Abandoned = abandoned;
            ticket.Estimate = estimate;
            ticket.Ready = true;
            Advance();
        }
    }

    internal void Settled(BudgetTicket ticket, long tokens)
    {
        lock (_lock)
        {
            if (ticket.IsSettled)
                return;
            ticket.IsSettled = true;
            ticket.Tokens = Math.Max(0, tokens);
            _settledByRun += ticket.Tokens;
            foreach (TokenBudget budget in _budgets)
                budget.Charge(ticket.Tokens);
            while (_settledSums.Count <= _tickets.Count && _tickets[_settledSums.Count - 1].IsSettled)
                _settledSums.Add(_settledSums[_settledSums.Count - 1] + _tickets[_settledSums.Count - 1].Tokens);
            Advance();
        }
    }

    // Decides every ticket whose turn has come: in ticket order, each once its estimate is known and the tickets a
    // window before it have settled. Under the lock.
    private void Advance()
    {
        while (_nextToDecide < _tickets.Count)
        {
            BudgetTicket ticket = _tickets[_nextToDecide];
            int counted = Math.Max(0, ticket.Index - _window + 1); // tickets 0 … counted−1 count by their answers
            if (!ticket.Ready || _settledSums.Count - 1 < counted)
                return;
            _nextToDecide++;
            BudgetRefusal? refusal = ticket.Abandoned ? null : _stoppedBy?.Stopped() ?? Decide(ticket, counted);
            if (refusal is not null && !ticket.Abandoned)
            {
                _stoppedBy ??= refusal;
                ticket.Admitted = false;
                Settled(ticket, 0); // refused: uses nothing (re-enters Advance for the next ticket)
                ticket.Decision.TrySetResult(refusal);
                return;
            }

            ticket.Admitted = !ticket.Abandoned;
            ticket.Decision.TrySetResult(null);
        }
    }

    private BudgetRefusal? Decide(BudgetTicket ticket, int counted)
    {
        long reserved = 0;
        if (Strict)
        {
            for (int i = counted; i < ticket.Index; i++)
                reserved += _tickets[i].Admitted ? _tickets[i].Estimate ?? 0 : 0;
        }

        foreach (TokenBudget budget in _budgets)
        {
            // The budget as this run's earlier answers left it: others' charges as they are, this run's by the window.
            long used = budget.Used - _settledByRun + _settledSums[counted];
            if (!Strict && used >= budget.Limit)
                return new BudgetRefusal(budget, used, null);
            if (Strict && used + reserved + (ticket.Estimate ?? 0) > budget.Limit)
                return new BudgetRefusal(budget, used + reserved, ticket.Estimate ?? 0);
        }

        return null;
    }
}

/// <summary>One request's place in its run's <see cref="BudgetGate"/>.</summary>
internal sealed class BudgetTicket
{
    private readonly BudgetGate _gate;

    internal BudgetTicket(BudgetGate gate, int index)
    {
        _gate = gate;
        Index = index;
    }

    public int Index { get; }

    internal TaskCompletionSource<BudgetRefusal?> Decision { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal long? Estimate { get; set; }

    internal bool Ready { get; set; }

    internal bool Admitted { get; set; }

    internal bool Abandoned { get; set; }

    internal bool IsSettled { get; set; }

    internal long Tokens { get; set; }

    /// <summary>
    /// Whether the request may be sent, given its prompt estimate (with -Strict; null without): null when it may, else why
    /// not. Waits for its turn (see <see cref="BudgetGate"/>); <paramref name="token"/> ends the wait.
    /// </summary>
    public async Task<BudgetRefusal?> DecideAsync(long? estimate, CancellationToken token)
    {
        _gate.Estimated(this, estimate);
        if (Decision.Task.IsCompleted)
            return await Decision.Task.ConfigureAwait(false);
        var cancelled = new TaskCompletionSource<BudgetRefusal?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (token.Register(() => cancelled.TrySetCanceled()))
            return await (await Task.WhenAny(Decision.Task, cancelled.Task).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>The answer came back: its usageMetadata.totalTokenCount counts against the budgets.</summary>
    public void Settle(long tokens) => _gate.Settled(this, tokens);

    /// <summary>
    /// The request will not be sent or got no answer (its countTokens or its call failed, Ctrl+C): it uses nothing and
    /// stops no one. Safe to call after <see cref="Settle"/> (then it does nothing).
    /// </summary>
    public void Abandon()
    {
        _gate.Estimated(this, null, abandoned: true); // nothing, when it was already asked
        _gate.Settled(this, 0);
    }
}
