using System;
using System.Net;
using System.Security;

namespace CometGemini.Client;

/// <summary>Where and how to call: resolved by the cmdlet on the pipeline thread, used by the client.</summary>
public sealed class GeminiEndpoint
{
    public GeminiEndpoint(Uri baseUri, SecureString apiKey)
    {
        BaseUri = baseUri;
        ApiKey = apiKey;
    }

    /// <summary>CometAPI's endpoint, the default base URI.</summary>
    public static Uri CometApiBaseUri { get; } = new("https://api.cometapi.com");

    /// <summary>Google's endpoint, the default base URI for a Google key.</summary>
    public static Uri GoogleBaseUri { get; } = new("https://generativelanguage.googleapis.com");

    public Uri BaseUri { get; }

    /// <summary>Kept as a SecureString; turned into a header value only while a request is built.</summary>
    public SecureString ApiKey { get; }

    /// <summary>Where the key came from, for -Verbose: "-ApiKey", "COMETAPI_KEY", "vault 'Name'"... never the key.</summary>
    public string KeySource { get; set; } = "-ApiKey";

    /// <summary>Bounds the wait for an answer and, for streams, each wait for the next whole chunk. Null = no bound.</summary>
    public TimeSpan? Timeout { get; set; }

    public int MaxRetries { get; set; } = 3;

    /// <summary>The most bytes one response body, stream event or results line may hold (ResponseLimits).</summary>
    public long MaxResponseSize { get; set; } = ResponseLimits.DefaultMaxResponseSize;

    /// <summary>An explicit proxy; null = the system proxy.</summary>
    public IWebProxy? Proxy { get; set; }
}
