using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Threading;
using FakeGemini;

namespace CometGemini.Tests.Harness;

/// <summary>What a script produced: output, errors and every other stream in the order written.</summary>
public sealed class ShellResult
{
    public Collection<PSObject> Output { get; init; } = new();
    public List<ErrorRecord> Errors { get; } = new();
    public List<(string Stream, string Text)> Log { get; } = new();
    public Exception? Terminating { get; set; }
    public List<ProgressRecord> Progress { get; } = new();

    public IEnumerable<string> Warnings => Log.Where(l => l.Stream == "Warning").Select(l => l.Text);
    public IEnumerable<string> Verbose => Log.Where(l => l.Stream == "Verbose").Select(l => l.Text);
    public IEnumerable<string> Debug => Log.Where(l => l.Stream == "Debug").Select(l => l.Text);

    public T Single<T>() => (T)Assert.Single(Output).BaseObject;

    public List<T> All<T>() => Output.Select(o => (T)o.BaseObject).ToList();

    /// <summary>Everything a user could see: for scanning for secrets.</summary>
    public string Everything()
    {
        var text = new List<string>();
        text.AddRange(Output.Select(o => o?.ToString() ?? string.Empty));
        text.AddRange(Log.Select(l => l.Text));
        foreach (ErrorRecord error in Errors)
        {
            text.Add(error.ToString());
            text.Add(error.ErrorDetails?.RecommendedAction ?? string.Empty);
            text.Add(error.TargetObject?.ToString() ?? string.Empty);
            for (Exception? e = error.Exception; e is not null; e = e.InnerException)
                text.Add(e.ToString());
        }

        for (Exception? e = Terminating; e is not null; e = e.InnerException)
            text.Add(e.ToString());
        return string.Join("\n", text);
    }

    public void AssertNoErrors()
    {
        Assert.True(Terminating is null, "terminating: " + Terminating);
        Assert.True(Errors.Count == 0, "errors: " + string.Join("; ", Errors.Select(e => e.ToString())));
    }
}

/// <summary>
/// A fresh runspace with the built module imported, pointed at a fake server through
/// $PSDefaultParameterValues (per runspace, so tests run in parallel without touching the environment).
/// </summary>
public sealed class Shell : IDisposable
{
    public const string TestKey = "test-key";

    private static readonly Lazy<InitialSessionState> SessionState = new(() =>
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { Paths.Manifest });
        state.ThrowOnRunspaceOpenError = true;
        return state;
    });

    private readonly Runspace _runspace;

    public Shell(FakeGeminiServer? server = null, string apiKey = TestKey, PSHost? host = null)
    {
        _runspace = host is null ? RunspaceFactory.CreateRunspace(SessionState.Value) : RunspaceFactory.CreateRunspace(host, SessionState.Value);
        _runspace.Open();
        if (server is not null)
        {
            _runspace.SessionStateProxy.SetVariable("uri", server.BaseUri);
            _runspace.SessionStateProxy.SetVariable("PSDefaultParameterValues", new DefaultParameterDictionary
            {
                ["*-Gemini*:BaseUri"] = server.BaseUri,
                ["*-Gemini*:ApiKey"] = apiKey,
            });
        }
    }

    public void Set(string name, object? value) => _runspace.SessionStateProxy.SetVariable(name, value);

    public ShellResult Run(string script)
    {
        using PowerShell ps = Create(script, out ShellResult result, out PSDataCollection<PSObject> output, out _);
        try
        {
            ps.Invoke(null, output);
        }
        catch (RuntimeException e)
        {
            result.Terminating = e;
        }

        return result;
    }

    /// <summary>A started pipeline, for tests that stop it (Ctrl+C) while it runs.</summary>
    public RunningScript Start(string script)
    {
        PowerShell ps = Create(script, out ShellResult result, out PSDataCollection<PSObject> output, out ManualResetEventSlim firstOutput);
        IAsyncResult pending = ps.BeginInvoke<PSObject, PSObject>(null, output);
        return new RunningScript(ps, pending, result, firstOutput);
    }

    public void Dispose() => _runspace.Dispose();

    private PowerShell Create(string script, out ShellResult result, out PSDataCollection<PSObject> output, out ManualResetEventSlim firstOutput)
    {
        PowerShell ps = PowerShell.Create();
        ps.Runspace = _runspace;
        // A statement-terminating error (ThrowTerminatingError) would otherwise land in the error stream like any
        // other; the catch turns it into what Invoke throws, so tests can tell the two kinds apart as a user's try/catch does.
        ps.AddScript("try {\n" + script + "\n} catch { throw }");
        var captured = new ShellResult();
        var gotOutput = new ManualResetEventSlim();
        output = new PSDataCollection<PSObject>();
        output.DataAdding += (_, e) =>
        {
            lock (captured.Log)
            {
                var item = (PSObject)e.ItemAdded;
                captured.Output.Add(item);
                captured.Log.Add(("Output", item?.ToString() ?? string.Empty));
            }

            gotOutput.Set();
        };
        firstOutput = gotOutput;
        void Capture<T>(PSDataCollection<T> stream, string name, Func<T, string> text) =>
            stream.DataAdding += (_, e) =>
            {
                lock (captured.Log)
                    captured.Log.Add((name, text((T)e.ItemAdded)));
            };
        Capture(ps.Streams.Warning, "Warning", w => w.Message);
        Capture(ps.Streams.Verbose, "Verbose", v => v.Message);
        Capture(ps.Streams.Debug, "Debug", d => d.Message);
        Capture(ps.Streams.Information, "Information", i => i.MessageData?.ToString() ?? string.Empty);
        Capture(ps.Streams.Progress, "Progress", p => p.Activity + ": " + p.StatusDescription);
        ps.Streams.Progress.DataAdding += (_, e) =>
        {
            lock (captured.Log)
                captured.Progress.Add((ProgressRecord)e.ItemAdded);
        };
        ps.Streams.Error.DataAdding += (_, e) =>
        {
            lock (captured.Log)
            {
                var record = (ErrorRecord)e.ItemAdded;
                captured.Errors.Add(record);
                captured.Log.Add(("Error", record.ToString()));
            }
        };
        result = captured;
        return ps;
    }
}

public sealed class RunningScript : IDisposable
{
    private readonly PowerShell _ps;
    private readonly IAsyncResult _pending;
    private readonly ManualResetEventSlim _firstOutput;

    internal RunningScript(PowerShell ps, IAsyncResult pending, ShellResult result, ManualResetEventSlim firstOutput)
    {
        _ps = ps;
        _pending = pending;
        _firstOutput = firstOutput;
        Result = result;
    }

    public ShellResult Result { get; }

    public PSInvocationState State => _ps.InvocationStateInfo.State;

    public void WaitForFirstOutput() =>
        Assert.True(_firstOutput.Wait(TimeSpan.FromSeconds(30)), "no output within 30 s");

    /// <summary>What Ctrl+C does: PowerShell.Stop(), which calls StopProcessing on the running cmdlet.</summary>
    public void Stop() => _ps.Stop();

    public ShellResult Finish()
    {
        try
        {
            _ps.EndInvoke(_pending);
        }
        catch (RuntimeException e)
        {
            Result.Terminating = e;
        }

        return Result;
    }

    public void Dispose() => _ps.Dispose();
}
