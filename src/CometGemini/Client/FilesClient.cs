using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Client;

/// <summary>The Files API (docs/wire.md §12.2, §12.4): upload (resumable), get, list, delete, and the download of a results file.</summary>
public sealed class FilesClient
{
    private const string Prefix = "files/";

    // A file's id, with or without its prefix: anything else (a path such as '../models/x') never goes into a URL.
    private static readonly Regex NamePattern = new("^(?:files/)?[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant);

    private readonly GeminiClient _transport;

    internal FilesClient(GeminiClient transport) => _transport = transport;

    /// <summary>True for "abc" and "files/abc": a name that can go into a URL.</summary>
    internal static bool IsValidName(string name) => NamePattern.IsMatch(name);

    /// <summary>"abc" or "files/abc" as the API names it: "files/abc".</summary>
    internal static string ResourceName(string name) => name.StartsWith(Prefix, StringComparison.Ordinal) ? name : Prefix + name;

    /// <summary>
    /// Uploads a local file (resumable protocol, streamed from disk, resumed from the server's offset after a broken
    /// connection); returns the file as the server describes it, which may still be PROCESSING.
    /// </summary>
    internal Task<GeminiFile> UploadAsync(string path, string mimeType, string? displayName, IClientLog log, CancellationToken cancellationToken, Action<long, long>? progress = null) =>
        _transport.UploadResumableAsync(_transport.HostUri("upload/v1beta/files", query: null), path, mimeType, displayName, progress, log, cancellationToken);

    /// <summary>One file by name ("abc" or "files/abc"). A FAILED file carries its reason in an "error" field (a google.rpc.Status).</summary>
    internal Task<GeminiFile> GetAsync(string name, IClientLog log, CancellationToken cancellationToken) =>
        _transport.SendJsonAsync(HttpMethod.Get, _transport.ApiUri(ResourceName(name)), null, GeminiJsonContext.Default.GeminiFile, log, cancellationToken, errorIsAField: true);

    /// <summary>Every file the key's project holds, page by page (following nextPageToken), each as it arrives.</summary>
    internal async IAsyncEnumerable<GeminiFile> ListAsync(IClientLog log, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = new PageTokens("files");
        string? pageToken = null;
        do
        {
            ListFilesResponse page = await _transport.SendJsonAsync(
                HttpMethod.Get,
                _transport.ApiUri("files", "pageSize=100" + (pageToken is null ? string.Empty : "&pageToken=" + Uri.EscapeDataString(pageToken))),
                null,
                GeminiJsonContext.Default.ListFilesResponse,
                log,
                cancellationToken).ConfigureAwait(false);
            foreach (GeminiFile? file in page.Files ?? new List<GeminiFile>())
            {
                if (file is not null)
                    yield return file;
            }

            pageToken = pages.Next(page.NextPageToken);
        }
        while (pageToken is not null);
    }

    internal Task<JsonElement> DeleteAsync(string name, IClientLog log, CancellationToken cancellationToken) =>
        _transport.SendJsonAsync(HttpMethod.Delete, _transport.ApiUri(ResourceName(name)), null, GeminiJsonContext.Default.JsonElement, log, cancellationToken);

    /// <summary>
    /// The lines of a file ("files/…") as <paramref name="type"/>, read one at a time: a results file of any size never
    /// sits in memory whole. Blank lines are skipped; a line that is not a <paramref name="type"/> goes to
    /// <paramref name="badLine"/> and the lines after it are still read.
    /// </summary>
    internal IAsyncEnumerable<T> DownloadJsonLinesAsync<T>(string fileName, JsonTypeInfo<T> type, Action<GeminiException> badLine, IClientLog log, CancellationToken cancellationToken) =>
        _transport.GetJsonLinesAsync(_transport.HostUri($"download/v1beta/{fileName}:download", "alt=media"), fileName, type, badLine, log, cancellationToken);
}
