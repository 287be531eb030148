using System;
using System.Diagnostics;
using System.Threading;
using System.Linq;
using System.Management.Automation;
using CometGemini.Client;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

public sealed class ErrorAndRetryTests
{
    [Theory]
    [InlineData(400, "firebase-test-data/googleai/unary-failure-api-key.json", ErrorCategory.AuthenticationError, "API key not valid")]
    [InlineData(403, "firebase-test-data/googleai/unary-failure-generativelanguage-api-not-enabled.json", ErrorCategory.PermissionDenied, "PERMISSION_DENIED")]
    [InlineData(404, "pydantic-ai/derived/test_model_name_suggestion_google.0.response.json", ErrorCategory.ObjectNotFound, "is not found for API version v1beta")]
    public void Recorded_Google_errors_become_errors_with_the_right_category_and_are_not_retried(int status, string fixture, ErrorCategory category, string text)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(status, Paths.FixtureText(fixture)));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'my prompt' | Invoke-GeminiContent");

        Assert.Empty(result.Output);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal("my prompt", error.TargetObject);
        Assert.Contains(text, error.ToString());
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
        Assert.StartsWith($"GeminiHttp{status}", error.FullyQualifiedErrorId);
        Assert.Single(server.Requests);
    }

    [Fact]
    public void CometAPI_envelope_with_a_string_code_is_read()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.CometError(401, "Invalid token (request id: 2025abc)", "invalid_api_key"));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'x'");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        var failure = (GeminiException)error.Exception;
        Assert.Equal(401, failure.StatusCode);
        Assert.Equal("invalid_api_key", failure.ErrorCode);
        Assert.Contains("Invalid token", failure.Message);
    }

    [Fact]
    public void A_CometAPI_500_invalid_request_is_not_retried()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.CometError(500, "bad request body", "invalid_request"));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'x'");

        Assert.Equal(ErrorCategory.ResourceUnavailable, Assert.Single(result.Errors).CategoryInfo.Category);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(408)]
    [InlineData(524)]
    public void Transient_statuses_are_retried_and_then_succeed(int status)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Error(status, "UNAVAILABLE", "try later") with { Headers = new[] { ("Retry-After", "0") } });
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'x' -Verbose");

        result.AssertNoErrors();
        Assert.Equal("Echo: x", result.Single<GenerateContentResponse>().Text);
        Assert.Equal(2, server.Requests.Count);
        Assert.Contains(result.Verbose, v => v.Contains("Retrying") && v.Contains("retry 1 of 3"));
    }

    [Fact]
    public void RetryInfo_retryDelay_is_honoured()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Error(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", retryDelay: "0.2s"));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'x' -Verbose");

        result.AssertNoErrors();
        Assert.Equal(2, server.Requests.Count);
        Assert.Contains(result.Verbose, v => v.Contains("Retrying in 0.2 s"));
    }

    [Fact]
    public void MaxRetries_0_turns_retries_off_and_the_quota_error_tells_the_wait()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(429, Paths.FixtureText("vercel-ai/google-429-retry-info.json")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'x' -MaxRetries 0");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.QuotaExceeded, error.CategoryInfo.Category);
        Assert.Contains("34.4", error.ErrorDetails!.RecommendedAction);
        Assert.Single(server.Requests);
    }

    [Fact]
    public void Retries_stop_at_MaxRetries()
    {
        using var server = FakeGeminiServer.Start();
        for (int i = 0; i < 5; i++)
            server.Enqueue(FakeReply.Error(503, "UNAVAILABLE", "busy", retryDelay: "0s"));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'x' -MaxRetries 2");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.Equal(3, ((GeminiException)error.Exception).Attempts);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public void A_server_asking_for_a_wait_longer_than_a_minute_is_not_retried()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(429, Paths.FixtureText("logs-and-issues/error-429-resource-exhausted.quota-retryinfo.json")) with { Headers = new[] { ("Retry-After", "3600") } });
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'x'");

        Assert.Equal(ErrorCategory.QuotaExceeded, Assert.Single(result.Errors).CategoryInfo.Category);
        Assert.Single(server.Requests);
    }

    [Fact]
    public void Backoff_without_a_server_hint_waits_about_a_second()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Error(500, "INTERNAL", "An internal error has occurred."));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'x' -Verbose");

        result.AssertNoErrors();
        string line = Assert.Single(result.Verbose, v => v.Contains("Retrying in"));
        double seconds = double.Parse(line.Split("Retrying in ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 0.8, 1.2);
    }

    [Fact]
    public void A_redirect_or_an_HTML_page_is_reported_as_a_wrong_endpoint()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Raw(302, "text/html", "<html>moved</html>", ("Location", "https://login.example.test/")));
        server.Enqueue(FakeReply.Raw(200, "text/html; charset=utf-8", "<!DOCTYPE html><html><body>Welcome</body></html>"));
        server.Enqueue(FakeReply.Raw(404, "text/html", "<html><body>Not Found</body></html>"));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'a', 'b', 'c' | Invoke-GeminiContent");

        Assert.Equal(3, result.Errors.Count);
        Assert.All(result.Errors, e =>
        {
            Assert.Equal(GeminiFailure.WrongEndpoint, ((GeminiException)e.Exception).Failure);
            Assert.Contains("-BaseUri", e.ErrorDetails!.RecommendedAction);
        });
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public void An_empty_200_body_or_an_error_object_in_a_200_is_an_error()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Raw(200, "application/json", ""));
        server.Enqueue(FakeReply.Json(200, """{"error": {"code": 500, "message": "backend failed", "status": "INTERNAL"}}"""));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'a', 'b' | Invoke-GeminiContent -MaxRetries 0");

        Assert.Equal(2, result.Errors.Count);
        Assert.Contains("empty body", result.Errors[0].Exception.Message);
        Assert.Contains("backend failed", result.Errors[1].Exception.Message);
        Assert.Equal(500, ((GeminiException)result.Errors[1].Exception).StatusCode); // the body's code, not the 200
        Assert.Equal(ErrorCategory.ResourceUnavailable, result.Errors[1].CategoryInfo.Category);
    }

    [Fact]
    public void A_stream_whose_first_event_is_an_error_is_classified_by_its_code()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Sse(new[] { """{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}""" }));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'x' -MaxRetries 0");

        Assert.Empty(result.Output);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.QuotaExceeded, error.CategoryInfo.Category);
        Assert.DoesNotContain("chunks", error.ErrorDetails!.RecommendedAction);
        Assert.DoesNotContain("chunk(s)", error.Exception.Message);
    }

    [Fact]
    public void TimeoutSec_bounds_a_request_whose_answer_never_comes()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.NoHeaders());
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'x' -TimeoutSec 1");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Contains("-TimeoutSec", error.Exception.Message);
    }

    [Fact]
    public void A_refused_connection_is_a_connection_error()
    {
        int port;
        using (var server = FakeGeminiServer.Start())
            port = server.BaseUri.Port;
        using var shell = new Shell();

        ShellResult result = shell.Run($"Invoke-GeminiContent 'x' -ApiKey k -BaseUri http://127.0.0.1:{port} -MaxRetries 0");

        Assert.Equal(ErrorCategory.ConnectionError, Assert.Single(result.Errors).CategoryInfo.Category);
    }

    [Theory]
    [InlineData("firebase-test-data/googleai/unary-failure-finish-reason-safety.json", "safety")]
    [InlineData("pydantic-ai/derived/test_google_model_safety_settings.0.response.json", "safety")]
    [InlineData("vercel-ai/issue-19758-prompt-block.json", "PROHIBITED_CONTENT")]
    [InlineData("pydantic-ai/derived/test_google_model_max_tokens.0.response.json", "-MaxOutputTokens")]
    [InlineData("pydantic-ai/derived/test_google_model_max_tokens_thinking_model_empty_response.0.response.json", "thinking used the whole output budget")]
    public void Blocked_or_cut_answers_warn_and_still_come_out(string fixture, string warning)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText(fixture)));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'x'");

        result.AssertNoErrors();
        Assert.Single(result.Output);
        Assert.Contains(result.Warnings, w => w.Contains(warning, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_proxy_carries_the_request()
    {
        using var proxy = FakeGeminiServer.Start();
        using var shell = new Shell();
        shell.Set("proxy", proxy.BaseUri);

        ShellResult result = shell.Run("Invoke-GeminiContent 'via proxy' -ApiKey test-key -BaseUri http://gemini.invalid -Proxy $proxy -MaxRetries 0");

        result.AssertNoErrors();
        Assert.Equal("Echo: via proxy", result.Single<GenerateContentResponse>().Text);
        RecordedRequest request = Assert.Single(proxy.Requests);
        Assert.Equal("gemini.invalid", request.Headers["Host"]);
    }

    private static readonly string Chunk = """{"candidates":[{"content":{"parts":[{"text":"a"}],"role":"model"}}],"modelVersion":"gemini-2.5-flash"}""";
    private static readonly string Last = """{"candidates":[{"content":{"parts":[{"text":"."}],"role":"model"},"finishReason":"STOP"}],"modelVersion":"gemini-2.5-flash"}""";

    // Cloudflare's 524 and nginx's 502/503 are HTML pages: the status decides, and these are retried.
    [Theory]
    [InlineData(524, "<!DOCTYPE html><html><head><title>api.cometapi.com | 524: A timeout occurred</title></head><body>Error code 524</body></html>")]
    [InlineData(502, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>")]
    public void A_transient_status_with_an_HTML_body_is_retried_not_called_a_wrong_endpoint(int status, string html)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Raw(status, "text/html", html, ("Retry-After", "0")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'x'");

        result.AssertNoErrors();
        Assert.Equal(2, server.Requests.Count);
    }

    // An error object in a 200 body is retried like the status it names.
    [Fact]
    public void An_error_object_in_a_200_body_is_retried_like_the_status_it_names()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, """{"error": {"code": 503, "message": "overloaded", "status": "UNAVAILABLE", "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "0s"}]}}"""));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'x'");

        result.AssertNoErrors();
        Assert.Equal(2, server.Requests.Count);
    }

    // The error body of a stream call is read under the same limit as everything else.
    [Fact]
    public void TimeoutSec_bounds_a_stream_whose_error_body_stalls()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Raw(503, "application/json; charset=UTF-8", FakeReply.GoogleErrorJson(503, "UNAVAILABLE", "busy")) with { Chunked = true, HangAfter = 0 });
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'x' -TimeoutSec 1 -MaxRetries 0");

        Assert.Equal(ErrorCategory.OperationTimeout, Assert.Single(result.Errors).CategoryInfo.Category);
    }

    // An error as the first event (nothing delivered yet) is an HTTP error in all but name: retried like one.
    [Fact]
    public void An_error_as_the_first_stream_event_is_retried()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Sse(new[] { """{"error":{"code":503,"message":"high demand","status":"UNAVAILABLE"}}""" }) with { Headers = new[] { ("Retry-After", "0") } });
        server.Enqueue(FakeReply.Sse(new[] { Chunk, Last }));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'x'");

        result.AssertNoErrors();
        Assert.Equal(2, server.Requests.Count);
    }

    // The idle limit runs only while waiting for the server, not while a slow pipeline downstream holds the stream back.
    [Fact]
    public void A_slow_consumer_is_not_a_silent_server()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Sse(Enumerable.Repeat(Chunk, 400).Append(Last)));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'x' -TimeoutSec 1 | ForEach-Object { if ($_.Index -eq 10) { [System.Threading.Thread]::Sleep(1500) }; $_ }");

        result.AssertNoErrors();
        Assert.Equal(401, result.Output.Count);
    }

    // -ApiKey (Get-Content key.txt -Raw) ends in a newline, which must not reach the header.
    [Fact]
    public void A_key_with_a_trailing_newline_is_trimmed()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'x' -ApiKey \"test-key`n\"");

        result.AssertNoErrors();
    }

    // Timers stop at about 24.8 days; a longer -TimeoutSec means no limit.
    [Fact]
    public void A_large_TimeoutSec_is_accepted()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'x' -TimeoutSec 2147483647");

        result.AssertNoErrors();
    }

    [Theory]
    [InlineData("Invoke-GeminiContent 'x' -ApiKey \"test`nkey\"", "GeminiApiKeyInvalid")]
    [InlineData("Invoke-GeminiContent 'x' -ProxyCredential ([pscredential]::new('user', [securestring]::new()))", "GeminiProxyMissing")]
    [InlineData("Invoke-GeminiContent 'x' -ApiKey 'test-k\u00e9y'", "GeminiApiKeyInvalid")]
    [InlineData("Invoke-GeminiContent 'x' -ApiKey \"test-key`u{201D}\"", "GeminiApiKeyInvalid")]
    [InlineData("Invoke-GeminiContent 'x' -ApiKey \"test`u{0007}key\"", "GeminiApiKeyInvalid")]
    [InlineData("Invoke-GeminiContent 'x' -BaseUri ($uri.AbsoluteUri -replace '://', '://user:PASSWORD-CANARY@')", "GeminiBaseUriInvalid")]
    [InlineData("Invoke-GeminiContent 'x' -Proxy http://user:PASSWORD-CANARY@proxy.test:8080", "GeminiProxyInvalid")]
    public void Unusable_connection_options_stop_the_command_before_sending(string script, string errorId)
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run(script);

        ErrorRecord error = ((IContainsErrorRecord)result.Terminating!).ErrorRecord;
        Assert.StartsWith(errorId, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Empty(server.Requests);
        Assert.DoesNotContain("PASSWORD-CANARY", result.Everything());
        Assert.DoesNotContain("PASSWORD-CANARY", error.TargetObject?.ToString() ?? string.Empty);
    }

    [Fact]
    public void A_non_ASCII_key_is_one_clear_error_not_retried_as_a_network_failure()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'x' -ApiKey 'cl\u00e9-secr\u00e8te' -MaxRetries 3 -Verbose");

        ErrorRecord error = ((IContainsErrorRecord)result.Terminating!).ErrorRecord;
        Assert.Contains("not ASCII", error.ToString());
        Assert.DoesNotContain(result.Verbose, v => v.Contains("Retrying", StringComparison.Ordinal));
        Assert.DoesNotContain("secr", result.Everything());
        Assert.Empty(server.Requests);
    }
}
