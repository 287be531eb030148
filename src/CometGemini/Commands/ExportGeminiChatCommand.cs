using System;
using System.IO;
using System.Management.Automation;

namespace CometGemini.Commands;

[Cmdlet(VerbsData.Export, "GeminiChat", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportGeminiChatCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("PSPath", "LiteralPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public GeminiChat? Chat { get; set; }

    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (NoClobber.IsPresent && File.Exists(path))
        {
            WriteError(ErrorRecords.Usage(
                $"'{path}' exists and -NoClobber was given.",
                "GeminiChatFileExists",
                ErrorCategory.ResourceExists,
                path,
                "Choose another -Path, or leave out -NoClobber to overwrite the file."));
            return;
        }

        if (!ShouldProcess(path, $"Save the {Chat!.Turns}-turn chat"))
            return;

        try
        {
            // The chat holds no key or endpoint (GeminiChat), so the file cannot leak one.
            File.WriteAllBytes(path, Chat.ToJson());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            WriteError(ErrorRecords.FromInput(e, "GeminiChatFileUnwritable", path));
            return;
        }

        if (PassThru.IsPresent)
            WriteObject(new FileInfo(path));
    }
}
