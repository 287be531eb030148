using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using CometGemini.Client;

namespace CometGemini.Commands;

/// <summary>
/// Watches the model lifecycle: a model answered by another one (the endpoint routes a shut-down id), a model the
/// endpoint's list marks deprecated or retiring, and what to suggest when a model is gone. Each warning is given once
/// per session (runspace) and model, so a nightly run over 500 files says it once.
/// </summary>
internal static class ModelRadar
{
    private const int ShownLength = 200;

    private static readonly ConcurrentDictionary<string, bool> s_warned = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The warning for <paramref name="modelVersion"/> answering <paramref name="requested"/>, once per <paramref name="session"/>; null when it is the same model.</summary>
    public static string? Routed(Guid session, string requested, string? modelVersion)
    {
        if (CurrentModels.SameModel(requested, modelVersion))
            return null;
        string answered = Shown(ModelNames.Id(modelVersion!));
        if (!s_warned.TryAdd(session + "\nrouted\n" + requested + "\n" + answered, true))
            return null;
        return $"{requested} was answered by {answered} (the endpoint routes it; prices and behaviour differ). "
            + $"Pass -Model with the model you want, or set $env:{CurrentModels.ModelVariable}.";
    }

    /// <summary>The warning for a model its endpoint marks deprecated or retiring, once per <paramref name="session"/>; null otherwise.</summary>
    public static string? Deprecated(Guid session, GeminiModel? listed)
    {
        if (listed is null || !listed.IsDeprecated || !s_warned.TryAdd(session + "\nstatus\n" + listed.Name, true))
            return null;
        ModelStatus status = listed.ModelStatus!;
        string stage = string.IsNullOrEmpty(status.ModelStage) ? "deprecated" : Shown(status.ModelStage!);
        string retires = status.RetirementTime is { } when ? " (retires " + when.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + ")" : string.Empty;
        string message = string.IsNullOrEmpty(status.Message) ? "." : ": " + Shown(status.Message!.TrimEnd('.')) + ".";
        return $"The endpoint marks {listed.Name} {stage}{retires}{message} "
            + $"Choose a current model (Get-GeminiModel lists them) with -Model or $env:{CurrentModels.ModelVariable}.";
    }

    /// <summary>Models to suggest instead of a missing one: the endpoint's own current generating models when its list is in, else the built-in ones.</summary>
    public static IReadOnlyList<string> Suggestions(IReadOnlyList<GeminiModel>? listed, int count = 4)
    {
        if (listed is { Count: > 0 })
        {
            List<GeminiModel> current = listed.Where(m => m.CanGenerateContent && !m.IsDeprecated).ToList();
            // The module's own order first (its default leads), then whatever else the endpoint serves.
            IEnumerable<string> known = CurrentModels.Generating.Select(k => k.Id).Where(id => current.Any(m => string.Equals(m.Name, id, StringComparison.OrdinalIgnoreCase)));
            List<string> names = known.Concat(current.Select(m => m.Name)).Distinct(StringComparer.OrdinalIgnoreCase).Take(count).Select(Shown).ToList();
            if (names.Count > 0)
                return names;
        }

        return CurrentModels.Generating.Take(count).Select(m => m.Id).ToList();
    }

    /// <summary>What to do when the server says a model is not there (404, or a "not found / no longer available" message).</summary>
    public static string? NotFoundAdvice(GeminiException e, IReadOnlyList<GeminiModel>? listed)
    {
        bool gone = e.Failure == GeminiFailure.Http
            && (e.StatusCode == 404 && (e.ServerMessage is null || e.ServerMessage.IndexOf("model", StringComparison.OrdinalIgnoreCase) >= 0)
                || e.StatusCode is 400 or 404 or 410 && e.ServerMessage is { } said
                    && said.IndexOf("model", StringComparison.OrdinalIgnoreCase) >= 0
                    && (said.IndexOf("not found", StringComparison.OrdinalIgnoreCase) >= 0 || said.IndexOf("no longer available", StringComparison.OrdinalIgnoreCase) >= 0
                        || said.IndexOf("has been shut down", StringComparison.OrdinalIgnoreCase) >= 0 || said.IndexOf("does not exist", StringComparison.OrdinalIgnoreCase) >= 0));
        if (!gone)
            return null;
        string from = listed is { Count: > 0 } ? "the endpoint lists" : "this module knows";
        return $"The model may be shut down or misspelt. Current models {from}: {string.Join(", ", Suggestions(listed))}. "
            + $"Pass one as -Model, or set $env:{CurrentModels.ModelVariable} for every command; Get-GeminiModel lists what the endpoint serves.";
    }

    private static string Shown(string value) => DisplayText.Short(value, ShownLength);
}
