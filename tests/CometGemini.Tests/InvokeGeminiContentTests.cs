using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

public sealed class InvokeGeminiContentTests
{
    [Fact]
    public void A_piped_prompt_gets_a_typed_answer_from_the_default_model()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'Explain how AI works in a few words' | Invoke-GeminiContent");

        result.AssertNoErrors();
        var response = result.Single<GenerateContentResponse>();
        Assert.Equal("Echo: Explain how AI works in a few words", response.Text);
        Assert.Equal("STOP", response.FinishReason);
        Assert.Equal("Explain how AI works in a few words", response.Input);
        Assert.True(response.UsageMetadata!.TotalTokenCount > 0);
        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1beta/models/gemini-3-flash-preview:generateContent", request.PathAndQuery);
        Assert.Equal(Shell.TestKey, request.Headers["x-goog-api-key"]);
        Assert.DoesNotContain("key", request.PathAndQuery);
    }

    [Fact]
    public void Each_piped_string_is_its_own_request_and_answers_come_in_order()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'one', 'two', 'three' | Invoke-GeminiContent -Model gemini-3-flash-preview");

        result.AssertNoErrors();
        Assert.Equal(new[] { "Echo: one", "Echo: two", "Echo: three" }, result.All<GenerateContentResponse>().Select(r => r.Text));
        Assert.Equal(3, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Contains("/models/gemini-3-flash-preview:generateContent", r.PathAndQuery));
    }

    [Fact]
    public void Every_request_option_reaches_the_wire_and_GenerationConfig_is_merged_last()
    {
        using var server = FakeGeminiServer.Start();
        server.Caches.Add("gemini-2.5-flash", 100, name: "cachedContents/abc123");
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $schema = @{ type = 'object'; properties = @{ user_name = @{ type = 'string' } } }
            Invoke-GeminiContent 'Hello' -Model gemini-2.5-flash -SystemInstruction 'Be brief.' -Temperature 0.5 -TopP 0.9 -TopK 40 `
                -MaxOutputTokens 256 -StopSequence 'END','STOP' -Seed 7 -CandidateCount 2 -ResponseSchema $schema `
                -ThinkingBudget 0 -IncludeThoughts -SafetySetting @{ DangerousContent = 'BlockOnlyHigh'; HARM_CATEGORY_HARASSMENT = 'BLOCK_NONE' } `
                -GoogleSearch -CachedContent 'abc123' `
                -GenerationConfig @{ MaxOutputTokens = 512; presence_penalty = 0.1; thinkingConfig = @{ includeThoughts = $false }; responseModalities = @('TEXT') }
            """);

        result.AssertNoErrors();
        JsonElement body = Assert.Single(server.Requests).Json!.RootElement;
        Assert.Equal("Hello", body.GetProperty("contents")[0].GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal("user", body.GetProperty("contents")[0].GetProperty("role").GetString());
        Assert.Equal("Be brief.", body.GetProperty("systemInstruction").GetProperty("parts")[0].GetProperty("text").GetString());
        JsonElement config = body.GetProperty("generationConfig");
        Assert.Equal(0.5, config.GetProperty("temperature").GetDouble());
        Assert.Equal(0.9, config.GetProperty("topP").GetDouble());
        Assert.Equal(40, config.GetProperty("topK").GetInt32());
        Assert.Equal(512, config.GetProperty("maxOutputTokens").GetInt32()); // -GenerationConfig wins
        Assert.Equal(new[] { "END", "STOP" }, config.GetProperty("stopSequences").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(7, config.GetProperty("seed").GetInt32());
        Assert.Equal(2, config.GetProperty("candidateCount").GetInt32());
        Assert.Equal("application/json", config.GetProperty("responseMimeType").GetString());
        Assert.Equal("string", config.GetProperty("responseSchema").GetProperty("properties").GetProperty("user_name").GetProperty("type").GetString());
        Assert.Equal(0.1, config.GetProperty("presencePenalty").GetDouble());
        Assert.Equal("TEXT", config.GetProperty("responseModalities")[0].GetString());
        Assert.Equal(0, config.GetProperty("thinkingConfig").GetProperty("thinkingBudget").GetInt32());
        Assert.False(config.GetProperty("thinkingConfig").GetProperty("includeThoughts").GetBoolean());
        JsonElement[] safety = body.GetProperty("safetySettings").EnumerateArray().ToArray();
        Assert.Contains(safety, s => s.GetProperty("category").GetString() == "HARM_CATEGORY_DANGEROUS_CONTENT" && s.GetProperty("threshold").GetString() == "BLOCK_ONLY_HIGH");
        Assert.Contains(safety, s => s.GetProperty("category").GetString() == "HARM_CATEGORY_HARASSMENT" && s.GetProperty("threshold").GetString() == "BLOCK_NONE");
        Assert.Equal(JsonValueKind.Object, body.GetProperty("tools")[0].GetProperty("googleSearch").ValueKind);
        Assert.Equal("cachedContents/abc123", body.GetProperty("cachedContent").GetString());
    }

    [Fact]
    public void ResponseSchema_takes_JSON_text_and_ThinkingLevel_goes_out_upper_case()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""Invoke-GeminiContent 'Hi' -Model gemini-3-pro-preview -ThinkingLevel low -ResponseSchema '{"type":"array","items":{"type":"string"}}' -ResponseMimeType application/json""");

        result.AssertNoErrors();
        JsonElement config = Assert.Single(server.Requests).Json!.RootElement.GetProperty("generationConfig");
        Assert.Equal("LOW", config.GetProperty("thinkingConfig").GetProperty("thinkingLevel").GetString());
        Assert.Equal("array", config.GetProperty("responseSchema").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("-Model gemini-3.8-flash -ThinkingBudget 1024", "-ThinkingLevel")]
    [InlineData("-Model gemini-3.8-flash -ThinkingLevel Minimal", "Low, Medium or High, not Minimal")]
    [InlineData("-ThinkingLevel Maximal", "Minimal, Low, Medium or High, not Maximal")]
    [InlineData("-Model gemini-2.5-flash -ThinkingBudget 1024 -ThinkingLevel Low", "not both")]
    public void Thinking_options_that_do_not_fit_the_model_are_refused_before_sending(string options, string advice)
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run($"Invoke-GeminiContent 'Hi' {options}");

        Assert.NotNull(result.Terminating);
        var error = ((IContainsErrorRecord)result.Terminating!).ErrorRecord;
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(advice, error.Exception.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Other_model_names_pass_thinking_options_through()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Hi' -Model gemini-flash-latest -ThinkingLevel High");

        result.AssertNoErrors();
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("-Model 'gemini 2.5'")]
    [InlineData("-Model 'gemini-2.5-flash?key=x'")]
    [InlineData("-Temperature 3")]
    [InlineData("-MaxOutputTokens -5")]
    [InlineData("-CandidateCount 9")]
    [InlineData("-ResponseSchema '{not json'")]
    [InlineData("-BaseUri 'ftp://example.test'")]
    public void Bad_options_are_refused_before_anything_is_sent(string options)
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run($"Invoke-GeminiContent 'Hi' {options}");

        Assert.True(result.Terminating is not null || result.Errors.Count > 0);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void The_response_carries_candidates_usage_and_metadata_and_tolerates_unknown_fields()
    {
        using var server = FakeGeminiServer.Start();
        string body = Paths.FixtureText("pydantic-ai/derived/test_multimodal_tool_return_matrix_direct-binary-image-google_2_5.1.response.json")
            .Replace("\"modelVersion\"", "\"brandNewField\": {\"x\": [1, 2]}, \"createTime\": \"2026-11-24T10:00:00.123456Z\", \"modelVersion\"")
            // No recording has cache counts yet; the shape is the documented UsageMetadata one.
            .Replace("\"promptTokenCount\"", "\"cachedContentTokenCount\": 5, \"cacheTokensDetails\": [{\"modality\": \"TEXT\", \"tokenCount\": 5}], \"promptTokenCount\"");
        server.Enqueue(FakeReply.Json(200, body));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Describe the image'");

        result.AssertNoErrors();
        var response = result.Single<GenerateContentResponse>();
        Assert.NotEmpty(response.Text);
        Assert.NotNull(response.ModelVersion);
        Assert.NotNull(response.ResponseId);
        Assert.Equal(2026, response.CreateTime!.Value.Year);
        Assert.True(response.UsageMetadata!.CachedContentTokenCount > 0);
        Assert.NotEmpty(response.UsageMetadata.CacheTokensDetails!);
        Assert.True(response.ExtensionData!.ContainsKey("brandNewField"));
    }

    [Fact]
    public void Grounding_citations_and_safety_ratings_are_objects()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText("pydantic-ai/derived/test_google_model_web_search_tool.0.response.json")));
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText("firebase-test-data/googleai/unary-success-citations.json")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'weather?', 'cite' | Invoke-GeminiContent");

        result.AssertNoErrors();
        var responses = result.All<GenerateContentResponse>();
        GroundingMetadata grounding = responses[0].Candidates![0].GroundingMetadata!;
        Assert.NotEmpty(grounding.WebSearchQueries!);
        Assert.NotEmpty(grounding.GroundingChunks!);
        Assert.NotNull(grounding.GroundingChunks![0].Web!.Uri);
        Assert.True(responses[0].UsageMetadata!.ToolUsePromptTokenCount > 0);
        Candidate cited = responses[1].Candidates![0];
        Assert.NotEmpty(cited.CitationMetadata!.CitationSources!);
        Assert.NotEmpty(cited.SafetyRatings!);
    }

    [Fact]
    public void Thoughts_are_kept_apart_from_the_answer_text()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Why?' -IncludeThoughts");

        result.AssertNoErrors();
        var response = result.Single<GenerateContentResponse>();
        Assert.Equal("Echo: Why?", response.Text);
        Assert.Equal("Thinking about it.", response.Thoughts);
        Assert.True(response.UsageMetadata!.ThoughtsTokenCount > 0);
    }

    [Fact]
    public void Unknown_enum_values_and_nulls_do_not_break_parsing()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, """
            {"candidates": [{"content": {"parts": [{"text": "ok"}, {"futurePart": {"a": 1}}], "role": "model"},
              "finishReason": "SOMETHING_NEW", "safetyRatings": null, "citationMetadata": null,
              "groundingMetadata": {}, "index": "0"}],
             "promptFeedback": null, "usageMetadata": {"promptTokenCount": "3", "totalTokenCount": 5, "newCount": 9}}
            """));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Hi'");

        Assert.Empty(result.Errors);
        var response = result.Single<GenerateContentResponse>();
        Assert.Equal("ok", response.Text);
        Assert.Equal("SOMETHING_NEW", response.FinishReason);
        Assert.Equal(3, response.UsageMetadata!.PromptTokenCount);
        Assert.Contains(result.Warnings, w => w.Contains("SOMETHING_NEW"));
    }

    [Fact]
    public void Files_piped_in_give_one_request_each_with_the_prompt_and_say_which_file_they_answer()
    {
        using var server = FakeGeminiServer.Start();
        string dir = TempDir.Create();
        File.WriteAllText(Path.Combine(dir, "app.log"), "ERROR disk full");
        File.WriteAllText(Path.Combine(dir, "web.log"), "ERROR timeout");
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        ShellResult result = shell.Run("[System.IO.DirectoryInfo]::new($dir).GetFiles('*.log') | Invoke-GeminiContent -Prompt 'Summarize the errors'");

        result.AssertNoErrors();
        var responses = result.All<GenerateContentResponse>().OrderBy(r => r.SourcePath).ToList();
        Assert.Equal(2, responses.Count);
        Assert.Equal(Path.Combine(dir, "app.log"), responses[0].SourcePath);
        Assert.IsType<FileInfo>(responses[0].Input);
        Assert.Equal(2, server.Requests.Count);
        foreach (RecordedRequest request in server.Requests)
        {
            JsonElement parts = request.Json!.RootElement.GetProperty("contents")[0].GetProperty("parts");
            Assert.Equal(2, parts.GetArrayLength());
            Assert.StartsWith("ERROR", parts[0].GetProperty("text").GetString());
            Assert.Equal("Summarize the errors", parts[1].GetProperty("text").GetString());
        }
    }

    [Fact]
    public void A_provider_path_from_the_pipeline_is_resolved_like_Get_ChildItem_output()
    {
        using var server = FakeGeminiServer.Start();
        string dir = TempDir.Create();
        string file = Path.Combine(dir, "notes.txt");
        File.WriteAllText(file, "remember the milk");
        using var shell = new Shell(server);
        shell.Set("file", file);

        ShellResult result = shell.Run("[pscustomobject]@{ PSPath = \"Microsoft.PowerShell.Core\\FileSystem::$file\" } | Invoke-GeminiContent -Prompt 'What is in it?'");

        result.AssertNoErrors();
        Assert.Equal(file, result.Single<GenerateContentResponse>().SourcePath);
    }

    [Fact]
    public void Files_piped_in_without_a_prompt_send_just_the_file()
    {
        using var server = FakeGeminiServer.Start();
        string dir = TempDir.Create();
        File.WriteAllText(Path.Combine(dir, "todo.txt"), "buy milk");
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        ShellResult result = shell.Run("[System.IO.DirectoryInfo]::new($dir).GetFiles() | Invoke-GeminiContent");

        result.AssertNoErrors();
        Assert.Single(result.Output);
        JsonElement parts = Assert.Single(server.Requests).Json!.RootElement.GetProperty("contents")[0].GetProperty("parts");
        Assert.Equal("buy milk", Assert.Single(parts.EnumerateArray()).GetProperty("text").GetString()); // not the path as a prompt too
    }

    [Fact]
    public void Lines_read_from_a_file_are_prompts_not_files()
    {
        // Get-Content writes each line as a string carrying PSPath, PSChildName... note properties.
        using var server = FakeGeminiServer.Start();
        string file = Path.Combine(TempDir.Create(), "questions.txt");
        File.WriteAllText(file, "first question\nsecond question\n");
        using var shell = new Shell(server);
        shell.Set("file", file);

        ShellResult result = shell.Run("""
            'first question', 'second question' | ForEach-Object {
                $line = [psobject]::new($_)
                $line.PSObject.Properties.Add([psnoteproperty]::new('PSPath', "Microsoft.PowerShell.Core\FileSystem::$file"))
                $line.PSObject.Properties.Add([psnoteproperty]::new('ReadCount', 1))
                $line
            } | Invoke-GeminiContent
            """);

        result.AssertNoErrors();
        Assert.Equal(2, result.Output.Count);
        Assert.Equal(
            new[] { "first question", "second question" },
            server.Requests.Select(r => Assert.Single(r.Json!.RootElement.GetProperty("contents")[0].GetProperty("parts").EnumerateArray()).GetProperty("text").GetString()));
        Assert.Equal(new object?[] { "first question", "second question" }, result.All<GenerateContentResponse>().Select(r => r.Input?.ToString()));
    }

    [Fact]
    public void A_piped_file_that_cannot_be_sent_is_an_error_for_that_file_and_the_others_go_on()
    {
        using var server = FakeGeminiServer.Start();
        string dir = TempDir.Create();
        File.WriteAllBytes(Path.Combine(dir, "a.unknownbin"), new byte[] { 0, 1, 2, 0xFF });
        File.WriteAllText(Path.Combine(dir, "b.txt"), "fine");
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        ShellResult result = shell.Run("[System.IO.DirectoryInfo]::new($dir).GetFiles() | Invoke-GeminiContent -Prompt 'Read'");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("New-GeminiPart -MimeType", error.Exception.Message);
        Assert.EndsWith("a.unknownbin", error.TargetObject!.ToString());
        Assert.EndsWith("b.txt", result.Single<GenerateContentResponse>().SourcePath);
    }

    [Fact]
    public void A_missing_file_is_an_error_for_that_input_and_the_others_go_on()
    {
        using var server = FakeGeminiServer.Start();
        string dir = TempDir.Create();
        string good = Path.Combine(dir, "good.txt");
        File.WriteAllText(good, "fine");
        using var shell = new Shell(server);
        shell.Set("good", good);
        shell.Set("missing", Path.Combine(dir, "missing.txt"));

        ShellResult result = shell.Run("Invoke-GeminiContent -Prompt 'Read' -LiteralPath $missing, $good");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("missing.txt", error.TargetObject!.ToString());
        Assert.Equal(good, result.Single<GenerateContentResponse>().SourcePath);
        Assert.Single(server.Requests);
    }

    [Fact]
    public void Nothing_to_send_is_a_clear_error()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Contains("-Prompt", error.Exception.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Verbose_tells_endpoint_model_and_time_and_Debug_shows_the_body_but_never_the_key()
    {
        using var server = FakeGeminiServer.Start();
        const string key = "sk-SENTINEL-0123456789";
        server.ExpectedApiKey = key;
        using var shell = new Shell(server, apiKey: key);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Hi there' -Verbose -Debug");

        result.AssertNoErrors();
        Assert.Contains(result.Verbose, v => v.Contains(server.BaseUri.Authority) && v.Contains("gemini-3-flash-preview:generateContent"));
        Assert.Contains(result.Verbose, v => v.Contains(" ms"));
        Assert.Contains(result.Debug, d => d.Contains("\"Hi there\""));
        Assert.DoesNotContain(key, result.Everything());
    }

    // Get-ChildItem *.log | Invoke-GeminiContent -Prompt ... in a folder without logs: no billed request with the prompt alone.
    [Fact]
    public void An_empty_upstream_sends_nothing()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("dir", TempDir.Create());

        ShellResult result = shell.Run("[System.IO.DirectoryInfo]::new($dir).GetFiles('*.log') | Invoke-GeminiContent -Prompt 'Summarize the errors'");

        Assert.Empty(server.Requests);
        Assert.Empty(result.Output);
    }

    // -Part on the command line goes with each piped prompt.
    [Fact]
    public void Piped_prompts_with_a_Part_argument_each_send_the_part_and_their_text()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("$img = New-GeminiPart -Data ([byte[]](1,2,3)) -MimeType image/png; 'What color?', 'What shape?' | Invoke-GeminiContent -Part $img");

        string bodies = string.Join("\n", server.Requests.Select(r => r.BodyText));
        Assert.Contains("What color?", bodies);
        Assert.Contains("What shape?", bodies);
    }

    // A CSV row (Import-Csv) with a Prompt column binds its Prompt, not the row's text.
    [Fact]
    public void An_object_with_a_Prompt_property_is_not_sent_as_its_ToString()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("[pscustomobject]@{ Prompt = 'What is 2+2?'; Id = 7 } | Invoke-GeminiContent");

        string body = Assert.Single(server.Requests).BodyText;
        Assert.DoesNotContain("@{", body);
    }
}
