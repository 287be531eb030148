using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>New-GeminiChat, -Chat on Invoke-GeminiContent and Get-GeminiStream, -Contents, Export/Import-GeminiChat.</summary>
public sealed class ChatTests
{
    private static string[] Roles(RecordedRequest request) =>
        request.Json!.RootElement.GetProperty("contents").EnumerateArray().Select(c => c.GetProperty("role").GetString()!).ToArray();

    private static string[] Texts(RecordedRequest request) =>
        request.Json!.RootElement.GetProperty("contents").EnumerateArray()
            .Select(c => string.Concat(c.GetProperty("parts").EnumerateArray().Select(p => p.TryGetProperty("text", out JsonElement t) ? t.GetString() : string.Empty)))
            .ToArray();

    [Fact]
    public void A_chat_sends_the_whole_history_and_its_settings_and_keeps_both_turns()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $chat = New-GeminiChat -Model gemini-2.5-pro -SystemInstruction 'Answer briefly.' -Temperature 0.2
            Invoke-GeminiContent -Chat $chat 'First question' | ForEach-Object Text
            Invoke-GeminiContent -Chat $chat 'Second question' | ForEach-Object Text
            $chat.History.Count
            $chat.Turns
            """);

        result.AssertNoErrors();
        Assert.Equal(new[] { "Echo: First question", "Echo: Second question", "4", "2" }, result.Output.Select(o => o.ToString()));
        RecordedRequest second = server.Requests[1];
        Assert.Contains("gemini-2.5-pro:generateContent", second.PathAndQuery);
        Assert.Equal(new[] { "user", "model", "user" }, Roles(second));
        Assert.Equal(new[] { "First question", "Echo: First question", "Second question" }, Texts(second));
        JsonElement root = second.Json!.RootElement;
        Assert.Equal("Answer briefly.", root.GetProperty("systemInstruction").GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal(0.2, root.GetProperty("generationConfig").GetProperty("temperature").GetDouble());
    }

    [Fact]
    public void Options_given_on_a_call_override_the_chat_settings_for_that_call_only()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        shell.Run("""
            $chat = New-GeminiChat -SystemInstruction 'Be formal.' -Temperature 0.2 -MaxOutputTokens 100
            Invoke-GeminiContent -Chat $chat 'one' -Temperature 1.5 -Model gemini-2.5-flash-lite
            Invoke-GeminiContent -Chat $chat 'two'
            """).AssertNoErrors();

        JsonElement first = server.Requests[0].Json!.RootElement.GetProperty("generationConfig");
        Assert.Equal(1.5, first.GetProperty("temperature").GetDouble());
        Assert.Equal(100, first.GetProperty("maxOutputTokens").GetInt32());
        Assert.Contains("gemini-2.5-flash-lite:", server.Requests[0].PathAndQuery);
        Assert.Equal(0.2, server.Requests[1].Json!.RootElement.GetProperty("generationConfig").GetProperty("temperature").GetDouble());
        Assert.Contains("gemini-3-flash-preview:", server.Requests[1].PathAndQuery);
    }

    [Fact]
    public void A_streamed_answer_joins_the_history_with_its_thought_signature_byte_for_byte()
    {
        using var server = FakeGeminiServer.Start();
        string[] chunks = File.ReadAllLines(Paths.Fixture("vercel-ai/google-text.chunks.txt")).Where(l => l.Trim().Length > 0).ToArray();
        string signature = JsonDocument.Parse(chunks[^1]).RootElement.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("thoughtSignature").GetString()!;
        server.Enqueue(FakeReply.Sse(chunks));
        using var shell = new Shell(server);

        shell.Run("""
            $chat = New-GeminiChat -Model gemini-3-pro-preview
            Get-GeminiStream -Chat $chat 'How many r in strawberry?' | ForEach-Object Text
            Invoke-GeminiContent -Chat $chat 'And in raspberry?'
            """).AssertNoErrors();

        JsonElement modelTurn = server.Requests[1].Json!.RootElement.GetProperty("contents")[1];
        Assert.Equal("model", modelTurn.GetProperty("role").GetString());
        JsonElement[] parts = modelTurn.GetProperty("parts").EnumerateArray().ToArray();
        Assert.Equal(signature, Assert.Single(parts, p => p.TryGetProperty("thoughtSignature", out _)).GetProperty("thoughtSignature").GetString());
        string answer = string.Concat(chunks.Select(c => string.Concat(JsonDocument.Parse(c).RootElement.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts").EnumerateArray().Select(p => p.GetProperty("text").GetString()))));
        Assert.Equal(answer, string.Concat(parts.Select(p => p.GetProperty("text").GetString())));
        Assert.True(parts.Length <= 2, "text deltas are joined into one part"); // the joined text, then the signature part
    }

    [Fact]
    public void A_failed_or_blocked_call_leaves_the_history_as_it_was()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Error(400, "INVALID_ARGUMENT", "Bad request"));
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText("vercel-ai/issue-19758-prompt-block.json")));
        server.Enqueue(FakeReply.Sse(new[] { """{"candidates":[{"content":{"parts":[{"text":"cut"}],"role":"model"}}]}""" }));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $chat = New-GeminiChat
            Invoke-GeminiContent -Chat $chat 'fails'
            Invoke-GeminiContent -Chat $chat 'blocked' -WarningAction SilentlyContinue
            Get-GeminiStream -Chat $chat 'truncated'
            Invoke-GeminiContent -Chat $chat 'works' | ForEach-Object Text
            $chat.History.Count
            """);

        Assert.Equal(2, result.Errors.Count); // the 400 and the truncated stream
        Assert.Equal(new[] { "user" }, Roles(server.Requests[3]));
        Assert.Equal("2", result.Output[^1].ToString());
    }

    [Fact]
    public void Contents_take_raw_turns_as_hashtables_objects_or_JSON()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        shell.Run("""
            $turns = @(
                @{ role = 'user'; parts = @(@{ text = 'My name is Ada.' }) }
                @{ Role = 'model'; Parts = @(@{ Text = 'Hello Ada.' }) }
            )
            Invoke-GeminiContent -Contents $turns 'What is my name?'
            Invoke-GeminiContent -History '[{"role":"user","parts":[{"text":"Only JSON"}]}]'
            """).AssertNoErrors();

        Assert.Equal(new[] { "user", "model", "user" }, Roles(server.Requests[0]));
        Assert.Equal(new[] { "My name is Ada.", "Hello Ada.", "What is my name?" }, Texts(server.Requests[0]));
        Assert.Equal(new[] { "Only JSON" }, Texts(server.Requests[1]));
    }

    [Fact]
    public void A_turn_without_parts_is_a_clear_binding_error()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent -Contents @{ role = 'user' } 'x'");

        Assert.NotNull(result.Terminating);
        Assert.Contains("role and parts", result.Terminating!.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void A_saved_chat_reloads_into_an_identical_conversation_and_the_file_holds_no_key()
    {
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { ApiKey = "sentinel-key-7f3a" });
        string file = Path.Combine(TempDir.Create(), "chat.json");
        using var shell = new Shell(server, apiKey: "sentinel-key-7f3a");
        shell.Set("file", file);

        shell.Run("""
            $chat = New-GeminiChat -Model gemini-2.5-flash -SystemInstruction 'Be brief.' -IncludeThoughts -ThinkingBudget 512
            Invoke-GeminiContent -Chat $chat 'Remember 42.'
            $chat | Export-GeminiChat -Path $file
            Invoke-GeminiContent -Chat $chat 'What number?'
            $loaded = Import-GeminiChat $file
            Invoke-GeminiContent -Chat $loaded 'What number?'
            """).AssertNoErrors();

        Assert.Equal(server.Requests[1].BodyText, server.Requests[2].BodyText);
        string saved = File.ReadAllText(file);
        Assert.DoesNotContain("sentinel-key-7f3a", saved);
        Assert.DoesNotContain("127.0.0.1", saved);
        Assert.Contains("\"history\"", saved);
    }

    [Fact]
    public void Importing_something_that_is_not_a_saved_chat_is_an_error_that_says_so()
    {
        string dir = TempDir.Create();
        File.WriteAllText(Path.Combine(dir, "bad.json"), "{ not json");
        File.WriteAllText(Path.Combine(dir, "newer.json"), """{"format": 99, "model": "gemini-9", "history": []}""");
        using var shell = new Shell();
        shell.Set("dir", dir);

        ShellResult result = shell.Run("Import-GeminiChat \"$dir/bad.json\", \"$dir/newer.json\", \"$dir/missing.json\"");

        Assert.Empty(result.Output);
        Assert.Equal(new[] { "GeminiChatFileInvalid", "GeminiChatFileInvalid", "GeminiPathNotFound" }, result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        Assert.Contains("newer CometGemini", result.Errors[1].Exception.Message);
        Assert.Equal(ErrorCategory.ObjectNotFound, result.Errors[2].CategoryInfo.Category);
    }

    [Fact]
    public void Import_takes_wildcards_in_Path_and_names_as_written_in_LiteralPath()
    {
        string dir = TempDir.Create();
        using var shell = new Shell();
        shell.Set("dir", dir);
        shell.Run("""
            New-GeminiChat -Model gemini-2.5-pro | Export-GeminiChat "$dir/one.json"
            New-GeminiChat -Model gemini-3-pro-preview | Export-GeminiChat "$dir/two.json"
            New-GeminiChat -Model gemini-2.5-flash | Export-GeminiChat -LiteralPath "$dir/[kept].json"
            """).AssertNoErrors();

        ShellResult result = shell.Run("""
            Import-GeminiChat "$dir/*o.json" | ForEach-Object Model
            Import-GeminiChat -LiteralPath "$dir/[kept].json" | ForEach-Object Model
            [IO.FileInfo]"$dir/one.json" | Import-GeminiChat | ForEach-Object Model
            Import-GeminiChat "$dir/none-*.json"
            """);

        Assert.Equal(new[] { "gemini-3-pro-preview", "gemini-2.5-flash", "gemini-2.5-pro" }, result.Output.Select(o => o.ToString()));
        Assert.Equal("GeminiPathNotFound", Assert.Single(result.Errors).FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact]
    public void NoClobber_keeps_an_existing_file_and_WhatIf_writes_nothing()
    {
        string dir = TempDir.Create();
        File.WriteAllText(Path.Combine(dir, "kept.json"), "keep me");
        using var shell = new Shell();
        shell.Set("dir", dir);

        ShellResult result = shell.Run("""
            $chat = New-GeminiChat
            $chat | Export-GeminiChat "$dir/kept.json" -NoClobber
            $chat | Export-GeminiChat "$dir/whatif.json" -WhatIf
            $chat | Export-GeminiChat "$dir/new.json" -PassThru | ForEach-Object Name
            """);

        Assert.Equal(ErrorCategory.ResourceExists, Assert.Single(result.Errors).CategoryInfo.Category);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(dir, "kept.json")));
        Assert.False(File.Exists(Path.Combine(dir, "whatif.json")));
        Assert.Equal("new.json", Assert.Single(result.Output).ToString());
    }

    [Fact]
    public void Trim_keeps_the_last_exchanges_starting_at_a_user_prompt()
    {
        var chat = new GeminiChat();
        for (int i = 1; i <= 3; i++)
        {
            chat.History.Add(new Content { Role = "user", Parts = new() { new Part { Text = "q" + i } } });
            chat.History.Add(new Content { Role = "model", Parts = new() { new Part { Text = "a" + i } } });
        }

        chat.Trim(2);
        Assert.Equal(new[] { "q2", "a2", "q3", "a3" }, chat.History.Select(c => c.Text));
        chat.Trim(5);
        Assert.Equal(4, chat.History.Count);
        chat.Trim(0);
        Assert.Empty(chat.History);
    }

    [Fact]
    public void A_recorded_Gemini_3_tool_turn_replays_with_its_signature_and_the_function_response()
    {
        // llm-gemini's recording: turn 1 answers with a signed functionCall; turn 2 sends it back with the result.
        static string[] Elements(string name) =>
            JsonDocument.Parse(File.ReadAllText(Paths.Fixture("llm-gemini/derived/" + name))).RootElement.EnumerateArray().Select(e => JsonSerializer.Serialize(e)).ToArray(); // one line each, as SSE data
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Sse(Elements("test_tools_with_gemini_3_thought_signatures.0.response.jsonarray.json")));
        server.Enqueue(FakeReply.Sse(Elements("test_tools_with_gemini_3_thought_signatures.1.response.jsonarray.json")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $chat = New-GeminiChat -Model gemini-3-flash-preview
            $null = Get-GeminiStream -Chat $chat 'What is 5 times 3?'
            $result = @{ role = 'user'; parts = @(@{ functionResponse = @{ name = 'multiply'; response = @{ output = '15' } } }) }
            (Get-GeminiStream -Chat $chat -Contents $result | ForEach-Object Text) -join ''
            $chat.History.Count
            """);

        result.AssertNoErrors();
        Assert.Equal("5 times 3 is 15.", result.Output[0].ToString());
        Assert.Equal("4", result.Output[1].ToString());
        JsonElement recorded = JsonDocument.Parse(Paths.FixtureText("llm-gemini/derived/test_tools_with_gemini_3_thought_signatures.1.request.json")).RootElement.GetProperty("contents");
        JsonElement sent = server.Requests[1].Json!.RootElement.GetProperty("contents");
        Assert.Equal(new[] { "user", "model", "user" }, Roles(server.Requests[1]));
        JsonElement recordedCall = recorded[1].GetProperty("parts").EnumerateArray().Single(p => p.TryGetProperty("function_call", out _));
        JsonElement sentCall = sent[1].GetProperty("parts").EnumerateArray().Single(p => p.TryGetProperty("functionCall", out _));
        Assert.Equal(recordedCall.GetProperty("thoughtSignature").GetString(), sentCall.GetProperty("thoughtSignature").GetString());
        Assert.Equal(recordedCall.GetProperty("function_call").GetRawText().Replace(" ", ""), sentCall.GetProperty("functionCall").GetRawText().Replace(" ", ""));
        Assert.Equal("15", sent[2].GetProperty("parts")[0].GetProperty("functionResponse").GetProperty("response").GetProperty("output").GetString());
    }

    [Fact]
    public void A_recorded_thinking_answer_goes_back_in_the_next_turn_exactly_as_received()
    {
        using var server = FakeGeminiServer.Start();
        string recorded = Paths.FixtureText("firebase-test-data/googleai/unary-success-thinking-function-call-thought-summary-signature.json");
        server.Enqueue(FakeReply.Json(200, recorded));
        using var shell = new Shell(server);

        shell.Run("""
            $chat = New-GeminiChat -Model gemini-2.5-flash -IncludeThoughts
            $null = Invoke-GeminiContent -Chat $chat 'How many days until New Year''s Eve?'
            $null = Invoke-GeminiContent -Chat $chat -Contents @{ role = 'user'; parts = @(@{ functionResponse = @{ name = 'now'; response = @{ date = '2026-11-24' } } }) }
            """).AssertNoErrors();

        JsonElement received = JsonDocument.Parse(recorded).RootElement.GetProperty("candidates")[0].GetProperty("content");
        JsonElement sentBack = server.Requests[1].Json!.RootElement.GetProperty("contents")[1];
        Assert.True(JsonElement.DeepEquals(received, sentBack), sentBack.GetRawText());
    }

    [Fact]
    public void Contents_turns_can_hold_New_GeminiPart_parts()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        shell.Run("$null = Invoke-GeminiContent -Contents @{ role = 'user'; parts = @(New-GeminiPart -Text 'hello') }").AssertNoErrors();

        Assert.Equal(new[] { "hello" }, Texts(server.Requests[0]));
    }

    [Fact]
    public void A_turn_that_was_answered_is_kept_even_when_a_downstream_command_stops_the_pipeline()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("$chat = New-GeminiChat\nforeach ($i in 1) { Invoke-GeminiContent -Chat $chat 'hi' | ForEach-Object { $_.Text; break } }\n$chat.History.Count");

        Assert.Equal("2", result.Output.Last().ToString());
    }
}
