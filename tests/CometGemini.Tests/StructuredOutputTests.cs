using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Text.Json;
using System.Text.Json.Nodes;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>Structured output: schemas from hashtables, JSON text and classes; JSON Schema; enums.</summary>
public sealed class StructuredOutputTests
{
    private const string PlanetClasses = """
        enum Kind { Rocky; Gas; Ice }
        class Moon { [string]$Name; [double]$RadiusKm }
        class Planet {
            [string]$Name
            [System.ComponentModel.Description('Mean distance from the sun, in km')][long]$DistanceKm
            [int]$Order
            [double]$GravityG
            [bool]$HasRings
            [Nullable[int]]$MoonCount
            [Kind]$Kind
            [string[]]$Tags
            [System.Collections.Generic.List[Moon]]$Moons
            [ValidateSet('Hot', 'Cold')][string]$Climate
            [ValidateRange(0, 100)][int]$Score
        }
        """;

    private static JsonElement GenerationConfig(FakeGeminiServer server) => Assert.Single(server.Requests).Json!.RootElement.GetProperty("generationConfig");

    [Fact]
    public void ResponseSchema_from_a_class_type_describes_its_public_properties()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run(PlanetClasses + "\n$null = Invoke-GeminiContent 'List the planets' -ResponseSchema ([Planet[]])");

        result.AssertNoErrors();
        JsonElement config = GenerationConfig(server);
        Assert.Equal("application/json", config.GetProperty("responseMimeType").GetString());
        JsonNode expected = JsonNode.Parse("""
            {"type": "ARRAY", "items": {"type": "OBJECT",
              "properties": {
                "Name": {"type": "STRING"},
                "DistanceKm": {"type": "INTEGER", "format": "int64", "description": "Mean distance from the sun, in km"},
                "Order": {"type": "INTEGER", "format": "int32"},
                "GravityG": {"type": "NUMBER", "format": "double"},
                "HasRings": {"type": "BOOLEAN"},
                "MoonCount": {"type": "INTEGER", "format": "int32", "nullable": true},
                "Kind": {"type": "STRING", "format": "enum", "enum": ["Rocky", "Gas", "Ice"]},
                "Tags": {"type": "ARRAY", "items": {"type": "STRING"}},
                "Moons": {"type": "ARRAY", "items": {"type": "OBJECT",
                  "properties": {"Name": {"type": "STRING"}, "RadiusKm": {"type": "NUMBER", "format": "double"}},
                  "required": ["Name", "RadiusKm"], "propertyOrdering": ["Name", "RadiusKm"]}},
                "Climate": {"type": "STRING", "enum": ["Hot", "Cold"]},
                "Score": {"type": "INTEGER", "format": "int32", "minimum": 0, "maximum": 100}
              },
              "required": ["Name", "DistanceKm", "Order", "GravityG", "HasRings", "Kind", "Tags", "Moons", "Climate", "Score"],
              "propertyOrdering": ["Name", "DistanceKm", "Order", "GravityG", "HasRings", "MoonCount", "Kind", "Tags", "Moons", "Climate", "Score"]}}
            """)!;
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(config.GetProperty("responseSchema").GetRawText())), config.GetProperty("responseSchema").GetRawText());
    }

    [Fact]
    public void A_type_literal_written_without_parentheses_works_too()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run(PlanetClasses + "\n$null = Invoke-GeminiContent 'List the planets' -ResponseSchema [Planet[]]");

        result.AssertNoErrors();
        JsonElement schema = GenerationConfig(server).GetProperty("responseSchema");
        Assert.Equal("ARRAY", schema.GetProperty("type").GetString());
        Assert.Equal("OBJECT", schema.GetProperty("items").GetProperty("type").GetString());
    }

    [Fact]
    public void ResponseJsonSchema_sends_full_JSON_Schema_as_written()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText("pydantic-ai/derived/test_google_native_output.0.response.json")));
        string recorded = JsonDocument.Parse(Paths.FixtureText("pydantic-ai/derived/test_google_native_output.0.request.json"))
            .RootElement.GetProperty("generationConfig").GetProperty("responseJsonSchema").GetRawText();
        using var shell = new Shell(server);
        shell.Set("recorded", recorded);

        ShellResult result = shell.Run("""
            Invoke-GeminiContent 'What is the largest city in Mexico?' -ResponseJsonSchema $recorded
            Invoke-GeminiContent 'Hi' -ResponseJsonSchema @{
                '$defs' = @{ city = @{ type = 'string' } }
                type = 'object'; properties = @{ capital = @{ '$ref' = '#/$defs/city' } }; additionalProperties = $false
            }
            """);

        result.AssertNoErrors();
        JsonElement first = server.Requests[0].Json!.RootElement.GetProperty("generationConfig");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(recorded), JsonNode.Parse(first.GetProperty("responseJsonSchema").GetRawText())));
        Assert.Equal("application/json", first.GetProperty("responseMimeType").GetString());
        Assert.False(first.TryGetProperty("responseSchema", out _));
        JsonElement second = server.Requests[1].Json!.RootElement.GetProperty("generationConfig").GetProperty("responseJsonSchema");
        Assert.Equal("#/$defs/city", second.GetProperty("properties").GetProperty("capital").GetProperty("$ref").GetString());
        Assert.False(second.GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public void ResponseJsonSchema_from_a_class_uses_JSON_Schema_types()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run(PlanetClasses + "\n$null = Invoke-GeminiContent 'Biggest moon?' -ResponseJsonSchema ([Planet])");

        result.AssertNoErrors();
        JsonElement schema = GenerationConfig(server).GetProperty("responseJsonSchema");
        Assert.Equal("object", schema.GetProperty("type").GetString());
        JsonElement properties = schema.GetProperty("properties");
        Assert.Equal("""["integer","null"]""", properties.GetProperty("MoonCount").GetProperty("type").GetRawText());
        Assert.Equal("""{"type":"string","enum":["Rocky","Gas","Ice"]}""", properties.GetProperty("Kind").GetRawText());
        Assert.Equal("number", properties.GetProperty("Moons").GetProperty("items").GetProperty("properties").GetProperty("RadiusKm").GetProperty("type").GetString());
        Assert.False(schema.TryGetProperty("propertyOrdering", out _));
    }

    [Fact]
    public void ResponseEnum_classifies_with_text_x_enum_and_a_string_enum_schema()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("$null = Invoke-GeminiContent 'I love this product!' -ResponseEnum 'positive', 'negative', 'neutral'");

        result.AssertNoErrors();
        JsonElement config = GenerationConfig(server);
        Assert.Equal("text/x.enum", config.GetProperty("responseMimeType").GetString());
        Assert.Equal("""{"type":"STRING","enum":["positive","negative","neutral"]}""", config.GetProperty("responseSchema").GetRawText());
    }

    [Fact]
    public void A_schema_given_on_a_call_replaces_the_other_kind_a_chat_holds()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $chat = New-GeminiChat -ResponseJsonSchema '{"type":"object","properties":{"a":{"type":"string"}}}'
            $null = Invoke-GeminiContent -Chat $chat 'Classify: great' -ResponseEnum good, bad
            $null = Invoke-GeminiContent -Chat $chat 'Again' -ResponseSchema @{ type = 'string' }
            """);

        result.AssertNoErrors();
        JsonElement first = server.Requests[0].Json!.RootElement.GetProperty("generationConfig");
        Assert.False(first.TryGetProperty("responseJsonSchema", out _));
        Assert.Equal("text/x.enum", first.GetProperty("responseMimeType").GetString());
        JsonElement second = server.Requests[1].Json!.RootElement.GetProperty("generationConfig");
        Assert.False(second.TryGetProperty("responseJsonSchema", out _));
        Assert.Equal("string", second.GetProperty("responseSchema").GetProperty("type").GetString());
        Assert.Equal("application/json", second.GetProperty("responseMimeType").GetString());
    }

    [Theory]
    [InlineData("-ResponseSchema @{ type = 'string' } -ResponseEnum a, b", "only one of")]
    [InlineData("-ResponseSchema @{ type = 'string' } -ResponseJsonSchema @{ type = 'string' }", "only one of")]
    [InlineData("-ResponseSchema [NoSuchTypeHere]", "[NoSuchTypeHere], which is not defined")]
    [InlineData("-ResponseSchema ([Bag])", "[Bag].Items is a Hashtable")]
    [InlineData("-ResponseJsonSchema ([Node])", "contains itself")]
    [InlineData("-ResponseJsonSchema '{not json'", "not valid JSON")]
    public void Schemas_that_cannot_be_sent_are_refused_before_sending(string options, string message)
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("class Bag { [hashtable]$Items }\nclass Node { [string]$Name; [Node[]]$Children }\n" + $"Invoke-GeminiContent 'Hi' {options}");

        ErrorRecord error = ((IContainsErrorRecord)result.Terminating!).ErrorRecord;
        Assert.Equal("GeminiInvalidRequestOption", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains(message, error.Exception.Message);
        Assert.Empty(server.Requests);
    }

    private static string Answer(string text, string? finishReason = "STOP") =>
        "{\"candidates\": [{\"content\": {\"parts\": [{\"text\": " + JsonSerializer.Serialize(text) + "}], \"role\": \"model\"}"
        + (finishReason is null ? "" : ", \"finishReason\": \"" + finishReason + "\"")
        + "}], \"usageMetadata\": {\"promptTokenCount\": 5, \"candidatesTokenCount\": 7, \"totalTokenCount\": 12}, \"modelVersion\": \"gemini-2.5-flash\"}";

    private const string Planets = """
        [
          {"name": "Mercury", "distanceKm": 57909227, "order": 1, "gravityG": 0.38, "hasRings": false, "moons": [], "discovery": null},
          {"name": "Neptune", "distanceKm": 4495060000, "order": 8, "gravityG": 1.14, "hasRings": true,
           "moons": [{"name": "Triton", "radiusKm": 1353.4}], "discovery": {"by": "Le Verrier", "year": 1846}}
        ]
        """;

    [Fact]
    public void AsObject_writes_the_JSON_answer_as_objects_with_arrays_unrolled_and_numbers_typed()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Answer(Planets)));
        using var shell = new Shell(server);

        ShellResult result = shell.Run(PlanetClasses + "\nInvoke-GeminiContent 'List 2 planets' -ResponseSchema ([Planet[]]) -AsObject");

        result.AssertNoErrors();
        Assert.Equal(2, result.Output.Count);
        PSObject neptune = result.Output[1];
        Assert.Equal(new[] { "name", "distanceKm", "order", "gravityG", "hasRings", "moons", "discovery" }, neptune.Properties.Select(p => p.Name));
        Assert.Equal("Neptune", neptune.Properties["name"].Value);
        Assert.IsType<long>(neptune.Properties["distanceKm"].Value);
        Assert.Equal(4495060000L, neptune.Properties["distanceKm"].Value);
        Assert.IsType<int>(neptune.Properties["order"].Value);
        Assert.IsType<double>(neptune.Properties["gravityG"].Value);
        Assert.Equal(true, neptune.Properties["hasRings"].Value);
        PSObject triton = Assert.IsType<PSObject>(Assert.Single(Assert.IsType<object[]>(neptune.Properties["moons"].Value)));
        Assert.Equal(1353.4, triton.Properties["radiusKm"].Value);
        var discovery = Assert.IsType<PSObject>(neptune.Properties["discovery"].Value);
        Assert.IsType<PSCustomObject>(discovery.BaseObject);
        Assert.Equal(1846, discovery.Properties["year"].Value);
        Assert.Empty(Assert.IsType<object[]>(result.Output[0].Properties["moons"].Value));
        Assert.Null(result.Output[0].Properties["discovery"].Value);
    }

    [Fact]
    public void The_objects_go_down_the_pipeline_like_ConvertFrom_Json_output()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Answer(Planets)));
        using var shell = new Shell(server);

        // What Export-Csv would see (a Utility cmdlet, absent from the test engine): one row per planet, columns in order.
        ShellResult result = shell.Run("""
            Invoke-GeminiContent 'List 2 planets' -AsObject | Where-Object hasRings | ForEach-Object { ($_.PSObject.Properties.Name -join ',') + '=' + $_.name + ':' + ($_.distanceKm / 1e9) }
            """);

        result.AssertNoErrors();
        Assert.Equal("name,distanceKm,order,gravityG,hasRings,moons,discovery=Neptune:4.49506", Assert.Single(result.Output).BaseObject);
        JsonElement config = GenerationConfig(server);
        Assert.Equal("application/json", config.GetProperty("responseMimeType").GetString()); // -AsObject alone asks for JSON
        Assert.False(config.TryGetProperty("responseSchema", out _));
    }

    [Fact]
    public void The_response_carries_the_parsed_answer_of_a_JSON_request()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText("pydantic-ai/derived/test_google_native_output.0.response.json")));
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText("pydantic-ai/derived/test_google_prompted_output.0.response.json")));
        server.Enqueue(FakeReply.Json(200, Answer("{\"city\": \"Lyon\"}")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $schema = '{"type":"object","properties":{"city":{"type":"string"},"country":{"type":"string"}},"required":["city","country"]}'
            $a = Invoke-GeminiContent 'What is the largest city in Mexico?' -ResponseJsonSchema $schema
            $b = Invoke-GeminiContent 'What is the largest city in Mexico?' -ResponseMimeType application/json
            $c = Invoke-GeminiContent 'Which city?'
            $a.Parsed.city, $a.Parsed.country, $b.Parsed.city, ($null -eq $c.Parsed)
            """);

        result.AssertNoErrors();
        Assert.Equal(new object[] { "Mexico City", "Mexico", "Mexico City", true }, result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void ResponseEnum_with_AsObject_writes_the_chosen_value()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Answer("positive")));
        server.Enqueue(FakeReply.Json(200, Answer("negative\n")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'I love it', 'I hate it' | Invoke-GeminiContent -ResponseEnum positive, negative -AsObject");

        result.AssertNoErrors();
        Assert.Equal(new[] { "positive", "negative" }, result.All<string>());
    }

    [Fact]
    public void Invalid_JSON_is_a_non_terminating_error_that_keeps_the_raw_text()
    {
        using var server = FakeGeminiServer.Start();
        const string cut = "{\"name\": \"Zephyr\", \"age\": 4, \"bio\": \"A skateboarding";
        server.Enqueue(FakeReply.Json(200, Answer(cut, "MAX_TOKENS")));
        server.Enqueue(FakeReply.Json(200, Answer("{\"name\": \"Rex\", \"age\": 3}")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'Invent a dog', 'Invent another' | Invoke-GeminiContent -ResponseSchema @{ type = 'object'; properties = @{ name = @{ type = 'string' }; age = @{ type = 'integer' } } } -AsObject");

        Assert.Null(result.Terminating);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("GeminiAnswerNotJson", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ParserError, error.CategoryInfo.Category);
        var exception = Assert.IsType<StructuredOutputException>(error.Exception);
        Assert.Equal(cut, exception.RawText);
        Assert.Contains("MAX_TOKENS", exception.Message);
        Assert.Contains("-MaxOutputTokens", error.ErrorDetails.RecommendedAction);
        var response = Assert.IsType<GenerateContentResponse>(error.TargetObject);
        Assert.Equal(cut, response.Text);
        Assert.Equal("Invent a dog", response.Input);
        Assert.Null(response.Parsed);
        Assert.Contains(result.Warnings, w => w.Contains("MAX_TOKENS"));
        PSObject rex = Assert.Single(result.Output);
        Assert.Equal("Rex", rex.Properties["name"].Value);
    }

    [Fact]
    public void A_fenced_JSON_answer_and_plain_text_with_AsObject_still_come_out()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Answer("```json\n[1, 2.5, \"three\"]\n```")));
        server.Enqueue(FakeReply.Json(200, Answer("Just text.")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            Invoke-GeminiContent 'Numbers?' -AsObject
            Invoke-GeminiContent 'Say something' -ResponseMimeType text/plain -AsObject
            """);

        result.AssertNoErrors();
        Assert.Equal(new object[] { 1, 2.5, "three", "Just text." }, result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void A_chat_keeps_the_turn_when_the_answer_is_written_as_objects()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Answer("{\"ok\": true}")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("$chat = New-GeminiChat; $o = Invoke-GeminiContent -Chat $chat 'Status?' -AsObject; $o.ok; $chat.History.Count");

        result.AssertNoErrors();
        Assert.Equal(new object[] { true, 2 }, result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void A_streamed_JSON_answer_becomes_objects_when_the_stream_ends()
    {
        // The recorded llm-gemini stream (a JSON array stream there), replayed as SSE events: a thought, then JSON in pieces.
        using JsonDocument recorded = JsonDocument.Parse(Paths.FixtureText("llm-gemini/derived/test_prompt_with_pydantic_schema.0.response.jsonarray.json"));
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Sse(recorded.RootElement.EnumerateArray().Select(e => JsonSerializer.Serialize(e))));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            Get-GeminiStream 'Invent a cool dog' -IncludeThoughts -AsObject -ResponseSchema '{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"},"bio":{"type":"string"}},"required":["name","age","bio"]}'
            """);

        result.AssertNoErrors();
        PSObject dog = Assert.Single(result.Output);
        Assert.Equal("Zephyr The Rocket Barkington", dog.Properties["name"].Value);
        Assert.Equal(4, dog.Properties["age"].Value);
        Assert.EndsWith("from 200 yards away in mid-air.", (string)dog.Properties["bio"].Value);
    }

    [Fact]
    public void Streamed_array_items_are_written_as_soon_as_each_is_complete()
    {
        using var server = FakeGeminiServer.Start();
        string[] pieces = { "[\n  {\"n\": 1, \"s\": \"a,]}\\\"[\"}", ", {\"n\": 2, \"tags\": [\"x\", ", "\"y\"]}, 3", ", \"four\"", "]" };
        server.Enqueue(FakeReply.Sse(pieces.Select((p, i) => Answer(p, i == pieces.Length - 1 ? "STOP" : null))) with { HangAfter = 3 });
        using var shell = new Shell(server);
        using RunningScript running = shell.Start("Get-GeminiStream 'Items?' -AsObject");

        running.WaitForFirstOutput();
        SpinWait.SpinUntil(() => running.Result.Output.Count >= 2, TimeSpan.FromSeconds(10));
        Thread.Sleep(200); // nothing more may come while the server holds the rest back
        List<PSObject> early = running.Result.Output.ToList();
        Assert.Equal(PSInvocationState.Running, running.State);
        running.Stop();
        running.Finish();

        Assert.Equal(2, early.Count); // the 3 is not known to be whole until the next "," or "]"
        Assert.Equal("a,]}\"[", early[0].Properties["s"].Value);
        Assert.Equal(new object[] { "x", "y" }, (object[])early[1].Properties["tags"].Value);
    }

    [Fact]
    public void A_whole_streamed_array_is_written_item_by_item_once()
    {
        using var server = FakeGeminiServer.Start();
        string[] pieces = { "[{\"n\": 1}", ", {\"n\": 2}, 3", ", \"four\"", ", null, [5, 6]]" };
        server.Enqueue(FakeReply.Sse(pieces.Select((p, i) => Answer(p, i == pieces.Length - 1 ? "STOP" : null))));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'Items?' -AsObject | ForEach-Object { if ($null -eq $_) { 'null' } elseif ($_ -is [array]) { 'array ' + ($_ -join '+') } elseif ($_.n) { 'n' + $_.n } else { $_ } }");

        result.AssertNoErrors();
        Assert.Equal(new object[] { "n1", "n2", 3, "four", "null", "array 5+6" }, result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void Invalid_streamed_JSON_is_an_error_after_what_was_whole()
    {
        using var server = FakeGeminiServer.Start();
        string[] pieces = { "[{\"n\": 1}, {\"n\": 2}, {\"n\": ", "3" };
        server.Enqueue(FakeReply.Sse(pieces.Select((p, i) => Answer(p, i == pieces.Length - 1 ? "MAX_TOKENS" : null))));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'Items?' -AsObject -ResponseEnum a, b -ResponseMimeType application/json");

        Assert.Null(result.Terminating);
        Assert.Equal(2, result.Output.Count);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("GeminiAnswerNotJson", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("[{\"n\": 1}, {\"n\": 2}, {\"n\": 3", ((StructuredOutputException)error.Exception).RawText);
        Assert.Equal("Items?", error.TargetObject);
    }

    [Fact]
    public void A_streamed_enum_answer_is_one_value()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Sse(new[] { Answer("neg", null), Answer("ative", "STOP") }));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'I hate it' -ResponseEnum positive, negative -AsObject");

        result.AssertNoErrors();
        Assert.Equal("negative", result.Single<string>());
    }
}
