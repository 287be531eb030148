using System;
using System.Collections;
using System.Collections.Generic;
using System.Text.Json;
using CometGemini.Generation;

namespace CometGemini.Tests;

/// <summary>Request building without a runspace: options (and a chat's settings) in, the request's JSON out.</summary>
public sealed class RequestBuilderTests
{
    private static JsonElement Json(GenerateContentRequest request) =>
        JsonDocument.Parse(JsonSerializer.Serialize(request, GeminiJsonContext.Default.GenerateContentRequest)).RootElement;

    private static JsonElement Element(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void No_options_make_a_request_with_nothing_but_empty_contents()
    {
        JsonElement body = Json(RequestBuilder.Build(new RequestOptions()));

        Assert.Equal("{\"contents\":[]}", body.GetRawText());
    }

    [Fact]
    public void Options_lay_over_a_chats_settings_and_leave_the_rest()
    {
        var basis = new GenerateContentRequest
        {
            Contents = new List<Content> { new() { Role = "user", Parts = new List<Part> { PartFactory.FromText("old") } } },
            GenerationConfig = new GenerationConfig { Temperature = 0.1, TopK = 5 },
        };

        GenerateContentRequest request = RequestBuilder.Build(new RequestOptions { Temperature = 0.9, SystemInstruction = "Be brief." }, basis);

        Assert.Empty(request.Contents);
        Assert.Equal(0.9, request.GenerationConfig!.Temperature);
        Assert.Equal(5, request.GenerationConfig.TopK);
        Assert.Equal("Be brief.", request.SystemInstruction!.Parts![0].Text);
        Assert.Equal(0.1, basis.GenerationConfig.Temperature); // the chat's settings are not changed
    }

    [Fact]
    public void GenerationConfig_is_merged_last_so_it_wins_and_null_removes_a_field()
    {
        var options = new RequestOptions
        {
            Temperature = 0.5,
            MaxOutputTokens = 100,
            GenerationConfig = new Hashtable { ["temperature"] = 1.5, ["max_output_tokens"] = null, ["presencePenalty"] = 0.2 },
        };

        JsonElement config = Json(RequestBuilder.Build(options)).GetProperty("generationConfig");

        Assert.Equal(1.5, config.GetProperty("temperature").GetDouble());
        Assert.False(config.TryGetProperty("maxOutputTokens", out _));
        Assert.Equal(0.2, config.GetProperty("presencePenalty").GetDouble());
    }

    [Fact]
    public void Answering_as_objects_asks_for_json_unless_a_format_was_chosen()
    {
        Assert.Equal(StructuredOutput.JsonMimeType, RequestBuilder.Build(new RequestOptions { AnswerAsJson = true }).GenerationConfig!.ResponseMimeType);
        Assert.Equal("text/x.enum", RequestBuilder.Build(new RequestOptions { AnswerAsJson = true, ResponseEnum = new[] { "a", "b" } }).GenerationConfig!.ResponseMimeType);
    }

    [Fact]
    public void Only_one_kind_of_schema_is_taken()
    {
        var options = new RequestOptions { ResponseSchema = new Hashtable { ["type"] = "string" }, ResponseEnum = new[] { "a" } };

        ArgumentException e = Assert.Throws<ArgumentException>(() => RequestBuilder.Build(options));
        Assert.Contains("only one of -ResponseSchema", e.Message);
    }

    [Fact]
    public void A_functions_own_declaration_replaces_the_chats_one_of_the_same_name()
    {
        var basis = new GenerateContentRequest
        {
            Tools = new List<Tool> { new() { FunctionDeclarations = new List<JsonElement> { Element("{\"name\":\"Get-Disk\",\"description\":\"old\"}") } } },
        };
        var tool = new GeminiTool("Get-Disk", "new", Element("{\"name\":\"Get-Disk\",\"description\":\"new\"}"));

        GenerateContentRequest request = RequestBuilder.Build(new RequestOptions { Functions = new[] { tool }, GoogleSearch = true }, basis);

        JsonElement tools = Json(request).GetProperty("tools");
        Assert.Equal(2, tools.GetArrayLength());
        Assert.True(tools[0].TryGetProperty("googleSearch", out _)); // the chat's emptied entry is gone; this call's functions come last
        Assert.Equal("new", tools[1].GetProperty("functionDeclarations")[0].GetProperty("description").GetString());
    }

    [Fact]
    public void A_location_joins_the_function_calling_config_in_one_tool_config()
    {
        var options = new RequestOptions { FunctionCallingMode = "None", Latitude = 40.7, Longitude = -74.0, GoogleMaps = true };

        JsonElement body = Json(RequestBuilder.Build(options));

        JsonElement config = body.GetProperty("toolConfig");
        Assert.Equal("NONE", config.GetProperty("functionCallingConfig").GetProperty("mode").GetString());
        Assert.Equal(40.7, config.GetProperty("retrievalConfig").GetProperty("latLng").GetProperty("latitude").GetDouble());
        Assert.True(body.GetProperty("tools")[0].TryGetProperty("googleMaps", out _));
        Assert.Throws<ArgumentException>(() => RequestBuilder.Build(new RequestOptions { Latitude = 1 }));
    }

    [Fact]
    public void Safety_settings_and_a_cache_get_their_wire_names()
    {
        var table = new SafetySettingTable(new Hashtable { ["DangerousContent"] = "BlockOnlyHigh" });

        JsonElement body = Json(RequestBuilder.Build(new RequestOptions { SafetySettings = table, CachedContent = "abc" }));

        Assert.Equal("HARM_CATEGORY_DANGEROUS_CONTENT", body.GetProperty("safetySettings")[0].GetProperty("category").GetString());
        Assert.Equal("BLOCK_ONLY_HIGH", body.GetProperty("safetySettings")[0].GetProperty("threshold").GetString());
        Assert.Equal("cachedContents/abc", body.GetProperty("cachedContent").GetString());
    }

    [Theory]
    [InlineData("gemini-3.8-flash", "Minimal", null, "takes -ThinkingLevel")]
    [InlineData("gemini-3.8-flash", null, 100, "-ThinkingBudget is for Gemini 2.5")]
    [InlineData("some-future-model", "High", 100, "not both")]
    [InlineData("some-future-model", "Whatever", null, null)]
    [InlineData("gemini-3-flash-preview", "Minimal", null, null)]
    public void Thinking_options_are_checked_by_what_the_model_card_says(string model, string? level, int? budget, string? expected)
    {
        string? problem = RequestBuilder.ThinkingMismatch(new RequestOptions { ThinkingLevel = level, ThinkingBudget = budget }, model);

        if (expected is null)
            Assert.Null(problem);
        else
            Assert.Contains(expected, problem);
    }

    [Theory]
    [InlineData(GeminiServiceTier.Standard, "standard")]
    [InlineData(GeminiServiceTier.Flex, "flex")]
    [InlineData(GeminiServiceTier.Priority, "priority")]
    public void ServiceTier_is_the_requests_top_level_serviceTier_in_lower_case(GeminiServiceTier tier, string wire)
    {
        JsonElement body = Json(RequestBuilder.Build(new RequestOptions { ServiceTier = tier }));

        Assert.Equal(wire, body.GetProperty("serviceTier").GetString());
        Assert.False(body.TryGetProperty("generationConfig", out _));
    }

    [Fact]
    public void No_ServiceTier_sends_no_field_and_a_chats_tier_stays()
    {
        Assert.False(Json(RequestBuilder.Build(new RequestOptions())).TryGetProperty("serviceTier", out _));
        var basis = new GenerateContentRequest { ServiceTier = "flex" };

        Assert.Equal("flex", RequestBuilder.Build(new RequestOptions(), basis).ServiceTier);
        Assert.Equal("priority", RequestBuilder.Build(new RequestOptions { ServiceTier = GeminiServiceTier.Priority }, basis).ServiceTier);
    }

    [Theory]
    [InlineData(GeminiMediaResolution.Low, "MEDIA_RESOLUTION_LOW")]
    [InlineData(GeminiMediaResolution.Medium, "MEDIA_RESOLUTION_MEDIUM")]
    [InlineData(GeminiMediaResolution.High, "MEDIA_RESOLUTION_HIGH")]
    public void MediaResolution_is_generationConfig_mediaResolution_with_the_wire_enum_name(GeminiMediaResolution resolution, string wire)
    {
        JsonElement config = Json(RequestBuilder.Build(new RequestOptions { MediaResolution = resolution })).GetProperty("generationConfig");

        Assert.Equal(wire, config.GetProperty("mediaResolution").GetString());
    }

    [Fact]
    public void GenerationConfig_still_wins_over_MediaResolution()
    {
        var options = new RequestOptions { MediaResolution = GeminiMediaResolution.High, GenerationConfig = new Hashtable { ["media_resolution"] = "MEDIA_RESOLUTION_LOW" } };

        Assert.Equal("MEDIA_RESOLUTION_LOW", RequestBuilder.Build(options).GenerationConfig!.MediaResolution);
    }
}
