using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using CometGemini.Client;
using CometGemini.Completion;

namespace CometGemini.Commands;

/// <summary>
/// The connection parameters every command that calls the API takes, and the one way they become a client:
/// this call's parameters first, then the chat's connection, then Connect-Gemini's, then the environment.
/// </summary>
public abstract partial class ApiCommand : GeminiCmdlet
{
    private const int DefaultMaxRetries = 3;
    private const int DefaultTimeoutSec = 600;

    // CancellationTokenSource.CancelAfter takes at most int.MaxValue milliseconds (24.8 days); more means no limit.
    private const int MaxTimerSeconds = int.MaxValue / 1000;

    private GeminiEndpoint? _endpoint;
    private GeminiClient? _client;

    [Parameter]
    [SecureStringTransformation]
    [ValidateNotNull]
    public SecureString? ApiKey { get; set; }

    [Parameter]
    [ValidateNotNull]
    public Uri? BaseUri { get; set; }

    [Parameter]
    [ValidateRange(0, 10)]
    public int MaxRetries { get; set; } = DefaultMaxRetries;

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int TimeoutSec { get; set; } = DefaultTimeoutSec;

    /// <summary>The most bytes one response body, stream event or results line may hold; more is an error for that input.</summary>
    [Parameter]
    [ValidateRange(ResponseLimits.SmallestMaxResponseSize, ResponseLimits.LargestMaxResponseSize)]
    public long MaxResponseSize { get; set; } = ResponseLimits.DefaultMaxResponseSize;

    [Parameter]
    [ValidateNotNull]
    public Uri? Proxy { get; set; }

    [Parameter]
    [Credential]
    [ValidateNotNull]
    public PSCredential? ProxyCredential { get; set; }

    private protected GeminiClient Client => _client ?? throw new InvalidOperationException("Connect() first.");

    private protected GeminiEndpoint Endpoint => _endpoint ?? throw new InvalidOperationException("Connect() first.");

    /// <summary>The connection parameters given to this call, and only those.</summary>
    private protected GeminiConnection BoundConnection()
    {
        IDictionary<string, object> bound = MyInvocation.BoundParameters;
        return new GeminiConnection
        {
            ApiKey = ApiKey,
            KeySource = ApiKey is null ? null : "-ApiKey",
            BaseUri = BaseUri,
            MaxRetries = bound.ContainsKey(nameof(MaxRetries)) ? MaxRetries : null,
            TimeoutSec = bound.ContainsKey(nameof(TimeoutSec)) ? TimeoutSec : null,
            MaxResponseSize = bound.ContainsKey(nameof(MaxResponseSize)) ? MaxResponseSize : null,
            Proxy = Proxy,
            ProxyCredential = ProxyCredential,
        };
    }

    /// <summary>Resolves the endpoint and opens the client; a call that cannot work (no key, bad URI) ends here.</summary>
    private protected void Connect(GeminiConnection? chatConnection = null)
    {
        GeminiConnection[] sources = new[] { BoundConnection(), chatConnection, GeminiConnection.Session }.Where(c => c is not null).ToArray()!;
        _endpoint = Resolve(sources);
        _client = new GeminiClient(_endpoint);
    }

    /// <summary>The endpoint <paramref name="sources"/> make, first one that sets a field wins; terminates the command when none works.</summary>
    private protected GeminiEndpoint Resolve(IReadOnlyList<GeminiConnection> sources)
    {
        Uri? proxy = sources.Select(c => c.Proxy).FirstOrDefault(p => p is not null);
        PSCredential? proxyCredential = sources.Select(c => c.ProxyCredential).FirstOrDefault(p => p is not null);
        if (proxyCredential is not null && proxy is null)
        {
            ThrowTerminatingError(ErrorRecords.Usage(
                "-ProxyCredential needs -Proxy: the credential is for the proxy named there.",
                "GeminiProxyMissing",
                ErrorCategory.InvalidArgument,
                proxyCredential.UserName));
        }

        if (proxy is not null && proxy.UserInfo.Length > 0)
        {
            ThrowTerminatingError(ErrorRecords.Usage(
                "-Proxy is given with a user name or password in it (user:password@).",
                "GeminiProxyInvalid",
                ErrorCategory.InvalidArgument,
                new UriBuilder(proxy) { UserName = string.Empty, Password = string.Empty }.Uri,
                "Pass -Proxy without user:password@ and the credential as -ProxyCredential (Get-Credential)."));
        }

        GeminiConnection? keyed = sources.FirstOrDefault(c => c.ApiKey is not null);
        GeminiEndpoint endpoint = EndpointResolver.Resolve(
            keyed?.ApiKey,
            keyed?.KeySource,
            sources.Select(c => c.BaseUri).FirstOrDefault(u => u is not null),
            out ErrorRecord? error);
        if (error is not null)
            ThrowTerminatingError(error);

        int timeoutSec = sources.Select(c => c.TimeoutSec).FirstOrDefault(t => t is not null) ?? DefaultTimeoutSec;
        endpoint.MaxRetries = sources.Select(c => c.MaxRetries).FirstOrDefault(r => r is not null) ?? DefaultMaxRetries;
        endpoint.MaxResponseSize = sources.Select(c => c.MaxResponseSize).FirstOrDefault(m => m is not null) ?? ResponseLimits.DefaultMaxResponseSize;
        endpoint.Timeout = timeoutSec is 0 or > MaxTimerSeconds ? null : TimeSpan.FromSeconds(timeoutSec);
        if (proxy is not null)
            endpoint.Proxy = new WebProxy(proxy) { Credentials = proxyCredential?.GetNetworkCredential() };
        this.WriteVerboseLine($"Endpoint {endpoint.BaseUri.GetLeftPart(UriPartial.Authority)}, key from {endpoint.KeySource}.");
        return endpoint;
    }

    /// <summary>
    /// The model a command uses: -Model when it was passed, else <paramref name="chatModel"/> (a chat's), else Connect-Gemini's
    /// default, else $env:COMETGEMINI_MODEL, else <paramref name="model"/> (the built-in default).
    /// </summary>
    private protected string ChosenModel(string model, string? chatModel = null) =>
        MyInvocation.BoundParameters.ContainsKey("Model") ? model : chatModel ?? GeminiConnection.Session?.Model ?? CurrentModels.FromEnvironment() ?? model;

    /// <summary>Ends the command when <paramref name="model"/> cannot be a model id in a URL.</summary>
    private protected void ValidateModelName(string model)
    {
        if (!GeminiClient.IsValidModelName(model))
        {
            ThrowTerminatingError(ErrorRecords.Usage(
                $"'{model}' is not a model name. Pass -Model with a name like 'gemini-3-flash-preview' (or 'models/gemini-3-flash-preview', 'tunedModels/…'); Tab after -Model lists known models.",
                "GeminiModelNameInvalid",
                ErrorCategory.InvalidArgument,
                model));
        }
    }

    private protected override void ReleaseResources() => _client?.Dispose();

    private protected void WriteGeminiError(GeminiException e, object? input) => WriteError(GeminiError(e, input));

    /// <summary>
    /// The record of a failed call, the key masked; a missing model suggests current ones. In a run of many inputs
    /// (a file, or anything piped in) the message itself names the input: a log of errors must say whose each is.
    /// </summary>
    private protected ErrorRecord GeminiError(GeminiException e, object? input)
    {
        GeminiException masked = Secrets.Redact(e, Endpoint.ApiKey);
        ErrorRecord record = ErrorRecords.FromGemini(masked, input, ModelRadar.NotFoundAdvice(masked, ModelCatalog.Peek(Endpoint)));
        object? value = PSObjects.BaseObject(input);
        if (value is System.IO.FileSystemInfo || value is not null && MyInvocation.ExpectingInput)
            record.ErrorDetails = new ErrorDetails($"'{InputNames.Of(value)}': {masked.Message}") { RecommendedAction = record.ErrorDetails?.RecommendedAction };
        return record;
    }
}
