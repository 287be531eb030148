using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>The tools Google runs itself: search, Maps, code execution, URL context.</summary>
public sealed class BuiltInToolTests
{
    [Fact]
    public void Each_built_in_tool_switch_adds_its_own_tools_entry()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Hi' -GoogleSearch -GoogleMaps -CodeExecution -UrlContext");

        result.AssertNoErrors();
        JsonElement body = Assert.Single(server.Requests).Json!.RootElement;
        JsonElement[] tools = body.GetProperty("tools").EnumerateArray().ToArray();
        Assert.Equal(new[] { "googleSearch", "googleMaps", "codeExecution", "urlContext" }, tools.Select(t => Assert.Single(t.EnumerateObject()).Name));
        Assert.All(tools, t => Assert.Equal("{}", t.EnumerateObject().Single().Value.GetRawText()));
        Assert.False(body.TryGetProperty("toolConfig", out _));
    }

    [Fact]
    public void Latitude_and_Longitude_set_the_retrieval_location_for_Maps()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'Pizza near me?' -GoogleMaps -Latitude 40.7128 -Longitude -74.006");

        result.AssertNoErrors();
        JsonElement body = Assert.Single(server.Requests).Json!.RootElement;
        JsonElement latLng = body.GetProperty("toolConfig").GetProperty("retrievalConfig").GetProperty("latLng");
        Assert.Equal(40.7128, latLng.GetProperty("latitude").GetDouble());
        Assert.Equal(-74.006, latLng.GetProperty("longitude").GetDouble());
        Assert.Equal(JsonValueKind.Object, body.GetProperty("tools")[0].GetProperty("googleMaps").ValueKind);
    }

    [Fact]
    public void A_location_joins_the_tool_config_a_chat_already_has()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $chat = New-GeminiChat -GoogleMaps -Latitude 48.85 -Longitude 2.35
            $chat.Settings.ToolConfig = [System.Text.Json.JsonDocument]::Parse('{"functionCallingConfig":{"mode":"AUTO"},"retrievalConfig":{"languageCode":"fr"}}').RootElement
            Invoke-GeminiContent -Chat $chat 'Une boulangerie ?' -Latitude 45.76 -Longitude 4.84 -GoogleMaps
            """);

        result.AssertNoErrors();
        JsonElement body = Assert.Single(server.Requests).Json!.RootElement;
        JsonElement toolConfig = body.GetProperty("toolConfig");
        Assert.Equal("AUTO", toolConfig.GetProperty("functionCallingConfig").GetProperty("mode").GetString());
        Assert.Equal("fr", toolConfig.GetProperty("retrievalConfig").GetProperty("languageCode").GetString());
        Assert.Equal(45.76, toolConfig.GetProperty("retrievalConfig").GetProperty("latLng").GetProperty("latitude").GetDouble());
        Assert.Single(body.GetProperty("tools").EnumerateArray()); // the chat's googleMaps entry is not repeated
    }

    [Theory]
    [InlineData("-Latitude 10")]
    [InlineData("-Longitude 10")]
    public void Half_a_location_is_refused_before_sending(string options)
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run($"Invoke-GeminiContent 'Hi' -GoogleMaps {options}");

        ErrorRecord error = ((IContainsErrorRecord)result.Terminating!).ErrorRecord;
        Assert.Equal("GeminiInvalidRequestOption", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("-Latitude and -Longitude go together", error.Exception.Message);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("-Latitude 91 -Longitude 0")]
    [InlineData("-Latitude 0 -Longitude -181")]
    public void Coordinates_out_of_range_do_not_bind(string options)
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run($"Invoke-GeminiContent 'Hi' -GoogleMaps {options}");

        Assert.NotNull(result.Terminating);
        Assert.Empty(server.Requests);
    }
}
