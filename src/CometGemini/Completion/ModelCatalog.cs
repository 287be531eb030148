using System;
using System.Collections.Generic;
using System.Linq;
using CometGemini.Client;

namespace CometGemini.Completion;

/// <summary>
/// The model list of each endpoint, fetched once per process on the first Tab (or kept from Get-GeminiModel), so that
/// completion shows what the endpoint really serves; until it is in, or when it fails (offline, a bad key, no list at
/// CometAPI), the caller falls back to the ids known when this version was built.
/// </summary>
internal static class ModelCatalog
{
    // Models change seldom: a list that came in serves the whole session.
    private static readonly EndpointList<GeminiModel> s_lists = new(
        async (client, token) =>
        {
            IReadOnlyList<GeminiModel> models = await client.Models.ListAsync(SilentLog.Instance, token).ConfigureAwait(false);
            return models.Count > 0 ? models : null;
        },
        keep: TimeSpan.MaxValue);

    /// <summary>The models of <paramref name="endpoint"/>, or null when the list is not (yet) at hand.</summary>
    public static IReadOnlyList<GeminiModel>? TryGet(GeminiEndpoint endpoint) => s_lists.TryGet(endpoint);

    /// <summary>The models of <paramref name="endpoint"/> when a list is already in (from Tab, Get-GeminiModel or Test-GeminiModelReference); never fetches.</summary>
    public static IReadOnlyList<GeminiModel>? Peek(GeminiEndpoint endpoint) => s_lists.Peek(endpoint);

    /// <summary>The endpoint's entry for <paramref name="model"/> when its list is in, else null.</summary>
    public static GeminiModel? PeekModel(GeminiEndpoint endpoint, string model)
    {
        string id = ModelNames.Id(model);
        return Peek(endpoint)?.FirstOrDefault(m => string.Equals(m.Name, id, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Keeps a list fetched by Get-GeminiModel, so Tab needs no call of its own.</summary>
    public static void Remember(GeminiEndpoint endpoint, IReadOnlyList<GeminiModel> models) => s_lists.Remember(endpoint, models);
}
