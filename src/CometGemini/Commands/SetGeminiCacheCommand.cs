using System;
using System.Management.Automation;
using CometGemini.Client;
using CometGemini.Completion;

namespace CometGemini.Commands;

/// <summary>Changes when caches end (the only thing about a cache the API lets change): a new TTL, or an expiry time.</summary>
[Cmdlet(VerbsCommon.Set, "GeminiCache", DefaultParameterSetName = TtlSet, SupportsShouldProcess = true)]
[OutputType(typeof(GeminiCache))]
public sealed class SetGeminiCacheCommand : CacheCommand
{
    private const string TtlSet = "Ttl";
    private const string ExpireTimeSet = "ExpireTime";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CacheNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = TtlSet, Mandatory = true)]
    public TimeSpan Ttl { get; set; }

    [Parameter(ParameterSetName = ExpireTimeSet, Mandatory = true)]
    public DateTime ExpireTime { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private bool ByTtl => ParameterSetName == TtlSet;

    protected override void BeginProcessing()
    {
        CheckExpiry(ByTtl ? Ttl : null, ByTtl ? null : ExpireTime);
        Connect();
    }

    protected override void ProcessRecord()
    {
        foreach (string given in Name ?? Array.Empty<string>())
        {
            if (ValidCacheName(given) is not string name)
                continue;
            string change = ByTtl ? $"Expire in {Ttl} from now" : $"Expire at {ExpireTime:u}";
            if (!ShouldProcess(FullName(name), change))
                continue;
            var update = ByTtl ? new GeminiCache { Ttl = Duration(Ttl) } : new GeminiCache { ExpireTime = Utc(ExpireTime) };
            try
            {
                GeminiCache? updated = null;
                RunAsync(async (outbox, token) =>
                {
                    updated = await Client.Caches.UpdateExpiryAsync(name, update, outbox, token).ConfigureAwait(false);
                });
                if (PassThru.IsPresent)
                    WriteObject(updated);
            }
            catch (GeminiException e)
            {
                WriteCacheError(e, given);
            }
        }
    }
}
