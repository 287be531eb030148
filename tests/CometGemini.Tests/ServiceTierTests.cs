using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using CometGemini.Demo;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>-ServiceTier: the request's serviceTier, and the tier the answer says it ran on (docs/wire.md §4.5).</summary>
public sealed class ServiceTierTests
{
    [Fact]
    public void Invoke_sends_the_tier_in_lower_case_and_the_response_shows_the_tier_it_ran_on()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Hi' -ServiceTier Flex");

        result.AssertNoErrors();
        Assert.Equal("flex", Assert.Single(server.Requests).Json!.RootElement.GetProperty("serviceTier").GetString());
        Assert.Equal("flex", result.Single<GenerateContentResponse>().ServiceTier);
    }

    [Fact]
    public void Get_GeminiStream_sends_the_tier_and_its_chunks_carry_the_served_tier()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'one two three' -ServiceTier Priority");

        result.AssertNoErrors();
        Assert.Equal("priority", Assert.Single(server.Requests).Json!.RootElement.GetProperty("serviceTier").GetString());
        Assert.Equal("priority", result.All<GeminiStreamChunk>().Last().Response.ServiceTier);
    }

    [Fact]
    public void Without_the_parameter_no_tier_is_sent_and_none_is_shown()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Hi'");

        result.AssertNoErrors();
        Assert.False(Assert.Single(server.Requests).Json!.RootElement.TryGetProperty("serviceTier", out _));
        Assert.Null(result.Single<GenerateContentResponse>().ServiceTier);
    }

    [Fact]
    public void The_tier_header_says_where_a_priority_request_ran_when_the_usage_does_not()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(
            200,
            """{"candidates":[{"content":{"role":"model","parts":[{"text":"Done."}]},"finishReason":"STOP"}],"usageMetadata":{"totalTokenCount":3}}""",
            ("x-gemini-service-tier", "standard")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Triage this' -ServiceTier Priority");

        result.AssertNoErrors();
        Assert.Equal("standard", result.Single<GenerateContentResponse>().ServiceTier);
    }

    [Fact]
    public void A_tier_that_is_not_one_of_the_three_is_refused_by_binding()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Hi' -ServiceTier Turbo");

        Assert.IsType<ParameterBindingException>(result.Terminating);
        Assert.Contains("Standard", result.Terminating!.Message);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("Invoke-GeminiContent", true)]
    [InlineData("Get-GeminiStream", true)]
    [InlineData("Measure-GeminiToken", false)] // counting tokens is no inference
    [InlineData("Start-GeminiBatchJob", false)] // Batch Mode is a tier of its own
    public void Only_the_answering_commands_take_a_tier(string command, bool takes)
    {
        using var shell = new Shell();

        ShellResult result = shell.Run($"(Get-Command {command}).Parameters.ContainsKey('ServiceTier')");

        Assert.Equal(takes, result.Single<bool>());
    }

    [Fact]
    public void Tab_after_ServiceTier_offers_the_three_tiers()
    {
        using var shell = new Shell();
        shell.Set("line", "Invoke-GeminiContent 'Hi' -ServiceTier ");

        ShellResult result = shell.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText");

        result.AssertNoErrors();
        Assert.Equal(new[] { "Flex", "Priority", "Standard" }, result.Output.Select(o => o.ToString()).OrderBy(t => t));
    }

    [Fact]
    public void The_console_view_names_a_tier_other_than_standard()
    {
        using var server = FakeGeminiServer.Start();
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));

        shell.Run("Invoke-GeminiContent 'Hi' -ServiceTier Flex | Out-Default; Invoke-GeminiContent 'Hello' -ServiceTier Standard | Out-Default").AssertNoErrors();

        string[] lines = screen.ToString().Trim().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
        Assert.Equal(new[] { "Echo: Hi", "[service tier: flex]", "Echo: Hello" }, lines);
    }
}
