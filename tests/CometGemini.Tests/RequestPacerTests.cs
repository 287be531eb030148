using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CometGemini.Client;

namespace CometGemini.Tests;

/// <summary>The batch's pacing gate on its own: quota slots, a server's pause for everyone, thread safety.</summary>
public sealed class RequestPacerTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_quota_gives_each_request_its_own_slot()
    {
        DateTime now = T0;
        var pacer = new RequestPacer(120, () => now); // one each 500 ms

        Assert.Equal(TimeSpan.Zero, pacer.Reserve());
        Assert.Equal(TimeSpan.FromMilliseconds(500), pacer.Reserve());
        Assert.Equal(TimeSpan.FromMilliseconds(1000), pacer.Reserve());
        now = T0.AddSeconds(10); // idle time is not saved up for a burst
        Assert.Equal(TimeSpan.Zero, pacer.Reserve());
        Assert.Equal(TimeSpan.FromMilliseconds(500), pacer.Reserve());
    }

    [Fact]
    public void A_pause_holds_back_every_request_and_without_a_quota_nothing_else_does()
    {
        DateTime now = T0;
        var pacer = new RequestPacer(0, () => now);

        Assert.Equal(TimeSpan.Zero, pacer.Reserve());
        pacer.Pause(TimeSpan.FromSeconds(2));
        pacer.Pause(TimeSpan.FromSeconds(1)); // a shorter pause does not shorten the longer one
        Assert.Equal(TimeSpan.FromSeconds(2), pacer.Reserve());
        Assert.Equal(TimeSpan.FromSeconds(2), pacer.Reserve());
        now = T0.AddSeconds(3);
        Assert.Equal(TimeSpan.Zero, pacer.Reserve());
    }

    [Fact]
    public async Task Concurrent_callers_count_attempts_and_retries_exactly()
    {
        var pacer = new RequestPacer();
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => pacer.WaitTurnAsync(retry: i % 4 == 0, CancellationToken.None))));

        Assert.Equal(200, pacer.Attempts);
        Assert.Equal(50, pacer.Retries);
    }

    [Fact]
    public async Task Waiting_for_a_turn_ends_when_cancelled()
    {
        var pacer = new RequestPacer();
        pacer.Pause(TimeSpan.FromMinutes(5));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pacer.WaitTurnAsync(retry: false, cancel.Token));
        Assert.Equal(0, pacer.Attempts);
    }
}
