using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>Environment variables are process-wide: these tests run alone and restore what they change.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "Environment";
}

[Collection(EnvironmentCollection.Name)]
public sealed class ConfigurationTests : IDisposable
{
    private static readonly string[] Variables = { "COMETAPI_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY", "COMETAPI_BASE_URL" };
    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);

    public ConfigurationTests()
    {
        foreach (string name in Variables)
            Environment.SetEnvironmentVariable(name, null);
    }

    public void Dispose()
    {
        foreach (KeyValuePair<string, string?> pair in _saved)
            Environment.SetEnvironmentVariable(pair.Key, pair.Value);
    }

    [Fact]
    public void Key_and_endpoint_come_from_COMETAPI_KEY_and_COMETAPI_BASE_URL()
    {
        using var server = FakeGeminiServer.Start();
        server.ExpectedApiKey = "comet-env-key";
        Environment.SetEnvironmentVariable("COMETAPI_KEY", "comet-env-key");
        Environment.SetEnvironmentVariable("COMETAPI_BASE_URL", server.BaseUri.ToString());
        using var shell = new Shell();

        ShellResult result = shell.Run("'Explain how AI works in a few words' | Invoke-GeminiContent");

        result.AssertNoErrors();
        Assert.Equal("Echo: Explain how AI works in a few words", result.Single<GenerateContentResponse>().Text);
        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("comet-env-key", request.Headers["x-goog-api-key"]);
        Assert.DoesNotContain("comet-env-key", request.PathAndQuery);
    }

    [Fact]
    public void A_missing_key_is_a_clear_error_naming_COMETAPI_KEY_and_nothing_is_sent()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell();
        shell.Set("uri", server.BaseUri);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Hi' -BaseUri $uri");

        Assert.NotNull(result.Terminating);
        ErrorRecord error = ((IContainsErrorRecord)result.Terminating!).ErrorRecord;
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("COMETAPI_KEY", error.Exception.Message);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("GEMINI_API_KEY")]
    [InlineData("GOOGLE_API_KEY")]
    public void A_Google_key_defaults_the_endpoint_to_Google(string variable)
    {
        Environment.SetEnvironmentVariable(variable, "google-key");
        using var shell = new Shell();

        // Nothing to send: the endpoint is resolved and told, but no request leaves the machine.
        ShellResult result = shell.Run("Invoke-GeminiContent -Verbose");

        Assert.Contains(result.Verbose, v => v.Contains("https://generativelanguage.googleapis.com"));
        Assert.Contains("GeminiNothingToSend", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void A_Google_key_given_as_ApiKey_goes_to_Google_unless_a_base_URI_is_set()
    {
        using var shell = new Shell();

        ShellResult google = shell.Run("Invoke-GeminiContent -ApiKey AIzaSyExampleExampleExampleExample123 -Verbose");
        ShellResult comet = shell.Run("Invoke-GeminiContent -ApiKey sk-comet-key -Verbose");
        Environment.SetEnvironmentVariable("COMETAPI_BASE_URL", "https://gateway.contoso.com");
        ShellResult gateway = shell.Run("Invoke-GeminiContent -ApiKey AIzaSyExampleExampleExampleExample123 -Verbose");

        Assert.Contains(google.Verbose, v => v.Contains("https://generativelanguage.googleapis.com"));
        Assert.Contains(comet.Verbose, v => v.Contains("https://api.cometapi.com"));
        Assert.Contains(gateway.Verbose, v => v.Contains("https://gateway.contoso.com"));
        Assert.DoesNotContain("AIzaSyExample", google.Everything() + gateway.Everything());
    }

    [Fact]
    public void COMETAPI_KEY_wins_over_a_Google_key_and_the_endpoint_defaults_to_CometAPI()
    {
        Environment.SetEnvironmentVariable("GEMINI_API_KEY", "google-key");
        Environment.SetEnvironmentVariable("COMETAPI_KEY", "comet-key");
        using var shell = new Shell();

        ShellResult result = shell.Run("Invoke-GeminiContent -Verbose");

        Assert.Contains(result.Verbose, v => v.Contains("https://api.cometapi.com"));
    }

    [Fact]
    public void ApiKey_and_BaseUri_parameters_override_the_environment()
    {
        using var server = FakeGeminiServer.Start();
        server.ExpectedApiKey = "param-key";
        Environment.SetEnvironmentVariable("COMETAPI_KEY", "env-key");
        Environment.SetEnvironmentVariable("COMETAPI_BASE_URL", "http://127.0.0.1:1");
        using var shell = new Shell();
        shell.Set("uri", server.BaseUri);

        ShellResult result = shell.Run("""
            Invoke-GeminiContent 'plain' -ApiKey 'param-key' -BaseUri $uri
            $secure = [System.Net.NetworkCredential]::new('', 'param-key').SecurePassword
            Invoke-GeminiContent 'secure' -ApiKey $secure -BaseUri $uri
            """);

        result.AssertNoErrors();
        Assert.Equal(2, result.Output.Count);
        Assert.All(server.Requests, r => Assert.Equal("param-key", r.Headers["x-goog-api-key"]));
    }

    [Fact]
    public void An_invalid_COMETAPI_BASE_URL_is_a_clear_error()
    {
        Environment.SetEnvironmentVariable("COMETAPI_KEY", "k");
        Environment.SetEnvironmentVariable("COMETAPI_BASE_URL", "not a uri");
        using var shell = new Shell();

        ShellResult result = shell.Run("Invoke-GeminiContent 'Hi'");

        ErrorRecord error = ((IContainsErrorRecord)result.Terminating!).ErrorRecord;
        Assert.Contains("COMETAPI_BASE_URL", error.Exception.Message);
    }
}
