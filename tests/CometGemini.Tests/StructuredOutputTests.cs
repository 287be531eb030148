using System.Linq;
using System.Management.Automation;
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
}
