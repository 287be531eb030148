using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using CometGemini.Demo;
using CometGemini.Generation;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>Enter-GeminiChat: its plain parts (slash commands, history, Markdown blocks) and the chat driven through a host that types.</summary>
public sealed class EnterGeminiChatTests
{
    private static string Chunk(string text, bool final = false) =>
        $$"""{"candidates":[{"content":{"parts":[{"text":{{JsonSerializer.Serialize(text)}}}],"role":"model"}{{(final ? ",\"finishReason\":\"STOP\"" : string.Empty)}}}]}""";

    private static string[] Texts(RecordedRequest request) =>
        request.Json!.RootElement.GetProperty("contents").EnumerateArray()
            .Select(c => string.Concat(c.GetProperty("parts").EnumerateArray().Select(p => p.TryGetProperty("text", out JsonElement t) ? t.GetString() : "<" + p.EnumerateObject().First().Name + ">")))
            .ToArray();

    private static (ShellResult Result, string Screen) Chat(FakeGeminiServer server, string command, params string[] typed)
    {
        var screen = new StringWriter();
        var host = new TextHost(screen) { Typed = new Queue<string>(typed) };
        using var shell = new Shell(server, host: host);
        ShellResult result = shell.Run(command);
        return (result, screen.ToString());
    }

    private static GeminiChat NewChat(params string[] turns)
    {
        var chat = new GeminiChat();
        for (int i = 0; i < turns.Length; i++)
            chat.History.Add(new Content { Role = i % 2 == 0 ? "user" : "model", Parts = new List<Part> { new() { Text = turns[i] } } });
        return chat;
    }

    [Theory]
    [InlineData("/exit", "Exit", "")]
    [InlineData("  /QUIT ", "Exit", "")]
    [InlineData("/save ./my chat.json", "Save", "./my chat.json")]
    [InlineData("/save '/tmp/a b.json'", "Save", "/tmp/a b.json")]
    [InlineData("/model gemini-2.5-flash", "Model", "gemini-2.5-flash")]
    [InlineData("/clear", "Clear", "")]
    [InlineData("/retry", "Retry", "")]
    [InlineData("/help", "Help", "")]
    [InlineData("/frobnicate now", "Unknown", "/frobnicate")]
    [InlineData("What is 2 + 2?", "Message", "What is 2 + 2?")]
    [InlineData("//etc/hosts is where?", "Message", "/etc/hosts is where?")]
    [InlineData("   ", "Empty", "")]
    public void A_typed_line_is_a_slash_command_with_its_argument_or_a_message(string line, string kind, string text)
    {
        ChatLine parsed = ChatLine.Parse(line);
        Assert.Equal(kind, parsed.Kind.ToString());
        Assert.Equal(text, parsed.Text);
    }

    [Theory]
    [InlineData("/save")]
    [InlineData("/model   ")]
    public void A_command_without_its_argument_says_what_to_type(string line)
    {
        ChatLine parsed = ChatLine.Parse(line);
        Assert.Equal(ChatLineKind.MissingArgument, parsed.Kind);
        Assert.Contains(line.Trim() + " needs", parsed.Text);
    }

    [Fact]
    public void Each_question_is_sent_after_the_history_and_its_answer_joins_it()
    {
        GeminiChat chat = NewChat("one", "Echo: one");
        var conversation = new ChatConversation(chat, new GenerateContentRequest { SystemInstruction = new Content { Parts = new List<Part> { new() { Text = "Be brief." } } } });

        GenerateContentRequest request = conversation.Ask("two");
        Assert.Equal(new[] { "one", "Echo: one", "two" }, request.Contents.Select(c => c.Text));
        Assert.Equal("Be brief.", request.SystemInstruction!.Text);
        Assert.Equal(2, chat.History.Count); // asking adds nothing yet

        Assert.True(conversation.Answered(request, new Content { Role = "model", Parts = new List<Part> { new() { Text = "Echo: two" } } }, complete: true));
        Assert.Equal(new[] { "one", "Echo: one", "two", "Echo: two" }, chat.History.Select(c => c.Text));
        Assert.Equal(2, chat.Turns);
    }

    [Fact]
    public void An_answer_cut_short_keeps_what_came_but_not_a_call_no_one_answered_and_nothing_keeps_nothing()
    {
        GeminiChat chat = NewChat();
        var conversation = new ChatConversation(chat, new GenerateContentRequest());

        GenerateContentRequest first = conversation.Ask("first");
        var partial = new Content { Role = "model", Parts = new List<Part> { new() { Text = "The qu" }, new() { FunctionCall = new FunctionCall { Name = "Get-Date" } } } };
        Assert.True(conversation.Answered(first, partial, complete: false));
        Assert.Equal(new[] { "user", "model" }, chat.History.Select(c => c.Role));
        Assert.Equal("The qu", Assert.Single(chat.History[1].Parts!).Text);

        GenerateContentRequest second = conversation.Ask("second");
        Assert.False(conversation.Answered(second, null, complete: false));
        Assert.Equal(2, chat.History.Count); // the unanswered question is not kept either
    }

    [Fact]
    public void Retry_takes_the_last_question_and_everything_after_it_out()
    {
        GeminiChat chat = NewChat("one", "Echo: one", "two", "Echo: two");
        var conversation = new ChatConversation(chat, new GenerateContentRequest());

        Assert.Equal("two", conversation.TakeLastQuestion());
        Assert.Equal(new[] { "one", "Echo: one" }, chat.History.Select(c => c.Text));
        Assert.Null(new ChatConversation(NewChat(), new GenerateContentRequest()).TakeLastQuestion());
    }

    [Fact]
    public void Clear_model_and_save_change_or_write_the_chat_itself()
    {
        GeminiChat chat = NewChat("one", "Echo: one");
        chat.Settings.GenerationConfig = new GenerationConfig { Temperature = 0.3 };
        var conversation = new ChatConversation(chat, chat.Settings);
        string file = Path.Combine(TempDir.Create(), "chat.json");

        conversation.SwitchModel("gemini-2.5-pro");
        conversation.Save(file);
        conversation.Clear();

        Assert.Equal("gemini-2.5-pro", chat.Model);
        Assert.Empty(chat.History);
        GeminiChat saved = GeminiChat.FromJson(File.ReadAllBytes(file));
        Assert.Equal("gemini-2.5-pro", saved.Model);
        Assert.Equal(new[] { "one", "Echo: one" }, saved.History.Select(c => c.Text));
        Assert.Equal(0.3, saved.Settings.GenerationConfig!.Temperature);
    }

    [Fact]
    public void Markdown_arrives_as_whole_blocks_and_a_code_block_keeps_its_blank_lines()
    {
        var blocks = new MarkdownBlocks();
        var done = new List<string>();
        foreach (string piece in new[] { "# Ti", "tle\n\nSome ", "text.\n\n```powershell\nGet-Date\n\n", "Get-Item\n```\n| a | b |\n|---|---|\n", "| 1 | 2 |" })
            done.AddRange(blocks.Add(piece));

        Assert.Equal(new[] { "# Title\n", "Some text.\n", "```powershell\nGet-Date\n\nGet-Item\n```\n" }, done);
        Assert.Equal("| a | b |\n|---|---|\n| 1 | 2 |", blocks.Rest());
        Assert.Null(blocks.Rest());
        Assert.False(MarkdownBlocks.RendersWell("| a | b |\n|---|---|\n| 1 | 2 |\n")); // shown as its text
        Assert.True(MarkdownBlocks.RendersWell("# Title\n"));
    }

    [Theory]
    [InlineData("Hello", 10, 0)]
    [InlineData("Hello\n", 10, 1)]
    [InlineData("0123456789ABC", 10, 1)] // one line wrapped onto a second row
    [InlineData("# Title\n\nSome te", 10, 2)]
    [InlineData("0123456789ABCDEFGHIJ0\nx", 10, 3)]
    public void The_raw_text_of_a_block_is_erased_from_as_many_rows_up_as_it_took(string shown, int width, int rows) =>
        Assert.Equal(rows, CometGemini.Commands.ChatScreen.RowsAbove(shown, width));

    [Theory]
    [InlineData(false, false, true, false, true, true)]
    [InlineData(true, false, true, false, true, false)] // -NoMarkdown
    [InlineData(false, true, true, false, true, false)] // output redirected
    [InlineData(false, false, false, false, true, false)] // no VT
    [InlineData(false, false, true, true, true, false)] // $PSStyle.OutputRendering = 'PlainText'
    [InlineData(false, false, true, false, false, false)] // no ConvertFrom-Markdown (Windows PowerShell)
    public void Markdown_is_rendered_only_where_it_shows_as_meant(bool noMarkdown, bool redirected, bool vt, bool plainText, bool converter, bool renders) =>
        Assert.Equal(renders, MarkdownBlocks.Renders(noMarkdown, redirected, vt, plainText, converter));

    [Fact]
    public void Two_turns_then_save_and_exit_write_the_chat_and_the_file_imports()
    {
        using var server = FakeGeminiServer.Start();
        string file = Path.Combine(TempDir.Create(), "chat.json");

        (ShellResult result, string screen) = Chat(server, "Enter-GeminiChat -SystemInstruction 'Be brief.'", "First question", "Second question", "/save " + file, "/exit", "never sent");

        result.AssertNoErrors();
        var chat = (GeminiChat)Assert.Single(result.Output).BaseObject;
        Assert.Equal(new[] { "First question", "Echo: First question", "Second question", "Echo: Second question" }, chat.History.Select(c => c.Text));
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(new[] { "First question", "Echo: First question", "Second question" }, Texts(server.Requests[1]));
        Assert.Contains("Echo: Second question\n", screen);
        Assert.Contains("Saved the 2-turn chat to " + file, screen);
        GeminiChat saved = GeminiChat.FromJson(File.ReadAllBytes(file));
        Assert.Equal(chat.History.Select(c => c.Text), saved.History.Select(c => c.Text));
        Assert.Equal("Be brief.", saved.Settings.SystemInstruction!.Text);
        Assert.DoesNotContain(Shell.TestKey, File.ReadAllText(file));
    }

    [Fact]
    public void A_chat_given_is_updated_in_place_and_not_written_and_the_end_of_input_leaves()
    {
        using var server = FakeGeminiServer.Start();
        var screen = new StringWriter();
        var host = new TextHost(screen) { Typed = new Queue<string>(new[] { "Hello", "/frobnicate", "/model" }) };
        using var shell = new Shell(server, host: host);

        ShellResult result = shell.Run("""
            $chat = New-GeminiChat
            Enter-GeminiChat -Chat $chat
            $chat.Turns
            """);

        result.AssertNoErrors();
        Assert.Equal("1", Assert.Single(result.Output).ToString());
        Assert.Single(server.Requests); // the unknown command sent nothing
        Assert.Contains(result.Warnings, w => w.StartsWith("/frobnicate is not a chat command; /help lists them.", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.StartsWith("/model needs a model id", StringComparison.Ordinal));
    }

    [Fact]
    public void Retry_replaces_the_last_answer_and_model_switches_the_next_request()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Sse(new[] { Chunk("First answer", final: true) }));
        server.Enqueue(FakeReply.Sse(new[] { Chunk("Better answer", final: true) }));

        (ShellResult result, _) = Chat(server, "Enter-GeminiChat", "Question", "/model gemini-2.5-pro", "/retry", "/clear", "Fresh start");

        result.AssertNoErrors();
        var chat = (GeminiChat)Assert.Single(result.Output).BaseObject;
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(new[] { "Question" }, Texts(server.Requests[1])); // the old answer is not sent again
        Assert.Contains("models/gemini-2.5-pro:streamGenerateContent", server.Requests[1].PathAndQuery);
        Assert.Equal(new[] { "Fresh start" }, Texts(server.Requests[2])); // after /clear
        Assert.Equal("gemini-2.5-pro", chat.Model);
        Assert.Equal(new[] { "Fresh start", "Echo: Fresh start" }, chat.History.Select(c => c.Text));
    }

    [Fact]
    public void A_server_error_is_an_error_the_chat_goes_on_and_a_failed_answer_keeps_what_came()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Error(400, "INVALID_ARGUMENT", "Request contains an invalid argument."));
        server.Enqueue(FakeReply.Sse(new[] { Chunk("The qu"), """{"error":{"code":503,"message":"This model is currently experiencing high demand.","status":"UNAVAILABLE"}}""" }));

        (ShellResult result, string screen) = Chat(server, "Enter-GeminiChat", "Refused", "Cut off", "Works");

        Assert.Equal(2, result.Errors.Count);
        Assert.Contains("invalid argument", result.Errors[0].ToString());
        Assert.Contains("high demand", result.Errors[1].ToString());
        var chat = (GeminiChat)Assert.Single(result.Output).BaseObject;
        Assert.Equal(new[] { "Cut off", "The qu", "Works", "Echo: Works" }, chat.History.Select(c => c.Text));
        Assert.Equal(new[] { "Cut off", "The qu", "Works" }, Texts(server.Requests[2]));
        Assert.Contains("The qu", screen);
    }

    [Fact]
    public void A_tool_call_runs_as_in_Invoke_GeminiContent_and_its_rounds_join_the_history()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Sse(new[] { """{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"Get-Answer","args":{}}}]},"finishReason":"STOP"}]}""" }));
        server.Enqueue(FakeReply.Sse(new[] { Chunk("It is 42.", final: true) }));

        (ShellResult result, string screen) = Chat(server, "function Get-Answer { 42 }; Enter-GeminiChat -Tool Get-Answer", "What is the answer?");

        result.AssertNoErrors();
        var chat = (GeminiChat)Assert.Single(result.Output).BaseObject;
        Assert.Equal(new[] { "What is the answer?", "<functionCall>", "<functionResponse>" }, Texts(server.Requests[1]));
        Assert.Equal(4, chat.History.Count);
        Assert.Equal("It is 42.", chat.LastAnswer);
        Assert.Contains("It is 42.", screen);
    }

    [Fact]
    public void A_host_that_cannot_read_lines_ends_the_chat_with_an_error_that_says_where_it_works()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server, host: new TextHost(new StringWriter()));

        ShellResult result = shell.Run("Enter-GeminiChat");

        var stopped = Assert.IsAssignableFrom<System.Management.Automation.IContainsErrorRecord>(result.Terminating);
        System.Management.Automation.ErrorRecord error = stopped.ErrorRecord;
        Assert.Empty(server.Requests);
        Assert.Equal("GeminiChatCannotRead,CometGemini.Commands.EnterGeminiChatCommand", error.FullyQualifiedErrorId);
        Assert.Contains("interactive pwsh", error.ErrorDetails.RecommendedAction);
    }
}
