using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Client;

// The transfers of the Files API that are not one JSON call: a resumable upload and a download read line by line
// (FilesClient names their URIs).
public sealed partial class GeminiClient
{
    /// <summary>
    /// Uploads a local file through the Files API's resumable protocol (docs/wire.md §12.2): start, then upload and
    /// finalize in one step, the bytes streamed from disk to the URL the start (posted to <paramref name="startUri"/>)
    /// answers. When the connection breaks, the retry asks the server how many bytes it has (a query) and sends only
    /// the rest. <paramref name="progress"/> hears (bytes sent, total) as the bytes go. Returns the file as the server
    /// describes it (often still PROCESSING).
    /// </summary>
    internal async Task<GeminiFile> UploadResumableAsync(
        Uri startUri, string path, string mimeType, string? displayName, Action<long, long>? progress, IClientLog log, CancellationToken cancellationToken)
    {
        long length = new FileInfo(path).Length;
        byte[] start = JsonObject(w =>
        {
            w.WriteStartObject("file");
            if (displayName is not null)
                w.WriteString("displayName", displayName);
            w.WriteEndObject();
        });
        using CancellationTokenSource timeout = CreateTimeout(cancellationToken);
        var clock = Stopwatch.StartNew();
        try
        {
            string? uploadUrl = null;
            using (await SendAsync(
                HttpMethod.Post,
                startUri,
                RequestBody.FromJson(start),
                log,
                (answer, _) =>
                {
                    uploadUrl = Header(answer, "X-Goog-Upload-URL");
                    return Task.CompletedTask;
                },
                timeout.Token,
                message =>
                {
                    message.Headers.TryAddWithoutValidation("X-Goog-Upload-Protocol", "resumable");
                    message.Headers.TryAddWithoutValidation("X-Goog-Upload-Command", "start");
                    message.Headers.TryAddWithoutValidation("X-Goog-Upload-Header-Content-Length", length.ToString(CultureInfo.InvariantCulture));
                    message.Headers.TryAddWithoutValidation("X-Goog-Upload-Header-Content-Type", mimeType);
                }).ConfigureAwait(false))
            {
            }

            if (!Uri.TryCreate(uploadUrl, UriKind.Absolute, out Uri? target))
                throw new GeminiException(GeminiFailure.Protocol, "The Files API started no upload: its answer had no X-Goog-Upload-URL header.");

            // The key goes with the upload; never to another host than the one it was given for.
            if (!string.Equals(target.GetLeftPart(UriPartial.Authority), _endpoint.BaseUri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
                throw new GeminiException(GeminiFailure.WrongEndpoint, $"The Files API asked for the upload to go to {target.GetLeftPart(UriPartial.Authority)}, another host than the base URI's; the module does not send the key there.");

            long offset = 0;
            GeminiFile? file = null;
            using (await SendAsync(
                HttpMethod.Post,
                target,
                body: null,
                log,
                async (answer, token) => file = ParseFile(await ReadWholeBodyAsync(answer, token).ConfigureAwait(false), (int)answer.StatusCode),
                timeout.Token,
                message =>
                {
                    // Per attempt, from the offset the server confirmed: the file is opened afresh and read from there.
                    var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
                    stream.Seek(offset, SeekOrigin.Begin);
                    message.Content = new StreamContent(new ProgressStream(stream, offset, length, progress), 81920);
                    message.Content.Headers.ContentLength = length - offset;
                    message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(mimeType);
                    message.Headers.TryAddWithoutValidation("X-Goog-Upload-Command", "upload, finalize");
                    message.Headers.TryAddWithoutValidation("X-Goog-Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
                },
                async (failure, token) =>
                {
                    offset = await ReceivedAsync(target, length, log, token).ConfigureAwait(false);
                    if (log.IsVerboseEnabled)
                        log.Verbose($"The upload stopped ({failure.Message}); the server has {offset:N0} of {length:N0} bytes, so the rest is sent from there.");
                }).ConfigureAwait(false))
            {
            }

            if (file?.Name is not { Length: > 0 } name)
                throw new GeminiException(GeminiFailure.Protocol, "The Files API's answer to the upload names no file.");
            if (log.IsVerboseEnabled)
                log.Verbose($"Uploaded {length:N0} bytes as {name} in {clock.ElapsedMilliseconds} ms.");
            return file;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(clock.Elapsed, Array.Empty<GenerateContentResponse>());
        }
    }

    // How many bytes of an interrupted upload the server has: a query to the upload URL, answered in a header.
    private async Task<long> ReceivedAsync(Uri target, long length, IClientLog log, CancellationToken token)
    {
        string? received = null;
        using (await SendAsync(
            HttpMethod.Post,
            target,
            body: null,
            log,
            (answer, _) =>
            {
                received = Header(answer, "X-Goog-Upload-Size-Received");
                return Task.CompletedTask;
            },
            token,
            message => message.Headers.TryAddWithoutValidation("X-Goog-Upload-Command", "query")).ConfigureAwait(false))
        {
        }

        if (!long.TryParse(received, NumberStyles.None, CultureInfo.InvariantCulture, out long offset) || offset > length)
            throw new GeminiException(GeminiFailure.Protocol, $"The Files API did not say how much of the upload it has (X-Goog-Upload-Size-Received: '{received}'), so it cannot be resumed.");
        return offset;
    }

    private static string? Header(HttpResponseMessage answer, string name) =>
        answer.Headers.TryGetValues(name, out IEnumerable<string>? values) ? string.Join(string.Empty, values) : null;

    private static GeminiFile? ParseFile(byte[] payload, int status)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, GeminiJsonContext.Default.GeminiFileEnvelope)?.File;
        }
        catch (JsonException e)
        {
            throw new GeminiException(GeminiFailure.Protocol, $"The Files API's answer to the upload is not a file ({e.Message}).", e) { StatusCode = status };
        }
    }

    /// <summary>
    /// The lines of a Files API file (<paramref name="fileName"/>, "files/…", downloaded from <paramref name="uri"/>) as <paramref name="type"/>, read from the response stream one at a time:
    /// a results file of any size never sits in memory whole. Blank lines are skipped; a line that is not a
    /// <paramref name="type"/> goes to <paramref name="badLine"/> and the lines after it are still read.
    /// </summary>
    internal async IAsyncEnumerable<T> GetJsonLinesAsync<T>(
        Uri uri, string fileName, JsonTypeInfo<T> type, Action<GeminiException> badLine, IClientLog log, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using CancellationTokenSource idle = CreateTimeout(cancellationToken);
        var clock = Stopwatch.StartNew();
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(HttpMethod.Get, uri, body: null, log, (_, _) => Task.CompletedTask, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(clock.Elapsed, Array.Empty<GenerateContentResponse>());
        }

        using (response)
        {
            idle.CancelAfter(Timeout.InfiniteTimeSpan);
            // Each line under -MaxResponseSize, not the file: a results file holds the answers of a whole batch.
            var reader = new LineReader(await response.Content.ReadAsStreamAsync().ConfigureAwait(false), _endpoint.MaxResponseSize);
            int lines = 0;
            while (true)
            {
                TextLine? next;
                try
                {
                    if (_endpoint.Timeout is TimeSpan limit)
                        idle.CancelAfter(limit);
                    next = await ReadLineAsync(reader, response, idle.Token).ConfigureAwait(false);
                    idle.CancelAfter(Timeout.InfiniteTimeSpan); // a slow pipeline downstream is not a silent server
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (OperationCanceledException)
                {
                    throw new GeminiException(GeminiFailure.Timeout, $"The download of {fileName} sent nothing for {_endpoint.Timeout?.TotalSeconds:0.##} s after {lines} line(s) (-TimeoutSec).");
                }
                catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException)
                {
                    throw new GeminiException(GeminiFailure.Network, $"The connection broke after {lines} line(s) of {fileName}: {Innermost(e).Message}", e);
                }

                if (next is not TextLine line)
                    break;
                lines++;
                if (line.Text is null)
                {
                    badLine(ResponseLimits.TooLarge($"Line {lines} of {fileName} ({ResponseLimits.Describe(line.SkippedBytes)})", _endpoint.MaxResponseSize));
                    continue;
                }

                if (line.Text.Trim().Length == 0)
                    continue;
                T? parsed = ParseLine(line.Text, type, fileName, lines, badLine);
                if (parsed is not null)
                    yield return parsed;
            }

            if (log.IsVerboseEnabled)
                log.Verbose($"Read {lines} line(s) of {fileName} in {clock.ElapsedMilliseconds} ms.");
        }
    }

    private static T? ParseLine<T>(string line, JsonTypeInfo<T> type, string fileName, int number, Action<GeminiException> badLine)
    {
        try
        {
            JsonText.ThrowIfBrokenEscape(line);
            return JsonSerializer.Deserialize(line, type) ?? throw new JsonException("the line is JSON null");
        }
        catch (JsonException e)
        {
            badLine(new GeminiException(GeminiFailure.Protocol, $"Line {number} of {fileName} is not what the API writes ({e.Message}); it was skipped.", e));
            return default;
        }
    }

    private static async Task<TextLine?> ReadLineAsync(LineReader reader, HttpResponseMessage response, CancellationToken token)
    {
        // Closing the response is what ends a stalled read on .NET Framework, whose stream reads ignore the token.
        using CancellationTokenRegistration close = token.Register(response.Dispose);
        try
        {
            return await reader.ReadAsync(token).ConfigureAwait(false);
        }
        catch (Exception e) when (token.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("Cancelled while reading the file.", e, token);
        }
    }

    /// <summary>A small JSON object written by hand (the body of a request whose type the context does not know).</summary>
    internal static byte[] JsonObject(Action<Utf8JsonWriter> writeProperties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
