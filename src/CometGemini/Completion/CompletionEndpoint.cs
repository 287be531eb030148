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
    /// Where the command on the line would call: its -ApiKey and -BaseUri when typed, else what $PSDefaultParameterValues
    /// gives the command, else Connect-Gemini's, else the environment. Null when there is no key: then there is nothing
    /// to ask, and the completer falls back.
    /// </summary>
    public static GeminiEndpoint? From(string commandName, IDictionary? bound)
    {
        try
        {
            bound = WithDefaults(commandName, bound);
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

    // -ApiKey and -BaseUri from $PSDefaultParameterValues ('*-Gemini*:BaseUri'), as the command itself would get them.
    private static IDictionary? WithDefaults(string commandName, IDictionary? bound)
    {
        if (bound is not null && bound.Contains("ApiKey") && bound.Contains("BaseUri"))
            return bound;
        IDictionary? defaults;
        try
        {
            // Completers run on the pipeline thread, inside TabExpansion2: the variable is read as a script reads it (the
            // runspace's SessionStateProxy refuses while that pipeline runs).
            defaults = System.Management.Automation.Runspaces.Runspace.DefaultRunspace is null
                ? null
                : PSObjects.BaseObject(ScriptBlock.Create("$PSDefaultParameterValues").InvokeReturnAsIs()) as IDictionary;
        }
        catch (Exception e) when (e is RuntimeException or InvalidOperationException)
        {
            return bound; // a runspace that is busy elsewhere: only the typed line counts
        }

        if (defaults is null || defaults.Count == 0)
            return bound;
        var merged = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in defaults)
        {
            if (entry.Key is not string key || key.Split(':') is not { Length: 2 } pair || pair[1] is not ("ApiKey" or "BaseUri"))
                continue;
            if (WildcardPattern.Get(pair[0].Trim(), WildcardOptions.IgnoreCase).IsMatch(commandName) && PSObjects.BaseObject(entry.Value) is not ScriptBlock)
                merged[pair[1]] = entry.Value;
        }

        if (bound is not null)
        {
            foreach (DictionaryEntry entry in bound)
                merged[entry.Key] = entry.Value;
        }

        return merged;
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
