using System.Management.Automation;

namespace CometGemini.Commands;

/// <summary>Forgets what Connect-Gemini kept: calls go back to their parameters and the environment.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "Gemini")]
[OutputType(typeof(void))]
public sealed class DisconnectGeminiCommand : PSCmdlet
{
    protected override void EndProcessing()
    {
        GeminiConnection? was = GeminiConnection.Session;
        GeminiConnection.Session = null;
        this.WriteVerboseLine(was is null ? "Not connected; nothing to forget." : $"Forgot the connection ({was}).");
    }
}
