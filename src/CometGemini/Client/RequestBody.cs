using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Tasks;

namespace CometGemini.Client;

/// <summary>
/// A request body that can be sent again (retries): JSON in which big inline data (a 15 MB image) is a placeholder,
/// the data's base64 streamed into the body in place of it while it is sent. So the payload is held once, as bytes,
/// instead of again as a base64 string and again as serialized JSON.
/// </summary>
internal sealed class RequestBody
{
    private const int EncodeBlock = 48 * 1024; // a multiple of 3: every block but the last encodes without padding

    private readonly byte[] _json;
    private readonly List<Splice> _splices;

    private RequestBody(byte[] json, List<Splice> splices)
    {
        _json = json;
        _splices = splices;
        long length = json.Length;
        foreach (Splice splice in splices)
            length += Base64Length(splice.Data.Length) - (splice.End - splice.Start);
        Length = length;
    }

    /// <summary>Bytes on the wire.</summary>
    public long Length { get; }

    public static RequestBody FromJson(byte[] json) => new(json, new List<Splice>());

    public static RequestBody Serialize<T>(T value, JsonTypeInfo<T> type)
    {
        var deferred = new List<byte[]>();
        string tag = Guid.NewGuid().ToString("N");
        byte[] json;
        using (BlobConverter.DeferLargeData(deferred, tag))
            json = JsonSerializer.SerializeToUtf8Bytes(value, type);

        var splices = new List<Splice>(deferred.Count);
        int from = 0;
        for (int i = 0; i < deferred.Count; i++)
        {
            byte[] placeholder = Encoding.ASCII.GetBytes(BlobConverter.Placeholder(tag, i));
            int at = json.AsSpan(from).IndexOf(placeholder);
            if (at < 0)
                throw new InvalidOperationException("A deferred blob's placeholder is missing from the serialized request.");
            splices.Add(new Splice(from + at, from + at + placeholder.Length, deferred[i]));
            from += at + placeholder.Length;
        }

        return new RequestBody(json, splices);
    }

    public HttpContent CreateContent() => _splices.Count == 0 ? new ByteArrayContent(_json) : new SplicedContent(this);

    /// <summary>The body as text for -Debug, up to <paramref name="max"/> characters; deferred data is described, not shown.</summary>
    public string ToDebugText(int max)
    {
        var text = new StringBuilder();
        int from = 0;
        foreach (Splice splice in _splices)
        {
            text.Append(Encoding.UTF8.GetString(_json, from, Math.Min(splice.Start - from, max * 4)));
            text.Append('<').Append(splice.Data.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).Append(" bytes as base64>");
            from = splice.End;
            if (text.Length > max)
                break;
        }

        if (text.Length <= max)
            text.Append(Encoding.UTF8.GetString(_json, from, Math.Min(_json.Length - from, max * 4)));
        return text.Length > max ? text.ToString(0, max) + $"… ({Length:N0} bytes in all)" : text.ToString();
    }

    private static long Base64Length(long bytes) => (bytes + 2) / 3 * 4;

    private async Task WriteToAsync(Stream stream)
    {
        int from = 0;
        byte[] encoded = new byte[EncodeBlock / 3 * 4];
        foreach (Splice splice in _splices)
        {
            await stream.WriteAsync(_json, from, splice.Start - from).ConfigureAwait(false);
            for (int offset = 0; offset < splice.Data.Length; offset += EncodeBlock)
            {
                int count = Math.Min(EncodeBlock, splice.Data.Length - offset);
                Base64.EncodeToUtf8(splice.Data.AsSpan(offset, count), encoded, out _, out int written, isFinalBlock: true);
                await stream.WriteAsync(encoded, 0, written).ConfigureAwait(false);
            }

            from = splice.End;
        }

        await stream.WriteAsync(_json, from, _json.Length - from).ConfigureAwait(false);
    }

    /// <summary>Where a placeholder's text (inside its quotes) is, and the data that replaces it.</summary>
    private readonly struct Splice
    {
        public Splice(int start, int end, byte[] data)
        {
            Start = start;
            End = end;
            Data = data;
        }

        public int Start { get; }

        public int End { get; }

        public byte[] Data { get; }
    }

    private sealed class SplicedContent : HttpContent
    {
        private readonly RequestBody _body;

        public SplicedContent(RequestBody body) => _body = body;

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _body.WriteToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return true;
        }
    }
}
