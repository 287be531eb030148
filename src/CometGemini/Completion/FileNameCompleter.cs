using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading.Tasks;
using CometGemini.Client;

namespace CometGemini.Completion;

/// <summary>
/// Completes -Name of the Files API commands from the files the endpoint lists (asked on the first Tab, waited for at
/// most two seconds, kept for <see cref="Keep"/>), as CacheNameCompleter does for caches. The typed text matches a
/// file's name, its id or its display name. When the endpoint cannot be asked or does not answer in time, Tab offers nothing.
/// </summary>
public sealed class FileNameCompleter : IArgumentCompleter
{
    /// <summary>How long a list serves later Tabs: files come and go, so not for long.</summary>
    internal static readonly TimeSpan Keep = TimeSpan.FromSeconds(30);

    private static readonly EndpointList<GeminiFile> s_lists = new(
        async (client, token) =>
        {
            var files = new List<GeminiFile>();
            await foreach (GeminiFile file in client.Files.ListAsync(SilentLog.Instance, token).ConfigureAwait(false))
                files.Add(file);
            return files;
        },
        Keep);

    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        IReadOnlyList<GeminiFile>? files = CompletionEndpoint.From(commandName, fakeBoundParameters) is GeminiEndpoint endpoint ? s_lists.TryGet(endpoint) : null;
        if (files is null)
            return Array.Empty<CompletionResult>();

        return files
            .Where(f => !string.IsNullOrEmpty(f.Name))
            .Where(f => ResourceNames.Matches(typed, f.Name!, f.DisplayName))
            .Select(f => new CompletionResult(ValueListCompleter.Quote(f.Name!), ResourceNames.ListItem(f.Name!, f.DisplayName), CompletionResultType.ParameterValue, ToolTip(f)));
    }

    private static string ToolTip(GeminiFile file)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(file.DisplayName))
            parts.Add(file.DisplayName!);
        if (file.MimeType is { Length: > 0 } mimeType)
            parts.Add(mimeType);
        if (file.State is { Length: > 0 } state)
            parts.Add(state);
        if (file.ExpirationTime is DateTimeOffset expires)
            parts.Add("expires " + expires.ToLocalTime().ToString("g", CultureInfo.CurrentCulture));
        return parts.Count > 0 ? file.Name + " (" + string.Join(", ", parts) + ")" : file.Name!;
    }
}
