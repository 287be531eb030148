using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CometGemini.Demo;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>Images and speech out: the request options that ask for them and what comes back.</summary>
public sealed class MediaOutputTests
{
    private const string ImageFixture = "vercel-ai/derived/google-image-gemini-3.1-flash-image.json";
    private const string SpeechFixture = "synthetic/tts-pcm-24k.json";
    private const string ImageStreamFixture = "firebase-test-data/googleai/streaming-success-empty-parts.txt";

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

    [Fact]
    public void A_recorded_image_answer_exposes_its_image_with_type_and_bytes()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText(ImageFixture)));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'A lighthouse' -Model gemini-3.1-flash-image -ResponseModality Image");

        result.AssertNoErrors();
        Assert.Empty(result.Warnings);
        var response = result.Single<GenerateContentResponse>();
        GeminiImage image = Assert.Single(response.Images);
        Assert.Equal("image/jpeg", image.MimeType);
        Assert.Equal(".jpg", image.Extension);
        Assert.Equal(InlineBytes(ImageFixture), image.Bytes);
        Assert.Equal(134, image.Length);
        Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF }, image.Bytes.Take(3));
        Assert.Empty(response.Audio);
        Assert.Equal(string.Empty, response.Text);
        Assert.Equal("[image/jpeg, 134 bytes]", image.ToString());
    }

    [Fact]
    public void A_recorded_image_stream_carries_the_image_on_its_last_chunk()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.SseRaw(Paths.FixtureText(ImageStreamFixture)));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'A kitten' -Model gemini-2.5-flash-image -ResponseModality Text, Image");

        result.AssertNoErrors();
        var chunks = result.All<GeminiStreamChunk>();
        Assert.All(chunks.Take(chunks.Count - 1), c => Assert.Empty(c.Images));
        GeminiImage image = Assert.Single(chunks[^1].Images);
        Assert.Equal("image/png", image.MimeType);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, image.Bytes.Take(8));
        Assert.StartsWith("Here's a cute cartoon kitten", string.Concat(chunks.Select(c => c.Text)));
    }

    [Fact]
    public void URL_safe_unpadded_base64_decodes_and_thought_images_are_left_out()
    {
        byte[] bytes = { 0xFB, 0xFF, 0xBF, 0xFB, 0xFF };
        string urlSafe = Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Contains('-', urlSafe);
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, $$$"""
            {"candidates":[{"content":{"role":"model","parts":[
              {"inlineData":{"mimeType":"image/png","data":"{{{Convert.ToBase64String(new byte[] { 1, 2, 3 })}}}"},"thought":true},
              {"text":"Here it is."},
              {"inlineData":{"mimeType":"image/webp","data":"{{{urlSafe}}}"}}]},"finishReason":"STOP"}]}
            """));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Draw' -ResponseModality Text, Image -IncludeThoughts");

        result.AssertNoErrors();
        var response = result.Single<GenerateContentResponse>();
        GeminiImage image = Assert.Single(response.Images);
        Assert.Equal("image/webp", image.MimeType);
        Assert.Equal(bytes, image.Bytes);
        Assert.Equal("Here it is.", response.Text);
    }

    [Fact]
    public void Speech_saves_as_a_WAV_file_with_a_correct_header()
    {
        string dir = TempDir.Create();
        string path = Path.Combine(dir, "hello.wav");
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText(SpeechFixture)));
        using var shell = new Shell(server);
        shell.Set("path", path);

        ShellResult result = shell.Run("$r = Invoke-GeminiContent 'Say hello' -Model gemini-2.5-flash-preview-tts -Voice Kore; $r; $r.Audio[0].SaveWav($path)");

        result.AssertNoErrors();
        var response = (GenerateContentResponse)result.Output[0].BaseObject;
        GeminiAudio audio = Assert.Single(response.Audio);
        Assert.True(audio.IsPcm);
        Assert.Equal(24000, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        Assert.Equal(TimeSpan.FromSeconds(0.1), audio.Duration);
        Assert.Equal(".wav", audio.Extension);
        Assert.Empty(response.Images);
        var file = (FileInfo)result.Output[1].BaseObject;
        Assert.Equal(path, file.FullName);
        AssertWav(File.ReadAllBytes(path), InlineBytes(SpeechFixture), sampleRate: 24000, channels: 1);
    }

    [Theory]
    [InlineData("audio/L16;codec=pcm;rate=16000", 16000, 1)]
    [InlineData("audio/L16;codec=pcm", 24000, 1)]
    [InlineData("audio/pcm; rate=44100; channels=2", 44100, 2)]
    public void The_WAV_header_follows_the_rate_and_channels_of_the_MIME_type(string mimeType, int rate, int channels)
    {
        byte[] pcm = Enumerable.Range(0, 4000).Select(i => (byte)(i * 7)).ToArray();
        var audio = new GeminiAudio(mimeType, Convert.ToBase64String(pcm));

        Assert.True(audio.IsPcm);
        Assert.Equal(rate, audio.SampleRate);
        Assert.Equal(channels, audio.Channels);
        AssertWav(audio.ToWav(), pcm, rate, channels);
    }

    [Fact]
    public void Audio_in_a_container_is_saved_as_it_came_and_relative_paths_are_refused()
    {
        byte[] wav = Encoding.ASCII.GetBytes("RIFF....WAVEfmt not really");
        var audio = new GeminiAudio("audio/wav", Convert.ToBase64String(wav));
        string path = Path.Combine(TempDir.Create(), "as-is.wav");

        Assert.False(audio.IsPcm);
        Assert.Null(audio.Duration);
        audio.SaveWav(path);
        Assert.Equal(wav, File.ReadAllBytes(path));
        Assert.Equal(".mp3", new GeminiAudio("audio/mpeg", "AAAA").Extension);
        var refused = Assert.Throws<ArgumentException>(() => audio.Save("relative.wav"));
        Assert.Contains("full path", refused.Message);
    }

    [Fact]
    public void OutFolder_saves_each_image_under_a_unique_name_and_writes_the_files_after_their_response()
    {
        string dir = TempDir.Create();
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText(ImageFixture)));
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText(ImageFixture)));
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        // A relative folder is PowerShell's: under the current location, created when missing.
        ShellResult result = shell.Run("""
            $ExecutionContext.SessionState.Path.SetLocation($dir) | Out-Null
            'a lighthouse', 'a harbour' | Invoke-GeminiContent -Model gemini-3.1-flash-image -ResponseModality Image -OutFolder new/images
            """);

        result.AssertNoErrors();
        Assert.Equal(new[] { "GenerateContentResponse", "FileInfo", "GenerateContentResponse", "FileInfo" }, result.Output.Select(o => o.BaseObject.GetType().Name));
        FileInfo[] files = result.Output.Select(o => o.BaseObject).OfType<FileInfo>().ToArray();
        Assert.All(files, f => Assert.Equal(Path.Combine(dir, "new", "images"), f.DirectoryName));
        Assert.All(files, f => Assert.Matches(@"^gemini-\d{8}-\d{6}-\d+\.jpg$", f.Name));
        Assert.Equal(2, files.Select(f => f.Name).Distinct().Count());
        Assert.All(files, f => Assert.Equal(InlineBytes(ImageFixture), File.ReadAllBytes(f.FullName)));
        Assert.Equal(files.Select(f => f.FullName).OrderBy(n => n), Directory.GetFiles(Path.Combine(dir, "new", "images")).OrderBy(n => n));
    }

    [Fact]
    public void WhatIf_sends_nothing_saves_nothing_and_creates_no_folder()
    {
        string dir = TempDir.Create();
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText(ImageFixture)));
        using var shell = new Shell(server);
        shell.Set("out", Path.Combine(dir, "images"));

        ShellResult result = shell.Run("Invoke-GeminiContent 'a lighthouse' -Model gemini-3.1-flash-image -ResponseModality Image -OutFolder $out -WhatIf");

        result.AssertNoErrors();
        Assert.Empty(result.Output); // -WhatIf asks the model nothing (issue 19)
        Assert.Empty(server.Requests);
        Assert.False(Directory.Exists(Path.Combine(dir, "images")));
    }

    [Fact]
    public void OutFolder_never_replaces_a_file_that_is_already_there()
    {
        string dir = TempDir.Create();
        // Every name the next seconds could give, taken already.
        DateTime now = DateTime.Now;
        var taken = Enumerable.Range(0, 10)
            .SelectMany(s => Enumerable.Range(1, 3).Select(n => Path.Combine(dir, $"gemini-{now.AddSeconds(s):yyyyMMdd-HHmmss}-{n}.png")))
            .ToList();
        taken.ForEach(path => File.WriteAllText(path, "keep me"));
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.SseRaw(Paths.FixtureText(ImageStreamFixture)));
        server.Enqueue(FakeReply.SseRaw(Paths.FixtureText(ImageStreamFixture)));
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        ShellResult result = shell.Run("""
            Get-GeminiStream 'A kitten' -ResponseModality Text, Image -OutFolder $dir
            Get-GeminiStream 'A kitten' -ResponseModality Text, Image -OutFolder $dir
            """);

        result.AssertNoErrors();
        FileInfo[] files = result.Output.Select(o => o.BaseObject).OfType<FileInfo>().ToArray();
        Assert.Equal(2, files.Length);
        Assert.NotEqual(files[0].FullName, files[1].FullName);
        Assert.All(files, f => Assert.DoesNotContain(f.FullName, taken));
        Assert.All(files, f => Assert.Equal(0x89, File.ReadAllBytes(f.FullName)[0]));
        Assert.All(taken, path => Assert.Equal("keep me", File.ReadAllText(path)));
    }

    [Fact]
    public void A_streamed_image_is_saved_right_after_the_chunk_that_carried_it()
    {
        string dir = TempDir.Create();
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.SseRaw(Paths.FixtureText(ImageStreamFixture)));
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        ShellResult result = shell.Run("Get-GeminiStream 'A kitten' -Model gemini-2.5-flash-image -ResponseModality Text, Image -OutFolder $dir");

        result.AssertNoErrors();
        var output = result.Output.Select(o => o.BaseObject).ToList();
        var file = Assert.IsType<FileInfo>(output[^1]);
        var carrier = Assert.IsType<GeminiStreamChunk>(output[^2]);
        Assert.Single(carrier.Images);
        Assert.All(output.Take(output.Count - 1), o => Assert.IsType<GeminiStreamChunk>(o));
        Assert.Equal(".png", file.Extension);
        Assert.Equal(carrier.Images[0].Bytes, File.ReadAllBytes(file.FullName));
    }

    [Fact]
    public void Speech_is_saved_as_WAV_and_a_streamed_answer_as_one_file()
    {
        string dir = TempDir.Create();
        byte[] pcm = InlineBytes(SpeechFixture);
        string Piece(int from, int count, string? finish)
        {
            var inlineData = new JsonObject { ["mimeType"] = "audio/L16;codec=pcm;rate=24000", ["data"] = Convert.ToBase64String(pcm, from, count) };
            var candidate = new JsonObject { ["content"] = new JsonObject { ["role"] = "model", ["parts"] = new JsonArray(new JsonObject { ["inlineData"] = inlineData }) } };
            if (finish is not null)
                candidate["finishReason"] = finish;
            return new JsonObject { ["candidates"] = new JsonArray(candidate), ["modelVersion"] = "gemini-2.5-flash-preview-tts" }.ToJsonString();
        }

        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText(SpeechFixture)));
        server.Enqueue(FakeReply.Sse(new[] { Piece(0, 1600, null), Piece(1600, 1600, null), Piece(3200, 1600, "STOP") }));
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        ShellResult result = shell.Run("""
            Invoke-GeminiContent 'Say hello' -Model gemini-2.5-flash-preview-tts -Voice Kore -OutFolder $dir
            Get-GeminiStream 'Say hello' -Model gemini-2.5-flash-preview-tts -Voice Kore -OutFolder $dir
            """);

        result.AssertNoErrors();
        Assert.Equal(
            new[] { "GenerateContentResponse", "FileInfo", "GeminiStreamChunk", "GeminiStreamChunk", "GeminiStreamChunk", "FileInfo" },
            result.Output.Select(o => o.BaseObject.GetType().Name));
        FileInfo[] files = result.Output.Select(o => o.BaseObject).OfType<FileInfo>().ToArray();
        Assert.All(files, f => Assert.Equal(".wav", f.Extension));
        Assert.All(files, f => AssertWav(File.ReadAllBytes(f.FullName), pcm, sampleRate: 24000, channels: 1));
    }

    [Theory]
    [InlineData("file")]
    [InlineData("Env:\\NotAFolder")]
    public void An_OutFolder_that_cannot_be_a_folder_stops_the_command_before_sending(string folder)
    {
        string file = Path.Combine(TempDir.Create(), "taken.txt");
        File.WriteAllText(file, "x");
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("folder", folder == "file" ? file : folder);

        ShellResult result = shell.Run("Invoke-GeminiContent 'A cat' -ResponseModality Image -OutFolder $folder");

        var error = Assert.IsAssignableFrom<IContainsErrorRecord>(result.Terminating).ErrorRecord;
        Assert.Equal("GeminiOutFolderInvalid", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("-OutFolder", error.ErrorDetails.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Image_data_that_is_not_base64_is_an_error_for_that_file_and_the_response_still_comes()
    {
        string dir = TempDir.Create();
        using var server = FakeGeminiServer.Start();
        // The upstream recording, redacted: its data is a placeholder text, not base64.
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText("vercel-ai/google-image-gemini-3.1-flash-image.json")));
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        ShellResult result = shell.Run("Invoke-GeminiContent 'A lighthouse' -ResponseModality Image -OutFolder $dir");

        Assert.Null(result.Terminating);
        var response = result.Single<GenerateContentResponse>();
        Assert.StartsWith("[image/jpeg, ", Assert.Single(response.Images).ToString());
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("GeminiMediaNotSaved", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains("base64", error.ErrorDetails.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void A_recorded_NO_IMAGE_answer_warns_and_still_comes_back()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText("vercel-ai/google-image-no-image-live.json")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Tell me a joke' -Model gemini-3.1-flash-image-preview -ResponseModality Image -OutFolder ([System.IO.Path]::GetTempPath())");

        result.AssertNoErrors();
        var response = result.Single<GenerateContentResponse>();
        Assert.Equal("NO_IMAGE", response.FinishReason);
        Assert.Empty(response.Images);
        string warning = Assert.Single(result.Warnings);
        Assert.Contains("NO_IMAGE", warning);
        Assert.Contains("-ResponseModality", warning);
    }

    [Theory]
    [InlineData("NO_IMAGE")]
    [InlineData("IMAGE_SAFETY")]
    [InlineData("IMAGE_PROHIBITED_CONTENT")]
    [InlineData("IMAGE_RECITATION")]
    [InlineData("IMAGE_OTHER")]
    public void Image_finish_reasons_warn_by_name_in_answers_and_streams(string reason)
    {
        string body = $$"""{"candidates":[{"content":{},"finishReason":"{{reason}}","index":0}],"modelVersion":"gemini-2.5-flash-image"}""";
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, body));
        server.Enqueue(FakeReply.Sse(new[] { body }));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'A cat' -Model gemini-2.5-flash-image -ResponseModality Image; Get-GeminiStream 'A cat' -Model gemini-2.5-flash-image -ResponseModality Image");

        result.AssertNoErrors();
        Assert.Equal(new[] { "GenerateContentResponse", "GeminiStreamChunk" }, result.Output.Select(o => o.BaseObject.GetType().Name));
        Assert.Equal(2, result.Warnings.Count());
        Assert.All(result.Warnings, w => Assert.Contains(reason, w));
        Assert.All(result.Warnings, w => Assert.DoesNotContain("ended with finish reason", w));
    }

    [Fact]
    public void An_image_answer_shows_a_line_for_its_image_and_the_image_a_table()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText(ImageFixture)));
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText(ImageFixture)));
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));

        shell.Run("Invoke-GeminiContent 'A lighthouse' -Model gemini-3.1-flash-image -ResponseModality Image | Out-Default").AssertNoErrors();
        string answer = screen.ToString();
        Assert.Equal("[image/jpeg, 134 bytes]", answer.Trim());

        shell.Run("(Invoke-GeminiContent 'A lighthouse' -Model gemini-3.1-flash-image -ResponseModality Image).Images | Out-Default").AssertNoErrors();
        string[] table = screen.ToString().Substring(answer.Length).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        Assert.Matches(@"^MimeType\s+Length$", table[0]);
        Assert.Matches(@"^image/jpeg\s+134$", table[^1]);
    }

    [Fact]
    public void Text_and_image_answers_show_both_and_speech_shows_its_length()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.SseRaw(Paths.FixtureText(ImageStreamFixture)));
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText(SpeechFixture)));
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText(SpeechFixture)));
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));

        shell.Run("Get-GeminiStream 'A kitten' -Model gemini-2.5-flash-image-preview -ResponseModality Text, Image | Out-Default").AssertNoErrors();
        string streamed = screen.ToString();
        Assert.Contains("cute cartoon kitten", streamed);
        Assert.Matches(@"\[image/png, \d+ bytes\]", streamed);

        shell.Run("Invoke-GeminiContent 'Say hello' -Model gemini-2.5-flash-preview-tts -Voice Kore | Out-Default").AssertNoErrors();
        string spoken = screen.ToString().Substring(streamed.Length);
        Assert.Matches(@"^\[audio/L16;codec=pcm;rate=24000, 0[.,]1 s, 4[.,]7 KB\]$", spoken.Trim());

        shell.Run("(Invoke-GeminiContent 'Say hello' -Model gemini-2.5-flash-preview-tts -Voice Kore).Audio | Out-Default").AssertNoErrors();
        string table = screen.ToString().Substring(streamed.Length + spoken.Length);
        Assert.Contains("Duration", table);
        Assert.Matches(@"audio/L16;codec=pcm;rate=24000\s+0[.,]1 s\s+4800", table);
    }

    [Fact]
    public void The_key_appears_in_no_saved_file_and_no_output()
    {
        const string key = "AIzaSENTINEL-media-do-not-print-4242";
        string dir = TempDir.Create();
        using var server = FakeGeminiServer.Start();
        server.ExpectedApiKey = key;
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText(ImageFixture)));
        server.Enqueue(FakeReply.SseRaw(Paths.FixtureText(ImageStreamFixture)));
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText(SpeechFixture)));
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText("vercel-ai/google-image-gemini-3.1-flash-image.json")));
        using var shell = new Shell(server, apiKey: key);
        shell.Set("dir", dir);

        ShellResult result = shell.Run("""
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
            Invoke-GeminiContent 'A lighthouse' -ResponseModality Image -AspectRatio 16:9 -OutFolder $dir
            Get-GeminiStream 'A kitten' -ResponseModality Text, Image -OutFolder $dir
            Invoke-GeminiContent 'Say hello' -Voice Kore -OutFolder $dir
            Invoke-GeminiContent 'Redacted' -ResponseModality Image -OutFolder $dir
            """);

        Assert.Null(result.Terminating);
        Assert.Single(result.Errors); // the redacted image, not saved
        string[] files = Directory.GetFiles(dir);
        Assert.Equal(3, files.Length);
        Assert.Equal(3, result.Output.Count(o => o.BaseObject is FileInfo));
        foreach (string file in files)
        {
            byte[] content = File.ReadAllBytes(file);
            Assert.DoesNotContain(key, Encoding.UTF8.GetString(content));
            Assert.DoesNotContain(key, Encoding.Unicode.GetString(content));
            Assert.DoesNotContain(key, file);
        }

        Assert.DoesNotContain(key, result.Everything());
    }

    internal static byte[] InlineBytes(string fixture)
    {
        using JsonDocument document = JsonDocument.Parse(Paths.FixtureText(fixture));
        return Convert.FromBase64String(document.RootElement.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0]
            .GetProperty("inlineData").GetProperty("data").GetString()!);
    }

    internal static void AssertWav(byte[] wav, byte[] pcm, int sampleRate, int channels)
    {
        string Tag(int at) => Encoding.ASCII.GetString(wav, at, 4);
        int Int32(int at) => BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(at));
        short Int16(int at) => BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(at));

        Assert.Equal(44 + pcm.Length, wav.Length);
        Assert.Equal("RIFF", Tag(0));
        Assert.Equal(wav.Length - 8, Int32(4));        // RIFF chunk size
        Assert.Equal("WAVE", Tag(8));
        Assert.Equal("fmt ", Tag(12));
        Assert.Equal(16, Int32(16));                   // fmt chunk size
        Assert.Equal(1, Int16(20));                    // PCM
        Assert.Equal(channels, Int16(22));
        Assert.Equal(sampleRate, Int32(24));
        Assert.Equal(sampleRate * channels * 2, Int32(28)); // byte rate
        Assert.Equal(channels * 2, Int16(32));         // block align
        Assert.Equal(16, Int16(34));                   // bits per sample
        Assert.Equal("data", Tag(36));
        Assert.Equal(pcm.Length, Int32(40));           // data size
        Assert.Equal(pcm, wav.Skip(44).ToArray());
    }
}
