using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Security;
using CometGemini.Client;
using CometGemini.Commands;

namespace CometGemini.Completion;

/// <summary>
/// Completes model ids from the endpoint's own list (ModelCatalog: fetched once, in the background, on the first Tab),
/// else from the ids known when this version was built. Any other id is accepted.
/// </summary>
public sealed class ModelNameCompleter : IArgumentCompleter
{
    internal static IEnumerable<string> KnownModels => CurrentModels.Generating.Select(m => m.Id);

    internal static IEnumerable<string> KnownEmbeddingModels => CurrentModels.Embedding;

    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        typed = ModelNames.Id(typed);

        string method = MethodFor(commandName);
        IReadOnlyList<GeminiModel>? listed = Endpoint(fakeBoundParameters) is GeminiEndpoint endpoint ? ModelCatalog.TryGet(endpoint) : null;
        if (listed is null)
        {
            IEnumerable<string> known = method == "embedContent" ? KnownEmbeddingModels : method.Length == 0 ? KnownModels.Concat(KnownEmbeddingModels) : KnownModels;
            return known
                .Where(m => m.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(m => new CompletionResult(m, m, CompletionResultType.ParameterValue, m));
        }

        return listed
            .Where(m => m.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Where(m => method.Length == 0 || m.SupportedGenerationMethods.Count == 0 || m.Supports(method))
            .Select(m => new CompletionResult(ValueListCompleter.Quote(m.Name), m.Name, CompletionResultType.ParameterValue, ToolTip(m)));
    }

    // -Model of a generating command lists the models that generate; Get-GeminiModel lists all.
    private static string MethodFor(string? commandName) =>
        commandName is null || commandName.EndsWith("-GeminiModel", StringComparison.OrdinalIgnoreCase) ? string.Empty
        : commandName.IndexOf("Embedding", StringComparison.OrdinalIgnoreCase) >= 0 ? "embedContent"
        : "generateContent";

    private static string ToolTip(GeminiModel model)
    {
        string limits = model.InputTokenLimit is int input
            ? string.Format(CultureInfo.InvariantCulture, ": {0:N0} tokens in, {1:N0} out", input, model.OutputTokenLimit ?? 0)
            : string.Empty;
        return (model.DisplayName ?? model.Name) + limits + (model.Thinking ? ", thinks" : string.Empty);
    }

    /// <summary>
    /// Where the command on the line would call: its -ApiKey and -BaseUri when typed, else Connect-Gemini's, else the
    /// environment. Null when there is no key: then there is nothing to ask, and the built-in list answers.
    /// </summary>
    private static GeminiEndpoint? Endpoint(IDictionary? bound)
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
