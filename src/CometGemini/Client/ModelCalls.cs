using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Client;

/// <summary>The model methods beyond generating: models.list, models.get and countTokens (docs/wire.md §8, §9).</summary>
internal static class ModelCalls
{
    // The API's largest page: one call lists every model today (the default page of 50 needs two).
    private const string PageSize = "pageSize=1000";

    /// <summary>Every model the endpoint lists, following nextPageToken to the last page.</summary>
    public static async Task<List<GeminiModel>> ListModelsAsync(this GeminiClient client, IClientLog log, CancellationToken cancellationToken)
    {
        var models = new List<GeminiModel>();
        var pages = new PageTokens("models");
        string? token = null;
        do
        {
            string query = token is null ? PageSize : PageSize + "&pageToken=" + Uri.EscapeDataString(token);
            ListModelsResponse answer = await client.SendJsonAsync(HttpMethod.Get, client.ApiUri("models", query), null, GeminiJsonContext.Default.ListModelsResponse, log, cancellationToken).ConfigureAwait(false);
            if (answer.Models is null && answer.ExtensionData is { Count: > 0 } other)
            {
                throw new GeminiException(GeminiFailure.Protocol, $"The answer to GET /v1beta/models is not Gemini's model list (its fields: {string.Join(", ", other.Keys)}).")
                {
                    StatusCode = 200,
                };
            }

            // A null entry in a list is no model (the other lists skip theirs the same way).
            models.AddRange((answer.Models ?? new List<GeminiModel>()).Where(m => m is not null));
            token = pages.Next(answer.NextPageToken);
        }
        while (token is not null);

        return models;
    }

    /// <summary>One model by id ("gemini-3-flash-preview", "models/…" or "tunedModels/…").</summary>
    public static Task<GeminiModel> GetModelAsync(this GeminiClient client, string name, IClientLog log, CancellationToken cancellationToken) =>
        client.SendJsonAsync(HttpMethod.Get, client.ApiUri(ModelNames.ResourceName(name)), null, GeminiJsonContext.Default.GeminiModel, log, cancellationToken);

    /// <summary>
    /// The tokens <paramref name="request"/> would take as a prompt, counted in the generateContentRequest form so its
    /// system instruction, tools and config count too (that form names the model inside as well as in the URL).
    /// </summary>
    public static Task<GeminiTokenCount> CountTokensAsync(this GeminiClient client, string model, GenerateContentRequest request, IClientLog log, CancellationToken cancellationToken)
    {
        GenerateContentRequest named = request.Clone();
        named.Model = ModelNames.ResourceName(model);
        byte[] body = GeminiClient.Serialize(new CountTokensRequest { GenerateContentRequest = named }, GeminiJsonContext.Default.CountTokensRequest, log);
        return client.SendJsonAsync(HttpMethod.Post, client.MethodUri(model, "countTokens"), body, GeminiJsonContext.Default.GeminiTokenCount, log, cancellationToken);
    }
}
