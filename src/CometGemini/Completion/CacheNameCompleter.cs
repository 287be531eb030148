using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using System.Management.Automation.Language;
using CometGemini.Client;

namespace CometGemini.Completion;

/// <summary>
/// Completes -Name of the context-cache commands from the caches the endpoint lists (asked on the first Tab, waited for
/// at most two seconds, kept for <see cref="Keep"/>). The typed text matches a cache's name, its id or its display name.
/// When the endpoint cannot be asked or does not answer in time, Tab offers nothing and says nothing.
/// </summary>
public sealed class CacheNameCompleter : IArgumentCompleter
{
    /// <summary>How long a list serves later Tabs: caches come and go, so not for long.</summary>
    internal static readonly TimeSpan Keep = TimeSpan.FromSeconds(30);

    private static readonly EndpointList<GeminiCache> s_lists = new(
        async (client, token) =>
        {
            var caches = new List<GeminiCache>();
            await foreach (GeminiCache cache in client.Caches.ListAsync(SilentLog.Instance, token).ConfigureAwait(false))
                caches.Add(cache);
            return caches;
        },
        Keep);

    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        IReadOnlyList<GeminiCache>? caches = CompletionEndpoint.From(commandName, fakeBoundParameters) is GeminiEndpoint endpoint ? s_lists.TryGet(endpoint) : null;
        if (caches is null)
            return Array.Empty<CompletionResult>();

        return caches
            .Where(c => !string.IsNullOrEmpty(c.Name))
            .Where(c => ResourceNames.Matches(typed, c.Name!, c.DisplayName))
            .Select(c => new CompletionResult(ValueListCompleter.Quote(c.Name!), ResourceNames.ListItem(c.Name!, c.DisplayName), CompletionResultType.ParameterValue, ToolTip(c)));
    }

    private static string ToolTip(GeminiCache cache)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(cache.DisplayName))
            parts.Add(cache.DisplayName!);
        if (cache.Model is { Length: > 0 } model)
            parts.Add(ModelNames.Id(model));
        if (cache.ExpireTime is DateTimeOffset expires)
            parts.Add("expires " + expires.ToLocalTime().ToString("g", CultureInfo.CurrentCulture));
        return parts.Count > 0 ? cache.Name + " (" + string.Join(", ", parts) + ")" : cache.Name!;
    }
}

/// <summary>What the name completers share: which names the typed text picks, and how a name is listed.</summary>
internal static class ResourceNames
{
    /// <summary>
    /// True when <paramref name="typed"/> starts the full name ("cachedContents/abc"), the id ("abc") or the display name.
    /// </summary>
    public static bool Matches(string typed, string name, string? displayName)
    {
        int slash = name.IndexOf('/');
        string id = slash >= 0 ? name.Substring(slash + 1) : name;
        return name.StartsWith(typed, StringComparison.OrdinalIgnoreCase)
            || id.StartsWith(typed, StringComparison.OrdinalIgnoreCase)
            || displayName is { Length: > 0 } && displayName.StartsWith(typed, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The name as a menu shows it: with its display name, which says more than an id.</summary>
    public static string ListItem(string name, string? displayName) =>
        string.IsNullOrEmpty(displayName) ? name : name + " (" + displayName + ")";
}
