using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CometGemini.Client;

namespace CometGemini.Completion;

/// <summary>
/// Completes model ids from the endpoint's own list (ModelCatalog: fetched once, in the background, on the first Tab),
/// else from the ids known when this version was built. Any other id is accepted.
/// </summary>
public sealed class ModelNameCompleter : IArgumentCompleter
{
    internal static IEnumerable<string> KnownModels => CurrentModels.Generating.Select(m => m.Id);

    internal static IEnumerable<string> KnownEmbeddingModels => CurrentModels.Embedding;

    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
        typed = ModelNames.Id(typed);

        string method = MethodFor(commandName);
        IReadOnlyList<GeminiModel>? listed = CompletionEndpoint.From(commandName, fakeBoundParameters) is GeminiEndpoint endpoint ? ModelCatalog.TryGet(endpoint) : null;
        if (listed is null)
        {
            IEnumerable<string> known = method == "embedContent" ? KnownEmbeddingModels : method.Length == 0 ? KnownModels.Concat(KnownEmbeddingModels) : KnownModels;
            return known
                .Where(m => m.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(m => new CompletionResult(m, m, CompletionResultType.ParameterValue, m));
        }

        return listed
            .Where(m => m.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Where(m => method.Length == 0 || m.SupportedGenerationMethods.Count == 0 || m.Supports(method))
            .Select(m => new CompletionResult(ValueListCompleter.Quote(m.Name), m.Name, CompletionResultType.ParameterValue, ToolTip(m)));
    }

    // -Model of a generating command lists the models that generate; Get-GeminiModel lists all.
    private static string MethodFor(string? commandName) =>
        commandName is null || commandName.EndsWith("-GeminiModel", StringComparison.OrdinalIgnoreCase) ? string.Empty
        : commandName.IndexOf("Embedding", StringComparison.OrdinalIgnoreCase) >= 0 ? "embedContent"
        : "generateContent";

    private static string ToolTip(GeminiModel model)
    {
        string limits = model.InputTokenLimit is int input
            ? string.Format(CultureInfo.InvariantCulture, ": {0:N0} tokens in, {1:N0} out", input, model.OutputTokenLimit ?? 0)
            : string.Empty;
        return (model.DisplayName ?? model.Name) + limits + (model.Thinking ? ", thinks" : string.Empty);
    }
}
