using System;
using System.Management.Automation;
using System.Security;
using System.Threading;
using CometGemini.Generation;

namespace CometGemini;

/// <summary>
/// Where calls go and how: what Connect-Gemini keeps for the session, or what a chat was made with. A field left
/// null falls through to the next source (call parameters, then the chat, then the session, then the environment).
/// The key is held only as a SecureString and is never shown.
/// </summary>
public sealed class GeminiConnection
{
    private static GeminiConnection? _session;

    /// <summary>The connection Connect-Gemini made: one per process, so ForEach-Object -Parallel and thread jobs share it.</summary>
    public static GeminiConnection? Session
    {
        get => Volatile.Read(ref _session);
        internal set => Volatile.Write(ref _session, value);
    }

    internal SecureString? ApiKey { get; set; }

    /// <summary>Where the key came from ("-ApiKey", "-Credential", "vault 'Name'"), never the key.</summary>
    public string? KeySource { get; internal set; }

    public Uri? BaseUri { get; internal set; }

    public string? Model { get; internal set; }

    public int? MaxRetries { get; internal set; }

    public int? TimeoutSec { get; internal set; }

    /// <summary>-MaxResponseSize of Connect-Gemini: the most bytes one response may hold; null = the default (256 MB).</summary>
    public long? MaxResponseSize { get; internal set; }

    public Uri? Proxy { get; internal set; }

    /// <summary>-AutoUpload of Connect-Gemini: files over -MaxInlineSize go through the Files API as if -Upload were given.</summary>
    public bool AutoUpload { get; internal set; }

    /// <summary>The proxy's credential: internal, so Format-List *, Export-Clixml and ConvertTo-Json never reach its password.</summary>
    internal PSCredential? ProxyCredential { get; set; }

    /// <summary>The user name of -ProxyCredential, if one was given (its password is never shown).</summary>
    public string? ProxyUserName => ProxyCredential?.UserName;

    /// <summary>Connect-Gemini -MaxTotalTokens: the session's token budget, shared by every command of the session; null = none.</summary>
    internal TokenBudget? Budget { get; set; }

    /// <summary>The session's token budget (Connect-Gemini -MaxTotalTokens); null when there is none.</summary>
    public long? MaxTotalTokens => Budget?.Limit;

    /// <summary>Tokens the session's commands used so far against <see cref="MaxTotalTokens"/> (usageMetadata.totalTokenCount of the answers).</summary>
    public long? UsedTokens => Budget?.Used;

    public long? RemainingTokens => Budget?.Remaining;

    public override string ToString() =>
        $"{BaseUri?.GetLeftPart(UriPartial.Authority) ?? "(endpoint from the environment)"}, model {Model ?? "(default)"}, key from {KeySource ?? "the environment"}"
        + (Budget is { } budget ? $", budget {budget.Used:N0} of {budget.Limit:N0} tokens used" : string.Empty);
}
