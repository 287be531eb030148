using System.Text;

namespace CometGemini.Commands;

/// <summary>Spellings of names between PowerShell habits and the wire.</summary>
internal static class WireNames
{
    /// <summary>"DangerousContent", "dangerous-content" or "DANGEROUS_CONTENT" → "DANGEROUS_CONTENT".</summary>
    public static string UpperSnake(string name)
    {
        var result = new StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c is '-' or ' ' or '_')
            {
                if (result.Length > 0 && result[result.Length - 1] != '_')
                    result.Append('_');
                continue;
            }

            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])) && result[result.Length - 1] != '_')
                result.Append('_');
            result.Append(char.ToUpperInvariant(c));
        }

        return result.ToString().Trim('_');
    }

    /// <summary>"MaxOutputTokens" or "max_output_tokens" → "maxOutputTokens" (the wire's camelCase).</summary>
    public static string LowerCamel(string name)
    {
        var result = new StringBuilder(name.Length);
        bool upperNext = false;
        foreach (char c in name)
        {
            if (c == '_')
            {
                upperNext = result.Length > 0;
                continue;
            }

            result.Append(result.Length == 0 ? char.ToLowerInvariant(c) : upperNext ? char.ToUpperInvariant(c) : c);
            upperNext = false;
        }

        return result.ToString();
    }
}
