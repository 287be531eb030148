using System;
using System.Collections.Generic;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Client;

/// <summary>The Files API as Batch Mode uses it: upload a requests file, download a results file.</summary>
public sealed class FilesClient
{
    private readonly GeminiClient _transport;

    internal FilesClient(GeminiClient transport) => _transport = transport;

    /// <summary>
    /// Uploads a local file (resumable protocol, streamed from disk); returns its resource name ("files/…").
    /// </summary>
    internal Task<string> UploadAsync(string path, string mimeType, string displayName, IClientLog log, CancellationToken cancellationToken) =>
        _transport.UploadResumableAsync(_transport.HostUri("upload/v1beta/files", query: null), path, mimeType, displayName, log, cancellationToken);

    /// <summary>
    /// The lines of a file ("files/…") as <paramref name="type"/>, read one at a time: a results file of any size never
    /// sits in memory whole. Blank lines are skipped; a line that is not a <paramref name="type"/> goes to
    /// <paramref name="badLine"/> and the lines after it are still read.
    /// </summary>
    internal IAsyncEnumerable<T> DownloadJsonLinesAsync<T>(string fileName, JsonTypeInfo<T> type, Action<GeminiException> badLine, IClientLog log, CancellationToken cancellationToken) =>
        _transport.GetJsonLinesAsync(_transport.HostUri($"download/v1beta/{fileName}:download", "alt=media"), fileName, type, badLine, log, cancellationToken);
}
