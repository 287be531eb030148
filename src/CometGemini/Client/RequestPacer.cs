using System;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Client;

/// <summary>
/// One gate for the requests of a batch, shared by its concurrent workers: paces request starts to a quota
/// (requests per minute, as evenly spaced slots), and when one worker is told to wait (429, Retry-After) the
/// others wait too, so a rate limit slows the whole batch instead of every worker hammering the server.
/// Thread-safe; counts attempts and retries for the run's summary.
/// </summary>
public sealed class RequestPacer
{
    private readonly object _gate = new();
    private readonly TimeSpan _interval;
    private readonly Func<DateTime> _now;
    private DateTime _nextSlot = DateTime.MinValue;
    private DateTime _pausedUntil = DateTime.MinValue;
    private int _attempts;
    private int _retries;

    /// <param name="requestsPerMinute">The quota; 0 paces nothing (only a server's request to wait holds requests back).</param>
    public RequestPacer(int requestsPerMinute = 0)
        : this(requestsPerMinute, () => DateTime.UtcNow)
    {
    }

    internal RequestPacer(int requestsPerMinute, Func<DateTime> now)
    {
        if (requestsPerMinute < 0)
            throw new ArgumentOutOfRangeException(nameof(requestsPerMinute));
        _interval = requestsPerMinute == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(TimeSpan.FromMinutes(1).Ticks / requestsPerMinute);
        _now = now;
    }

    /// <summary>HTTP attempts started through this gate (first tries and retries).</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Attempts that were retries.</summary>
    public int Retries => Volatile.Read(ref _retries);

    /// <summary>Waits until this request may start: after any pause, and in its own slot of the quota. Returns how long it waited.</summary>
    public async Task<TimeSpan> WaitTurnAsync(bool retry, CancellationToken token)
    {
        TimeSpan waited = TimeSpan.Zero;
        TimeSpan wait = Reserve();
        while (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, token).ConfigureAwait(false);
            waited += wait;
            // A pause may have begun while this request waited for its slot.
            wait = PauseLeft();
        }

        Interlocked.Increment(ref _attempts);
        if (retry)
            Interlocked.Increment(ref _retries);
        return waited;
    }

    /// <summary>The server asked to wait <paramref name="delay"/>: no request through this gate starts before then.</summary>
    public void Pause(TimeSpan delay)
    {
        lock (_gate)
        {
            DateTime until = _now() + delay;
            if (until > _pausedUntil)
                _pausedUntil = until;
        }
    }

    /// <summary>How long until the next request may start (the slot is taken).</summary>
    internal TimeSpan Reserve()
    {
        lock (_gate)
        {
            DateTime now = _now();
            DateTime start = now > _pausedUntil ? now : _pausedUntil;
            if (_interval > TimeSpan.Zero)
            {
                if (_nextSlot > start)
                    start = _nextSlot;
                _nextSlot = start + _interval;
            }

            return start - now;
        }
    }

    private TimeSpan PauseLeft()
    {
        lock (_gate)
        {
            TimeSpan left = _pausedUntil - _now();
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }
}
