using System;
using System.IO;
using System.Management.Automation;
using System.Text.Json;

namespace CometGemini.Commands;

[Cmdlet(VerbsData.Import, "GeminiChat")]
[OutputType(typeof(GeminiChat))]
public sealed class ImportGeminiChatCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LiteralPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        foreach (string given in Path)
        {
            string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(given);
            GeminiChat? chat;
            try
            {
                chat = GeminiChat.FromJson(File.ReadAllBytes(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                WriteError(ErrorRecords.FromInput(e, "GeminiFileUnreadable", path));
                continue;
            }
            catch (JsonException e)
            {
                WriteError(Invalid(path, $"'{path}' is not a saved chat: {e.Message}"));
                continue;
            }

            if (chat is null || chat.Format < 1)
                WriteError(Invalid(path, $"'{path}' is not a saved chat (Export-GeminiChat writes them)."));
            else if (chat.Format > GeminiChat.CurrentFormat)
                WriteError(Invalid(path, $"'{path}' was saved by a newer CometGemini (format {chat.Format}); update the module to read it."));
            else
                WriteObject(chat);
        }
    }

    private static ErrorRecord Invalid(string path, string message) =>
        new(new InvalidDataException(message), "GeminiChatFileInvalid", ErrorCategory.InvalidData, path);
}
