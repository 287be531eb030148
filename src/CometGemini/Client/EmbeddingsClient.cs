using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Client;

/// <summary>embedContent and batchEmbedContents of a model (docs/wire.md §10).</summary>
public sealed class EmbeddingsClient
{
    private readonly GeminiClient _transport;

    internal EmbeddingsClient(GeminiClient transport) => _transport = transport;

    /// <summary>One input's embedding.</summary>
    internal Task<EmbedContentResponse> EmbedAsync(string model, EmbedContentRequest request, IClientLog log, CancellationToken cancellationToken)
    {
        byte[] body = GeminiClient.Serialize(request, GeminiJsonContext.Default.EmbedContentRequest, log);
        return _transport.SendJsonAsync(HttpMethod.Post, _transport.MethodUri(model, "embedContent"), body, GeminiJsonContext.Default.EmbedContentResponse, log, cancellationToken);
    }

    /// <summary>The embeddings of up to 100 inputs in one call, in their order.</summary>
    internal Task<BatchEmbedContentsResponse> BatchEmbedAsync(string model, BatchEmbedContentsRequest request, IClientLog log, CancellationToken cancellationToken)
    {
        byte[] body = GeminiClient.Serialize(request, GeminiJsonContext.Default.BatchEmbedContentsRequest, log);
        return _transport.SendJsonAsync(HttpMethod.Post, _transport.MethodUri(model, "batchEmbedContents"), body, GeminiJsonContext.Default.BatchEmbedContentsResponse, log, cancellationToken);
    }
}
