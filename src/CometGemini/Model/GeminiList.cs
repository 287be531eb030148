using System.Collections.Generic;
using System.Linq;

namespace CometGemini;

/// <summary>
/// A list of answer parts that reads as text wherever PowerShell turns a property into a string:
/// Export-Csv and ConvertTo-Csv call the value's ToString(), which for List&lt;T&gt; or T[] is a type name.
/// </summary>
public sealed class GeminiList<T> : List<T>
{
    public GeminiList()
    {
    }

    public GeminiList(IEnumerable<T> items)
        : base(items)
    {
    }

    /// <summary>As on the arrays these properties were: scripts that read .Length keep working.</summary>
    public int Length => Count;

    /// <summary>The items' own text, one after another.</summary>
    public override string ToString() => string.Join("; ", this.Where(item => item is not null).Select(item => item!.ToString()));
}

internal static class GeminiListExtensions
{
    public static GeminiList<T> ToGeminiList<T>(this IEnumerable<T>? items) => items is null ? new GeminiList<T>() : new GeminiList<T>(items);
}
