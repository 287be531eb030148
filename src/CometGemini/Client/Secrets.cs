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

    /// <summary>A failure whose text carries the key (a server echoing it back) loses it here.</summary>
    public static GeminiException Redact(GeminiException e, SecureString key)
    {
        string secret = Reveal(key);
        if (secret.Length == 0 || (e.Message.IndexOf(secret, StringComparison.Ordinal) < 0 && e.ServerMessage?.IndexOf(secret, StringComparison.Ordinal) is null or < 0))
            return e;
        return new GeminiException(e.Failure, e.Message.Replace(secret, Mask))
        {
            StatusCode = e.StatusCode,
            Status = e.Status,
            ErrorCode = e.ErrorCode,
            ServerMessage = e.ServerMessage?.Replace(secret, Mask),
            Reason = e.Reason,
            RetryAfter = e.RetryAfter,
            Attempts = e.Attempts,
            PartialChunks = e.PartialChunks,
        };
    }
}
