using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using CometGemini.Client;

namespace CometGemini;

/// <summary>
/// The one place that names models: the default, the ids Tab offers when the endpoint lists none, and what their
/// documentation says they take for thinking. Sources, dates and the reason for the default: docs/model-lifecycle.md.
/// Only current ids belong here; a retired id lives on in the lifecycle notes, not in the code.
/// </summary>
internal static class CurrentModels
{
    /// <summary>The model when neither -Model, a chat, Connect-Gemini -Model nor $env:COMETGEMINI_MODEL names one.</summary>
    public const string DefaultModel = "gemini-3-flash-preview";

    /// <summary>The embedding model when -Model is not given (kept: a new default would change every stored vector).</summary>
    public const string DefaultEmbeddingModel = "gemini-embedding-001";

    /// <summary>The environment variable that names the default model without code.</summary>
    public const string ModelVariable = "COMETGEMINI_MODEL";

    private static readonly string[] LowMediumHigh = { "Low", "Medium", "High" };
    private static readonly string[] MinimalToHigh = { "Minimal", "Low", "Medium", "High" };

    /// <summary>Models that generate, in the order Tab offers them; thinking levels where their model card names them.</summary>
    public static readonly IReadOnlyList<KnownModel> Generating = new[]
    {
        new KnownModel("gemini-3-flash-preview", MinimalToHigh),
        new KnownModel("gemini-3.8-flash", LowMediumHigh),
        new KnownModel("gemini-3.6-flash", null),
        new KnownModel("gemini-3.5-flash-lite", null),
        new KnownModel("gemini-3.1-flash-lite", null),
        new KnownModel("gemini-3.1-pro-preview", LowMediumHigh),
        new KnownModel("gemini-2.5-flash-lite", null), // not deprecated; the one current model that takes -ThinkingBudget
        new KnownModel("gemini-flash-latest", null),
        new KnownModel("gemini-flash-lite-latest", null),
        new KnownModel("gemini-3-pro-image", null),
        new KnownModel("gemini-nano-banana-2.1", null),
        new KnownModel("gemini-3.1-flash-lite-image", null),
        new KnownModel("gemini-3.8-flash-tts", null),
        new KnownModel("gemini-3.8-flash-lite-tts", null),
    };

    public static readonly IReadOnlyList<string> Embedding = new[] { "gemini-embedding-001", "gemini-embedding-2" };

    // What may follow a model id in the modelVersion that answers it and still be the same model:
    // "-001", "-12-2025", "-preview-09-2025", "-latest".
    private static readonly Regex VersionSuffix = new(
        @"^(-(\d+|preview|exp|experimental|latest|v\d+))+$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>The model the environment names ($env:COMETGEMINI_MODEL), or null.</summary>
    public static string? FromEnvironment() =>
        Environment.GetEnvironmentVariable(ModelVariable) is { } value && value.Trim().Length > 0 ? value.Trim() : null;

    /// <summary>What this module knows of <paramref name="model"/> from its documentation, or null.</summary>
    public static KnownModel? Find(string model)
    {
        string id = ModelNames.Id(model);
        return Generating.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// True when <paramref name="answered"/> (a response's modelVersion) is <paramref name="requested"/> itself, or it
    /// with a version suffix; false when another model answered. Tuned models and empty values are never a change.
    /// </summary>
    public static bool SameModel(string requested, string? answered)
    {
        if (string.IsNullOrEmpty(answered) || requested.IndexOf('/') >= 0 && !requested.StartsWith("models/", StringComparison.Ordinal))
            return true;
        string want = ModelNames.Id(requested);
        string got = ModelNames.Id(answered!);
        if (string.Equals(want, got, StringComparison.OrdinalIgnoreCase))
            return true;
        return got.StartsWith(want, StringComparison.OrdinalIgnoreCase) && VersionSuffix.IsMatch(got.Substring(want.Length))
            || want.StartsWith(got, StringComparison.OrdinalIgnoreCase) && VersionSuffix.IsMatch(want.Substring(got.Length));
    }
}

/// <summary>A model this module knows by its documentation.</summary>
internal sealed class KnownModel
{
    public KnownModel(string id, string[]? thinkingLevels)
    {
        Id = id;
        ThinkingLevels = thinkingLevels;
    }

    public string Id { get; }

    /// <summary>The thinking levels its model card names; null when the card names none (then the server decides).</summary>
    public IReadOnlyList<string>? ThinkingLevels { get; }
}
