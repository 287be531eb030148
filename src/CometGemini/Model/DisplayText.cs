using System;

namespace CometGemini;

/// <summary>Text from outside (a prompt, a file name, the server) made fit for one line of a message.</summary>
internal static class DisplayText
{
    /// <summary>
    /// <paramref name="text"/> on one line: runs of white space as one space, cut after <paramref name="max"/> characters
    /// (never inside a surrogate pair) with "…", and every character that could move a terminal's cursor made visible.
    /// </summary>
    public static string Short(string text, int max)
    {
        string line = string.Join(" ", text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (line.Length > max)
            line = line.Substring(0, char.IsHighSurrogate(line[max - 1]) ? max - 1 : max) + "…";
        return FunctionCall.Visible(line);
    }
}
