using System.Management.Automation;

namespace EmptyModule;

/// <summary>The only cmdlet of the empty module; the bench also calls it as the engine's per-command floor.</summary>
[Cmdlet(VerbsCommon.Get, "Nothing")]
public sealed class GetNothingCommand : PSCmdlet
{
}
