using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Client;

/// <summary>countTokens of a model (docs/wire.md §8).</summary>
public sealed class TokensClient
{
    private readonly GeminiClient _transport;

    internal TokensClient(GeminiClient transport) => _transport = transport;

    /// <summary>
    /// The tokens <paramref name="request"/> would take as a prompt, counted in the generateContentRequest form so its
    /// system instruction, tools and config count too (that form names the model inside as well as in the URL).
    /// </summary>
    internal Task<GeminiTokenCount> CountAsync(string model, GenerateContentRequest request, IClientLog log, CancellationToken cancellationToken)
    {
        GenerateContentRequest named = request.Clone();
        named.Model = ModelNames.ResourceName(model);
        byte[] body = GeminiClient.Serialize(new CountTokensRequest { GenerateContentRequest = named }, GeminiJsonContext.Default.CountTokensRequest, log);
        return _transport.SendJsonAsync(HttpMethod.Post, _transport.MethodUri(model, "countTokens"), body, GeminiJsonContext.Default.GeminiTokenCount, log, cancellationToken);
    }
}
