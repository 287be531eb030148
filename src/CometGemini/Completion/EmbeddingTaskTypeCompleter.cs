using System.Collections.Generic;

namespace CometGemini.Completion;

/// <summary>embedContent's taskType values (docs/wire.md §10); others are passed on for the server to judge.</summary>
public sealed class EmbeddingTaskTypeCompleter : ValueListCompleter
{
    internal static readonly string[] TaskTypes =
    {
        "RETRIEVAL_QUERY", "RETRIEVAL_DOCUMENT", "SEMANTIC_SIMILARITY", "CLASSIFICATION", "CLUSTERING",
        "QUESTION_ANSWERING", "FACT_VERIFICATION", "CODE_RETRIEVAL_QUERY",
    };

    protected override IEnumerable<string> Values => TaskTypes;
}
