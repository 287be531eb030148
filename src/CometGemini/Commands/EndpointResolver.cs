using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CometGemini.Client;

namespace CometGemini.Commands;

/// <summary>
/// Where a call goes and with which key: the key and base URI the caller found (parameters, chat, session),
/// else the environment (COMETAPI_KEY, else GEMINI_API_KEY or GOOGLE_API_KEY). A key from those two, or any Google key
/// ("AIza..."), defaults the endpoint to Google's.
/// </summary>
internal static class EndpointResolver
{
    private const string GoogleKeyPrefix = "AIza";

    public static GeminiEndpoint Resolve(SecureString? apiKey, string? keySource, Uri? baseUri, out ErrorRecord? error)
    {
        error = null;
        bool googleKey = false;
        string? text = apiKey is null ? null : Secrets.Reveal(apiKey);
        string source = keySource ?? "-ApiKey";
        if (apiKey is null)
        {
            source = "COMETAPI_KEY";
            text = Environment.GetEnvironmentVariable(source);
            if (string.IsNullOrWhiteSpace(text))
            {
                source = "GEMINI_API_KEY";
                text = Environment.GetEnvironmentVariable(source);
                if (string.IsNullOrWhiteSpace(text))
                {
                    source = "GOOGLE_API_KEY";
                    text = Environment.GetEnvironmentVariable(source);
                }

                googleKey = !string.IsNullOrWhiteSpace(text);
            }
        }

        // A key read from a file (Get-Content -Raw) ends in a newline: trimmed. Inside the key, a control character would break the header.
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = ErrorRecords.Usage(
                "No API key: set $env:COMETAPI_KEY (or GEMINI_API_KEY for Google's endpoint), run Connect-Gemini, or pass -ApiKey.",
                "GeminiApiKeyMissing",
                ErrorCategory.AuthenticationError,
                null,
                "$env:COMETAPI_KEY = '<your CometAPI key>'   # or: Connect-Gemini -ApiKey (Read-Host -AsSecureString)");
            return null!;
        }

        // An HTTP header carries ASCII only: a control character (a line break) or a non-ASCII one (a curly quote from a
        // document, a look-alike letter) would fail every attempt as if the network had, so it is refused before sending.
        int bad = text!.ToList().FindIndex(c => c < 0x20 || c > 0x7E);
        if (bad >= 0)
        {
            string what = text![bad] < 0x20 || text[bad] == 0x7F ? "a control character (a line break?)" : "a character that is not ASCII (a curly quote or a look-alike letter?)";
            error = ErrorRecords.Usage(
                $"The API key from {source} contains {what} at position {bad + 1}: API keys are plain ASCII. Set it to the key alone.",
                "GeminiApiKeyInvalid",
                ErrorCategory.InvalidArgument,
                source,
                "Copy the key again from the provider's console, or type it, and pass it with -ApiKey or set the environment variable.");
            return null!;
        }

        SecureString key = ToSecure(text!);

        // Google's API keys all start with "AIza"; CometAPI's never do. Sending one to CometAPI could only fail.
        googleKey |= text!.StartsWith(GoogleKeyPrefix, StringComparison.Ordinal);

        Uri? target = baseUri;
        if (target is null)
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable("COMETAPI_BASE_URL");
            if (!string.IsNullOrWhiteSpace(fromEnvironment) && !Uri.TryCreate(fromEnvironment!.Trim(), UriKind.Absolute, out target))
            {
                error = ErrorRecords.Usage(
                    $"COMETAPI_BASE_URL is not an absolute URI: '{fromEnvironment}'.",
                    "GeminiBaseUriInvalid",
                    ErrorCategory.InvalidArgument,
                    fromEnvironment,
                    "Set $env:COMETAPI_BASE_URL to a URI such as https://api.cometapi.com, or remove it.");
                return null!;
            }

            target ??= googleKey ? GeminiEndpoint.GoogleBaseUri : GeminiEndpoint.CometApiBaseUri;
        }

        if (!target.IsAbsoluteUri || (target.Scheme != Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttp))
        {
            error = ErrorRecords.Usage(
                $"The base URI '{target}' is not an http or https URI.",
                "GeminiBaseUriInvalid",
                ErrorCategory.InvalidArgument,
                target,
                "Pass -BaseUri https://api.cometapi.com (CometAPI) or https://generativelanguage.googleapis.com (Google).");
            return null!;
        }

        // A password in the URI would travel in every error, verbose line and saved connection that shows the endpoint.
        if (target.UserInfo.Length > 0)
        {
            Uri bare = new UriBuilder(target) { UserName = string.Empty, Password = string.Empty }.Uri;
            error = ErrorRecords.Usage(
                $"The base URI '{bare}' is given with a user name or password in it (user:password@), which is never sent that way.",
                "GeminiBaseUriInvalid",
                ErrorCategory.InvalidArgument,
                bare,
                "Pass -BaseUri without user:password@; the API key (-ApiKey) is the credential, and -ProxyCredential is the proxy's.");
            return null!;
        }

        return new GeminiEndpoint(target, key) { KeySource = source };
    }

    private static SecureString ToSecure(string text)
    {
        var secure = new SecureString();
        foreach (char c in text)
            secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }
}
