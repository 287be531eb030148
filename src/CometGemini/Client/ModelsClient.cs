using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace CometGemini.Client;

/// <summary>models.list and models.get (docs/wire.md §9).</summary>
public sealed class ModelsClient
{
    /// <summary>The list call as a message names it ("GET /v1beta/models answered 404").</summary>
    internal const string ListCall = "GET /v1beta/models";

    // The API's largest page: one call lists every model today (the default page of 50 needs two).
    private const string PageSize = "pageSize=1000";

    private readonly GeminiClient _transport;

    internal ModelsClient(GeminiClient transport) => _transport = transport;

    /// <summary>Every model the endpoint lists, following nextPageToken to the last page.</summary>
    internal async Task<List<GeminiModel>> ListAsync(IClientLog log, CancellationToken cancellationToken)
    {
        var models = new List<GeminiModel>();
        var pages = new PageTokens("models");
        string? token = null;
        do
        {
            string query = token is null ? PageSize : PageSize + "&pageToken=" + Uri.EscapeDataString(token);
            ListModelsResponse answer = await _transport.SendJsonAsync(HttpMethod.Get, _transport.ApiUri("models", query), null, GeminiJsonContext.Default.ListModelsResponse, log, cancellationToken).ConfigureAwait(false);
            if (answer.Models is null && answer.ExtensionData is { Count: > 0 } other)
            {
                throw new GeminiException(GeminiFailure.Protocol, $"The answer to {ListCall} is not Gemini's model list (its fields: {string.Join(", ", other.Keys)}).")
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
    internal Task<GeminiModel> GetAsync(string name, IClientLog log, CancellationToken cancellationToken) =>
        _transport.SendJsonAsync(HttpMethod.Get, _transport.ApiUri(ModelNames.ResourceName(name)), null, GeminiJsonContext.Default.GeminiModel, log, cancellationToken);
}
