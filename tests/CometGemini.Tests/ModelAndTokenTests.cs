using System;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Text.Json;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>Get-GeminiModel (models.list, models.get) and Measure-GeminiToken (countTokens).</summary>
public sealed class ModelAndTokenTests
{
    [Fact]
    public void Get_GeminiModel_lists_every_model_following_the_page_token()
    {
        using var server = FakeGeminiServer.Start();
        // The first page is scripted to end after one model; the fake's own paging serves the rest from the token.
        server.Enqueue("/v1beta/models?", FakeReply.Json(200, $$"""
            {"models": [{"name": "models/gemini-2.5-flash", "displayName": "Gemini 2.5 Flash", "inputTokenLimit": 1048576, "outputTokenLimit": 65536,
              "supportedGenerationMethods": ["generateContent", "countTokens"], "temperature": 1, "topP": 0.95, "topK": 64, "thinking": true, "version": "001"}],
             "nextPageToken": "{{Convert.ToBase64String(Encoding.UTF8.GetBytes("models/gemini-3-pro-preview"))}}"}
            """));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiModel");

        result.AssertNoErrors();
        var models = result.All<GeminiModel>();
        Assert.Equal(new[] { "gemini-2.5-flash", "gemini-3-pro-preview", "gemini-3-flash-preview", "gemini-3.8-flash", "gemini-embedding-001" }, models.Select(m => m.Name));
        GeminiModel flash = models[0];
        Assert.Equal("models/gemini-2.5-flash", flash.ResourceName);
        Assert.Equal("Gemini 2.5 Flash", flash.DisplayName);
        Assert.Equal(1048576, flash.InputTokenLimit);
        Assert.Equal(65536, flash.OutputTokenLimit);
        Assert.True(flash.Thinking);
        Assert.Equal(64, flash.TopK);
        Assert.Equal(0.95, flash.TopP);
        Assert.True(flash.CanGenerateContent);
        Assert.False(models[^1].Thinking);
        Assert.Contains("embedContent", models[^1].SupportedGenerationMethods);

        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal("GET", r.Method));
        Assert.Equal("/v1beta/models?pageSize=1000", server.Requests[0].PathAndQuery);
        Assert.Contains("pageToken=", server.Requests[1].PathAndQuery);
        Assert.Equal(Shell.TestKey, server.Requests[0].Headers["x-goog-api-key"]);
    }

    [Fact]
    public void Get_GeminiModel_gets_one_by_name_and_filters_the_list_by_wildcard()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult one = shell.Run("Get-GeminiModel gemini-3-pro-preview");
        one.AssertNoErrors();
        Assert.Equal("gemini-3-pro-preview", one.Single<GeminiModel>().Name);
        Assert.Equal("/v1beta/models/gemini-3-pro-preview", Assert.Single(server.Requests).PathAndQuery);

        ShellResult prefixed = shell.Run("Get-GeminiModel models/gemini-2.5-flash");
        prefixed.AssertNoErrors();
        Assert.Equal("Gemini 2.5 Flash", prefixed.Single<GeminiModel>().DisplayName);

        server.ClearRequests();
        ShellResult filtered = shell.Run("Get-GeminiModel *PRO*, gemini-2*");
        filtered.AssertNoErrors();
        Assert.Equal(new[] { "gemini-3-pro-preview", "gemini-2.5-flash" }, filtered.All<GeminiModel>().Select(m => m.Name));
        Assert.Single(server.Requests); // the list is fetched once for both patterns

        ShellResult none = shell.Run("Get-GeminiModel *nothing-like-this*");
        none.AssertNoErrors();
        Assert.Empty(none.Output);
    }

    [Fact]
    public void Get_GeminiModel_takes_names_from_the_pipeline_by_value_and_by_property_name()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            'gemini-2.5-flash' | Get-GeminiModel
            [pscustomobject]@{ Name = 'gemini-3-pro-preview' } | Get-GeminiModel
            New-GeminiChat -Model gemini-embedding-001 | Get-GeminiModel
            """);

        result.AssertNoErrors();
        Assert.Equal(new[] { "gemini-2.5-flash", "gemini-3-pro-preview", "gemini-embedding-001" }, result.All<GeminiModel>().Select(m => m.Name));
    }

    [Fact]
    public void An_unknown_model_is_an_ObjectNotFound_error_for_that_name_only()
    {
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { UnknownModels = new[] { "gemini-9-ultra" } });
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'gemini-9-ultra', 'gemini-2.5-flash' | Get-GeminiModel");

        Assert.Null(result.Terminating);
        Assert.Equal("gemini-2.5-flash", result.Single<GeminiModel>().Name);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("GeminiHttp404,CometGemini.Commands.GetGeminiModelCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("gemini-9-ultra", error.TargetObject);
    }

    [Fact]
    public void An_endpoint_without_a_model_list_says_where_to_find_one()
    {
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { CometMode = true });
        server.Enqueue("/v1beta/models?", FakeReply.CometError(404, "Invalid URL (GET /v1beta/models)", "invalid_request"));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiModel *flash*");

        Assert.Null(result.Terminating);
        Assert.Empty(result.Output);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("GeminiModelListUnavailable,CometGemini.Commands.GetGeminiModelCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("GET /v1beta/models answered 404", error.ErrorDetails.Message);
        Assert.Contains("Tab after -Model", error.ErrorDetails.RecommendedAction);
        Assert.Contains("https://generativelanguage.googleapis.com", error.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain(Shell.TestKey, result.Everything());
    }

    [Theory]
    [InlineData("{\"object\": \"list\", \"data\": [{\"id\": \"gpt-4o\", \"object\": \"model\"}]}", "application/json")]
    [InlineData("<!DOCTYPE html><html><body>Welcome</body></html>", "text/html")]
    public void An_answer_that_is_not_Gemini_s_model_list_is_not_taken_for_an_empty_one(string body, string contentType)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue("/v1beta/models?", FakeReply.Raw(200, contentType, body));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiModel");

        Assert.Empty(result.Output);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("GeminiModelListUnavailable,CometGemini.Commands.GetGeminiModelCommand", error.FullyQualifiedErrorId);
        Assert.Contains("does not serve Gemini's model list", error.ErrorDetails.Message);
    }

    [Fact]
    public void Measure_GeminiToken_counts_a_prompt_in_the_generateContentRequest_form()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Measure-GeminiToken 'The quick brown fox jumps over the lazy dog.' -Model gemini-3-pro-preview");

        result.AssertNoErrors();
        var count = result.Single<GeminiTokenCount>();
        Assert.Equal(9, count.TotalTokens);
        Assert.Equal("TEXT", Assert.Single(count.PromptTokensDetails!).Modality);
        Assert.Equal("The quick brown fox jumps over the lazy dog.", count.Input);
        Assert.Equal("gemini-3-pro-preview", count.Model);
        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("/v1beta/models/gemini-3-pro-preview:countTokens", request.PathAndQuery);
        JsonElement inner = request.Json!.RootElement.GetProperty("generateContentRequest");
        Assert.Equal("models/gemini-3-pro-preview", inner.GetProperty("model").GetString());
        Assert.Equal("The quick brown fox jumps over the lazy dog.", inner.GetProperty("contents")[0].GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.False(request.Json!.RootElement.TryGetProperty("contents", out _));
    }

    [Fact]
    public void Measure_GeminiToken_counts_the_whole_request_with_system_instruction_tools_and_config()
    {
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { RejectUnknownFields = true });
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            function Get-Weather { param([string]$City) "Sunny in $City" }
            Measure-GeminiToken 'What is the weather in Paris?' -SystemInstruction 'Answer in one short line.' -Tool Get-Weather -Temperature 0.2 -MaxOutputTokens 100
            """);

        result.AssertNoErrors();
        Assert.Equal(6 + 5, result.Single<GeminiTokenCount>().TotalTokens);
        JsonElement inner = Assert.Single(server.Requests).Json!.RootElement.GetProperty("generateContentRequest");
        Assert.Equal("Answer in one short line.", inner.GetProperty("systemInstruction").GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal("Get-Weather", inner.GetProperty("tools")[0].GetProperty("functionDeclarations")[0].GetProperty("name").GetString());
        Assert.Equal(0.2, inner.GetProperty("generationConfig").GetProperty("temperature").GetDouble());
        Assert.Equal(100, inner.GetProperty("generationConfig").GetProperty("maxOutputTokens").GetInt32());
    }

    [Fact]
    public void Measure_GeminiToken_takes_the_same_pipeline_input_as_Invoke_GeminiContent()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        string file = System.IO.Path.Combine(TempDir.Create(), "notes.txt");
        System.IO.File.WriteAllText(file, "alpha beta gamma delta");
        shell.Set("file", file);

        ShellResult result = shell.Run("""
            'one two', 'three' | Measure-GeminiToken
            [IO.FileInfo]$file | Measure-GeminiToken -Prompt 'Summarize'
            'four five', 'six' | New-GeminiPart | Measure-GeminiToken
            $chat = New-GeminiChat
            $null = Invoke-GeminiContent -Chat $chat 'Hello there'
            Measure-GeminiToken -Chat $chat 'And now?'
            """);

        result.AssertNoErrors();
        var counts = result.All<GeminiTokenCount>();
        // The fake counts the words of a turn's text parts joined without a space: "…delta" + "Summarize" is one word.
        Assert.Equal(new[] { 2, 1, 4, 2, 7 }, counts.Select(c => c.TotalTokens));
        Assert.Equal("one two", counts[0].Input);
        Assert.Equal(file, counts[2].SourcePath);
        Assert.All(server.Requests.Where(r => r.PathAndQuery.Contains("countTokens")), r => Assert.EndsWith("gemini-3-flash-preview:countTokens", r.PathAndQuery));
    }

    [Fact]
    public void A_failed_count_is_an_error_for_that_input()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(":countTokens", FakeReply.Error(429, "RESOURCE_EXHAUSTED", "Quota exceeded."));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'first', 'second words' | Measure-GeminiToken -MaxRetries 0");

        Assert.Null(result.Terminating);
        Assert.Equal(2, result.Single<GeminiTokenCount>().TotalTokens);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.QuotaExceeded, error.CategoryInfo.Category);
        Assert.Equal("first", error.TargetObject);
    }
}
