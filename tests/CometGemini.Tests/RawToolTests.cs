using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using CometGemini.Demo;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>Tools the module has no switch for (fileSearch, computerUse, MCP servers, newer ones) sent as given, and what they answer kept in view.</summary>
public sealed class RawToolTests
{
    // A server-side tool's call and result as parts of a kind the module has no type for, and a candidate field it does not know.
    private const string ToolPartsAnswer = """
        {"candidates":[{"content":{"role":"model","parts":[
          {"toolCall":{"id":"c1","toolType":"FILE_SEARCH","args":{"query":"refund policy"}}},
          {"toolResponse":{"id":"c1","toolType":"FILE_SEARCH","response":{"hits":2}}},
          {"text":"Refunds take 14 days."}]},
          "finishReason":"STOP","toolUseMetadata":{"rounds":1}}],
         "usageMetadata":{"totalTokenCount":9}}
        """;

    [Fact]
    public void Hashtables_objects_and_JSON_text_go_as_given_beside_declarations_and_switches()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $store = @{ fileSearch = @{ fileSearchStoreNames = @('fileSearchStores/handbook') } }
            $mcp = [pscustomobject]@{ mcpServers = @([pscustomobject]@{ name = 'docs'; streamableHttpTransport = @{ url = 'https://mcp.example/docs' } }) }
            $weather = @{ name = 'Get-Weather'; description = 'The weather in a city.'; parameters = @{ type = 'object'; properties = @{ city = @{ type = 'string' } } } }
            Invoke-GeminiContent 'Hi' -GoogleSearch -Tool $store, '{"computerUse": {"environment": "ENVIRONMENT_BROWSER"}}', $mcp, $weather
            """);

        result.AssertNoErrors();
        JsonElement[] tools = Assert.Single(server.Requests).Json!.RootElement.GetProperty("tools").EnumerateArray().ToArray();
        Assert.Equal(new[] { "googleSearch", "functionDeclarations", "fileSearch", "computerUse", "mcpServers" }, tools.Select(t => Assert.Single(t.EnumerateObject()).Name));
        Assert.Equal("fileSearchStores/handbook", tools[2].GetProperty("fileSearch").GetProperty("fileSearchStoreNames")[0].GetString());
        Assert.Equal("""{"environment":"ENVIRONMENT_BROWSER"}""", tools[3].GetProperty("computerUse").GetRawText());
        Assert.Equal("https://mcp.example/docs", tools[4].GetProperty("mcpServers")[0].GetProperty("streamableHttpTransport").GetProperty("url").GetString());
        Assert.Equal("Get-Weather", Assert.Single(tools[1].GetProperty("functionDeclarations").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public void New_GeminiTool_Raw_makes_a_raw_tool_that_Get_GeminiStream_and_a_chat_send()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $tool = New-GeminiTool -Raw '{"fileSearch": {"fileSearchStoreNames": ["fileSearchStores/a"]}}'
            $tool.IsRaw; $tool.Name
            $chat = New-GeminiChat -Tool $tool
            $null = Get-GeminiStream -Chat $chat 'one'
            $null = Get-GeminiStream -Chat $chat 'two' -Tool $tool
            """);

        result.AssertNoErrors();
        Assert.Equal(new object[] { true, "fileSearch" }, result.Output.Select(o => o.BaseObject));
        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal("fileSearch", Assert.Single(r.Json!.RootElement.GetProperty("tools").EnumerateArray()).EnumerateObject().Single().Name));
    }

    [Fact]
    public void New_GeminiCache_keeps_a_raw_tool_as_its_own_entry()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $null = New-GeminiCache -Prompt ('word ' * 50) -Tool @{ codeExecution = @{} }, @{ name = 'lookup'; description = 'Looks up a word.' }
            """);

        result.AssertNoErrors();
        JsonElement[] tools = server.Requests.Last(r => r.Path.Contains("cachedContents")).Json!.RootElement.GetProperty("tools").EnumerateArray().ToArray();
        Assert.Equal(new[] { "functionDeclarations", "codeExecution" }, tools.Select(t => t.EnumerateObject().Single().Name));
    }

    [Theory]
    [InlineData("'{\"fileSearch\": '", "not valid JSON")]
    [InlineData("@{ description = 'no name'; parameters = @{} }", "needs at least a 'name'")]
    [InlineData("'[1, 2]'", "neither a function declaration nor a tool")]
    public void A_tool_that_is_bad_JSON_or_half_a_declaration_is_a_clear_error_and_nothing_is_sent(string tool, string message)
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run($"Invoke-GeminiContent 'Hi' -Tool {tool}");

        ErrorRecord error = ((IContainsErrorRecord)result.Terminating!).ErrorRecord;
        Assert.Equal("GeminiToolInvalid", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(message, error.Exception.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void New_GeminiTool_Raw_refuses_a_function_declaration()
    {
        using var shell = new Shell();

        ShellResult result = shell.Run("New-GeminiTool -Raw @{ name = 'f'; description = 'A function.' }");

        ErrorRecord error = ((IContainsErrorRecord)result.Terminating!).ErrorRecord;
        Assert.Equal("GeminiToolInvalid", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("not a whole tool", error.Exception.Message);
    }

    [Fact]
    public void Parts_and_fields_the_module_has_no_type_for_stay_in_the_response_and_go_back_in_a_chat()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, ToolPartsAnswer));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $chat = New-GeminiChat
            Invoke-GeminiContent -Chat $chat 'What is the refund policy?' -Tool @{ fileSearch = @{ fileSearchStoreNames = @('fileSearchStores/a') } }
            $null = Invoke-GeminiContent -Chat $chat 'Thanks'
            """);

        result.AssertNoErrors();
        GenerateContentResponse response = result.Single<GenerateContentResponse>();
        Assert.Equal("Refunds take 14 days.", response.Text);
        Assert.Equal(new[] { "toolCall", "toolResponse" }, response.OtherParts.Select(p => p.ExtensionData!.Keys.Single()));
        Assert.StartsWith("[toolCall {\"id\":\"c1\"", response.OtherParts[0].ToString());
        Assert.Equal(1, response.Candidates![0].ExtensionData!["toolUseMetadata"].GetProperty("rounds").GetInt32());
        JsonElement history = server.Requests[1].Json!.RootElement.GetProperty("contents")[1];
        Assert.Equal("FILE_SEARCH", history.GetProperty("parts")[0].GetProperty("toolCall").GetProperty("toolType").GetString());
    }

    [Fact]
    public void The_console_view_shows_unknown_parts_after_the_answer()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, ToolPartsAnswer));
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));

        shell.Run("Invoke-GeminiContent 'What is the refund policy?' | Out-Default").AssertNoErrors();

        string shown = screen.ToString();
        Assert.Contains("Refunds take 14 days.", shown);
        Assert.Contains("[toolCall {\"id\":\"c1\",\"toolType\":\"FILE_SEARCH\"", shown);
        Assert.Contains("[toolResponse {", shown);
    }
}
