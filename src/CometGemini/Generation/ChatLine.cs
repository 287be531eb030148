using System;

namespace CometGemini.Generation;

/// <summary>What a line typed into Enter-GeminiChat asks for.</summary>
internal enum ChatLineKind
{
    /// <summary>Text for the model (a line starting with "//" is sent with one "/" less).</summary>
    Message,

    /// <summary>An empty or blank line: nothing is sent.</summary>
    Empty,
    Exit,
    Save,
    Model,
    Clear,
    Retry,
    Help,

    /// <summary>A slash command the chat does not know; <see cref="ChatLine.Text"/> is its name.</summary>
    Unknown,

    /// <summary>A known command without the argument it needs; <see cref="ChatLine.Text"/> says what to type.</summary>
    MissingArgument,
}

/// <summary>One line typed into Enter-GeminiChat: a message or a slash command with its argument.</summary>
internal sealed record ChatLine(ChatLineKind Kind, string Text)
{
    /// <summary>The text /help shows.</summary>
    public const string Help =
        "/exit           leave the chat (so do Ctrl+C at this prompt and the end of a redirected input)\n"
        + "/save <file>    save the chat as Export-GeminiChat does (Import-GeminiChat reads it back)\n"
        + "/model <id>     ask another model from the next message on\n"
        + "/clear          forget the conversation so far (the options stay)\n"
        + "/retry          ask the last question again, replacing its answer\n"
        + "/help           this list\n"
        + "Ctrl+C stops an answer as it is written; what came so far is kept. Start a message with // to send a leading /.";

    /// <summary>Reads <paramref name="line"/>: a slash command (case-insensitive name, the rest of the line its argument) or a message.</summary>
    public static ChatLine Parse(string line)
    {
        string trimmed = line.Trim();
        if (trimmed.Length == 0)
            return new ChatLine(ChatLineKind.Empty, string.Empty);
        if (trimmed.StartsWith("//", StringComparison.Ordinal))
            return new ChatLine(ChatLineKind.Message, trimmed.Substring(1));
        if (!trimmed.StartsWith("/", StringComparison.Ordinal))
            return new ChatLine(ChatLineKind.Message, line.TrimEnd('\r', '\n'));

        int space = trimmed.IndexOfAny(new[] { ' ', '\t' });
        string name = space < 0 ? trimmed : trimmed.Substring(0, space);
        string argument = space < 0 ? string.Empty : trimmed.Substring(space + 1).Trim();
        switch (name.ToLowerInvariant())
        {
            case "/exit":
            case "/quit":
                return new ChatLine(ChatLineKind.Exit, string.Empty);
            case "/clear":
                return new ChatLine(ChatLineKind.Clear, string.Empty);
            case "/retry":
                return new ChatLine(ChatLineKind.Retry, string.Empty);
            case "/help":
            case "/?":
                return new ChatLine(ChatLineKind.Help, string.Empty);
            case "/save":
                return argument.Length == 0
                    ? new ChatLine(ChatLineKind.MissingArgument, "/save needs a file name: /save ./chat.json")
                    : new ChatLine(ChatLineKind.Save, Unquote(argument));
            case "/model":
                return argument.Length == 0
                    ? new ChatLine(ChatLineKind.MissingArgument, "/model needs a model id: /model gemini-3.8-flash")
                    : new ChatLine(ChatLineKind.Model, Unquote(argument));
            default:
                return new ChatLine(ChatLineKind.Unknown, name);
        }
    }

    // A path with spaces may be typed in quotes, as at the PowerShell prompt.
    private static string Unquote(string argument) =>
        argument.Length >= 2 && (argument[0] is '"' or '\'') && argument[argument.Length - 1] == argument[0]
            ? argument.Substring(1, argument.Length - 2)
            : argument;
}
