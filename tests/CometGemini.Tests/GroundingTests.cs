using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using CometGemini.Demo;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>Grounding (search, Maps, URL context) and code execution as objects on the response.</summary>
public sealed class GroundingTests
{
    [Fact]
    public void Search_grounding_gives_sources_queries_and_citations_found_by_UTF8_byte_offsets()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText("firebase-test-data/googleai/unary-success-google-search-grounding.json")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Weather in London?' -GoogleSearch");

        result.AssertNoErrors();
        var response = result.Single<GenerateContentResponse>();
        Assert.Equal(new[] { "current weather in London" }, response.SearchQueries);
        Assert.Equal(new[] { 1, 2 }, response.Sources.Select(s => s.Number));
        Assert.Equal(new[] { "accuweather.com", "Weather information for locality: London" }, response.Sources.Select(s => s.Title));
        Assert.All(response.Sources, s => Assert.Equal("Web", s.Kind));
        Assert.Equal("https://www.google.com/search?q=weather+in+London", response.Sources[1].Uri);

        // The second and third segments come after "°" (two UTF-8 bytes): character offsets would be off by one and two.
        Assert.Equal(
            new[]
            {
                "The current weather in London, United Kingdom is cloudy.",
                "The temperature is 67°F (19°C), but it feels like 75°F (24°C).",
                "There is a 0% chance of rain, and the humidity is around 41%.",
            },
            response.Citations.Select(c => c.Text));
        Assert.All(response.Citations, c => Assert.Equal(c.Segment!.Text, response.Text.Substring(c.StartIndex, c.EndIndex - c.StartIndex)));
        Assert.Equal(new[] { 0, 57, 120 }, response.Citations.Select(c => c.StartIndex));
        Assert.Equal(new[] { 1 }, response.Citations[0].SourceNumbers);
        Assert.Equal("accuweather.com", response.Citations[0].Sources.Single().Title);

        Assert.Equal(
            "The current weather in London, United Kingdom is cloudy.[1] The temperature is 67°F (19°C), but it feels like 75°F (24°C).[2] "
            + "There is a 0% chance of rain, and the humidity is around 41%.[2]\n"
            + "\nSources:\n"
            + "[1] accuweather.com <" + response.Sources[0].Uri + ">\n"
            + "[2] Weather information for locality: London <https://www.google.com/search?q=weather+in+London>\n",
            response.CitedText);
    }

    [Fact]
    public void Offsets_count_UTF8_bytes_through_accents_and_emoji()
    {
        const string answer = "Le café ☕ de Zoë coûte 3 €. Les croissants 🥐 sont frais. Bonne journée 😀!";
        string[] cited = { "Le café ☕ de Zoë coûte 3 €.", "Les croissants 🥐 sont frais.", "Bonne journée 😀!" };
        string supports = string.Join(",", cited.Select((text, i) =>
        {
            int start = Encoding.UTF8.GetByteCount(answer.Substring(0, answer.IndexOf(text, StringComparison.Ordinal)));
            int end = start + Encoding.UTF8.GetByteCount(text);
            // The first segment leaves startIndex out (0 is omitted on the wire); none carries its text.
            string startField = start == 0 ? "" : $"\"startIndex\": {start}, ";
            return $$"""{"segment": {{{startField}}"endIndex": {{end}}}, "groundingChunkIndices": [{{i % 2}}, 1]}""";
        }));
        string body = ("{'candidates': [{'content': {'parts': [{'text': ANSWER}], 'role': 'model'}, 'finishReason': 'STOP', "
            + "'groundingMetadata': {'webSearchQueries': ['café Zoë'], "
            + "'groundingChunks': [{'web': {'uri': 'https://example.com/cafe', 'title': 'Café Zoë'}}, {'web': {'uri': 'https://example.com/menu', 'title': 'Menu'}}], "
            + "'groundingSupports': [SUPPORTS]}}]}")
            .Replace('\'', '"').Replace("ANSWER", JsonSerializer.Serialize(answer)).Replace("SUPPORTS", supports);
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, body));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Où prendre un café ?' -GoogleSearch");

        result.AssertNoErrors();
        var response = result.Single<GenerateContentResponse>();
        Assert.Equal(cited, response.Citations.Select(c => c.Text));
        Assert.Equal(new[] { 0, 28, 58 }, response.Citations.Select(c => c.StartIndex));
        Assert.Equal(new[] { 1, 2 }, response.Citations[0].SourceNumbers);
        Assert.Equal(new[] { 2 }, response.Citations[1].SourceNumbers); // chunk 1 twice is one source
        Assert.Equal(
            "Le café ☕ de Zoë coûte 3 €.[1][2] Les croissants 🥐 sont frais.[2] Bonne journée 😀![1][2]\n\nSources:\n"
            + "[1] Café Zoë <https://example.com/cafe>\n[2] Menu <https://example.com/menu>\n",
            response.CitedText);
    }

    [Fact]
    public void Maps_grounding_sources_are_places_with_their_place_ids()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText("firebase-test-data/googleai/unary-success-google-maps-grounding.json")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Pizza near me?' -GoogleMaps -Latitude 40.7 -Longitude -74");

        result.AssertNoErrors();
        var response = result.Single<GenerateContentResponse>();
        Assert.Equal(20, response.Sources.Length);
        Assert.All(response.Sources, s => Assert.Equal("Maps", s.Kind));
        Assert.Equal("Joe’s Pizza", response.Sources[0].Title);
        Assert.Equal("places/ChIJqdNaaBVbwokRLTafYrQlZI8", response.Sources[0].PlaceId);
        // "Joe’s" comes first: its apostrophe is three UTF-8 bytes, so every segment after it is two characters earlier than its byte offset.
        Assert.Equal(4, response.Citations.Length);
        Assert.All(response.Citations, c => Assert.Equal(c.Segment!.Text, c.Text));
        Assert.Equal(419, response.Citations[0].StartIndex);
        Assert.Contains("They offer takeout, delivery, and dine-in.[1]\n", response.CitedText);
        Assert.Contains("[20] The Grotto Pizzeria <https://maps.google.com/?cid=3798394177457033436>", response.CitedText);
    }

    [Fact]
    public void Sources_and_citations_print_as_tables()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText("firebase-test-data/googleai/unary-success-google-search-grounding.json")));
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));

        shell.Run("$r = Invoke-GeminiContent 'Weather in London?' -GoogleSearch; $r.Sources | Out-Default; $r.Citations | Out-Default").AssertNoErrors();

        string[] lines = screen.ToString().Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
        Assert.Contains(lines, l => l.Contains('#') && l.Contains("Kind") && l.Contains("Title") && l.Contains("Uri"));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("2 Web") && l.Contains("Weather information for"));
        Assert.Contains(lines, l => l.StartsWith("Sources") && l.Contains("Text"));
        Assert.Contains(lines, l => l.StartsWith("[2]") && l.Contains("The temperature is 67°F"));
    }

    [Fact]
    public void URL_context_citations_survive_an_omitted_start_and_offsets_one_byte_off()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText("pydantic-ai/derived/test_google_model_web_fetch_tool.0.response.json")));
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText("firebase-test-data/googleai/unary-success-url-context.json")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'What is https://ai.pydantic.dev?', 'Summarize https://berkshirehathaway.com' | Invoke-GeminiContent -UrlContext");

        result.AssertNoErrors();
        var responses = result.All<GenerateContentResponse>();
        GeminiCitation whole = Assert.Single(responses[0].Citations);
        Assert.Equal(responses[0].Text, whole.Text); // no startIndex: from 0
        Assert.Equal("Pydantic AI", whole.Sources.Single().Title);

        // This recording's offsets are one byte past the text they name; the segment's own text locates it.
        Assert.Equal(4, responses[1].Citations.Length);
        Assert.All(responses[1].Citations, c => Assert.Equal(c.Segment!.Text, c.Text));
        Assert.Equal("https://berkshirehathaway.com", responses[1].Sources.Single().Uri);
    }

    [Fact]
    public void A_grounded_stream_cites_the_whole_answer_from_its_last_chunk()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.SseRaw(Paths.FixtureText("pydantic-ai/derived/test_google_model_web_search_tool_stream.0.response.sse")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiStream 'What is the weather in San Francisco today?' -GoogleSearch");

        result.AssertNoErrors();
        var chunks = result.All<GeminiStreamChunk>();
        string answer = string.Concat(chunks.Select(c => c.Text));
        GenerateContentResponse last = chunks[^1].Response;
        Assert.NotEmpty(last.SearchQueries);
        Assert.NotEmpty(last.Sources);
        Assert.NotEmpty(last.Citations);
        Assert.All(last.Citations, c =>
        {
            Assert.Equal(c.Segment!.Text, c.Text);
            Assert.Equal(c.Text, answer.Substring(c.StartIndex, c.EndIndex - c.StartIndex));
        });
        Assert.Contains("69°F (21°C)", last.Citations[0].Text);
        Assert.StartsWith(answer.Substring(0, 40), last.CitedText);
        Assert.Contains("\nSources:\n[1] ", last.CitedText);
        Assert.All(chunks.Take(chunks.Count - 1), c => Assert.Empty(c.Response.Citations));
    }

    [Fact]
    public void An_answer_without_grounding_has_empty_lists_and_CitedText_is_the_text()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Hi'");

        var response = result.Single<GenerateContentResponse>();
        Assert.Empty(response.Sources);
        Assert.Empty(response.Citations);
        Assert.Empty(response.SearchQueries);
        Assert.Empty(response.CodeExecutions);
        Assert.Equal(response.Text, response.CitedText);
        Assert.Equal(response.Text, response.FullText);
    }

    [Fact]
    public void Code_execution_parts_pair_up_and_show_in_order_with_the_text()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText("firebase-test-data/googleai/unary-success-code-execution.json")));
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));

        ShellResult result = shell.Run("$r = Invoke-GeminiContent 'Sum of the first 5 primes?' -Model gemini-2.5-flash -CodeExecution; $r; $r | Out-Default");

        result.AssertNoErrors();
        var response = result.Single<GenerateContentResponse>();
        GeminiCodeExecution run = Assert.Single(response.CodeExecutions);
        Assert.Equal("PYTHON", run.Language);
        Assert.StartsWith("prime_numbers = [2, 3, 5, 7, 11]", run.Code);
        Assert.Equal("OUTCOME_OK", run.Outcome);
        Assert.True(run.Succeeded);
        Assert.Equal("sum_of_primes=28\n", run.Output);
        Assert.StartsWith("The first 5 prime numbers", response.Text);
        string expected =
            "```python\nprime_numbers = [2, 3, 5, 7, 11]\nsum_of_primes = sum(prime_numbers)\nprint(f'{sum_of_primes=}')\n```\n"
            + "Output:\n```\nsum_of_primes=28\n```\n"
            + "The first 5 prime numbers are 2, 3, 5, 7, and 11.\nThe sum of these numbers is:\n2 + 3 + 5 + 7 + 11 = 28";
        Assert.Equal(expected, response.FullText);
        Assert.Equal(expected.Replace("\n", Environment.NewLine), screen.ToString().Trim());
    }

    [Fact]
    public void Code_runs_pair_by_id_and_a_failure_shows_its_outcome()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText("vercel-ai/google-code-execution-single-combined-result-live-2026-07-16.json")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Run print(1/0)' -Model gemini-3-flash-preview -CodeExecution");

        result.AssertNoErrors();
        var response = result.Single<GenerateContentResponse>();
        GeminiCodeExecution run = Assert.Single(response.CodeExecutions);
        Assert.Equal("g4hwl40j", run.Id);
        Assert.Equal("OUTCOME_FAILED", run.Outcome);
        Assert.False(run.Succeeded);
        Assert.Contains("ZeroDivisionError", run.Output);
        Assert.Contains("```python\nprint('ok')\nprint(1/0)\n```\nOutput (OUTCOME_FAILED):\n```\nstdout: ok\n", response.FullText);
    }

    [Fact]
    public void A_stream_shows_code_and_output_chunks_in_order()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.SseRaw(Paths.FixtureText("firebase-test-data/googleai/streaming-success-code-execution.txt")));
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));

        ShellResult result = shell.Run("Get-GeminiStream 'Sum of the first 5 primes?' -CodeExecution | Out-Default");

        result.AssertNoErrors();
        string shown = screen.ToString().Replace(Environment.NewLine, "\n");
        int code = shown.IndexOf("```python\nprime_numbers = [2, 3, 5, 7, 11]", StringComparison.Ordinal);
        int output = shown.IndexOf("Output:\n```\nThe sum of the first 5 prime numbers is: 28\n```", StringComparison.Ordinal);
        int before = shown.IndexOf("sum using a Python tool:", StringComparison.Ordinal);
        int after = shown.IndexOf(" first 5 prime numbers is 28.", StringComparison.Ordinal);
        Assert.True(before >= 0 && before < code && code < output && output < after, shown);
    }
}
