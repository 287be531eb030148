using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>
/// The fake answers a JSON-mode request with a response schema in the schema's shape, as Gemini does, so the demo's
/// JSON-mode example shows a list when it asks for one (issue 19, point 14).
/// </summary>
public sealed class FakeSchemaAnswerTests
{
    public static TheoryData<string, string> Schemas => new()
    {
        { "-ResponseJsonSchema", """{"type":"array","items":{"type":"string"}}""" },
        {
            "-ResponseJsonSchema",
            """
            {"type":"object","required":["title","severity","count","ratio","urgent","tags","owner"],"additionalProperties":false,
             "properties":{
               "title":{"type":"string"},
               "severity":{"type":"string","enum":["low","medium","high"]},
               "count":{"type":"integer","minimum":10,"maximum":20},
               "ratio":{"type":"number","maximum":1},
               "urgent":{"type":"boolean"},
               "tags":{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":2},
               "owner":{"type":["object","null"],"properties":{"name":{"type":"string"},"id":{"$ref":"#/$defs/id"}},"required":["name","id"]}},
             "$defs":{"id":{"type":"integer","minimum":1}}}
            """
        },
        { "-ResponseJsonSchema", """{"type":"array","minItems":5,"items":{"anyOf":[{"type":"null"},{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}]}}""" },
        // Gemini's own dialect, as -ResponseSchema sends it.
        { "-ResponseSchema", """{"type":"OBJECT","properties":{"colors":{"type":"ARRAY","items":{"type":"STRING","enum":["red","yellow","blue"]}},"count":{"type":"INTEGER"},"note":{"type":"STRING","nullable":true}},"required":["colors","count"],"propertyOrdering":["count","colors","note"]}""" },
    };

    [Theory]
    [MemberData(nameof(Schemas))]
    public void The_answer_to_a_request_with_a_schema_validates_against_it(string parameter, string schema)
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("schema", schema);

        ShellResult result = shell.Run($"Invoke-GeminiContent 'List the colors' {parameter} $schema");

        result.AssertNoErrors();
        string text = result.Single<GenerateContentResponse>().Text;
        using JsonDocument answer = JsonDocument.Parse(text);
        using JsonDocument asked = JsonDocument.Parse(schema);
        List<string> problems = new();
        Validate(answer.RootElement, asked.RootElement, asked.RootElement, "$", problems);
        Assert.True(problems.Count == 0, text + "\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Strings_echo_the_prompt_and_properties_follow_propertyOrdering()
    {
        using JsonDocument schema = JsonDocument.Parse("""{"type":"OBJECT","properties":{"b":{"type":"STRING"},"a":{"type":"ARRAY","items":{"type":"STRING"}}},"propertyOrdering":["a","b"]}""");

        using JsonDocument answer = JsonDocument.Parse(SchemaAnswer.For(schema.RootElement, "List three primary colors"));

        Assert.Equal(new[] { "a", "b" }, answer.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("List three primary colors", answer.RootElement.GetProperty("b").GetString());
        Assert.Equal(
            new[] { "List three primary colors (1)", "List three primary colors (2)", "List three primary colors (3)" },
            answer.RootElement.GetProperty("a").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void The_demo_s_JSON_mode_example_answers_with_a_list()
    {
        var screen = new StringWriter();

        CometGemini.Demo.Program.Run(screen);

        string text = screen.ToString();
        string command = Assert.Single(CometGemini.Demo.Program.Commands, c => c.Contains("-ResponseSchema", StringComparison.Ordinal));
        string shown = text.Substring(text.IndexOf("PS> " + command, StringComparison.Ordinal));
        Assert.Contains("List three primary colors (3)", shown);
        Assert.DoesNotContain("\"echo\"", shown.Substring(0, shown.IndexOf("PS> ", 4, StringComparison.Ordinal)));
    }

    // The JSON Schema keywords the schemas above use, and Gemini's (upper-case types, nullable).
    private static void Validate(JsonElement value, JsonElement schema, JsonElement root, string at, List<string> problems)
    {
        if (schema.TryGetProperty("$ref", out JsonElement reference))
        {
            JsonElement target = root;
            foreach (string step in reference.GetString()!.Substring(2).Split('/'))
                target = target.GetProperty(step);
            Validate(value, target, root, at, problems);
            return;
        }

        if (schema.TryGetProperty("anyOf", out JsonElement anyOf))
        {
            if (!anyOf.EnumerateArray().Any(branch => { var p = new List<string>(); Validate(value, branch, root, at, p); return p.Count == 0; }))
                problems.Add($"{at}: matches no anyOf branch");
            return;
        }

        if (schema.TryGetProperty("enum", out JsonElement values) && !values.EnumerateArray().Any(v => JsonElement.DeepEquals(v, value)))
            problems.Add($"{at}: {value} is not one of {values}");

        if (!schema.TryGetProperty("type", out JsonElement type))
            return;
        string[] types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!.ToLowerInvariant()).ToArray() : new[] { type.GetString()!.ToLowerInvariant() };
        if (schema.TryGetProperty("nullable", out JsonElement nullable) && nullable.GetBoolean())
            types = types.Append("null").ToArray();
        string actual = value.ValueKind switch
        {
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        };
        if (!types.Contains(actual) && !(actual == "integer" && types.Contains("number")))
        {
            problems.Add($"{at}: a {actual}, not {string.Join(" or ", types)}");
            return;
        }

        switch (actual)
        {
            case "object":
                JsonElement properties = schema.TryGetProperty("properties", out JsonElement p) ? p : default;
                if (schema.TryGetProperty("required", out JsonElement required))
                {
                    foreach (string name in required.EnumerateArray().Select(r => r.GetString()!).Where(name => !value.TryGetProperty(name, out _)))
                        problems.Add($"{at}: no required '{name}'");
                }

                foreach (JsonProperty property in value.EnumerateObject())
                {
                    if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out JsonElement propertySchema))
                        Validate(property.Value, propertySchema, root, $"{at}.{property.Name}", problems);
                    else if (schema.TryGetProperty("additionalProperties", out JsonElement additional) && additional.ValueKind == JsonValueKind.False)
                        problems.Add($"{at}: '{property.Name}' is not a property of the schema");
                }

                break;
            case "array":
                int length = value.GetArrayLength();
                if (schema.TryGetProperty("minItems", out JsonElement min) && length < min.GetInt32())
                    problems.Add($"{at}: {length} items, fewer than {min}");
                if (schema.TryGetProperty("maxItems", out JsonElement max) && length > max.GetInt32())
                    problems.Add($"{at}: {length} items, more than {max}");
                if (schema.TryGetProperty("items", out JsonElement items))
                {
                    int i = 0;
                    foreach (JsonElement item in value.EnumerateArray())
                        Validate(item, items, root, $"{at}[{i++}]", problems);
                }

                break;
            case "integer" or "number":
                double number = value.GetDouble();
                if (schema.TryGetProperty("minimum", out JsonElement minimum) && number < minimum.GetDouble())
                    problems.Add($"{at}: {number} below {minimum}");
                if (schema.TryGetProperty("maximum", out JsonElement maximum) && number > maximum.GetDouble())
                    problems.Add($"{at}: {number} above {maximum}");
                break;
        }
    }
}
