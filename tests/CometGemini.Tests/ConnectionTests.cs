using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>Connect-Gemini's connection is process-wide, like the environment: these tests run alone and disconnect after.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class ConnectionTests : IDisposable
{
    private const string SessionKey = "session-key-4711";
    private static readonly string[] Variables = { "COMETAPI_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY", "COMETAPI_BASE_URL" };
    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    private readonly FakeGeminiServer _server = FakeGeminiServer.Start();

    public ConnectionTests()
    {
        foreach (string name in Variables)
            Environment.SetEnvironmentVariable(name, null);
        _server.ExpectedApiKey = SessionKey;
    }

    public void Dispose()
    {
        using (var shell = new Shell())
            shell.Run("Disconnect-Gemini").AssertNoErrors();
        foreach (KeyValuePair<string, string?> pair in _saved)
            Environment.SetEnvironmentVariable(pair.Key, pair.Value);
        _server.Dispose();
    }

    [Fact]
    public void Connect_Gemini_keeps_key_endpoint_and_model_for_later_calls_and_never_shows_the_key()
    {
        using var shell = new Shell();
        shell.Set("uri", _server.BaseUri);

        ShellResult connected = shell.Run($"Connect-Gemini -ApiKey '{SessionKey}' -BaseUri $uri -Model gemini-3-pro-preview -PassThru -Verbose");
        ShellResult answered = shell.Run("'Hello' | Invoke-GeminiContent -Verbose");

        connected.AssertNoErrors();
        var connection = connected.Single<GeminiConnection>();
        Assert.Equal(_server.BaseUri, connection.BaseUri);
        Assert.Equal("gemini-3-pro-preview", connection.Model);
        Assert.Equal("-ApiKey", connection.KeySource);
        answered.AssertNoErrors();
        Assert.Equal("Echo: Hello", answered.Single<GenerateContentResponse>().Text);
        RecordedRequest request = Assert.Single(_server.Requests);
        Assert.Contains("/models/gemini-3-pro-preview:generateContent", request.PathAndQuery);
        Assert.Equal(SessionKey, request.Headers["x-goog-api-key"]);
        Assert.DoesNotContain(SessionKey, connected.Everything() + connection + answered.Everything());
        Assert.Contains(answered.Verbose, v => v.Contains("key from -ApiKey"));
    }

    [Fact]
    public void Connect_Gemini_MaxResponseSize_is_the_session_s_limit_and_a_call_s_own_value_wins()
    {
        using var shell = new Shell();
        shell.Set("uri", _server.BaseUri);
        string padded = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}]},\"finishReason\":\"STOP\"}]" + new string(' ', 3000) + "}";
        _server.Enqueue(":generateContent", FakeReply.Json(200, padded));
        _server.Enqueue(":generateContent", FakeReply.Json(200, padded));

        ShellResult connected = shell.Run($"Connect-Gemini -ApiKey '{SessionKey}' -BaseUri $uri -MaxResponseSize 2KB -PassThru");
        ShellResult limited = shell.Run("Invoke-GeminiContent 'small limit'");
        ShellResult raised = shell.Run("Invoke-GeminiContent 'raised' -MaxResponseSize 1MB");

        Assert.Equal(2048, connected.Single<GeminiConnection>().MaxResponseSize);
        ErrorRecord error = Assert.Single(limited.Errors);
        Assert.Equal("GeminiResponseTooLarge", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("2 KB", error.Exception.Message);
        raised.AssertNoErrors();
        Assert.Equal("ok", raised.Single<GenerateContentResponse>().Text);
    }

    [Fact]
    public void A_call_s_own_parameters_win_over_the_session_and_Disconnect_Gemini_forgets_it()
    {
        using var shell = new Shell();
        shell.Set("uri", _server.BaseUri);
        shell.Run($"Connect-Gemini -ApiKey '{SessionKey}' -BaseUri $uri -Model gemini-3-pro-preview").AssertNoErrors();

        ShellResult own = shell.Run("Invoke-GeminiContent 'Hi' -Model gemini-2.5-pro -ApiKey wrong-key");
        ShellResult disconnected = shell.Run("Disconnect-Gemini -Verbose; Invoke-GeminiContent 'Hi'");

        ErrorRecord refused = Assert.Single(own.Errors);
        Assert.Equal(ErrorCategory.AuthenticationError, refused.CategoryInfo.Category);
        Assert.Contains("/models/gemini-2.5-pro:", Assert.Single(_server.Requests).PathAndQuery);
        Assert.Contains(disconnected.Verbose, v => v.StartsWith("Forgot the connection", StringComparison.Ordinal));
        Assert.Equal("GeminiApiKeyMissing", ((IContainsErrorRecord)disconnected.Terminating!).ErrorRecord.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public void The_session_reaches_other_runspaces()
    {
        using (var connecting = new Shell())
        {
            connecting.Set("uri", _server.BaseUri);
            connecting.Run($"Connect-Gemini -ApiKey '{SessionKey}' -BaseUri $uri").AssertNoErrors();
        }

        // Runspaces of ForEach-Object -Parallel or Start-ThreadJob are new runspaces in the same process.
        var answers = Enumerable.Range(0, 4).AsParallel().Select(i =>
        {
            using var worker = new Shell();
            ShellResult result = worker.Run($"Invoke-GeminiContent 'Worker {i}'");
            result.AssertNoErrors();
            return result.Single<GenerateContentResponse>().Text;
        }).OrderBy(t => t).ToList();

        Assert.Equal(Enumerable.Range(0, 4).Select(i => $"Echo: Worker {i}"), answers);
    }

    [Fact]
    public void The_key_can_come_from_a_credential_or_a_SecretManagement_vault()
    {
        using var shell = new Shell();
        shell.Set("uri", _server.BaseUri);
        // A stand-in for Microsoft.PowerShell.SecretManagement's Get-Secret, which is not installed here.
        shell.Run($$"""
            function Get-Secret([string] $Name, [string] $Vault) {
                if ($Name -ne 'CometApiKey' -or $Vault -ne 'Store') { throw "A secret with name $Name was not found." }
                [System.Net.NetworkCredential]::new('', '{{SessionKey}}').SecurePassword
            }
            """).AssertNoErrors();

        ShellResult fromCredential = shell.Run($$"""
            $credential = [pscredential]::new('unused', ([System.Net.NetworkCredential]::new('', '{{SessionKey}}').SecurePassword))
            Connect-Gemini -Credential $credential -BaseUri $uri -PassThru
            Invoke-GeminiContent 'From a credential'
            """);
        ShellResult fromVault = shell.Run("Connect-Gemini -SecretName CometApiKey -Vault Store -BaseUri $uri -PassThru; Invoke-GeminiContent 'From a vault'");
        ShellResult missing = shell.Run("Connect-Gemini -SecretName Nope -Vault Store -BaseUri $uri");

        fromCredential.AssertNoErrors();
        Assert.Equal("-Credential", fromCredential.All<object>().OfType<GeminiConnection>().Single().KeySource);
        fromVault.AssertNoErrors();
        Assert.Equal("secret 'CometApiKey' in vault 'Store'", fromVault.All<object>().OfType<GeminiConnection>().Single().KeySource);
        Assert.Equal(new[] { "Echo: From a credential", "Echo: From a vault" }, fromCredential.All<object>().Concat(fromVault.All<object>()).OfType<GenerateContentResponse>().Select(r => r.Text));
        ErrorRecord notFound = ((IContainsErrorRecord)missing.Terminating!).ErrorRecord;
        Assert.Equal("GeminiSecretUnavailable", notFound.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("Nope", notFound.TargetObject);
        Assert.Contains("Get-SecretInfo", notFound.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void Without_SecretManagement_or_with_two_keys_Connect_Gemini_says_what_to_do()
    {
        using var shell = new Shell();
        shell.Set("uri", _server.BaseUri);

        ShellResult noModule = shell.Run("Connect-Gemini -SecretName CometApiKey -BaseUri $uri");
        ShellResult twoKeys = shell.Run("Connect-Gemini -SecretName CometApiKey -ApiKey other -BaseUri $uri");
        ShellResult noKey = shell.Run("Connect-Gemini -BaseUri $uri");

        ErrorRecord notInstalled = ((IContainsErrorRecord)noModule.Terminating!).ErrorRecord;
        Assert.Equal(ErrorCategory.NotInstalled, notInstalled.CategoryInfo.Category);
        Assert.Contains("Install-Module Microsoft.PowerShell.SecretManagement", notInstalled.ErrorDetails.RecommendedAction);
        Assert.Equal("GeminiKeyConflict", ((IContainsErrorRecord)twoKeys.Terminating!).ErrorRecord.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("GeminiApiKeyMissing", ((IContainsErrorRecord)noKey.Terminating!).ErrorRecord.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void A_chat_keeps_its_own_connection_in_memory_and_never_saves_it()
    {
        using var shell = new Shell();
        shell.Set("uri", _server.BaseUri);
        string file = Path.Combine(TempDir.Create(), "chat.json");
        shell.Set("file", file);

        ShellResult result = shell.Run($"""
            $chat = New-GeminiChat -ApiKey '{SessionKey}' -BaseUri $uri -MaxRetries 0
            Invoke-GeminiContent 'First' -Chat $chat
            $chat | Export-GeminiChat -Path $file
            """);

        result.AssertNoErrors();
        Assert.Equal("Echo: First", result.Single<GenerateContentResponse>().Text);
        string saved = File.ReadAllText(file);
        Assert.DoesNotContain(SessionKey, saved);
        Assert.DoesNotContain(_server.BaseUri.Authority, saved);
    }

    [Fact]
    public void A_connection_shows_no_proxy_password_and_Export_Clixml_saves_none()
    {
        using var shell = new Shell();
        string dir = TempDir.Create();
        shell.Set("dir", dir);

        ShellResult result = shell.Run("""
            $secure = [securestring]::new(); foreach ($c in 'PROXY-PASSWORD-CANARY'.ToCharArray()) { $secure.AppendChar($c) }
            $c = Connect-Gemini -ApiKey 'test-key' -Proxy http://proxy.test:8080 -ProxyCredential ([pscredential]::new('proxyuser', $secure)) -PassThru
            $c.PSObject.Properties.Name -contains 'ProxyCredential'
            $c.ProxyUserName
            [System.IO.File]::WriteAllText("$dir/connection.xml", [System.Management.Automation.PSSerializer]::Serialize($c, 5)) # what Export-Clixml writes
            Disconnect-Gemini
            """);

        Assert.Equal("False", result.Output[0].ToString());
        Assert.Equal("proxyuser", result.Output[1].ToString());
        var seen = new System.Text.StringBuilder(result.Everything());
        SecretScanTests.Collect(result.Output[0], seen, 4);
        foreach (string file in Directory.GetFiles(dir))
            seen.Append(File.ReadAllText(file));
        Assert.DoesNotContain("PROXY-PASSWORD", seen.ToString());
    }
}
