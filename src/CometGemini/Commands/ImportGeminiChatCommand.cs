using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;

namespace CometGemini.Commands;

[Cmdlet(VerbsData.Import, "GeminiChat", DefaultParameterSetName = PathSet)]
[OutputType(typeof(GeminiChat))]
public sealed class ImportGeminiChatCommand : PSCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        foreach (string path in ParameterSetName == PathSet ? Path.SelectMany(pattern => FilePatterns.Resolve(this, pattern)) : LiteralPath.Select(p => SessionState.Path.GetUnresolvedProviderPathFromPSPath(p)))
            Import(path);
    }

    private void Import(string path)
    {
        GeminiChat chat;
        try
        {
            FileKinds.ThrowIfNotRegular(path); // /dev/zero or a FIFO would be read (or waited on) for ever
            byte[] bytes = File.ReadAllBytes(path);
            if (bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                WriteError(Invalid(path, $"'{path}' is empty: it is not a saved chat."));
                return;
            }

            chat = GeminiChat.FromJson(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or InvalidDataException)
        {
            WriteError(ErrorRecords.FromInput(e, "GeminiFileUnreadable", path));
            return;
        }
        catch (JsonException e)
        {
            // The parser's own words ("'x' is an invalid start of a value. LineNumber: 0") say where, not what the file is.
            string why = e.Path is not null ? $"its JSON does not have a saved chat's shape ({e.Message})"
                : e.LineNumber is not null ? $"it is not JSON ({e.Message})"
                : e.Message;
            WriteError(Invalid(path, $"'{path}' is not a saved chat: {why}"));
            return;
        }

        if (chat.Format < 1)
            WriteError(Invalid(path, $"'{path}' is not a saved chat (Export-GeminiChat writes them)."));
        else if (chat.Format > GeminiChat.CurrentFormat)
            WriteError(Invalid(path, $"'{path}' was saved by a newer CometGemini (format {chat.Format}); update the module to read it."));
        else
            WriteObject(chat);
    }

    private static ErrorRecord Invalid(string path, string message) =>
        new(new InvalidDataException(message), "GeminiChatFileInvalid", ErrorCategory.InvalidData, path)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Import a file that Export-GeminiChat wrote (New-GeminiChat starts a new chat)." },
        };
}
