using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace FakeGemini;

/// <summary>What kind of body a <see cref="FakeReply"/> sends.</summary>
public enum FakeReplyKind
{
    /// <summary>One body with Content-Length (or chunked when <see cref="FakeReply.Chunked"/>).</summary>
    Body,

    /// <summary>Server-sent events built from <see cref="FakeReply.Chunks"/>: <c>data: {json}</c> + <see cref="FakeReply.Framing"/>, chunked.</summary>
    Sse,

    /// <summary>A recorded SSE body sent verbatim, split into events at its blank lines, chunked.</summary>
    SseRaw,

    /// <summary>Gemini's JSON-array stream: <c>[</c> + chunks joined by <c>\n,\r\n</c> + <c>\n]</c>, chunked.</summary>
    JsonArray,

    /// <summary>Read the request, never answer; ends when the client leaves or the server is disposed.</summary>
    NoHeaders,
}

/// <summary>
/// One scripted response. Build it with the static factories, then adjust it with <c>with { … }</c>
/// or the modifier methods, e.g. <c>FakeReply.Sse(chunks) with { Delay = TimeSpan.FromMilliseconds(300), CutAfter = 2 }</c>.
/// The event options (Delay, CutAfter, HangAfter, ResetAfter, Tail, ByteDelay, StampSendTime) count the
/// events of a stream; a <see cref="FakeReplyKind.Body"/> reply is a single event.
/// </summary>
public sealed record FakeReply
{
    /// <summary>Placeholder replaced by the send time (UTC ticks) when <see cref="StampSendTime"/> is set.</summary>
    public const string SentAtPlaceholder = "__SENT_AT__";

    private static readonly (string Name, string Value)[] NoHeaderList = Array.Empty<(string Name, string Value)>();

    private FakeReply()
    {
    }

    public FakeReplyKind Kind { get; init; }

    public int Status { get; init; } = 200;

    /// <summary>Content-Type header; null sends none.</summary>
    public string? ContentType { get; init; }

    /// <summary>Extra response headers. One with the name of a built-in header (Content-Type, Date, Server, …) replaces it;
    /// Content-Length and Transfer-Encoding are always the server's own.</summary>
    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = NoHeaderList;

    /// <summary>The body of a <see cref="FakeReplyKind.Body"/> reply, or the recorded stream of an <see cref="FakeReplyKind.SseRaw"/> one.</summary>
    public byte[] Body { get; init; } = Array.Empty<byte>();

    /// <summary>One JSON document per event, for <see cref="FakeReplyKind.Sse"/> and <see cref="FakeReplyKind.JsonArray"/>.</summary>
    public IReadOnlyList<string> Chunks { get; init; } = Array.Empty<string>();

    /// <summary>Pause before every event but the first (and before <see cref="Tail"/>).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>What ends each SSE event: "\r\n\r\n" like Google, or "\n\n" like some proxies.</summary>
    public string Framing { get; init; } = "\r\n\r\n";

    /// <summary>After this many events close the connection (FIN) without ending the body.</summary>
    public int? CutAfter { get; init; }

    /// <summary>After this many events keep the connection open and silent until the client leaves or the server is disposed.</summary>
    public int? HangAfter { get; init; }

    /// <summary>After this many events reset the connection (TCP RST).</summary>
    public int? ResetAfter { get; init; }

    /// <summary>Raw text sent after the events (e.g. a bare pretty-printed error object); the body then ends and the connection closes.</summary>
    public string? Tail { get; init; }

    /// <summary>Send the body one byte at a time with this pause between bytes.</summary>
    public TimeSpan? ByteDelay { get; init; }

    /// <summary>With <see cref="ByteDelay"/>: send this many events at full speed first, then trickle the rest.</summary>
    public int TrickleAfter { get; init; }

    /// <summary>Replace <see cref="SentAtPlaceholder"/> in each event by <c>DateTime.UtcNow.Ticks</c> just before it is written.</summary>
    public bool StampSendTime { get; init; }

    /// <summary>Wait this long before sending the status line and headers.</summary>
    public TimeSpan HeaderDelay { get; init; }

    /// <summary>Compress with gzip and send Content-Encoding: gzip, when the request's Accept-Encoding allows gzip.</summary>
    public bool Gzip { get; init; }

    /// <summary>Send a <see cref="FakeReplyKind.Body"/> reply with chunked transfer encoding instead of Content-Length.</summary>
    public bool Chunked { get; init; }

    /// <summary>Send Connection: close and close the connection after this response.</summary>
    public bool CloseConnection { get; init; }

    /// <summary>A lie: send this as Content-Length instead of the body's real length (with HangAfter, then silence).</summary>
    public long? AnnouncedLength { get; init; }

    /// <summary>After the body, send this byte without end (chunked, 64 KB at a time) until the client leaves: an endless body or line.</summary>
    public byte? EndlessFill { get; init; }

    /// <summary>
    /// A gzip bomb: a generateContent answer whose text is <paramref name="inflatedBytes"/> letters, sent compressed
    /// (about a thousandth of that) with Content-Encoding: gzip whatever the client asked for, and its true compressed Content-Length.
    /// </summary>
    public static FakeReply GzipBomb(long inflatedBytes) =>
        new()
        {
            Kind = FakeReplyKind.Body,
            ContentType = "application/json; charset=UTF-8",
            Body = Bombs.Get(inflatedBytes),
            Headers = new[] { ("Content-Encoding", "gzip") },
        };

    /// <summary>An SSE stream whose first event is <paramref name="firstChunk"/>, then a data: line that never ends.</summary>
    public static FakeReply EndlessSseLine(string firstChunk) =>
        SseRaw("data: " + firstChunk + "\r\n\r\ndata: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"") with { EndlessFill = (byte)'a' };

    /// <summary>A chunked generateContent body that never ends (a JSON string that goes on for ever).</summary>
    public static FakeReply EndlessBody() =>
        Raw(200, "application/json; charset=UTF-8", "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"") with { Chunked = true, EndlessFill = (byte)'a' };

    private static class Bombs
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<long, byte[]> Made = new();

        public static byte[] Get(long inflatedBytes) => Made.GetOrAdd(inflatedBytes, Make);

        private static byte[] Make(long inflatedBytes)
        {
            using var compressed = new System.IO.MemoryStream();
            using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            {
                gzip.Write("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\""u8);
                byte[] letters = new byte[1024 * 1024];
                Array.Fill(letters, (byte)'a');
                for (long left = inflatedBytes; left > 0; left -= letters.Length)
                    gzip.Write(letters, 0, (int)Math.Min(left, letters.Length));
                gzip.Write("\"}]},\"finishReason\":\"STOP\"}]}"u8);
            }

            return compressed.ToArray();
        }
    }

    /// <summary>A body sent as-is with <c>Content-Type: application/json; charset=UTF-8</c>.</summary>
    public static FakeReply Json(int status, string body, params (string Name, string Value)[] headers) =>
        Raw(status, "application/json; charset=UTF-8", body, headers);

    /// <summary>Any body with any content type, e.g. an HTML page, an empty 200, a 302 with Location.</summary>
    public static FakeReply Raw(int status, string contentType, string body, params (string Name, string Value)[] headers) =>
        Raw(status, contentType, Encoding.UTF8.GetBytes(body), headers);

    /// <inheritdoc cref="Raw(int, string, string, ValueTuple{string, string}[])"/>
    public static FakeReply Raw(int status, string contentType, byte[] body, params (string Name, string Value)[] headers) =>
        new() { Kind = FakeReplyKind.Body, Status = status, ContentType = contentType, Body = body, Headers = headers };

    /// <summary>An SSE stream, one <c>data:</c> event per JSON chunk, <c>text/event-stream</c>, <c>Content-Disposition: attachment</c>.</summary>
    public static FakeReply Sse(IEnumerable<string> chunkJsons, TimeSpan? delay = null) =>
        new() { Kind = FakeReplyKind.Sse, ContentType = "text/event-stream", Chunks = chunkJsons.ToArray(), Delay = delay ?? TimeSpan.Zero };

    /// <summary>A recorded SSE body replayed byte for byte (split at its blank lines so the event options apply).</summary>
    public static FakeReply SseRaw(string exactBody, TimeSpan? delay = null) => SseRaw(Encoding.UTF8.GetBytes(exactBody), delay);

    /// <inheritdoc cref="SseRaw(string, TimeSpan?)"/>
    public static FakeReply SseRaw(byte[] exactBody, TimeSpan? delay = null) =>
        new() { Kind = FakeReplyKind.SseRaw, ContentType = "text/event-stream", Body = exactBody, Delay = delay ?? TimeSpan.Zero };

    /// <summary>A JSON-array stream (streamGenerateContent without alt=sse); pass each element as it should appear (Google pretty-prints them).</summary>
    public static FakeReply JsonArray(IEnumerable<string> elementJsons, TimeSpan? delay = null) =>
        new() { Kind = FakeReplyKind.JsonArray, ContentType = "application/json; charset=UTF-8", Chunks = elementJsons.ToArray(), Delay = delay ?? TimeSpan.Zero };

    /// <summary>Accept the request and never answer.</summary>
    public static FakeReply NoHeaders() => new() { Kind = FakeReplyKind.NoHeaders };

    /// <summary>Google's error envelope (pretty-printed, trailing newline) with a RetryInfo detail when <paramref name="retryDelay"/> is given (e.g. "58s").</summary>
    public static FakeReply Error(int status, string googleStatus, string message, string? retryDelay = null) =>
        Json(status, GoogleErrorJson(status, googleStatus, message, retryDelay));

    /// <summary>CometAPI's envelope <c>{"error":{"message","type","param":"","code"}}</c>.</summary>
    public static FakeReply CometError(int status, string message, string code, string type = "comet_api_error") =>
        Raw(status, "application/json; charset=utf-8", CometErrorJson(message, code, type));

    /// <summary>The body <see cref="Error"/> sends, e.g. for a <see cref="Tail"/> or a JSON-array-wrapped error.</summary>
    public static string GoogleErrorJson(int status, string googleStatus, string message, string? retryDelay = null) =>
        GeminiJson.Error(status, googleStatus, message, retryDelay is null ? null : w =>
        {
            w.WriteStartObject();
            w.WriteString("@type", "type.googleapis.com/google.rpc.RetryInfo");
            w.WriteString("retryDelay", retryDelay);
            w.WriteEndObject();
        });

    /// <summary>The body <see cref="CometError"/> sends.</summary>
    public static string CometErrorJson(string message, string code, string type = "comet_api_error") =>
        GeminiJson.Write(false, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("message", message);
            w.WriteString("type", type);
            w.WriteString("param", "");
            w.WriteString("code", code);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    /// <summary>Wait before sending the headers.</summary>
    public FakeReply DelayHeaders(TimeSpan delay) => this with { HeaderDelay = delay };

    /// <summary>Gzip the body when the client accepts it.</summary>
    public FakeReply WithGzip(bool gzip = true) => this with { Gzip = gzip };

    /// <summary>Add headers to the ones already set.</summary>
    public FakeReply WithHeaders(params (string Name, string Value)[] headers) => this with { Headers = Headers.Concat(headers).ToArray() };

    public override string ToString() => $"{Kind} {Status} {ContentType}";

    internal bool IsStream => Kind is FakeReplyKind.Sse or FakeReplyKind.SseRaw or FakeReplyKind.JsonArray;

    /// <summary>The body cut into the pieces written one after another (events of a stream; the whole body otherwise).</summary>
    internal List<byte[]> Events()
    {
        var events = new List<byte[]>();
        switch (Kind)
        {
            case FakeReplyKind.Body:
                events.Add(Body);
                break;
            case FakeReplyKind.Sse:
                events.AddRange(Chunks.Select(c => Encoding.UTF8.GetBytes("data: " + c + Framing)));
                break;
            case FakeReplyKind.SseRaw:
                events.AddRange(SplitAtBlankLines(Body));
                break;
            case FakeReplyKind.JsonArray:
                for (int i = 0; i < Chunks.Count; i++)
                {
                    string text = (i == 0 ? "[" : "\n,\r\n") + Chunks[i] + (i == Chunks.Count - 1 ? "\n]" : "");
                    events.Add(Encoding.UTF8.GetBytes(text));
                }

                if (Chunks.Count == 0)
                    events.Add("[]"u8.ToArray());
                break;
        }

        return events;
    }

    private static IEnumerable<byte[]> SplitAtBlankLines(byte[] body)
    {
        int start = 0;
        for (int i = 0; i < body.Length; i++)
        {
            int end = body.AsSpan(i).StartsWith("\r\n\r\n"u8) ? i + 4 : body.AsSpan(i).StartsWith("\n\n"u8) ? i + 2 : -1;
            if (end < 0)
                continue;
            yield return body[start..end];
            start = end;
            i = end - 1;
        }

        if (start < body.Length)
            yield return body[start..];
    }
}
