using System;
using System.Management.Automation;
using CometGemini.Client;
using CometGemini.Completion;

namespace CometGemini.Commands;

/// <summary>Deletes Files API files by name (piped file objects bind by their Name), before the server's 48 hours are up.</summary>
[Cmdlet(VerbsCommon.Remove, "GeminiFile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveGeminiFileCommand : FileCommand
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FileNameCompleter))]
    public string[]? Name { get; set; }

    protected override void BeginProcessing() => Connect();

    protected override void ProcessRecord()
    {
        foreach (string given in Name ?? Array.Empty<string>())
        {
            if (ValidFileName(given) is not string name)
                continue;
            if (!ShouldProcess(name, "Delete the file from the Files API"))
                continue;
            try
            {
                RunAsync((outbox, token) => Client.Files.DeleteAsync(name, outbox, token));
                this.WriteVerboseLine($"Deleted {name}.");
            }
            catch (GeminiException e)
            {
                WriteFileError(e, given);
            }
        }
    }
}
