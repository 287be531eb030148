using System;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace CometGemini.Bench;

/// <summary>The hosted PowerShell engine (SMA 7.6.9, Core cmdlets only), as the test suite hosts it.</summary>
internal static class Engine
{
    /// <summary>A fresh runspace with the given modules imported (none: an empty engine).</summary>
    public static Runspace Open(params string[] manifests)
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        if (manifests.Length > 0)
            state.ImportPSModule(manifests);
        state.ThrowOnRunspaceOpenError = true;
        Runspace runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        return runspace;
    }

    /// <summary>Runs a script; any error (terminating or not) fails the benchmark, which must not measure failures.</summary>
    public static Collection<PSObject> Run(Runspace runspace, string script)
    {
        using PowerShell ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript(script);
        Collection<PSObject> output = ps.Invoke();
        if (ps.Streams.Error.Count > 0)
            throw new InvalidOperationException("The benchmark script wrote errors: " + string.Join("; ", ps.Streams.Error.Select(e => e.ToString())));
        return output;
    }

    public static void Set(Runspace runspace, string name, object? value) => runspace.SessionStateProxy.SetVariable(name, value);

    public static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
