using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Client;

/// <summary>generateContent and streamGenerateContent of a model (docs/wire.md §4, §5, §6).</summary>
public sealed class GenerationClient
{
    private readonly GeminiClient _transport;

    internal GenerationClient(GeminiClient transport) => _transport = transport;

    /// <summary>One answer to <paramref name="request"/>, read whole under -MaxResponseSize.</summary>
    public Task<GenerateContentResponse> GenerateContentAsync(string model, GenerateContentRequest request, IClientLog log, CancellationToken cancellationToken) =>
        _transport.PostForAnswerAsync(_transport.MethodUri(model, "generateContent"), request, log, cancellationToken);

    /// <summary>
    /// Each SSE event as it arrives. Until the first event is in, a failure (an error status, or an error
    /// object as the first event) is retried like any HTTP error; once a chunk is out, never.
    /// </summary>
    public IAsyncEnumerable<GenerateContentResponse> StreamGenerateContentAsync(string model, GenerateContentRequest request, IClientLog log, CancellationToken cancellationToken) =>
        _transport.PostForEventsAsync(_transport.MethodUri(model, "streamGenerateContent", query: "alt=sse"), request, log, cancellationToken);
}
