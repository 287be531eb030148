using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CometGemini.Client;

/// <summary>Turns an error body (Google's or CometAPI's envelope, or anything else) into a GeminiException.</summary>
internal static class ErrorParser
{
    private const int MaxQuotedBody = 300;

    /// <summary>An error status's answer; <paramref name="secret"/> (the key) is masked in the quoted body before it is cut.</summary>
    public static GeminiException FromHttp(int statusCode, string reasonPhrase, byte[] body, HttpResponseHeaders? headers, string? secret = null)
    {
        TimeSpan? retryAfter = ReadRetryAfterHeader(headers);
        if (LooksLikeHtml(body) && statusCode is 404 or 405)
        {
            return new GeminiException(
                GeminiFailure.WrongEndpoint,
                $"The server answered HTTP {statusCode} with an HTML page instead of a Gemini JSON response. Check the base URI (-BaseUri or COMETAPI_BASE_URL): it should be the API host, such as https://api.cometapi.com.")
            {
                StatusCode = statusCode,
                RetryAfter = retryAfter,
            };
        }

        ErrorBody? error = TryReadError(body);
        if (error is null)
        {
            // A proxy's or CDN's HTML page (Cloudflare's 524, nginx's 502): its title says enough, and the status decides retries.
            string text = LooksLikeHtml(body) ? HtmlTitle(body) : Quote(body, secret);
            return new GeminiException(
                GeminiFailure.Http,
                text.Length == 0 ? $"HTTP {statusCode} {reasonPhrase}" : $"HTTP {statusCode} {reasonPhrase}: {text}")
            {
                StatusCode = statusCode,
                RetryAfter = retryAfter,
            };
        }

        return FromErrorBody(GeminiFailure.Http, statusCode, error, retryAfter);
    }

    /// <summary>An error object from an error status, a 200 body or a stream (then after <paramref name="partial"/> chunks).</summary>
    public static GeminiException FromErrorBody(
        GeminiFailure failure,
        int fallbackStatus,
        ErrorBody error,
        TimeSpan? retryAfter = null,
        IReadOnlyList<GenerateContentResponse>? partial = null)
    {
        int status = fallbackStatus;
        string? cometCode = null;
        if (error.Code is JsonElement code)
        {
            if (code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out int number))
                status = failure == GeminiFailure.Http && fallbackStatus is < 200 or >= 300 ? fallbackStatus : number; // an error inside a 200 body says its own code
            else if (code.ValueKind == JsonValueKind.String)
                cometCode = code.GetString();
        }

        string? reason = null;
        foreach (JsonElement detail in error.Details ?? new())
        {
            if (detail.ValueKind != JsonValueKind.Object || !detail.TryGetProperty("@type", out JsonElement type))
                continue;
            string? typeName = type.ValueKind == JsonValueKind.String ? type.GetString() : null;
            if (typeName?.EndsWith("google.rpc.RetryInfo", StringComparison.Ordinal) == true
                && detail.TryGetProperty("retryDelay", out JsonElement delay)
                && delay.ValueKind == JsonValueKind.String
                && TryParseDuration(delay.GetString(), out TimeSpan parsed))
            {
                // Header and RetryInfo both say "not before": honour the longer.
                retryAfter = retryAfter is TimeSpan header && header > parsed ? header : parsed;
            }
            else if (typeName?.EndsWith("google.rpc.ErrorInfo", StringComparison.Ordinal) == true
                     && detail.TryGetProperty("reason", out JsonElement r)
                     && r.ValueKind == JsonValueKind.String)
            {
                reason = r.GetString();
            }
        }

        string serverMessage = (error.Message ?? string.Empty).Trim();
        string label = error.Status ?? (string.IsNullOrEmpty(cometCode) ? null : cometCode) ?? error.Type ?? "error";
        string message = $"HTTP {status} {label}: {serverMessage}";
        if (partial is { Count: > 0 })
            message = $"The stream failed after {partial.Count} chunk(s): {message}";
        return new GeminiException(failure, message)
        {
            PartialChunks = partial ?? Array.Empty<GenerateContentResponse>(),
            StatusCode = status,
            Status = error.Status,
            ErrorCode = cometCode,
            ServerMessage = serverMessage,
            Reason = reason,
            RetryAfter = retryAfter,
        };
    }

    public static ErrorBody? TryReadError(byte[] body)
    {
        // Most bodies that come here are answers, not errors (SendJsonAsync asks of every one): a look at the top-level
        // names settles that without reading the whole answer into objects.
        if (!MayHoldError(body))
            return null;
        try
        {
            ErrorEnvelope? envelope = JsonSerializer.Deserialize(JsonText.Prepare(body), GeminiJsonContext.Default.ErrorEnvelope);
            return envelope?.Error;
        }
        catch (JsonException)
        {
            return TryReadArrayWrappedError(body);
        }
    }

    public static ErrorBody? TryReadError(JsonElement element)
    {
        try
        {
            return element.Deserialize(GeminiJsonContext.Default.ErrorBody);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // False only for a JSON object none of whose top-level names is "error"; anything else (an array, a body the reader
    // cannot follow) goes on to the full reading.
    private static bool MayHoldError(byte[] body)
    {
        int start = body.Length >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF ? 3 : 0;
        try
        {
            var reader = new Utf8JsonReader(body.AsSpan(start), new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return true;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"))
                    return true;
                reader.Read();
                reader.Skip();
            }

            return false;
        }
        catch (JsonException)
        {
            return true;
        }
    }

    // JSON-array streaming wraps errors as [{"error": …}] (docs/wire.md §7.4).
    private static ErrorBody? TryReadArrayWrappedError(byte[] body)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Array
                && doc.RootElement.GetArrayLength() > 0
                && doc.RootElement[0].ValueKind == JsonValueKind.Object
                && doc.RootElement[0].TryGetProperty("error", out JsonElement error))
            {
                return TryReadError(error);
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }

    public static bool LooksLikeHtml(byte[] body)
    {
        foreach (byte b in body)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
                continue;
            return b == (byte)'<';
        }

        return false;
    }

    /// <summary>Google durations: "58s", "34.4s", "7.811233656s".</summary>
    public static bool TryParseDuration(string? text, out TimeSpan value)
    {
        value = default;
        if (text is null || !text.EndsWith("s", StringComparison.Ordinal))
            return false;
        if (!double.TryParse(text.Substring(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
            || double.IsNaN(seconds) || seconds < 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
            return false;
        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    private static TimeSpan? ReadRetryAfterHeader(HttpResponseHeaders? headers)
    {
        RetryConditionHeaderValue? retry = headers?.RetryAfter;
        if (retry?.Delta is TimeSpan delta)
            return delta;
        if (retry?.Date is DateTimeOffset date)
        {
            TimeSpan wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static string HtmlTitle(byte[] body)
    {
        Match title = Regex.Match(Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 8192)), "<title[^>]*>(.*?)</title>", RegexOptions.Singleline | RegexOptions.IgnoreCase);
        return title.Success ? "an HTML page titled '" + Regex.Replace(title.Groups[1].Value, @"\s+", " ").Trim() + "'" : "an HTML page";
    }

    private static string Quote(byte[] body, string? secret) =>
        Secrets.Cut(Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, MaxQuotedBody * 4)).Trim(), MaxQuotedBody, secret);
}
