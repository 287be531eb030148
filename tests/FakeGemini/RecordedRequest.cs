using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace FakeGemini;

/// <summary>One request as the server received it. <see cref="Headers"/> is case-insensitive.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    private readonly object _gate = new();
    private JsonDocument? _json;
    private bool _parsed;

    // A copy made with `with` parses its own body again.
    private RecordedRequest(RecordedRequest original)
    {
        _gate = new object();
        Method = original.Method;
        PathAndQuery = original.PathAndQuery;
        Headers = original.Headers;
        Body = original.Body;
        ConnectionId = original.ConnectionId;
        ReceivedUtc = original.ReceivedUtc;
    }

    /// <summary>The body decoded as UTF-8.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The body parsed as JSON, or null when it is empty or not JSON. Parsed once; do not dispose.</summary>
    public JsonDocument? Json
    {
        get
        {
            lock (_gate)
            {
                if (!_parsed)
                {
                    _json = TryParse(Body);
                    _parsed = true;
                }

                return _json;
            }
        }
    }

    /// <summary>The path without the query string.</summary>
    public string Path => PathAndQuery.Split('?', 2)[0];

    /// <summary>Which connection carried the request (1, 2, …), to check connection reuse.</summary>
    public int ConnectionId { get; init; }

    /// <summary>When the request had been read completely.</summary>
    public DateTime ReceivedUtc { get; init; }

    /// <summary>A query parameter's decoded value, or null.</summary>
    public string? Query(string name)
    {
        int mark = PathAndQuery.IndexOf('?');
        if (mark < 0)
            return null;
        foreach (string pair in PathAndQuery.Substring(mark + 1).Split('&'))
        {
            string[] kv = pair.Split('=', 2);
            if (Uri.UnescapeDataString(kv[0].Replace('+', ' ')) == name)
                return kv.Length == 2 ? Uri.UnescapeDataString(kv[1].Replace('+', ' ')) : "";
        }

        return null;
    }

    public override string ToString() => $"{Method} {PathAndQuery} ({Body.Length} bytes)";

    private static JsonDocument? TryParse(byte[] body)
    {
        if (body.Length == 0)
            return null;
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
