using System;

namespace CometGemini.Client;

/// <summary>
/// The two spellings of a model: the id a user types and output shows ("gemini-3-flash-preview"), and the resource name
/// the wire carries ("models/gemini-3-flash-preview"). Tuned models ("tunedModels/…") are the same in both.
/// </summary>
internal static class ModelNames
{
    private const string Prefix = "models/";

    /// <summary>"models/gemini-3-flash-preview" → "gemini-3-flash-preview"; anything else (an id, "tunedModels/…") as it is.</summary>
    public static string Id(string model) =>
        model.StartsWith(Prefix, StringComparison.Ordinal) ? model.Substring(Prefix.Length) : model;

    /// <summary>"gemini-3-flash-preview" → "models/gemini-3-flash-preview"; a name that already has a collection ("models/…", "tunedModels/…") as it is.</summary>
    public static string ResourceName(string model) =>
        model.IndexOf('/') >= 0 ? model : Prefix + model;
}
