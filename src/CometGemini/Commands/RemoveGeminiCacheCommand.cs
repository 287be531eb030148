using System;
using System.Management.Automation;
using CometGemini.Client;
using CometGemini.Completion;

namespace CometGemini.Commands;

/// <summary>Deletes caches by name (piped caches bind by their Name), so that they stop costing storage before they expire.</summary>
[Cmdlet(VerbsCommon.Remove, "GeminiCache", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class RemoveGeminiCacheCommand : CacheCommand
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CacheNameCompleter))]
    public string[]? Name { get; set; }

    protected override void BeginProcessing() => Connect();

    protected override void ProcessRecord()
    {
        foreach (string given in Name ?? Array.Empty<string>())
        {
            if (ValidCacheName(given) is not string name)
                continue;
            if (!ShouldProcess(FullName(name), "Delete the context cache"))
                continue;
            try
            {
                RunAsync((outbox, token) => Client.Caches.DeleteAsync(name, outbox, token));
                this.WriteVerboseLine($"Deleted {FullName(name)}.");
            }
            catch (GeminiException e)
            {
                WriteCacheError(e, given);
            }
        }
    }
}
