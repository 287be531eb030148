using System;
using System.Collections;
using System.Management.Automation;
using System.Security;
using CometGemini.Client;
using CometGemini.Commands;

namespace CometGemini.Completion;

/// <summary>The endpoint a completer asks for its list: the one the command on the line would call.</summary>
internal static class CompletionEndpoint
{
    /// <summary>
    /// Where the command on the line would call: its -ApiKey and -BaseUri when typed, else Connect-Gemini's, else the
    /// environment. Null when there is no key: then there is nothing to ask, and the completer falls back.
    /// </summary>
    public static GeminiEndpoint? From(IDictionary? bound)
    {
        try
        {
            GeminiConnection? session = GeminiConnection.Session;
            SecureString? key = PSObjects.BaseObject(bound?["ApiKey"]) switch
            {
                SecureString secure => secure,
                string text when text.Length > 0 => ToSecure(text),
                _ => null,
            };
            string? source = key is null ? session?.KeySource : "-ApiKey";
            key ??= session?.ApiKey;
            Uri? baseUri = PSObjects.BaseObject(bound?["BaseUri"]) switch
            {
                Uri uri => uri,
                string text when Uri.TryCreate(text, UriKind.Absolute, out Uri? parsed) => parsed,
                _ => session?.BaseUri,
            };
            GeminiEndpoint endpoint = EndpointResolver.Resolve(key, source, baseUri, out ErrorRecord? error);
            if (error is not null)
                return null;
            if (session?.Proxy is Uri proxy)
                endpoint.Proxy = new System.Net.WebProxy(proxy) { Credentials = session.ProxyCredential?.GetNetworkCredential() };
            return endpoint;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            return null; // a half-typed line must never break Tab
        }
    }

    private static SecureString ToSecure(string text)
    {
        var secure = new SecureString();
        foreach (char c in text)
            secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }
}
