using System;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>The key appears in no output, stream, error or exception, whatever happens.</summary>
public sealed class SecretTests
{
    private const string Key = "AIzaSENTINEL-do-not-print-4242";

    [Fact]
    public void The_key_appears_nowhere_across_successes_and_failures()
    {
        using var server = FakeGeminiServer.Start();
        server.ExpectedApiKey = Key;
        server.Enqueue(FakeReply.Json(400, Paths.FixtureText("firebase-test-data/googleai/unary-failure-api-key.json")));
        server.Enqueue(FakeReply.Error(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", retryDelay: "0s"));
        server.Enqueue(FakeReply.Error(503, "UNAVAILABLE", $"echoing your key {Key} back", retryDelay: "0s"));
        server.Enqueue(FakeReply.Error(503, "UNAVAILABLE", "still busy", retryDelay: "0s"));
        server.Enqueue(FakeReply.SseRaw(Paths.FixtureText("firebase-test-data/vertexai/streaming-failure-error-mid-stream.txt")));
        server.Enqueue(FakeReply.NoHeaders());
        using var shell = new Shell(server, apiKey: Key);

        ShellResult result = shell.Run("""
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
            Invoke-GeminiContent 'bad key'
            Invoke-GeminiContent 'quota' -MaxRetries 0
            Invoke-GeminiContent 'echo' -MaxRetries 1
            Get-GeminiStream 'stream'
            Invoke-GeminiContent 'hang' -TimeoutSec 1
            Invoke-GeminiContent 'fine'
            Get-GeminiStream 'fine stream'
            $Error | ForEach-Object { $_.ToString(); $_.Exception.ToString(); $_.ErrorDetails.RecommendedAction }
            """);

        Assert.True(result.Errors.Count >= 4);
        Assert.True(server.Requests.Count >= 6);
        Assert.DoesNotContain(Key, result.Everything());
        Assert.Contains("***", result.Everything());
    }
}
