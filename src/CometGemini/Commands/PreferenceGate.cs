using System;
using System.Management.Automation;
using System.Reflection;

namespace CometGemini.Commands;

/// <summary>
/// The one way the module writes verbose and debug lines: what the user asked to see, never an Inquire prompt.
/// </summary>
/// <remarks>
/// For a compiled cmdlet, <c>-Debug</c> without <c>-Verbose</c> makes the engine inquire on every verbose line
/// (MshCommandRuntime.VerbosePreference returns Inquire when its Debug flag is set), and Windows PowerShell 5.1
/// inquires on debug lines too; under <c>pwsh -NonInteractive</c> the prompt fails the command. The user asked to
/// see the lines, so the runtime is told what -Debug means in PowerShell 7: show them (Continue).
/// A preference the user set to Inquire themselves ($VerbosePreference = 'Inquire') is left as it is.
/// </remarks>
internal static class PreferenceGate
{
    private const BindingFlags Internal = BindingFlags.Instance | BindingFlags.NonPublic;

    public static void WriteVerboseLine(this Cmdlet cmdlet, string text)
    {
        if (AskedForDebugOnly(cmdlet, "Verbose") && !Set(cmdlet, "Verbose", true))
        {
            WriteToHost(cmdlet, "VERBOSE: ", text);
            return;
        }

        cmdlet.WriteVerbose(text);
    }

    /// <summary>-WhatIf on this call, or $WhatIfPreference in the caller's scope when the switch is not given.</summary>
    public static bool IsWhatIf(this PSCmdlet cmdlet)
    {
        if (cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? given))
            return given is SwitchParameter { IsPresent: true } || given is true;
        return LanguagePrimitives.IsTrue(cmdlet.GetVariableValue("WhatIfPreference"));
    }

    /// <summary>
    /// Whether ShouldProcess would ask a command of ConfirmImpact Low: -Confirm on this call, or else $ConfirmPreference
    /// at Low.
    /// </summary>
    public static bool IsConfirmRequested(this PSCmdlet cmdlet)
    {
        if (cmdlet.MyInvocation.BoundParameters.TryGetValue("Confirm", out object? given))
            return given is SwitchParameter { IsPresent: true } || given is true;
        return cmdlet.GetVariableValue("ConfirmPreference") is ConfirmImpact.Low;
    }

    public static void WriteDebugLine(this Cmdlet cmdlet, string text)
    {
        if (AskedForDebugOnly(cmdlet, "Debug") && !Set(cmdlet, "DebugPreference", ActionPreference.Continue))
        {
            WriteToHost(cmdlet, "DEBUG: ", text);
            return;
        }

        cmdlet.WriteDebug(text);
    }

    // -Debug given; for verbose lines, -Verbose not given (an explicit -Verbose:$false stays off).
    private static bool AskedForDebugOnly(Cmdlet cmdlet, string stream)
    {
        if (cmdlet is not PSCmdlet { MyInvocation.BoundParameters: { } bound })
            return false;
        if (!(bound.TryGetValue("Debug", out object? debug) && debug is SwitchParameter { IsPresent: true }))
            return false;
        return stream != "Verbose" || !bound.ContainsKey("Verbose");
    }

    // The runtime's own switch, as if the common parameter had been bound that way; false where the engine lacks it.
    private static bool Set(Cmdlet cmdlet, string property, object value)
    {
        try
        {
            PropertyInfo? info = cmdlet.CommandRuntime?.GetType().GetProperty(property, Internal);
            if (info?.SetMethod is null)
                return false;
            info.SetValue(cmdlet.CommandRuntime, value);
            return true;
        }
        catch (Exception e) when (e is TargetInvocationException or ArgumentException or MethodAccessException)
        {
            return false;
        }
    }

    private static void WriteToHost(Cmdlet cmdlet, string prefix, string text)
    {
        if (cmdlet is PSCmdlet { Host.UI: { } ui })
        {
            if (prefix == "VERBOSE: ")
                ui.WriteVerboseLine(text);
            else
                ui.WriteDebugLine(text);
        }
    }
}
