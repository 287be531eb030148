using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Client;

/// <summary>
/// The one HTTP path to Gemini's native API (retries, pacing, errors, bounded bodies, SSE), and the way to each of its
/// resources: <see cref="Generation"/>, <see cref="Models"/>, <see cref="Tokens"/>, <see cref="Embeddings"/>,
/// <see cref="Caches"/>, <see cref="Batches"/>, <see cref="Files"/>. Those know their URIs; this knows the wire
/// (docs/wire.md), and none of them anything of PowerShell.
/// The key travels only in the x-goog-api-key header, so no URL it logs can carry it.
/// </summary>
public sealed partial class GeminiClient : IDisposable
{
    internal const int MaxDebugBody = 4000;
    private const int MaxErrorBody = 64 * 1024;

    // A retry wait this long is told as it happens (a warning, a countdown); shorter ones only in -Verbose.
    private static readonly TimeSpan VisibleWait = TimeSpan.FromSeconds(5);
    private static readonly Regex ModelPattern = new(@"^(?:(?:models|tunedModels)/)?[A-Za-z0-9][A-Za-z0-9._\-]*$", RegexOptions.CultureInvariant);
    private static readonly string UserAgent = "CometGemini/" + typeof(GeminiClient).Assembly.GetName().Version?.ToString(3);
    private static readonly Lazy<HttpClient> SharedHttp = new(() => CreateHttpClient(proxy: null), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly GeminiEndpoint _endpoint;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly RetryPolicy _retry;
    private string? _hostRoot;

    public GeminiClient(GeminiEndpoint endpoint)
    {
        _endpoint = endpoint;
        _retry = new RetryPolicy(endpoint.MaxRetries);
        _ownsHttp = endpoint.Proxy is not null;
        _http = _ownsHttp ? CreateHttpClient(endpoint.Proxy) : SharedHttp.Value;
        Generation = new GenerationClient(this);
        Models = new ModelsClient(this);
        Tokens = new TokensClient(this);
        Embeddings = new EmbeddingsClient(this);
        Caches = new CachesClient(this);
        Batches = new BatchesClient(this);
        Files = new FilesClient(this);
    }

    /// <summary>generateContent and streamGenerateContent.</summary>
    public GenerationClient Generation { get; }

    /// <summary>models.list and models.get.</summary>
    public ModelsClient Models { get; }

    /// <summary>countTokens.</summary>
    public TokensClient Tokens { get; }

    /// <summary>embedContent and batchEmbedContents.</summary>
    public EmbeddingsClient Embeddings { get; }

    /// <summary>cachedContents: create, get, list, patch, delete.</summary>
    public CachesClient Caches { get; }

    /// <summary>Batch Mode jobs (batches): create, get, list, cancel, delete.</summary>
    public BatchesClient Batches { get; }

    /// <summary>The Files API: the resumable upload and the download of a file's lines.</summary>
    public FilesClient Files { get; }

    /// <summary>The gate every attempt of this client passes: a quota's pace, and a server's request to wait, for all its concurrent calls.</summary>
    public RequestPacer Pacer { get; set; } = new();

    /// <summary>True for model ids the URL can carry as they are: "gemini-3-flash-preview", "models/…", "tunedModels/…".</summary>
    public static bool IsValidModelName(string model) => ModelPattern.IsMatch(model);

    /// <summary>Posts a generation request to <paramref name="uri"/> and reads the one answer (GenerationClient names the URI).</summary>
    internal async Task<GenerateContentResponse> PostForAnswerAsync(Uri uri, GenerateContentRequest request, IClientLog log, CancellationToken cancellationToken)
    {
        RequestBody body = Serialize(request, log);
        using CancellationTokenSource timeout = CreateTimeout(cancellationToken);
        var clock = Stopwatch.StartNew();
        try
        {
            GenerateContentResponse? result = null;
            using HttpResponseMessage response = await SendAsync(
                HttpMethod.Post,
                uri,
                body,
                log,
                async (answer, token) => result = await ReadResponseAsync(answer, _endpoint.MaxResponseSize, token).ConfigureAwait(false),
                timeout.Token).ConfigureAwait(false);
            if (log.IsVerboseEnabled)
                log.Verbose($"{(int)response.StatusCode} {response.ReasonPhrase} in {clock.ElapsedMilliseconds} ms; {DescribeUsage(result)}.");
            result!.ServiceTierHeader = ServiceTierHeader(response);
            return result!;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(clock.Elapsed, Array.Empty<GenerateContentResponse>(), lastAttempt: e.InnerException as GeminiException);
        }
    }

    /// <summary>
    /// Each SSE event as it arrives. Until the first event is in, a failure (an error status, or an error
    /// object as the first event) is retried like any HTTP error; once a chunk is out, never.
    /// </summary>
    internal async IAsyncEnumerable<GenerateContentResponse> PostForEventsAsync(
        Uri uri,
        GenerateContentRequest request,
        IClientLog log,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        RequestBody body = Serialize(request, log);
        var received = new List<GenerateContentResponse>();
        var clock = Stopwatch.StartNew();
        using CancellationTokenSource idle = CreateTimeout(cancellationToken);
        SseReader? reader = null;
        SseEvent? first = null;
        GenerateContentResponse? firstChunk = null;
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(
                HttpMethod.Post,
                uri,
                body,
                log,
                async (answer, token) =>
                {
                    reader = new SseReader(await answer.Content.ReadAsStreamAsync().ConfigureAwait(false), _endpoint.MaxResponseSize);
                    first = await ReadEventAsync(reader, answer, token).ConfigureAwait(false);
                    if (first?.Data is string data)
                        firstChunk = ParseChunk(data, received);
                    else if (first?.Raw is string raw)
                        throw StreamTextFailure(raw, received, Secrets.Reveal(_endpoint.ApiKey));
                },
                idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(clock.Elapsed, received, lastAttempt: e.InnerException as GeminiException);
        }

        using (response)
        {
            idle.CancelAfter(Timeout.InfiniteTimeSpan); // the idle limit counts only while waiting for the server
            if (log.IsVerboseEnabled)
                log.Verbose($"{(int)response.StatusCode} {response.ReasonPhrase} after {clock.ElapsedMilliseconds} ms; reading the stream.");
            bool finished = false;
            string? tier = ServiceTierHeader(response);
            SseEvent? next = first;
            while (next is SseEvent evt)
            {
                if (evt.Data is not null)
                {
                    GenerateContentResponse chunk = firstChunk ?? ParseChunk(evt.Data, received);
                    firstChunk = null;
                    chunk.ServiceTierHeader = tier;
                    received.Add(chunk);
                    finished |= chunk.FinishReason is not null || chunk.PromptFeedback?.BlockReason is not null || chunk.PromptFeedback?.BlockReasonMessage is not null;
                    yield return chunk;
                }

                if (evt.Raw is not null)
                    throw StreamTextFailure(evt.Raw, received, Secrets.Reveal(_endpoint.ApiKey));

                try
                {
                    if (_endpoint.Timeout is TimeSpan limit)
                        idle.CancelAfter(limit);
                    next = await ReadEventAsync(reader!, response, idle.Token).ConfigureAwait(false);
                    idle.CancelAfter(Timeout.InfiniteTimeSpan); // a slow pipeline downstream is not a silent server
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (OperationCanceledException)
                {
                    throw TimedOut(clock.Elapsed, received, idleStream: true);
                }
                catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException)
                {
                    throw new GeminiException(GeminiFailure.Network, $"The connection broke after {received.Count} chunk(s): {Innermost(e).Message}", e)
                    {
                        PartialChunks = received,
                    };
                }
                catch (InvalidDataException e)
                {
                    throw new GeminiException(GeminiFailure.Protocol, e.Message, e) { PartialChunks = received };
                }
                catch (GeminiException e) when (e.Failure == GeminiFailure.ResponseTooLarge)
                {
                    throw new GeminiException(GeminiFailure.ResponseTooLarge, ResponseLimits.TooLarge($"Stream event {received.Count + 1}", _endpoint.MaxResponseSize).Message, e.InnerException)
                    {
                        PartialChunks = received,
                    };
                }
            }

            if (log.IsVerboseEnabled)
                log.Verbose($"Stream ended after {received.Count} chunk(s) in {clock.ElapsedMilliseconds} ms; {DescribeUsage(received.LastOrDefault())}.");
            if (received.Count == 0)
            {
                throw new GeminiException(GeminiFailure.Protocol, $"The server answered HTTP {(int)response.StatusCode} with an empty body instead of a stream of chunks.")
                {
                    StatusCode = (int)response.StatusCode,
                };
            }

            if (!finished)
            {
                throw new GeminiException(GeminiFailure.Truncated, $"The stream ended after {received.Count} chunk(s) without a finish reason: the answer may be cut off.")
                {
                    StatusCode = (int)response.StatusCode,
                    PartialChunks = received,
                };
            }
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
    }

    /// <summary>
    /// Posts until <paramref name="accept"/> takes a 2xx answer, retrying what the policy allows. A GeminiException
    /// from <paramref name="accept"/> (an error object in the body) counts as a failed attempt like an error status.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        Uri uri,
        RequestBody? body,
        IClientLog log,
        Func<HttpResponseMessage, CancellationToken, Task> accept,
        CancellationToken token,
        Action<HttpRequestMessage>? prepare = null,
        Func<GeminiException, CancellationToken, Task>? beforeRetry = null)
    {
        for (int attempt = 1; ; attempt++)
        {
            TimeSpan held = await Pacer.WaitTurnAsync(retry: attempt > 1, token).ConfigureAwait(false);
            if (held >= TimeSpan.FromSeconds(1) && log.IsVerboseEnabled)
                log.Verbose($"Held back {held.TotalSeconds:0.#} s to keep the batch's pace (-RequestsPerMinute, or a rate limit the server reported).");
            if (log.IsVerboseEnabled)
                log.Verbose($"{method} {uri}{(body is null ? string.Empty : $" ({body.Length:N0} bytes)")}{(attempt > 1 ? $", attempt {attempt}" : string.Empty)}");
            GeminiException failure;
            HttpResponseMessage? response = null;
            try
            {
                using HttpRequestMessage message = BuildRequest(method, uri, body);
                prepare?.Invoke(message); // per attempt: a body read from a file is opened afresh for a retry
                response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                if (status is >= 200 and < 300)
                {
                    await accept(response, token).ConfigureAwait(false);
                    return response;
                }

                failure = status is >= 300 and < 400
                    ? Redirected(status, response.Headers.Location)
                    : ErrorParser.FromHttp(status, response.ReasonPhrase ?? string.Empty, await ReadBodyAsync(response, MaxErrorBody, token).ConfigureAwait(false), response.Headers, Secrets.Reveal(_endpoint.ApiKey));
                response.Dispose();
            }
            catch (GeminiException e)
            {
                response?.Dispose();
                failure = e;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or ObjectDisposedException && !token.IsCancellationRequested)
            {
                response?.Dispose();
                failure = new GeminiException(GeminiFailure.Network, $"Could not reach {uri.GetLeftPart(UriPartial.Authority)}, or the connection broke: {Innermost(e).Message}", e);
            }
            catch (Exception e) when (token.IsCancellationRequested)
            {
                response?.Dispose();
                throw e as OperationCanceledException ?? new OperationCanceledException(token);
            }
            catch
            {
                response?.Dispose();
                throw;
            }

            failure = Secrets.Redact(failure, _endpoint.ApiKey);
            failure.Attempts = attempt;
            TimeSpan? delay = _retry.NextDelay(failure, attempt);
            if (delay is not TimeSpan wait)
            {
                if (failure.IsRetryable && attempt > _retry.MaxRetries && _retry.MaxRetries > 0 && log.IsVerboseEnabled)
                    log.Verbose($"Giving up after {attempt} attempts: {failure.Message}");
                throw failure;
            }

            // A rate limit holds back every request of the batch, not only this one.
            if (failure.StatusCode == 429 || failure.RetryAfter is not null)
                Pacer.Pause(wait);
            if (log.IsVerboseEnabled)
                log.Verbose($"{failure.Message} Retrying in {wait.TotalSeconds:0.##} s (retry {attempt} of {_retry.MaxRetries}).");
            try
            {
                if (wait >= VisibleWait)
                    await WaitVisibly(wait, $"before retry {attempt} of {_retry.MaxRetries}: {WhyRetried(failure)}.", log, token).ConfigureAwait(false);
                else
                    await Task.Delay(wait, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e)
            {
                // -TimeoutSec ran out while waiting to retry: the caller's timeout error tells what the last attempt got.
                throw new OperationCanceledException(e.Message, failure, token);
            }

            // A resumable upload asks the server how far it got before sending the rest (GeminiClient.Files).
            if (beforeRetry is not null)
                await beforeRetry(failure, token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An error body, up to <paramref name="limit"/> bytes (the rest is left unread). Closing the response is what
    /// stops a stalled read on .NET Framework, whose stream reads ignore the token.
    /// </summary>
    private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, int limit, CancellationToken token)
    {
        using CancellationTokenRegistration close = token.Register(response.Dispose);
        try
        {
            using Stream stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            using var body = new MemoryStream();
            byte[] buffer = new byte[8192];
            int read;
            while (body.Length < limit && (read = await stream.ReadAsync(buffer, 0, (int)Math.Min(buffer.Length, limit - body.Length), token).ConfigureAwait(false)) > 0)
                body.Write(buffer, 0, read);
            return body.ToArray();
        }
        catch (Exception e) when (token.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("Cancelled while reading the answer.", e, token);
        }
    }

    /// <summary>
    /// A whole body in one array, under -MaxResponseSize (BoundedReadStream). The array grows with what arrives, up to
    /// the announced length at most: an honest body of announced length ends in an array of that size, a lying
    /// Content-Length reserves nothing. Closing the response is what stops a stalled read on .NET Framework.
    /// </summary>
    private async Task<byte[]> ReadWholeBodyAsync(HttpResponseMessage response, CancellationToken token)
    {
        using CancellationTokenRegistration close = token.Register(response.Dispose);
        try
        {
            long limit = _endpoint.MaxResponseSize;
            using BoundedReadStream stream = await BoundedReadStream.OpenAsync(response, limit).ConfigureAwait(false);
            long? announced = response.Content.Headers.ContentLength;
            int ceiling = ResponseLimits.AsArrayLength(announced is long length ? Math.Min(length, limit) : limit);
            byte[] body = new byte[Math.Min(ceiling, 64 * 1024)];
            int filled = 0, read;
            while (true)
            {
                if (filled == body.Length)
                {
                    // Full: one byte more tells whether the body goes on (and, past the limit, throws the size error).
                    byte[] probe = new byte[1];
                    if (await stream.ReadAsync(probe, 0, 1, token).ConfigureAwait(false) == 0)
                        break;
                    if (body.Length >= ceiling)
                        throw announced is null ? ResponseLimits.TooLarge("The answer", limit) : new IOException($"The server sent more than the {announced:N0} bytes it announced.");
                    Array.Resize(ref body, (int)Math.Min((long)body.Length * 2, ceiling));
                    body[filled++] = probe[0];
                }

                if ((read = await stream.ReadAsync(body, filled, body.Length - filled, token).ConfigureAwait(false)) == 0)
                    break;
                filled += read;
            }

            if (announced is long expected && filled < expected)
                throw new IOException($"The connection closed after {filled:N0} of the {expected:N0} bytes the server announced.");
            if (filled < body.Length)
                Array.Resize(ref body, filled);
            return body;
        }
        catch (Exception e) when (token.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("Cancelled while reading the answer.", e, token);
        }
    }

    private static async Task<SseEvent?> ReadEventAsync(SseReader reader, HttpResponseMessage response, CancellationToken token)
    {
        using CancellationTokenRegistration close = token.Register(response.Dispose);
        try
        {
            return await reader.ReadAsync(token).ConfigureAwait(false);
        }
        catch (InvalidDataException e) when (SseReader.IsTooLarge(e))
        {
            throw new GeminiException(GeminiFailure.ResponseTooLarge, ResponseLimits.TooLarge("Stream event 1", reader.Limit).Message, e);
        }
        catch (Exception e) when (token.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("Cancelled while reading the stream.", e, token);
        }
    }

    private HttpRequestMessage BuildRequest(HttpMethod method, Uri uri, RequestBody? body)
    {
        var message = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            message.Content = body.CreateContent();
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        message.Headers.TryAddWithoutValidation("x-goog-api-key", Secrets.Reveal(_endpoint.ApiKey));
        message.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        return message;
    }

    /// <summary>The request body, big inline data streamed rather than copied (RequestBody); -Debug shows it.</summary>
    private static RequestBody Serialize(GenerateContentRequest request, IClientLog log)
    {
        RequestBody body = RequestBody.Serialize(request, GeminiJsonContext.Default.GenerateContentRequest);
        if (log.IsDebugEnabled)
            log.Debug("Request body: " + body.ToDebugText(MaxDebugBody));
        return body;
    }

    /// <summary>A request body in the wire's JSON; -Debug shows it (it never holds the key, which travels in a header).</summary>
    internal static byte[] Serialize<T>(T value, JsonTypeInfo<T> type, IClientLog log)
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(value, type);
        if (log.IsDebugEnabled)
            log.Debug("Request body: " + RequestBody.FromJson(body).ToDebugText(MaxDebugBody));
        return body;
    }

    // The wait in steps of a second, each told to the log, so a console shows it counting down; Ctrl+C ends it at once.
    private static async Task WaitVisibly(TimeSpan wait, string why, IClientLog log, CancellationToken token)
    {
        TimeSpan step = TimeSpan.FromSeconds(1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (TimeSpan left = wait; left > TimeSpan.Zero; left = wait - clock.Elapsed)
        {
            log.Waiting(why, wait, left);
            await Task.Delay(left < step ? left : step, token).ConfigureAwait(false);
        }

        log.Waiting(why, wait, TimeSpan.Zero);
    }

    private static string WhyRetried(GeminiException failure)
    {
        // The status is the server's word: shown escaped and short.
        string status = failure.Status is { Length: > 0 and <= 40 } said ? " " + FunctionCall.Visible(said) : string.Empty;
        return failure.StatusCode switch
        {
            429 => $"the quota or rate limit was reached (HTTP 429{status})",
            >= 500 => $"the service is busy or failing (HTTP {failure.StatusCode}{status})",
            408 => "the server timed out (HTTP 408)",
            _ => "the connection failed",
        };
    }

    /// <summary>A method of a model: "gemini-3-flash-preview", "countTokens" → …/v1beta/models/gemini-3-flash-preview:countTokens.</summary>
    internal Uri MethodUri(string model, string method, string? query = null) =>
        ApiUri(ModelNames.ResourceName(model) + ":" + method, query);

    /// <summary>A resource or method of the v1beta API: "models", "models/gemini-3-flash-preview:countTokens", "cachedContents/abc".</summary>
    internal Uri ApiUri(string path, string? query = null) => HostUri("v1beta/" + path, query);

    /// <summary>A path under the host (and any prefix) of the base URI, which may itself end in "/v1beta".</summary>
    internal Uri HostUri(string path, string? query)
    {
        // Worked out once per client: a few microseconds of every call (bench/README.md, per-call overhead).
        string root = _hostRoot ??= HostRoot(_endpoint.BaseUri);
        return new Uri(query is null ? root + "/" + path : $"{root}/{path}?{query}");
    }

    private static string HostRoot(Uri baseUri)
    {
        string root = baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        // Accept a base that already names the API version ("…/v1beta"), as Google's docs print it.
        if (root.EndsWith("/v1beta", StringComparison.OrdinalIgnoreCase))
            root = root.Substring(0, root.Length - "/v1beta".Length);
        return root;
    }

    /// <summary>
    /// One call to another method of the API (models, countTokens, embeddings, caches): the same retries, time limit,
    /// error mapping and key handling as generateContent, the answer read as <paramref name="answerType"/>
    /// (an empty body, as DELETE answers, reads as "{}").
    /// </summary>
    /// <remarks><paramref name="errorIsAField"/>: the answer's type has an "error" field of its own (a FAILED file), so an
    /// "error" object in a 2xx answer is data, not a failure.</remarks>
    internal async Task<T> SendJsonAsync<T>(HttpMethod method, Uri uri, byte[]? body, JsonTypeInfo<T> answerType, IClientLog log, CancellationToken cancellationToken, bool errorIsAField = false)
    {
        using CancellationTokenSource timeout = CreateTimeout(cancellationToken);
        var clock = Stopwatch.StartNew();
        try
        {
            T result = default!;
            using HttpResponseMessage response = await SendAsync(
                method,
                uri,
                body is null ? null : RequestBody.FromJson(body),
                log,
                async (answer, token) =>
                {
                    byte[] payload = await ReadWholeBodyAsync(answer, token).ConfigureAwait(false);
                    if (payload.All(b => b is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t'))
                        payload = new[] { (byte)'{', (byte)'}' };
                    if (!errorIsAField && ErrorParser.TryReadError(payload) is ErrorBody error)
                        throw ErrorParser.FromErrorBody(GeminiFailure.Http, (int)answer.StatusCode, error);
                    try
                    {
                        result = JsonSerializer.Deserialize(JsonText.Prepare(payload), answerType)!;
                        if (result is null)
                            throw new JsonException("the answer is JSON null");
                    }
                    catch (JsonException e)
                    {
                        throw new GeminiException(GeminiFailure.Protocol, $"The server's answer is not what the API returns ({e.Message}).", e) { StatusCode = (int)answer.StatusCode };
                    }
                },
                timeout.Token).ConfigureAwait(false);
            if (log.IsVerboseEnabled)
                log.Verbose($"{(int)response.StatusCode} {response.ReasonPhrase} in {clock.ElapsedMilliseconds} ms.");
            return result;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(clock.Elapsed, Array.Empty<GenerateContentResponse>(), lastAttempt: e.InnerException as GeminiException);
        }
    }

    /// <summary>
    /// A generateContent answer, read in pieces under -MaxResponseSize whatever its Content-Length (ResponseBody) and
    /// parsed from them as one sequence, so a 13 MB image answer is never grown, copied, or joined into one array; only a
    /// small body, or one that needs mending (JsonText.NeedsPreparing), becomes an array.
    /// </summary>
    private static async Task<GenerateContentResponse> ReadResponseAsync(HttpResponseMessage response, long limit, CancellationToken token)
    {
        int status = (int)response.StatusCode;
        ResponseBody body;
        using (BoundedReadStream stream = await BoundedReadStream.OpenAsync(response, limit).ConfigureAwait(false))
            body = await ResponseBody.ReadAsync(stream, response, token).ConfigureAwait(false);
        if (body.Bytes.IsSingleSegment || JsonText.NeedsPreparing(body.Bytes))
            return ParseResponse(body.Bytes.ToArray(), status);
        // Several pieces: at least 16 KB, so the checks for an empty or HTML body can look at the first one.
        ParseResponse(body.Bytes.First.Slice(0, Math.Min(body.Bytes.First.Length, 1024)).ToArray(), status, checkOnly: true);
        return Read(
            () =>
            {
                var reader = new Utf8JsonReader(body.Bytes);
                return JsonSerializer.Deserialize(ref reader, GeminiJsonContext.Default.GenerateContentResponse);
            },
            "The server's answer",
            status,
            GeminiFailure.Http,
            Array.Empty<GenerateContentResponse>());
    }

    private static GenerateContentResponse ParseResponse(byte[] payload, int status) => ParseResponse(payload, status, checkOnly: false)!;

    private static GenerateContentResponse? ParseResponse(byte[] payload, int status, bool checkOnly)
    {
        if (payload.Length == 0 || payload.All(b => b is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t'))
            throw new GeminiException(GeminiFailure.Protocol, $"The server answered HTTP {status} with an empty body instead of a Gemini response.") { StatusCode = status };
        if (ErrorParser.LooksLikeHtml(payload))
        {
            throw new GeminiException(GeminiFailure.WrongEndpoint, $"The server answered HTTP {status} with an HTML page instead of a Gemini response. Check the base URI (-BaseUri or COMETAPI_BASE_URL).")
            {
                StatusCode = status,
            };
        }

        return checkOnly ? null : Read(() => JsonSerializer.Deserialize(JsonText.Prepare(payload), GeminiJsonContext.Default.GenerateContentResponse), "The server's answer", status, GeminiFailure.Http, Array.Empty<GenerateContentResponse>());
    }

    // The tier a generate call ran on, as Google's priority-inference docs read it (docs/wire.md §4.5).
    private static string? ServiceTierHeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-gemini-service-tier", out IEnumerable<string>? values) ? values.FirstOrDefault() : null;

    private static GenerateContentResponse ParseChunk(string data, List<GenerateContentResponse> received) =>
        Read(
            () =>
            {
                JsonText.ThrowIfBrokenEscape(data);
                return JsonSerializer.Deserialize(data, GeminiJsonContext.Default.GenerateContentResponse);
            },
            $"Stream chunk {received.Count + 1}", 200, StreamFailure(received), received);

    /// <summary>A response or chunk, or the GeminiException that its text (not JSON, null, an error object) calls for.</summary>
    private static GenerateContentResponse Read(
        Func<GenerateContentResponse?> deserialize,
        string what,
        int status,
        GeminiFailure failureIfError,
        IReadOnlyList<GenerateContentResponse> received)
    {
        GenerateContentResponse? response;
        try
        {
            response = deserialize();
        }
        catch (JsonException e)
        {
            throw new GeminiException(GeminiFailure.Protocol, $"{what} is not a Gemini response ({e.Message}).", e) { StatusCode = status, PartialChunks = received };
        }

        if (response is null)
            throw new GeminiException(GeminiFailure.Protocol, $"{what} is JSON null, not a Gemini response.") { StatusCode = status, PartialChunks = received };
        ThrowIfErrorObject(response, status, failureIfError, received);
        return response.WithoutNullElements();
    }

    private static void ThrowIfErrorObject(GenerateContentResponse response, int status, GeminiFailure failure, IReadOnlyList<GenerateContentResponse> received)
    {
        if (response.ExtensionData is null || !response.ExtensionData.TryGetValue("error", out JsonElement error))
            return;
        ErrorBody body = ErrorParser.TryReadError(error) ?? new ErrorBody { Message = error.ToString() };
        throw ErrorParser.FromErrorBody(failure, status, body, partial: received);
    }

    // An error before any chunk is an HTTP error in all but name (and may be retried); after one, the stream failed.
    private static GeminiFailure StreamFailure(IReadOnlyList<GenerateContentResponse> received) =>
        received.Count == 0 ? GeminiFailure.Http : GeminiFailure.MidStream;

    private static GeminiException StreamTextFailure(string raw, List<GenerateContentResponse> received, string secret)
    {
        ErrorBody? body = ErrorParser.TryReadError(Encoding.UTF8.GetBytes(raw));
        if (body is not null)
            return ErrorParser.FromErrorBody(StreamFailure(received), 200, body, partial: received);

        string quoted = raw.Trim();
        if (received.Count == 0 && quoted.StartsWith("<", StringComparison.Ordinal))
        {
            return new GeminiException(GeminiFailure.WrongEndpoint, "The server answered with an HTML page instead of a stream of chunks. Check the base URI (-BaseUri or COMETAPI_BASE_URL).")
            {
                StatusCode = 200,
            };
        }

        quoted = Secrets.Cut(quoted, 200, secret);
        return new GeminiException(GeminiFailure.Protocol, $"The stream carried text that is not a server-sent event after {received.Count} chunk(s): {quoted}")
        {
            PartialChunks = received,
        };
    }

    private CancellationTokenSource CreateTimeout(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_endpoint.Timeout is TimeSpan limit)
            source.CancelAfter(limit);
        return source;
    }

    private GeminiException TimedOut(TimeSpan elapsed, IReadOnlyList<GenerateContentResponse> received, bool idleStream = false, GeminiException? lastAttempt = null)
    {
        string what = idleStream
            ? $"No whole chunk arrived for {_endpoint.Timeout?.TotalSeconds:0.##} s after {received.Count} chunk(s)"
            : $"No answer within {_endpoint.Timeout?.TotalSeconds:0.##} s";
        string last = lastAttempt is null ? string.Empty : $" The last attempt ({lastAttempt.Attempts}) failed: {lastAttempt.Message}";
        return new GeminiException(GeminiFailure.Timeout, $"{what} (-TimeoutSec); {elapsed.TotalSeconds:0.#} s in all.{last}", lastAttempt)
        {
            PartialChunks = received,
            Attempts = lastAttempt?.Attempts ?? 1,
        };
    }

    private static GeminiException Redirected(int status, Uri? location) =>
        new(GeminiFailure.WrongEndpoint,
            $"The server answered HTTP {status}, a redirect{(location is null ? string.Empty : " to " + location.GetLeftPart(UriPartial.Path))}. The module does not follow redirects (the API key would travel with them): check the base URI (-BaseUri or COMETAPI_BASE_URL).")
        {
            StatusCode = status,
        };

    private static string DescribeUsage(GenerateContentResponse? response)
    {
        UsageMetadata? usage = response?.UsageMetadata;
        return usage is null
            ? "no token counts"
            : $"tokens: prompt {usage.PromptTokenCount ?? 0}, answer {usage.CandidatesTokenCount ?? 0}, thoughts {usage.ThoughtsTokenCount ?? 0}, total {usage.TotalTokenCount ?? 0}";
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
            e = e.InnerException;
        return e;
    }

    private static HttpClient CreateHttpClient(IWebProxy? proxy)
    {
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            // .NET Framework allows 2 connections per host unless told otherwise, which would cap -ThrottleLimit at 2
            // (https://github.com/microsoft/dotnet/pull/664); set per handler, not through the process-wide ServicePointManager.
            MaxConnectionsPerServer = 256,
        };
        if (proxy is not null)
        {
            handler.Proxy = proxy;
            handler.UseProxy = true;
        }

        return new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }
}
