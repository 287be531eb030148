using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Bench;

/// <summary>
/// The floor: what any client must do for the same call. A bare HttpClient posting the same body with the same
/// key header, and System.Text.Json reading the answer (JsonDocument, then the text), nothing else.
/// </summary>
internal sealed class Floor : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly string _apiKey;

    public Floor(string apiKey) => _apiKey = apiKey;

    public async Task<string> GenerateAsync(Uri uri, byte[] body)
    {
        using HttpRequestMessage request = Request(uri, body);
        using HttpResponseMessage response = await _http.SendAsync(request).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        byte[] answer = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        using JsonDocument json = JsonDocument.Parse(answer);
        return Text(json.RootElement);
    }

    /// <summary>Reads an SSE stream line by line; <paramref name="onChunk"/> gets each chunk's text the moment it is parsed.</summary>
    public async Task StreamAsync(Uri uri, byte[] body, Action<string> onChunk)
    {
        using HttpRequestMessage request = Request(uri, body);
        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync().ConfigureAwait(false));
        while (await reader.ReadLineAsync().ConfigureAwait(false) is string line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
                continue;
            using JsonDocument json = JsonDocument.Parse(line.AsMemory(5));
            onChunk(Text(json.RootElement));
        }
    }

    public void Dispose() => _http.Dispose();

    private static string Text(JsonElement root) =>
        root.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString() ?? string.Empty;

    private HttpRequestMessage Request(Uri uri, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("x-goog-api-key", _apiKey);
        return request;
    }
}
