using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>Images and speech out: the request options that ask for them and what comes back.</summary>
public sealed class MediaOutputTests
{
    [Theory]
    [InlineData("Invoke-GeminiContent")]
    [InlineData("Get-GeminiStream")]
    public void Image_options_reach_the_wire_as_responseModalities_and_imageConfig(string command)
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run($"{command} 'A lighthouse' -Model gemini-2.5-flash-image -ResponseModality Text, image -AspectRatio 16:9 -ImageSize 2k");

        result.AssertNoErrors();
        JsonElement config = Assert.Single(server.Requests).Json!.RootElement.GetProperty("generationConfig");
        Assert.Equal(new[] { "TEXT", "IMAGE" }, config.GetProperty("responseModalities").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("16:9", config.GetProperty("imageConfig").GetProperty("aspectRatio").GetString());
        Assert.Equal("2K", config.GetProperty("imageConfig").GetProperty("imageSize").GetString());
        Assert.False(config.TryGetProperty("speechConfig", out _));
    }

    [Fact]
    public void Voice_sets_speechConfig_and_asks_for_audio_unless_ResponseModality_says_otherwise()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            Invoke-GeminiContent 'Say hello' -Model gemini-2.5-flash-preview-tts -Voice Kore
            Get-GeminiStream 'Say hello' -Model gemini-2.5-flash-preview-tts -Voice Puck -ResponseModality Text, Audio
            """);

        result.AssertNoErrors();
        Assert.Equal(2, server.Requests.Count);
        JsonElement first = server.Requests[0].Json!.RootElement.GetProperty("generationConfig");
        Assert.Equal("Kore", first.GetProperty("speechConfig").GetProperty("voiceConfig").GetProperty("prebuiltVoiceConfig").GetProperty("voiceName").GetString());
        Assert.Equal(new[] { "AUDIO" }, first.GetProperty("responseModalities").EnumerateArray().Select(e => e.GetString()));
        Assert.False(first.TryGetProperty("imageConfig", out _));
        JsonElement second = server.Requests[1].Json!.RootElement.GetProperty("generationConfig");
        Assert.Equal("Puck", second.GetProperty("speechConfig").GetProperty("voiceConfig").GetProperty("prebuiltVoiceConfig").GetProperty("voiceName").GetString());
        Assert.Equal(new[] { "TEXT", "AUDIO" }, second.GetProperty("responseModalities").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void GenerationConfig_merges_over_the_media_options_field_by_field()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            Invoke-GeminiContent 'A cat' -ResponseModality Image -AspectRatio 1:1 -Voice Kore -GenerationConfig @{
                image_config = @{ image_size = '4K'; personGeneration = 'ALLOW_ADULT' }
                speechConfig = @{ languageCode = 'de-DE' }
                responseModalities = @('TEXT', 'IMAGE')
            }
            """);

        result.AssertNoErrors();
        JsonElement config = Assert.Single(server.Requests).Json!.RootElement.GetProperty("generationConfig");
        JsonElement image = config.GetProperty("imageConfig");
        Assert.Equal("1:1", image.GetProperty("aspectRatio").GetString());
        Assert.Equal("4K", image.GetProperty("imageSize").GetString());
        Assert.Equal("ALLOW_ADULT", image.GetProperty("personGeneration").GetString());
        JsonElement speech = config.GetProperty("speechConfig");
        Assert.Equal("de-DE", speech.GetProperty("languageCode").GetString());
        Assert.Equal("Kore", speech.GetProperty("voiceConfig").GetProperty("prebuiltVoiceConfig").GetProperty("voiceName").GetString());
        Assert.Equal(new[] { "TEXT", "IMAGE" }, config.GetProperty("responseModalities").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("-AspectRatio wide")]
    [InlineData("-AspectRatio '16/9'")]
    [InlineData("-ResponseModality ','")]
    public void Malformed_media_options_are_refused_before_sending(string options)
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run($"Invoke-GeminiContent 'Hi' {options}");

        var error = Assert.IsAssignableFrom<IContainsErrorRecord>(result.Terminating).ErrorRecord;
        Assert.Equal("GeminiInvalidRequestOption", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("Invoke-GeminiContent -Voice Ze", "Zephyr")]
    [InlineData("Get-GeminiStream -ResponseModality Im", "Image")]
    [InlineData("Invoke-GeminiContent -AspectRatio 16", "16:9")]
    [InlineData("Invoke-GeminiContent -ImageSize 4", "4K")]
    public void Media_options_complete_with_known_values(string line, string expected)
    {
        using var shell = new Shell();

        ShellResult result = shell.Run($"[System.Management.Automation.CommandCompletion]::CompleteInput('{line}', {line.Length}, $null).CompletionMatches.CompletionText");

        result.AssertNoErrors();
        Assert.Contains(expected, result.Output.Select(o => o.ToString()));
    }
}
