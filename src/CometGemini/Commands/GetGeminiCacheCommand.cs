using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using CometGemini.Client;
using CometGemini.Completion;

namespace CometGemini.Commands;

/// <summary>
/// Lists the context caches (all pages), or gets caches by name; wildcards match the name, the id or the display name.
/// A name without wildcards that is no cache's id is looked for among the display names before it is reported missing.
/// </summary>
[Cmdlet(VerbsCommon.Get, "GeminiCache")]
[OutputType(typeof(GeminiCache))]
public sealed class GetGeminiCacheCommand : CacheCommand
{
    private List<GeminiCache>? _all;

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CacheNameCompleter))]
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
                WriteList(c => Matches(c, n => pattern.IsMatch(n)));
            }
            else
            {
                GetOne(name);
            }
        }
    }

    private static bool Matches(GeminiCache cache, Func<string, bool> test) =>
        cache.Name is string full && (test(full) || test(full.Substring(full.IndexOf('/') + 1)))
        || cache.DisplayName is { Length: > 0 } display && test(display);

    /// <summary>Writes the listed caches <paramref name="wanted"/> takes, as the pages arrive (the list is kept for further names).</summary>
    private void WriteList(Func<GeminiCache, bool> wanted)
    {
        if (_all is not null)
        {
            foreach (GeminiCache cache in _all.Where(wanted))
                WriteObject(cache);
            return;
        }

        var all = new List<GeminiCache>();
        try
        {
            RunAsync(async (outbox, token) =>
            {
                await foreach (GeminiCache cache in Client.Caches.ListAsync(outbox, token).ConfigureAwait(false))
                {
                    all.Add(cache);
                    if (wanted(cache))
                        outbox.Object(cache);
                }
            });
            _all = all;
        }
        catch (GeminiException e)
        {
            WriteListError(e);
        }
    }

    private void GetOne(string name)
    {
        if (!CachesClient.IsValidName(name))
        {
            WriteByDisplayName(name, notFound: null);
            return;
        }

        GeminiCache? found = null;
        try
        {
            RunAsync(async (outbox, token) => found = await Client.Caches.GetAsync(name, outbox, token).ConfigureAwait(false));
            WriteObject(found);
        }
        catch (GeminiException e) when (e.Failure == GeminiFailure.Http && e.StatusCode is 403 or 404)
        {
            WriteByDisplayName(name, e); // not an id of ours: it may be a display name
        }
        catch (GeminiException e)
        {
            WriteGeminiError(e, name);
        }
    }

    private void WriteByDisplayName(string name, GeminiException? notFound)
    {
        bool Named(GeminiCache c) => string.Equals(c.DisplayName, name, StringComparison.OrdinalIgnoreCase);
        WriteList(Named);
        if (_all is null || _all.Any(Named))
            return; // listing failed (already reported), or found
        if (notFound is not null)
        {
            WriteCacheError(notFound, name);
            return;
        }

        WriteError(new ErrorRecord(new ItemNotFoundException($"No context cache has the name or display name '{name}'."), "GeminiCacheNotFound", ErrorCategory.ObjectNotFound, name)
        {
            ErrorDetails = new ErrorDetails($"No context cache has the name or display name '{name}'.")
            {
                RecommendedAction = "Caches end when they expire; Get-GeminiCache lists those that exist.",
            },
        });
    }
}
