using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CometGemini.Commands;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>The pump's life as a command unwinds: disposed again after its work has ended and let go of its token.</summary>
public sealed class RequestPumpTests
{
    [Fact]
    public async Task A_pump_disposed_again_after_its_work_has_ended_stays_quiet()
    {
        using var stopping = new CancellationTokenSource();
        var pump = new RequestPump(stopping.Token, debugEnabled: false, verboseEnabled: false);
        Task<int>? answered = null;
        pump.Start((_, _) => Task.FromResult(42), done => answered = done);
        pump.RunUntil(new Bystander(), () => pump.Running == 0);

        pump.Dispose(); // the request's own guard, as a downstream command ends the pipeline
        await pump.Released.WaitAsync(TimeSpan.FromSeconds(10)); // the pump has let go of its token source
        pump.Dispose(); // EndProcessing's guard around it, then the command's Dispose: before the fix, ObjectDisposedException
        pump.Dispose();

        Assert.Equal(42, await answered!);
    }

    [Fact]
    public async Task A_pump_disposed_while_its_work_runs_lets_go_when_the_work_ends()
    {
        using var stopping = new CancellationTokenSource();
        var pump = new RequestPump(stopping.Token, debugEnabled: false, verboseEnabled: false);
        var started = new ManualResetEventSlim();
        bool cancelled = false;
        pump.Start(
            async (_, token) =>
            {
                started.Set();
                try
                {
                    await Task.Delay(Timeout.Infinite, token);
                }
                catch (TaskCanceledException)
                {
                    cancelled = true;
                    throw;
                }

                return 0;
            },
            _ => Assert.Fail("a result reached a command that has left"));
        Assert.True(started.Wait(10_000));

        pump.Dispose();

        await pump.Released.WaitAsync(TimeSpan.FromSeconds(10)); // the work was cancelled and has ended
        Assert.True(cancelled);
        pump.Dispose();
    }

    [Fact]
    public void Work_that_fails_before_its_first_await_reports_its_failure_like_any_other()
    {
        using var stopping = new CancellationTokenSource();
        using var pump = new RequestPump(stopping.Token, debugEnabled: false, verboseEnabled: false);
        Task<int>? answered = null;
        pump.Start<int>((_, _) => throw new InvalidOperationException("no"), done => answered = done);
        pump.RunUntil(new Bystander(), () => pump.Running == 0);

        Assert.IsType<InvalidOperationException>(answered!.Exception!.InnerException);
    }

    // A request sent from EndProcessing (a prompt given as an argument) is guarded twice; a downstream `break` used to
    // turn, now and then, into "The CancellationTokenSource has been disposed." instead of leaving the loop.
    [Fact]
    public void A_downstream_break_leaves_the_loop_every_time()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("foreach ($k in 1..100) { $chat = New-GeminiChat\nforeach ($i in 1) { Invoke-GeminiContent -Chat $chat 'hi' | ForEach-Object { break } }\n$chat.History.Count }");

        result.AssertNoErrors();
        Assert.Equal(100, result.Output.Count);
        Assert.All(result.Output, count => Assert.Equal("2", count.ToString()));
    }

    private sealed class Bystander : Cmdlet
    {
    }
}
