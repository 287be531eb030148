using System;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>-MediaResolution for a request and for a part, and video clips: New-GeminiPart -StartOffset/-EndOffset/-FramesPerSecond (docs/wire.md §4.6, §4.7).</summary>
public sealed class MediaResolutionTests
{
    [Fact]
    public void The_request_wide_resolution_is_generationConfig_mediaResolution()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $null = Invoke-GeminiContent 'Describe it' -MediaResolution Low
            $null = Get-GeminiStream 'Describe it' -MediaResolution Medium
            $null = Measure-GeminiToken 'Describe it' -MediaResolution High
            """);

        result.AssertNoErrors();
        JsonElement[] bodies = server.Requests.Select(r => r.Json!.RootElement).ToArray();
        Assert.Equal("MEDIA_RESOLUTION_LOW", bodies[0].GetProperty("generationConfig").GetProperty("mediaResolution").GetString());
        Assert.Equal("MEDIA_RESOLUTION_MEDIUM", bodies[1].GetProperty("generationConfig").GetProperty("mediaResolution").GetString());
        Assert.Equal("MEDIA_RESOLUTION_HIGH", bodies[2].GetProperty("generateContentRequest").GetProperty("generationConfig").GetProperty("mediaResolution").GetString());
    }

    [Fact]
    public void A_video_part_carries_its_clip_frame_rate_and_resolution_to_the_request()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $clip = New-GeminiPart -Data ([byte[]](0, 0, 0, 24)) -MimeType video/mp4 -StartOffset 12.5 -EndOffset '1:30' -FramesPerSecond 2 -MediaResolution High
            Invoke-GeminiContent -Contents @{ role = 'user'; parts = @((New-GeminiPart -Text 'What happens here?'), $clip) }
            """);

        result.AssertNoErrors();
        JsonElement part = Assert.Single(server.Requests).Json!.RootElement.GetProperty("contents")[0].GetProperty("parts")[1];
        Assert.Equal("video/mp4", part.GetProperty("inlineData").GetProperty("mimeType").GetString());
        Assert.Equal("""{"startOffset":"12.5s","endOffset":"90s","fps":2}""", part.GetProperty("videoMetadata").GetRawText());
        Assert.Equal("""{"level":"MEDIA_RESOLUTION_HIGH"}""", part.GetProperty("mediaResolution").GetRawText());
    }

    [Theory]
    [InlineData("([timespan]::FromMinutes(2))", "120s")]
    [InlineData("'00:01:02.25'", "62.25s")]
    [InlineData("'7.5s'", "7.5s")]
    [InlineData("5", "5s")]
    public void Offsets_take_a_TimeSpan_seconds_or_a_duration_on_a_fileData_video(string offset, string wire)
    {
        using var shell = new Shell();

        ShellResult result = shell.Run($"(New-GeminiPart -FileUri 'https://www.youtube.com/watch?v=abc' -MimeType video/mp4 -StartOffset {offset}).VideoMetadata.GetRawText()");

        result.AssertNoErrors();
        Assert.Equal("{\"startOffset\":\"" + wire + "\"}", result.Single<string>());
    }

    // Found trying it in a real console: a piped file object binds -File only per record, so the check that the media
    // options fit the parameter set must wait for the record (at BeginProcessing the set still reads as the default -Text).
    [Fact]
    public void A_piped_Files_API_file_takes_the_clip_options_and_a_piped_string_is_still_refused()
    {
        using var shell = new Shell();

        ShellResult result = shell.Run("""
            $file = [CometGemini.GeminiFile]@{ Name = 'files/talk'; Uri = 'https://generativelanguage.googleapis.com/v1beta/files/talk'; MimeType = 'video/mp4'; State = 'ACTIVE' }
            $part = $file | New-GeminiPart -StartOffset '0:30' -EndOffset 90 -FramesPerSecond 2 -MediaResolution Low
            $part.FileData.FileUri
            $part.VideoMetadata.GetRawText()
            """);
        ShellResult text = shell.Run("'hello' | New-GeminiPart -MediaResolution Low");

        result.AssertNoErrors();
        Assert.Equal("https://generativelanguage.googleapis.com/v1beta/files/talk", result.Output[0].BaseObject);
        Assert.Equal("{\"startOffset\":\"30s\",\"endOffset\":\"90s\",\"fps\":2}", result.Output[1].BaseObject);
        Assert.Equal("GeminiPartMediaInvalid", ((IContainsErrorRecord)text.Terminating!).ErrorRecord.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Empty(text.Output);
    }

    [Fact]
    public void A_resolution_alone_fits_an_image_and_a_file_uri()
    {
        using var shell = new Shell();

        ShellResult result = shell.Run("""
            (New-GeminiPart -Data ([byte[]](137, 80, 78, 71)) -MimeType image/png -MediaResolution Low).MediaResolution.GetRawText()
            (New-GeminiPart -FileUri 'https://generativelanguage.googleapis.com/v1beta/files/abc' -MimeType application/pdf -MediaResolution Medium).MediaResolution.GetRawText()
            """);

        result.AssertNoErrors();
        Assert.Equal(new[] { """{"level":"MEDIA_RESOLUTION_LOW"}""", """{"level":"MEDIA_RESOLUTION_MEDIUM"}""" }, result.All<string>());
    }

    [Theory]
    [InlineData("-StartOffset 30 -EndOffset 10", "must come after -StartOffset (30s)")]
    [InlineData("-StartOffset 30 -EndOffset 30", "must come after")]
    [InlineData("-FramesPerSecond 0", "must be more than 0")]
    [InlineData("-StartOffset -5", "neither can be negative")]
    public void Offsets_and_frame_rates_that_cannot_be_are_refused_before_any_part(string options, string message)
    {
        using var shell = new Shell();

        ShellResult result = shell.Run($"New-GeminiPart -Data ([byte[]](0, 0)) -MimeType video/mp4 {options}");

        ErrorRecord error = ((IContainsErrorRecord)result.Terminating!).ErrorRecord;
        Assert.Equal("GeminiPartMediaInvalid", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(message, error.Exception.Message);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Video_options_on_a_part_that_is_not_a_video_are_an_error_for_that_part()
    {
        using var shell = new Shell();

        ShellResult result = shell.Run("New-GeminiPart -Data ([byte[]](137, 80, 78, 71)) -MimeType image/png -StartOffset 3");

        Assert.Null(result.Terminating);
        Assert.Empty(result.Output);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("GeminiPartMediaInvalid", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("apply to video parts; this part is image/png", error.Exception.Message);
        Assert.IsType<Part>(error.TargetObject);
    }

    [Fact]
    public void Media_options_on_a_text_part_stop_the_command()
    {
        using var shell = new Shell();

        ShellResult result = shell.Run("New-GeminiPart -Text 'hello' -MediaResolution High");

        ErrorRecord error = ((IContainsErrorRecord)result.Terminating!).ErrorRecord;
        Assert.Equal("GeminiPartMediaInvalid", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("apply to media parts", error.Exception.Message);
    }

    [Fact]
    public void An_offset_that_is_no_time_is_a_binding_error_that_says_what_to_pass()
    {
        using var shell = new Shell();

        ShellResult result = shell.Run("New-GeminiPart -Data ([byte[]](0, 0)) -MimeType video/mp4 -StartOffset 'soon'");

        Assert.IsAssignableFrom<ParameterBindingException>(result.Terminating);
        Assert.Contains("Pass seconds (90 or 12.5)", result.Terminating!.Message);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(90_000, "90s")]
    [InlineData(12_500, "12.5s")]
    [InlineData(1, "0.001s")]
    public void Durations_are_written_as_seconds_with_an_s(int milliseconds, string wire) =>
        Assert.Equal(wire, PartMedia.Duration(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void Tab_after_MediaResolution_offers_the_levels_on_both_commands()
    {
        using var shell = new Shell();
        foreach (string line in new[] { "Invoke-GeminiContent 'Hi' -MediaResolution ", "New-GeminiPart -Path x.png -MediaResolution " })
        {
            shell.Set("line", line);
            ShellResult result = shell.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText");
            result.AssertNoErrors();
            Assert.Equal(new[] { "High", "Low", "Medium" }, result.Output.Select(o => o.ToString()).OrderBy(t => t));
        }
    }
}
