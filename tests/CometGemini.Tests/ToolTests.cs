using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>-Tool: PowerShell commands as Gemini functions, run in the caller's session; manual mode; New-GeminiTool.</summary>
public sealed class ToolTests
{
    private const string ServiceFunction = """
        function Get-MyServiceStatus {
            <#
            .SYNOPSIS
            Reports whether services are running or stopped.
            .PARAMETER Name
            The service names to look up.
            #>
            [CmdletBinding()]
            param(
                [Parameter(Mandatory)] [string[]] $Name,
                [ValidateSet('Running', 'Stopped')] [string] $State,
                [Parameter(HelpMessage = 'How many to report at most.')] [int] $Limit,
                [double] $Ratio,
                [switch] $Detailed,
                [System.DayOfWeek] $Day
            )
            $global:toolRuns++
            foreach ($n in $Name) { [pscustomobject]@{ Name = $n; Status = if ($n -eq 'spooler') { 'Stopped' } else { 'Running' } } }
        }
        $global:toolRuns = 0
        """;

    private static string Calls(params (string Name, string Args, string? Id)[] calls) =>
        "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":["
        + string.Join(",", calls.Select((c, i) => $"{{\"functionCall\":{{\"name\":\"{c.Name}\",\"args\":{c.Args}{(c.Id is null ? string.Empty : $",\"id\":\"{c.Id}\"")}}}{(i == 0 ? ",\"thoughtSignature\":\"c2lnbmF0dXJlLW9uZQ==\"" : string.Empty)}}}"))
        + "]},\"finishReason\":\"STOP\"}]}";

    private static string Answer(string text) =>
        $"{{\"candidates\":[{{\"content\":{{\"role\":\"model\",\"parts\":[{{\"text\":\"{text}\"}}]}},\"finishReason\":\"STOP\"}}]}}";

    private static JsonElement Contents(RecordedRequest request) => request.Json!.RootElement.GetProperty("contents");

    [Fact]
    public void A_command_becomes_a_declaration_from_its_parameters_and_help()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        shell.Run(ServiceFunction + "\nInvoke-GeminiContent 'Hi' -Tool (Get-Command Get-MyServiceStatus) -NoToolExecution").AssertNoErrors();

        JsonElement declaration = server.Requests[0].Json!.RootElement.GetProperty("tools")[0].GetProperty("functionDeclarations")[0];
        Assert.Equal("Get-MyServiceStatus", declaration.GetProperty("name").GetString());
        Assert.Equal("Reports whether services are running or stopped.", declaration.GetProperty("description").GetString());
        JsonElement properties = declaration.GetProperty("parameters").GetProperty("properties");
        Assert.Equal(new[] { "Name", "State", "Limit", "Ratio", "Detailed", "Day" }, properties.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ARRAY", properties.GetProperty("Name").GetProperty("type").GetString());
        Assert.Equal("STRING", properties.GetProperty("Name").GetProperty("items").GetProperty("type").GetString());
        Assert.Equal("The service names to look up.", properties.GetProperty("Name").GetProperty("description").GetString());
        Assert.Equal(new[] { "Running", "Stopped" }, properties.GetProperty("State").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("INTEGER", properties.GetProperty("Limit").GetProperty("type").GetString());
        Assert.Equal("How many to report at most.", properties.GetProperty("Limit").GetProperty("description").GetString());
        Assert.Equal("NUMBER", properties.GetProperty("Ratio").GetProperty("type").GetString());
        Assert.Equal("BOOLEAN", properties.GetProperty("Detailed").GetProperty("type").GetString());
        Assert.Contains("Friday", properties.GetProperty("Day").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(new[] { "Name" }, declaration.GetProperty("parameters").GetProperty("required").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void The_model_calls_run_in_the_session_and_the_results_go_back_until_it_answers()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Calls(("Get-MyServiceStatus", """{"Name":["spooler","sshd"]}""", null))));
        server.Enqueue(FakeReply.Json(200, Answer("spooler is stopped")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run(ServiceFunction + """

            $r = Invoke-GeminiContent 'Which of these services are stopped: spooler, sshd?' -Tool Get-MyServiceStatus -Verbose
            $r.Text
            $global:toolRuns
            $r.ToolCalls.Count
            """);

        result.AssertNoErrors();
        Assert.Equal(new[] { "spooler is stopped", "1", "1" }, result.Output.Select(o => o.ToString()));
        JsonElement contents = Contents(server.Requests[1]);
        Assert.Equal(3, contents.GetArrayLength());
        JsonElement modelTurn = contents[1];
        Assert.Equal("model", modelTurn.GetProperty("role").GetString());
        Assert.Equal("c2lnbmF0dXJlLW9uZQ==", modelTurn.GetProperty("parts")[0].GetProperty("thoughtSignature").GetString());
        JsonElement reply = contents[2].GetProperty("parts")[0].GetProperty("functionResponse");
        Assert.Equal("Get-MyServiceStatus", reply.GetProperty("name").GetString());
        JsonElement output = reply.GetProperty("response").GetProperty("output");
        Assert.Equal(new[] { "spooler:Stopped", "sshd:Running" }, output.EnumerateArray().Select(o => o.GetProperty("Name").GetString() + ":" + o.GetProperty("Status").GetString()));
        Assert.Contains(result.Verbose, v => v == "Tool call: Get-MyServiceStatus {\"Name\":[\"spooler\",\"sshd\"]}");
    }

    [Fact]
    public void Several_calls_in_one_turn_are_all_answered_in_order_with_their_ids_and_failures_are_reported_to_the_model()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Calls(("Get-MyServiceStatus", """{"Name":["spooler"]}""", "a1"), ("Get-Broken", "{}", "b2"), ("Get-Nothing", "{}", "c3"))));
        server.Enqueue(FakeReply.Json(200, Answer("done")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run(ServiceFunction + """

            function Get-Broken { throw 'the disk is on fire' }
            function Get-Nothing { [CmdletBinding()] param() $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([Exception]::new('nothing here'), 'Nothing', 'ObjectNotFound', $null)) }
            (Invoke-GeminiContent 'Check' -Tool Get-MyServiceStatus, Get-Broken, Get-Nothing).ToolCalls | ForEach-Object { "$($_.Name)=$($_.Succeeded)" }
            """);

        result.AssertNoErrors();
        Assert.Equal(new[] { "Get-MyServiceStatus=True", "Get-Broken=False", "Get-Nothing=False" }, result.Output.Select(o => o.ToString()));
        JsonElement[] replies = Contents(server.Requests[1])[2].GetProperty("parts").EnumerateArray().Select(p => p.GetProperty("functionResponse")).ToArray();
        Assert.Equal(new[] { "a1", "b2", "c3" }, replies.Select(r => r.GetProperty("id").GetString()));
        Assert.Contains("the disk is on fire", replies[1].GetProperty("response").GetProperty("error").GetString());
        Assert.Contains("nothing here", replies[2].GetProperty("response").GetProperty("error").GetString());
    }

    [Fact]
    public void Commands_that_change_things_run_only_with_Force_and_WhatIf_runs_nothing()
    {
        using var server = FakeGeminiServer.Start();
        for (int i = 0; i < 2; i++)
        {
            server.Enqueue(FakeReply.Json(200, Calls(("Stop-MyThing", """{"Name":"spooler"}""", null))));
            server.Enqueue(FakeReply.Json(200, Answer("ok")));
        }

        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            function Stop-MyThing { param([string] $Name) $global:stopped += @($Name) }
            $global:stopped = @()
            $null = Invoke-GeminiContent 'Stop it' -Tool Stop-MyThing -WarningVariable asked -WarningAction SilentlyContinue
            $global:stopped.Count
            $null = Invoke-GeminiContent 'Stop it' -Tool Stop-MyThing -WhatIf
            $global:stopped.Count
            $null = Invoke-GeminiContent 'Stop it' -Tool Stop-MyThing -Force
            $global:stopped.Count
            $asked.Count
            """);

        result.AssertNoErrors();
        Assert.Equal(new[] { "0", "0", "1", "1" }, result.Output.Select(o => o.ToString()));
        Assert.Contains("declined", Contents(server.Requests[1])[2].GetProperty("parts")[0].GetProperty("functionResponse").GetProperty("response").GetProperty("error").GetString());
        // -WhatIf asks the model nothing (issue 19), so no call comes to run: two requests each for the first and last runs.
        Assert.Equal(4, server.Requests.Count);
        Assert.DoesNotContain("error", Contents(server.Requests[3])[2].GetProperty("parts")[0].GetProperty("functionResponse").GetProperty("response").GetRawText());
    }

    [Fact]
    public void NoToolExecution_returns_the_calls_and_New_GeminiPart_answers_them_in_a_chat()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Calls(("Get-MyServiceStatus", """{"Name":["spooler"]}""", "x9"))));
        server.Enqueue(FakeReply.Json(200, Answer("spooler is stopped")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run(ServiceFunction + """

            $chat = New-GeminiChat -Tool Get-MyServiceStatus
            $r = Invoke-GeminiContent -Chat $chat 'Is spooler running?' -NoToolExecution
            $call = $r.FunctionCalls[0]
            "$($call.Name) $($call.Id) $($global:toolRuns)"
            $reply = New-GeminiPart -FunctionResponse $call -Response @{ status = 'Stopped' }
            (Invoke-GeminiContent -Chat $chat -Part $reply).Text
            $chat.History.Count
            """);

        result.AssertNoErrors();
        Assert.Equal(new[] { "Get-MyServiceStatus x9 0", "spooler is stopped", "4" }, result.Output.Select(o => o.ToString()));
        JsonElement reply = Contents(server.Requests[1])[2].GetProperty("parts")[0].GetProperty("functionResponse");
        Assert.Equal("x9", reply.GetProperty("id").GetString());
        Assert.Equal("Stopped", reply.GetProperty("response").GetProperty("status").GetString());
        Assert.True(server.Requests[1].Json!.RootElement.TryGetProperty("tools", out _), "the chat keeps its tools");
    }

    [Fact]
    public void MaxToolCalls_stops_the_loop_with_a_warning_and_the_pending_calls()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Calls(("Get-MyServiceStatus", """{"Name":["a"]}""", null))));
        server.Enqueue(FakeReply.Json(200, Calls(("Get-MyServiceStatus", """{"Name":["b"]}""", null))));
        using var shell = new Shell(server);

        ShellResult result = shell.Run(ServiceFunction + "\n(Invoke-GeminiContent 'Loop' -Tool Get-MyServiceStatus -MaxToolCalls 1).FunctionCalls.Count");

        Assert.Equal("1", Assert.Single(result.Output).ToString());
        Assert.Contains(result.Warnings, w => w.Contains("-MaxToolCalls 1"));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public void New_GeminiTool_declares_raw_functions_and_FunctionCallingMode_sets_toolConfig()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Calls(("lookup_ticket", """{"id":42}""", null))));
        server.Enqueue(FakeReply.Json(200, Answer("Ticket 42 is open")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $tool = New-GeminiTool lookup_ticket 'Finds a ticket by id.' -ReadOnly -Parameters @{ type = 'OBJECT'; properties = @{ id = @{ type = 'INTEGER' } }; required = @('id') } -ScriptBlock {
                param([int] $id)
                [pscustomobject]@{ Id = $id; State = 'Open' }
            }
            (Invoke-GeminiContent 'Is ticket 42 open?' -Tool $tool -FunctionCallingMode Any -AllowedFunction lookup_ticket).Text
            """);

        result.AssertNoErrors();
        Assert.Equal("Ticket 42 is open", Assert.Single(result.Output).ToString());
        JsonElement first = server.Requests[0].Json!.RootElement;
        Assert.Equal("Finds a ticket by id.", first.GetProperty("tools")[0].GetProperty("functionDeclarations")[0].GetProperty("description").GetString());
        JsonElement calling = first.GetProperty("toolConfig").GetProperty("functionCallingConfig");
        Assert.Equal("ANY", calling.GetProperty("mode").GetString());
        Assert.Equal("lookup_ticket", calling.GetProperty("allowedFunctionNames")[0].GetString());
        JsonElement output = Contents(server.Requests[1])[2].GetProperty("parts")[0].GetProperty("functionResponse").GetProperty("response").GetProperty("output");
        Assert.Equal("Open", output.GetProperty("State").GetString());
        Assert.Equal(42, output.GetProperty("Id").GetInt32());
    }

    [Fact]
    public void A_stream_surfaces_the_call_chunk_and_streams_the_final_answer()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Sse(new[] { Calls(("Get-MyServiceStatus", """{"Name":["spooler"]}""", null)) }));
        server.Enqueue(FakeReply.Sse(new[]
        {
            """{"candidates":[{"content":{"role":"model","parts":[{"text":"spooler "}]}}]}""",
            """{"candidates":[{"content":{"role":"model","parts":[{"text":"is stopped"}]},"finishReason":"STOP"}]}""",
        }));
        using var shell = new Shell(server);

        ShellResult result = shell.Run(ServiceFunction + "\nGet-GeminiStream 'Is spooler running?' -Tool Get-MyServiceStatus");

        result.AssertNoErrors();
        var chunks = result.All<GeminiStreamChunk>();
        Assert.Equal(new[] { 0, 1, 2 }, chunks.Select(c => c.Index));
        Assert.Equal("Get-MyServiceStatus", chunks[0].Parts[0].FunctionCall!.Name);
        Assert.Equal("spooler is stopped", string.Concat(chunks.Select(c => c.Text)));
        Assert.Equal("c2lnbmF0dXJlLW9uZQ==", Contents(server.Requests[1])[1].GetProperty("parts")[0].GetProperty("thoughtSignature").GetString());
    }

    [Fact]
    public void The_recorded_Gemini_3_tool_exchange_replays_with_the_signature_byte_for_byte()
    {
        static string[] Elements(string name) =>
            JsonDocument.Parse(File.ReadAllText(Paths.Fixture("llm-gemini/derived/" + name))).RootElement.EnumerateArray().Select(e => JsonSerializer.Serialize(e)).ToArray();
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Sse(Elements("test_tools_with_gemini_3_thought_signatures.0.response.jsonarray.json")));
        server.Enqueue(FakeReply.Sse(Elements("test_tools_with_gemini_3_thought_signatures.1.response.jsonarray.json")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            function multiply { <# .SYNOPSIS Multiply two numbers. #> param([Parameter(Mandatory)] [int] $x, [Parameter(Mandatory)] [int] $y) $x * $y }
            (Get-GeminiStream 'What is 5 times 3?' -Model gemini-3-flash-preview -Tool multiply -Force | ForEach-Object Text) -join ''
            """);

        result.AssertNoErrors();
        Assert.Equal("5 times 3 is 15.", Assert.Single(result.Output).ToString());
        JsonElement recorded = JsonDocument.Parse(Paths.FixtureText("llm-gemini/derived/test_tools_with_gemini_3_thought_signatures.1.request.json")).RootElement;
        JsonElement sent = server.Requests[1].Json!.RootElement;
        JsonElement recordedCall = recorded.GetProperty("contents")[1].GetProperty("parts").EnumerateArray().Single(p => p.TryGetProperty("function_call", out _));
        JsonElement sentCall = sent.GetProperty("contents")[1].GetProperty("parts").EnumerateArray().Single(p => p.TryGetProperty("functionCall", out _));
        Assert.Equal(recordedCall.GetProperty("thoughtSignature").GetString(), sentCall.GetProperty("thoughtSignature").GetString());
        Assert.Equal(15, sent.GetProperty("contents")[2].GetProperty("parts")[0].GetProperty("functionResponse").GetProperty("response").GetProperty("output").GetInt32());
        JsonElement declared = sent.GetProperty("tools")[0].GetProperty("functionDeclarations")[0];
        Assert.Equal(
            recorded.GetProperty("tools")[0].GetProperty("functionDeclarations")[0].GetProperty("parameters").GetProperty("required").EnumerateArray().Select(e => e.GetString()),
            declared.GetProperty("parameters").GetProperty("required").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void A_tool_that_is_not_a_command_is_a_clear_error_before_sending()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'x' -Tool Get-NoSuchThing");

        ErrorRecord error = ((IContainsErrorRecord)result.Terminating!).ErrorRecord;
        Assert.StartsWith("GeminiToolNotFound", error.FullyQualifiedErrorId);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void A_command_that_changes_things_runs_when_the_user_confirms_and_not_when_they_decline()
    {
        using var server = FakeGeminiServer.Start();
        for (int i = 0; i < 2; i++)
        {
            server.Enqueue(FakeReply.Json(200, Calls(("Restart-MyThing", """{"Name":"web01"}""", null))));
            server.Enqueue(FakeReply.Json(200, Answer("ok")));
        }

        var screen = new StringWriter();
        var host = new CometGemini.Demo.TextHost(screen);
        host.Answers.Enqueue("Yes");
        host.Answers.Enqueue("No");
        using var shell = new Shell(server, host: host);

        ShellResult result = shell.Run("""
            function Restart-MyThing { param([string] $Name) $global:restarted += @($Name) }
            $global:restarted = @()
            $null = Invoke-GeminiContent 'Restart web01' -Tool Restart-MyThing
            $null = Invoke-GeminiContent 'Restart web01' -Tool Restart-MyThing
            $global:restarted.Count
            """);

        result.AssertNoErrors();
        Assert.Equal("1", Assert.Single(result.Output).ToString());
        Assert.Contains("Gemini asks to run a command that may change the system: Restart-MyThing {\"Name\":\"web01\"}", screen.ToString());
        Assert.Contains("declined", Contents(server.Requests[3])[2].GetProperty("parts")[0].GetProperty("functionResponse").GetProperty("response").GetProperty("error").GetString());
    }

    [Fact]
    public void A_chat_with_tools_keeps_the_call_and_response_turns()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Calls(("Get-MyServiceStatus", """{"Name":["spooler"]}""", null))));
        server.Enqueue(FakeReply.Json(200, Answer("spooler is stopped")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run(ServiceFunction + """

            $chat = New-GeminiChat -Tool Get-MyServiceStatus
            $null = Invoke-GeminiContent -Chat $chat 'Is spooler running?'
            ($chat.History | ForEach-Object { $_.Role + ':' + $_.Parts[0].Kind }) -join ' '
            $null = Invoke-GeminiContent -Chat $chat 'Thanks'
            """);

        result.AssertNoErrors();
        Assert.Equal("user:Text model:FunctionCall user:FunctionResponse model:Text", result.Output[0].ToString());
        Assert.Equal(5, Contents(server.Requests[2]).GetArrayLength());
    }

    [Fact]
    public void A_command_without_parameters_is_declared_without_an_empty_schema()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        shell.Run("function Get-Time { 'now' }\n$null = Invoke-GeminiContent 'x' -Tool Get-Time -NoToolExecution").AssertNoErrors();

        JsonElement declaration = server.Requests[0].Json!.RootElement.GetProperty("tools")[0].GetProperty("functionDeclarations")[0];
        Assert.False(declaration.TryGetProperty("parameters", out _), declaration.GetRawText()); // the API refuses OBJECT without properties
    }

    [Fact]
    public void Parameters_of_every_set_are_declared_and_required_only_when_every_set_requires_them()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        shell.Run("""
            function Get-Thing {
                [CmdletBinding(DefaultParameterSetName = 'ByName')]
                param(
                    [Parameter(Mandatory, ParameterSetName = 'ByName')] [string] $Name,
                    [Parameter(Mandatory, ParameterSetName = 'ById')] [int] $Id,
                    [Parameter(Mandatory)] [string] $Scope,
                    [scriptblock] $Filter,
                    [pscredential] $Credential
                )
            }
            $null = Invoke-GeminiContent 'x' -Tool Get-Thing -NoToolExecution
            """).AssertNoErrors();

        JsonElement parameters = server.Requests[0].Json!.RootElement.GetProperty("tools")[0].GetProperty("functionDeclarations")[0].GetProperty("parameters");
        Assert.Equal(new[] { "Name", "Scope", "Id" }, parameters.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(new[] { "Scope" }, parameters.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void A_missing_mandatory_argument_is_an_error_for_the_model_not_a_prompt()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Calls(("Get-Thing", "{}", null))));
        server.Enqueue(FakeReply.Json(200, Answer("ok")));
        var host = new CometGemini.Demo.TextHost(new StringWriter());
        using var shell = new Shell(server, host: host);

        shell.Run("function Get-Thing { param([Parameter(Mandatory)] [string] $Name) $Name }\n$null = Invoke-GeminiContent 'x' -Tool Get-Thing").AssertNoErrors();

        Assert.Empty(host.Prompts);
        Assert.Contains("Name", Contents(server.Requests[1])[2].GetProperty("parts")[0].GetProperty("functionResponse").GetProperty("response").GetProperty("error").GetString());
    }

    [Fact]
    public void A_tool_call_leaves_the_callers_variables_alone()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Calls(("Get-Thing", "{}", null))));
        server.Enqueue(FakeReply.Json(200, Answer("ok")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("function Get-Thing { 'x' }\n$command = 'mine'; $arguments = 'mine'; $name = 'mine'\n$null = Invoke-GeminiContent 'x' -Tool Get-Thing\n\"$command|$arguments|$name\"");

        Assert.Equal("mine|mine|mine", result.Output.Last().ToString());
        Assert.DoesNotContain(result.Log, l => l.Stream == "Progress");
    }

    [Fact]
    public void A_chat_runs_its_script_block_tools_with_their_ReadOnly_mark()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Calls(("lookup", "{\"id\":1}", null))));
        server.Enqueue(FakeReply.Json(200, Answer("ok")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $t = New-GeminiTool lookup 'Looks up.' -ReadOnly -Parameters @{ type = 'OBJECT'; properties = @{ id = @{ type = 'INTEGER' } } } -ScriptBlock { param($id) "r$id" }
            $chat = New-GeminiChat -Tool $t
            (Invoke-GeminiContent -Chat $chat 'look up 1').ToolCalls | ForEach-Object { "$($_.Name) $($_.Succeeded)" }
            """);

        result.AssertNoErrors();
        Assert.Equal("lookup True", Assert.Single(result.Output).ToString());
    }

    [Fact]
    public void Piped_results_make_one_function_response()
    {
        using var shell = new Shell();

        ShellResult result = shell.Run("$p = @(1, 2, 3 | New-GeminiPart -FunctionResponse get_numbers); $p.Count; $p[0].FunctionResponse.Response.GetRawText()");

        Assert.Equal("1", result.Output[0].ToString());
        Assert.Equal("""{"output":[1,2,3]}""", result.Output[1].ToString());
    }

    [Fact]
    public void Tool_output_has_an_overall_budget_and_output_that_cannot_be_read_is_an_error_for_the_model()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Calls(("Get-Command", "{}", null), ("Get-Files", "{}", null))));
        server.Enqueue(FakeReply.Json(200, Answer("ok")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            function Get-Files { [pscustomobject]@{ Items = [System.Linq.Enumerable]::Select([int[]](1), [Func[int,int]]{ param($x) throw 'bad item' }) } }
            (Invoke-GeminiContent 'x' -Tool Get-Command, Get-Files).Text
            """);

        result.AssertNoErrors();
        Assert.Equal("ok", Assert.Single(result.Output).ToString());
        Assert.True(server.Requests[1].Body.Length < 100_000, $"{server.Requests[1].Body.Length} bytes");
        Assert.Contains("could not be read", Contents(server.Requests[1])[2].GetProperty("parts")[1].GetProperty("functionResponse").GetProperty("response").GetProperty("error").GetString());
    }

    private static string ErrorSent(RecordedRequest request, int part = 0) =>
        Contents(request)[2].GetProperty("parts")[part].GetProperty("functionResponse").GetProperty("response").GetProperty("error").GetString()!;

    private const string Forged = """{"Name":"\u001b[2K\u001b[1A\rGemini asks to run: Remove-Thing -Path ./old.log\n\u009b2K\u202e","Options":{"Deep":{"a":1}}}""";

    [Fact]
    public void The_confirmation_shows_the_arguments_as_escaped_JSON_so_a_call_cannot_rewrite_the_prompt()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Calls(("Stop-MyThing", Forged, null))));
        server.Enqueue(FakeReply.Json(200, Answer("ok")));
        server.Enqueue(FakeReply.Json(200, Calls(("Stop-MyThing", Forged, null))));
        server.Enqueue(FakeReply.Json(200, Answer("ok")));
        var screen = new StringWriter();
        var host = new CometGemini.Demo.TextHost(screen);
        host.Answers.Enqueue("No");
        using var shell = new Shell(server, host: host);

        ShellResult result = shell.Run("""
            function Stop-MyThing { param([string] $Name, [object] $Options) $global:stopped++ }
            $global:stopped = 0
            $null = Invoke-GeminiContent 'Stop it' -Tool Stop-MyThing -Verbose
            $null = Invoke-GeminiContent "Stop it`e[2K`e[1A`rGemini asks to run: Remove-Thing" -Tool Stop-MyThing -WhatIf -Verbose
            $global:stopped
            """);

        result.AssertNoErrors();
        Assert.Equal("0", Assert.Single(result.Output).ToString());
        const string Shown = """Stop-MyThing {"Name":"\u001b[2K\u001b[1A\rGemini asks to run: Remove-Thing -Path ./old.log\n\u009b2K\u202e","Options":{"Deep":{"a":1}}}""";
        var choice = Assert.Single(host.Choices);
        Assert.Equal(Shown, choice.Message);
        Assert.DoesNotContain(choice.Message + choice.Caption, c => char.IsControl(c) || c == '\u202e');
        Assert.Equal(1, result.Verbose.Count(v => v == "Tool call: " + Shown));

        // -WhatIf sends nothing (issue 19), and what it says it would send is escaped the same way.
        Assert.Equal(2, server.Requests.Count);
        Assert.Contains("What if: Sending 1 request to gemini-3-flash-preview: Stop it\\u001b[2K\\u001b[1A Gemini asks to run: Remove-Thing, 1 part, ~", screen.ToString());
        Assert.DoesNotContain('\u001b', screen.ToString());
    }

    [Fact]
    public void Long_arguments_are_shown_up_to_a_bound_and_the_rest_is_counted()
    {
        string big = new string('x', 5_200);
        var call = new FunctionCall { Name = "Set-Thing", Args = JsonDocument.Parse($"{{\"Text\":\"{big}\"}}").RootElement };

        string shown = CometGemini.Commands.ToolArguments.Describe(call);

        int total = call.ArgumentsJson.Length;
        Assert.StartsWith("Set-Thing {\"Text\":\"xxx", shown);
        Assert.EndsWith($"… {total - CometGemini.Commands.ToolArguments.MaxShownArguments:N0} more characters", shown);
        Assert.True(shown.Length < CometGemini.Commands.ToolArguments.MaxShownArguments + 60, $"{shown.Length} characters");
    }

    [Fact]
    public void One_confirmation_whose_default_is_No_whatever_Confirm_and_ConfirmPreference_say()
    {
        using var server = FakeGeminiServer.Start();
        for (int i = 0; i < 4; i++)
        {
            server.Enqueue(FakeReply.Json(200, Calls(("Stop-MyThing", """{"Name":"spooler"}""", null))));
            server.Enqueue(FakeReply.Json(200, Answer("ok")));
        }

        var host = new CometGemini.Demo.TextHost(new StringWriter());
        host.Answers.Enqueue("Yes"); // -Confirm first asks whether to send the request at all (issue 19)
        host.Answers.Enqueue("");    // Enter, with -Confirm: the default, No
        host.Answers.Enqueue("Yes"); // -Confirm:$false still asks
        host.Answers.Enqueue("Yes"); // $ConfirmPreference = 'None' still asks
        using var shell = new Shell(server, host: host);

        ShellResult result = shell.Run("""
            function Stop-MyThing { param([string] $Name) $global:stopped++ }
            $global:stopped = 0
            $null = Invoke-GeminiContent 'Stop it' -Tool Stop-MyThing -Confirm
            "after Enter: $global:stopped"
            $null = Invoke-GeminiContent 'Stop it' -Tool Stop-MyThing -Confirm:$false
            "after -Confirm:`$false: $global:stopped"
            $ConfirmPreference = 'None'
            $null = Invoke-GeminiContent 'Stop it' -Tool Stop-MyThing
            "after None: $global:stopped"
            $null = Invoke-GeminiContent 'Stop it' -Tool Stop-MyThing -Force
            "after -Force: $global:stopped"
            """);

        result.AssertNoErrors();
        Assert.Equal(new[] { "after Enter: 0", "after -Confirm:$false: 1", "after None: 2", "after -Force: 3" }, result.Output.Select(o => o.ToString()));
        var toolQuestions = host.Choices.Where(c => c.Caption.StartsWith("Gemini asks to run", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, toolQuestions.Count); // one question a call, never ShouldProcess and then ShouldContinue; none with -Force
        Assert.All(toolQuestions, c => Assert.Equal("&No", c.Labels[c.Default]));
        Assert.Equal(4, host.Choices.Count); // and -Confirm's own question before the first request
        Assert.Contains("declined", ErrorSent(server.Requests[1]));
    }

    [Fact]
    public void A_host_that_cannot_ask_runs_nothing_and_the_model_is_told_the_user_declined()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Calls(("Stop-MyThing", """{"Name":"spooler"}""", null))));
        server.Enqueue(FakeReply.Json(200, Answer("ok")));
        var host = new CometGemini.Demo.TextHost(new StringWriter()); // no answers: its prompts throw, as under pwsh -NonInteractive
        using var shell = new Shell(server, host: host);

        ShellResult result = shell.Run("""
            function Stop-MyThing { param([string] $Name) $global:stopped++ }
            $global:stopped = 0
            $null = Invoke-GeminiContent 'Stop it' -Tool Stop-MyThing -WarningAction SilentlyContinue
            $global:stopped
            """);

        result.AssertNoErrors();
        Assert.Equal("0", Assert.Single(result.Output).ToString());
        Assert.Contains("declined", ErrorSent(server.Requests[1]));
    }

    [Fact]
    public void Common_parameters_never_bind_so_OutVariable_cannot_replace_a_callers_variable()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Calls(("Get-Date", """{"Format":"'/'","OutVariable":"global:target"}""", null))));
        server.Enqueue(FakeReply.Json(200, Answer("ok")));
        using var shell = new Shell(server);

        // The hosted engine has no Microsoft.PowerShell.Utility: an advanced function stands in (Pester runs the real Get-Date).
        ShellResult result = shell.Run("""
            function Get-Date { [CmdletBinding()] param([string] $Format) 'Thursday' }
            $global:target = 'kept'
            $r = Invoke-GeminiContent 'What day is it?' -Tool Get-Date
            $global:target
            $r.ToolCalls[0].Succeeded
            """);

        result.AssertNoErrors();
        Assert.Equal(new[] { "kept", "False" }, result.Output.Select(o => o.ToString()));
        string error = ErrorSent(server.Requests[1]);
        Assert.Contains("OutVariable", error);
        Assert.Contains("Format", error); // the parameters it may use
    }

    [Theory]
    [InlineData("ErrorVariable")]
    [InlineData("WarningVariable")]
    [InlineData("InformationVariable")]
    [InlineData("PipelineVariable")]
    [InlineData("OutBuffer")]
    [InlineData("ErrorAction")]
    [InlineData("WarningAction")]
    [InlineData("InformationAction")]
    [InlineData("ProgressAction")]
    [InlineData("Verbose")]
    [InlineData("Debug")]
    [InlineData("WhatIf")]
    [InlineData("Confirm")]
    [InlineData("Force")]
    [InlineData("Undeclared")]
    [InlineData("ov")]
    public void A_common_or_undeclared_parameter_is_refused_and_named_to_the_model(string parameter)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Calls(("Get-MyThing", $"{{\"Name\":\"a\",\"{parameter}\":\"global:target\"}}", null))));
        server.Enqueue(FakeReply.Json(200, Answer("ok")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            function Get-MyThing { [CmdletBinding(SupportsShouldProcess)] param([string] $Name) $global:ran++ }
            $global:ran = 0
            $null = Invoke-GeminiContent 'x' -Tool Get-MyThing
            $global:ran
            """);

        Assert.Equal("0", result.Output.Last().ToString());
        Assert.Contains(parameter, ErrorSent(server.Requests[1]));
    }

    [Fact]
    public void Only_the_declared_names_bind_for_New_GeminiTool_declarations_short_form_included_and_Force_when_declared()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Calls(("short", """{"a":1,"b":2}""", null), ("short", """{"a":1}""", null), ("Set-MyThing", """{"Force":true}""", null), ("declares_common", """{"OutVariable":"global:target"}""", null))));
        server.Enqueue(FakeReply.Json(200, Answer("ok")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $short = New-GeminiTool short 'Short form.' -ReadOnly -Parameters @{ a = 'int' } -ScriptBlock { param($a, $b) "a=$a b=$b" }
            $common = New-GeminiTool declares_common 'Declares a common parameter.' -ReadOnly -Parameters @{ type = 'OBJECT'; properties = @{ OutVariable = @{ type = 'STRING' } } } -ScriptBlock { [CmdletBinding()] param() 'ran' }
            function Set-MyThing { param([switch] $Force) "force=$Force" }
            $global:target = 'kept'
            (Invoke-GeminiContent 'x' -Tool $short, Set-MyThing, $common -Force).ToolCalls | ForEach-Object { "$($_.Name) $($_.Succeeded)" }
            $global:target
            """);

        result.AssertNoErrors();
        Assert.Equal(new[] { "short False", "short True", "Set-MyThing True", "declares_common False", "kept" }, result.Output.Select(o => o.ToString()));
        Assert.Contains("b", ErrorSent(server.Requests[1], 0));
        Assert.Contains("OutVariable", ErrorSent(server.Requests[1], 3));
    }

    [Fact]
    public void An_imported_chat_never_runs_its_tools_until_commands_are_passed_again()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, Calls(("Get-Content", """{"Path":"secret.txt"}""", null))));
        server.Enqueue(FakeReply.Json(200, Calls(("Get-MyServiceStatus", """{"Name":["spooler"]}""", null))));
        server.Enqueue(FakeReply.Json(200, Calls(("Get-MyServiceStatus", """{"Name":["spooler"]}""", null))));
        server.Enqueue(FakeReply.Json(200, Answer("spooler is stopped")));
        using var shell = new Shell(server);
        string dir = TempDir.Create();
        shell.Set("dir", dir);

        ShellResult result = shell.Run(ServiceFunction + """

            function Get-Content { $global:read++ }
            $global:read = 0
            $declared = New-GeminiChat -Tool @{ name = 'Get-Content'; description = 'Reads a file.'; parameters = @{ type = 'OBJECT'; properties = @{ Path = @{ type = 'STRING' } } } }
            Export-GeminiChat -Chat $declared -Path "$dir/declared.json"
            $r = Invoke-GeminiContent -Chat (Import-GeminiChat "$dir/declared.json") 'Read secret.txt'
            "declared: $global:read $($r.FunctionCalls[0].Name)"
            $commands = New-GeminiChat -Tool Get-MyServiceStatus
            Export-GeminiChat -Chat $commands -Path "$dir/commands.json"
            $imported = Import-GeminiChat "$dir/commands.json"
            $r = Invoke-GeminiContent -Chat $imported 'Is spooler running?'
            "imported: $global:toolRuns $($r.FunctionCalls[0].Name)"
            $imported = Import-GeminiChat "$dir/commands.json"
            $r = Invoke-GeminiContent -Chat $imported 'Is spooler running?' -Tool (Get-Command Get-MyServiceStatus)
            "passed again: $global:toolRuns $($r.Text)"
            """);

        result.AssertNoErrors();
        Assert.Equal(new[] { "declared: 0 Get-Content", "imported: 0 Get-MyServiceStatus", "passed again: 1 spooler is stopped" }, result.Output.Select(o => o.ToString()));
    }
}
