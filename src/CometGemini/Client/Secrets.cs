using System;
using System.Runtime.InteropServices;
using System.Security;

namespace CometGemini.Client;

internal static class Secrets
{
    public const string Mask = "***";

    /// <summary>The secret as a string, for the moment it takes to use it (a header value, a redaction).</summary>
    public static string Reveal(SecureString secret)
    {
        IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
        try
        {
            return Marshal.PtrToStringUni(pointer) ?? string.Empty;
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }

    /// <summary>The shortest piece of a key that is masked on its own: what a cut (the 300-character limit) leaves of it.</summary>
    public const int MinPiece = 8;

    /// <summary>A failure whose text carries the key (a server echoing it back), whole or cut short, loses it here.</summary>
    public static GeminiException Redact(GeminiException e, SecureString key)
    {
        string secret = Reveal(key);
        string message = Redact(e.Message, secret);
        string? serverMessage = e.ServerMessage is null ? null : Redact(e.ServerMessage, secret);
        if (ReferenceEquals(message, e.Message) && ReferenceEquals(serverMessage, e.ServerMessage))
            return e;
        return new GeminiException(e.Failure, message)
        {
            StatusCode = e.StatusCode,
            Status = e.Status,
            ErrorCode = e.ErrorCode,
            ServerMessage = serverMessage,
            Reason = e.Reason,
            RetryAfter = e.RetryAfter,
            Attempts = e.Attempts,
            PartialChunks = e.PartialChunks,
        };
    }

    /// <summary>
    /// The text without the secret: every occurrence, and every run of <see cref="MinPiece"/> or more of its characters
    /// in a row (a key cut by a length limit, here or by the server). The same string when there was nothing to mask.
    /// </summary>
    public static string Redact(string text, string secret)
    {
        if (secret.Length == 0 || text.Length == 0)
            return text;
        if (text.IndexOf(secret, StringComparison.Ordinal) >= 0)
            text = text.Replace(secret, Mask);
        if (secret.Length < MinPiece)
            return text;

        System.Text.StringBuilder? masked = null;
        int copied = 0;
        for (int i = 0; i <= text.Length - MinPiece; i++)
        {
            int longest = 0;
            for (int start = secret.IndexOf(text[i]); start >= 0; start = secret.IndexOf(text[i], start + 1))
            {
                int length = 0;
                while (i + length < text.Length && start + length < secret.Length && text[i + length] == secret[start + length])
                    length++;
                longest = Math.Max(longest, length);
            }

            if (longest < MinPiece)
                continue;
            masked ??= new System.Text.StringBuilder(text.Length);
            masked.Append(text, copied, i - copied).Append(Mask);
            i += longest - 1;
            copied = i + 1;
        }

        return masked is null ? text : masked.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>
    /// At most <paramref name="max"/> characters of the text and "…", the secret masked first: a cut cannot leave a
    /// piece of the key that redaction would no longer recognise.
    /// </summary>
    public static string Cut(string text, int max, string? secret)
    {
        if (secret is { Length: > 0 })
            text = Redact(text, secret);
        if (text.Length <= max)
            return text;
        // A prefix of masked text holds no piece of the key that the whole did not: no second pass.
        int cut = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text.Substring(0, cut) + "…";
    }
}
