using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using CometGemini.Client;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>Each resource client sends its calls to its own paths, over the one transport (no runspace).</summary>
public sealed class ResourceClientTests
{
    private const string Model = "gemini-2.5-flash";

    [Fact]
    public async Task Generation_posts_generateContent_and_streamGenerateContent_of_the_model()
    {
        Assert.Equal("POST /v1beta/models/gemini-2.5-flash:generateContent", await CallAsync(null, c => c.Generation.GenerateContentAsync(Model, Fuzz.Request(), new RecordingLog(), CancellationToken.None)));
        Assert.Equal("POST /v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", await CallAsync(null, async c =>
        {
            await foreach (GenerateContentResponse _ in c.Generation.StreamGenerateContentAsync(Model, Fuzz.Request(), new RecordingLog(), CancellationToken.None))
            {
            }
        }));
    }

    [Fact]
    public async Task Models_and_Tokens_call_models_list_get_and_countTokens()
    {
        Assert.Equal("GET /v1beta/models?pageSize=1000", await CallAsync("""{"models":[]}""", c => c.Models.ListAsync(new RecordingLog(), CancellationToken.None)));
        Assert.Equal("GET /v1beta/models/gemini-2.5-flash", await CallAsync("""{"name":"models/gemini-2.5-flash"}""", c => c.Models.GetAsync(Model, new RecordingLog(), CancellationToken.None)));
        Assert.Equal("GET /v1beta/tunedModels/mine", await CallAsync("""{"name":"tunedModels/mine"}""", c => c.Models.GetAsync("tunedModels/mine", new RecordingLog(), CancellationToken.None)));
        Assert.Equal("POST /v1beta/models/gemini-2.5-flash:countTokens", await CallAsync("""{"totalTokens":3}""", c => c.Tokens.CountAsync(Model, Fuzz.Request(), new RecordingLog(), CancellationToken.None)));
    }

    [Fact]
    public async Task Embeddings_post_embedContent_and_batchEmbedContents_of_the_model()
    {
        var request = new EmbedContentRequest { Content = new Content { Parts = new List<Part> { new() { Text = "x" } } } };
        Assert.Equal("POST /v1beta/models/gemini-embedding-001:embedContent", await CallAsync("""{"embedding":{"values":[1]}}""",
            c => c.Embeddings.EmbedAsync("gemini-embedding-001", request, new RecordingLog(), CancellationToken.None)));
        Assert.Equal("POST /v1beta/models/gemini-embedding-001:batchEmbedContents", await CallAsync("""{"embeddings":[{"values":[1]}]}""",
            c => c.Embeddings.BatchEmbedAsync("gemini-embedding-001", new BatchEmbedContentsRequest { Requests = new List<EmbedContentRequest> { request } }, new RecordingLog(), CancellationToken.None)));
    }

    [Fact]
    public async Task Caches_call_cachedContents_by_name_with_or_without_its_prefix()
    {
        const string Cache = """{"name":"cachedContents/abc"}""";
        Assert.Equal("POST /v1beta/cachedContents", await CallAsync(Cache, c => c.Caches.CreateAsync(new GeminiCache { Model = "models/" + Model }, new RecordingLog(), CancellationToken.None)));
        Assert.Equal("GET /v1beta/cachedContents/abc", await CallAsync(Cache, c => c.Caches.GetAsync("abc", new RecordingLog(), CancellationToken.None)));
        Assert.Equal("GET /v1beta/cachedContents/abc", await CallAsync(Cache, c => c.Caches.GetAsync("cachedContents/abc", new RecordingLog(), CancellationToken.None)));
        Assert.Equal("GET /v1beta/cachedContents", await CallAsync("""{"cachedContents":[]}""", async c =>
        {
            await foreach (GeminiCache _ in c.Caches.ListAsync(new RecordingLog(), CancellationToken.None))
            {
            }
        }));
        Assert.Equal("PATCH /v1beta/cachedContents/abc?updateMask=ttl", await CallAsync(Cache, c => c.Caches.UpdateExpiryAsync("abc", new GeminiCache { Ttl = "60s" }, new RecordingLog(), CancellationToken.None)));
        Assert.Equal("PATCH /v1beta/cachedContents/abc?updateMask=expireTime", await CallAsync(Cache, c => c.Caches.UpdateExpiryAsync("abc", new GeminiCache { ExpireTime = DateTimeOffset.UtcNow.AddHours(1) }, new RecordingLog(), CancellationToken.None)));
        Assert.Equal("DELETE /v1beta/cachedContents/abc", await CallAsync("{}", c => c.Caches.DeleteAsync("abc", new RecordingLog(), CancellationToken.None)));
        Assert.True(CachesClient.IsValidName("cachedContents/abc-1_2"));
        Assert.False(CachesClient.IsValidName("../models/x"));
    }

    [Fact]
    public async Task Batches_call_batches_by_name_with_or_without_its_prefix()
    {
        const string Job = """{"name":"batches/abc"}""";
        Assert.Equal("POST /v1beta/models/gemini-2.5-flash:batchGenerateContent", await CallAsync(Job, c => c.Batches.CreateAsync(Model, "{}"u8.ToArray(), new RecordingLog(), CancellationToken.None)));
        Assert.Equal("GET /v1beta/batches/abc", await CallAsync(Job, c => c.Batches.GetAsync("abc", new RecordingLog(), CancellationToken.None)));
        Assert.Equal("GET /v1beta/batches?pageSize=10&pageToken=a%2Fb", await CallAsync("""{"operations":[]}""", c => c.Batches.ListPageAsync(10, "a/b", new RecordingLog(), CancellationToken.None)));
        Assert.Equal("POST /v1beta/batches/abc:cancel", await CallAsync("{}", c => c.Batches.CancelAsync("batches/abc", new RecordingLog(), CancellationToken.None)));
        Assert.Equal("DELETE /v1beta/batches/abc", await CallAsync("{}", c => c.Batches.DeleteAsync("abc", new RecordingLog(), CancellationToken.None)));
        Assert.True(BatchesClient.IsValidName("batches/abc"));
        Assert.False(BatchesClient.IsValidName("batches/../x"));
    }

    [Fact]
    public async Task Files_upload_to_the_upload_path_and_download_from_the_download_path()
    {
        using var server = FakeGeminiServer.Start();
        using var client = new GeminiClient(new GeminiEndpoint(server.BaseUri, Fuzz.Key()) { MaxRetries = 0, Timeout = TimeSpan.FromSeconds(30) });
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{\"key\":\"1\",\"request\":{}}\n");
            string name = (await client.Files.UploadAsync(path, "application/jsonl", "requests", new RecordingLog(), CancellationToken.None)).Name!;
            Assert.StartsWith("files/", name, StringComparison.Ordinal);
            Assert.Equal("POST /upload/v1beta/files", server.Requests[0].Method + " " + server.Requests[0].PathAndQuery);
        }
        finally
        {
            File.Delete(path);
        }

        server.ClearRequests();
        server.Enqueue(FakeReply.Raw(200, "application/jsonl", "{\"key\":\"1\"}\n"));
        await foreach (BatchResult _ in client.Files.DownloadJsonLinesAsync("files/r", GeminiJsonContext.Default.BatchResult, _ => { }, new RecordingLog(), CancellationToken.None))
        {
        }

        Assert.Equal("GET /download/v1beta/files/r:download?alt=media", server.Requests[0].Method + " " + server.Requests[0].PathAndQuery);
    }

    /// <summary>The method and path of the one request <paramref name="call"/> sends (<paramref name="reply"/> answers it; null: the fake's own answer).</summary>
    private static async Task<string> CallAsync(string? reply, Func<GeminiClient, Task> call)
    {
        using var server = FakeGeminiServer.Start();
        if (reply is not null)
            server.Enqueue(FakeReply.Json(200, reply));
        using var client = new GeminiClient(new GeminiEndpoint(server.BaseUri, Fuzz.Key()) { MaxRetries = 0, Timeout = TimeSpan.FromSeconds(30) });
        await call(client);
        RecordedRequest request = Assert.Single(server.Requests);
        return request.Method + " " + request.PathAndQuery;
    }
}
