using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using CometGemini.Client;
using CometGemini.Completion;

namespace CometGemini.Commands;

/// <summary>
/// Lists the Files API files (all pages), or gets files by name; wildcards match the name, the id or the display name.
/// A name without wildcards that is no file's id is looked for among the display names before it is reported missing.
/// </summary>
[Cmdlet(VerbsCommon.Get, "GeminiFile")]
[OutputType(typeof(GeminiFile))]
public sealed class GetGeminiFileCommand : FileCommand
{
    private List<GeminiFile>? _all;

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FileNameCompleter))]
    public string[]? Name { get; set; }

    protected override void BeginProcessing() => Connect();

    protected override void ProcessRecord()
    {
        if (Name is null)
        {
            WriteList(_ => true);
            return;
        }

        foreach (string name in Name)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                WriteList(f => Matches(f, n => pattern.IsMatch(n)));
            }
            else
            {
                GetOne(name);
            }
        }
    }

    private static bool Matches(GeminiFile file, Func<string, bool> test) =>
        file.Name is string full && (test(full) || test(full.Substring(full.IndexOf('/') + 1)))
        || file.DisplayName is { Length: > 0 } display && test(display);

    /// <summary>Writes the listed files <paramref name="wanted"/> takes, as the pages arrive (the list is kept for further names).</summary>
    private void WriteList(Func<GeminiFile, bool> wanted)
    {
        if (_all is not null)
        {
            foreach (GeminiFile file in _all.Where(wanted))
                WriteObject(file);
            return;
        }

        var all = new List<GeminiFile>();
        try
        {
            RunAsync(async (outbox, token) =>
            {
                await foreach (GeminiFile file in Client.Files.ListAsync(outbox, token).ConfigureAwait(false))
                {
                    all.Add(file);
                    if (wanted(file))
                        outbox.Object(file);
                }
            });
            _all = all;
        }
        catch (GeminiException e)
        {
            WriteError(FilesError(e, null));
        }
    }

    private void GetOne(string name)
    {
        if (!FilesClient.IsValidName(name))
        {
            WriteByDisplayName(name, notFound: null);
            return;
        }

        GeminiFile? found = null;
        try
        {
            RunAsync(async (outbox, token) => found = await Client.Files.GetAsync(name, outbox, token).ConfigureAwait(false));
            WriteObject(found);
        }
        catch (GeminiException e) when (e.Failure == GeminiFailure.Http && e.StatusCode is 403 or 404)
        {
            WriteByDisplayName(name, e); // not an id of ours: it may be a display name
        }
        catch (GeminiException e)
        {
            WriteFileError(e, name);
        }
    }

    private void WriteByDisplayName(string name, GeminiException? notFound)
    {
        bool Named(GeminiFile f) => string.Equals(f.DisplayName, name, StringComparison.OrdinalIgnoreCase);
        WriteList(Named);
        if (_all is null || _all.Any(Named))
            return; // listing failed (already reported), or found
        if (notFound is not null)
        {
            WriteFileError(notFound, name);
            return;
        }

        WriteError(new ErrorRecord(new ItemNotFoundException($"No file has the name or display name '{name}'."), "GeminiFileNotFound", ErrorCategory.ObjectNotFound, name)
        {
            ErrorDetails = new ErrorDetails($"No file has the name or display name '{name}'.")
            {
                RecommendedAction = "Files are deleted 48 hours after their upload; Get-GeminiFile lists those that exist.",
            },
        });
    }
}
