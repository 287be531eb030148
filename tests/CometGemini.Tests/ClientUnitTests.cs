using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using CometGemini.Client;
using CometGemini.Tests.Harness;

namespace CometGemini.Tests;

/// <summary>The client layer without PowerShell: parsing recorded traffic, errors and the retry schedule.</summary>
public sealed class ClientUnitTests
{
    public static TheoryData<string> ResponseFixtures() => new()
    {
        "firebase-test-data/googleai/unary-success-basic-reply-short.json",
        "firebase-test-data/googleai/unary-success-google-search-grounding.json",
        "firebase-test-data/googleai/unary-success-citations.json",
        "firebase-test-data/googleai/unary-failure-finish-reason-safety.json",
        "pydantic-ai/derived/test_google_model_max_tokens_thinking_model_empty_response.0.response.json",
        "pydantic-ai/derived/test_google_model_max_tokens.0.response.json",
        "pydantic-ai/derived/test_google_model_safety_settings.0.response.json",
        "pydantic-ai/derived/test_google_model_web_search_tool.0.response.json",
        "pydantic-ai/derived/test_multimodal_tool_return_matrix_direct-binary-image-google_2_5.1.response.json",
        "vercel-ai/issue-19758-prompt-block.json",
    };

    [Theory]
    [MemberData(nameof(ResponseFixtures))]
    public void Recorded_responses_parse_and_round_trip(string fixture)
    {
        byte[] body = File.ReadAllBytes(Paths.Fixture(fixture));
        GenerateContentResponse response = JsonSerializer.Deserialize(body, GeminiJsonContext.Default.GenerateContentResponse)!;
        Assert.True(response.Candidates is not null || response.PromptFeedback is not null);

        string again = JsonSerializer.Serialize(response, GeminiJsonContext.Default.GenerateContentResponse);
        using JsonDocument original = JsonDocument.Parse(body);
        using JsonDocument written = JsonDocument.Parse(again);
        Assert.True(SameJson(original.RootElement, written.RootElement), $"{fixture} does not round-trip:\n{again}");
    }

    // Numbers compare as the doubles they are on the wire: "-0.048741644079034981" and "-0.04874164407903498" are the same double.
    private static bool SameJson(JsonElement a, JsonElement b) => (a.ValueKind, b.ValueKind) switch
    {
        (JsonValueKind.Number, JsonValueKind.Number) => a.GetDouble() == b.GetDouble(),
        (JsonValueKind.Object, JsonValueKind.Object) =>
            a.EnumerateObject().Count() == b.EnumerateObject().Count()
            && a.EnumerateObject().All(p => b.TryGetProperty(p.Name, out JsonElement other) && SameJson(p.Value, other)),
        (JsonValueKind.Array, JsonValueKind.Array) =>
            a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(pair => SameJson(pair.First, pair.Second)),
        _ => JsonElement.DeepEquals(a, b),
    };

    [Fact]
    public void The_JSON_array_stream_recording_parses_element_by_element()
    {
        using JsonDocument array = JsonDocument.Parse(File.ReadAllBytes(Paths.Fixture("llm-gemini/derived/test_prompt.0.response.jsonarray.json")));
        var chunks = array.RootElement.EnumerateArray()
            .Select(e => e.Deserialize(GeminiJsonContext.Default.GenerateContentResponse)!)
            .ToList();
        Assert.Contains(chunks, c => c.Thoughts.Length > 0);
        Assert.NotEmpty(string.Concat(chunks.Select(c => c.Text)));
        Assert.Contains(chunks, c => c.Candidates![0].Content?.Parts?.Any(p => p.ThoughtSignature is not null) == true);
        Assert.Equal(304, chunks[^1].UsageMetadata!.TotalTokenCount);
    }

    [Fact]
    public void The_vercel_chunk_recording_ends_with_a_signature_part_and_STOP()
    {
        var chunks = File.ReadAllLines(Paths.Fixture("vercel-ai/google-text.chunks.txt"))
            .Where(l => l.Trim().Length > 0)
            .Select(l => JsonSerializer.Deserialize(l, GeminiJsonContext.Default.GenerateContentResponse)!)
            .ToList();
        Assert.Equal("STOP", chunks[^1].FinishReason);
        Assert.NotNull(chunks[^1].Candidates![0].Content!.Parts!.Last().ThoughtSignature);
    }

    [Theory]
    [InlineData("logs-and-issues/error-429-resource-exhausted.quota-retryinfo.json", 429, "RESOURCE_EXHAUSTED", 58.0)]
    [InlineData("vercel-ai/google-429-retry-info.json", 429, "RESOURCE_EXHAUSTED", 34.4)]
    [InlineData("firebase-test-data/vertexai/unary-failure-quota-exceeded.json", 429, "RESOURCE_EXHAUSTED", null)]
    [InlineData("logs-and-issues/error-500-internal.stream-request.json", 500, "INTERNAL", null)]
    [InlineData("logs-and-issues/error-503-unavailable.high-demand.json", 503, "UNAVAILABLE", null)]
    [InlineData("firebase-test-data/googleai/unary-failure-api-key.json", 400, "INVALID_ARGUMENT", null)]
    public void Recorded_error_bodies_are_read(string fixture, int status, string googleStatus, double? retrySeconds)
    {
        GeminiException e = ErrorParser.FromHttp(status, "reason", File.ReadAllBytes(Paths.Fixture(fixture)), headers: null);
        Assert.Equal(status, e.StatusCode);
        Assert.Equal(googleStatus, e.Status);
        Assert.Equal(retrySeconds, e.RetryAfter?.TotalSeconds);
        Assert.False(string.IsNullOrEmpty(e.ServerMessage));
    }

    [Fact]
    public void The_API_key_reason_is_picked_out()
    {
        GeminiException e = ErrorParser.FromHttp(400, "Bad Request", File.ReadAllBytes(Paths.Fixture("firebase-test-data/googleai/unary-failure-api-key.json")), null);
        Assert.Equal("API_KEY_INVALID", e.Reason);
        Assert.False(e.IsRetryable);
    }

    [Fact]
    public void A_JSON_array_wrapped_error_is_read()
    {
        byte[] body = Encoding.UTF8.GetBytes("[{\n  \"error\": {\n    \"code\": 503,\n    \"message\": \"overloaded\",\n    \"status\": \"UNAVAILABLE\"\n  }\n}\n]");
        GeminiException e = ErrorParser.FromHttp(503, "Service Unavailable", body, null);
        Assert.Equal("UNAVAILABLE", e.Status);
        Assert.True(e.IsRetryable);
    }

    [Theory]
    [InlineData("58s", 58.0)]
    [InlineData("34.4s", 34.4)]
    [InlineData("7.811233656s", 7.811233656)]
    [InlineData("0s", 0.0)]
    public void Durations_parse(string text, double seconds)
    {
        Assert.True(ErrorParser.TryParseDuration(text, out TimeSpan value));
        Assert.Equal(seconds, value.TotalSeconds, 6);
    }

    [Theory]
    [InlineData("58")]
    [InlineData("-1s")]
    [InlineData("abcs")]
    [InlineData("")]
    public void Bad_durations_do_not_parse(string text) => Assert.False(ErrorParser.TryParseDuration(text, out _));

    [Fact]
    public void Backoff_doubles_with_jitter_and_stops_at_MaxRetries()
    {
        var policy = new RetryPolicy(maxRetries: 3);
        var busy = new GeminiException(GeminiFailure.Http, "busy") { StatusCode = 503 };
        for (int i = 0; i < 200; i++)
        {
            Assert.InRange(policy.NextDelay(busy, 1)!.Value.TotalSeconds, 0.8, 1.2);
            Assert.InRange(policy.NextDelay(busy, 2)!.Value.TotalSeconds, 1.6, 2.4);
            Assert.InRange(policy.NextDelay(busy, 3)!.Value.TotalSeconds, 3.2, 4.8);
        }

        Assert.Null(policy.NextDelay(busy, 4));
        Assert.Null(policy.NextDelay(new GeminiException(GeminiFailure.Http, "bad") { StatusCode = 400 }, 1));
        Assert.Equal(TimeSpan.FromSeconds(5), policy.NextDelay(new GeminiException(GeminiFailure.Http, "q") { StatusCode = 429, RetryAfter = TimeSpan.FromSeconds(5) }, 1));
        Assert.Null(policy.NextDelay(new GeminiException(GeminiFailure.Http, "q") { StatusCode = 429, RetryAfter = TimeSpan.FromMinutes(5) }, 1));
    }

    [Theory]
    [InlineData(400, null, false)]
    [InlineData(401, null, false)]
    [InlineData(403, null, false)]
    [InlineData(404, null, false)]
    [InlineData(408, null, true)]
    [InlineData(429, null, true)]
    [InlineData(500, null, true)]
    [InlineData(500, "invalid_request", false)]
    [InlineData(502, null, true)]
    [InlineData(503, null, true)]
    [InlineData(504, null, true)]
    [InlineData(524, null, true)]
    public void Which_statuses_are_retried(int status, string? cometCode, bool retried) =>
        Assert.Equal(retried, new GeminiException(GeminiFailure.Http, "x") { StatusCode = status, ErrorCode = cometCode }.IsRetryable);

    [Fact]
    public void Model_names_are_checked_before_they_reach_a_URL()
    {
        Assert.True(GeminiClient.IsValidModelName("gemini-2.5-flash"));
        Assert.True(GeminiClient.IsValidModelName("models/gemini-3-pro-preview"));
        Assert.True(GeminiClient.IsValidModelName("tunedModels/my-model-123"));
        Assert.False(GeminiClient.IsValidModelName("gemini 2.5"));
        Assert.False(GeminiClient.IsValidModelName("../admin"));
        Assert.False(GeminiClient.IsValidModelName("gemini?key=1"));
    }
}
