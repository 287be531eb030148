using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using CometGemini.Client;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>
/// SecretScanTests for the commands that came later: every one of them fails against a server that echoes the key
/// (models, tokens, embeddings, caches, batch jobs, the Files API upload and download), then works, with the key from
/// Connect-Gemini -ApiKey, -Credential and a stand-in Get-Secret; the connections are shown as a user sees them. Every
/// stream, error, $Error, the console and the batch jobs' record files are searched for the key. Connect-Gemini's
/// connection is process-wide, so this runs in the environment collection and disconnects after.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class SecretScanNewCommandTests : IDisposable
{
    private const string Key = "AIzaNEWSENTINEL-5kq7Zx0-9f8e7d6c";

    public void Dispose()
    {
        using var shell = new Shell();
        shell.Run("Disconnect-Gemini").AssertNoErrors();
    }

    [Fact]
    public void No_newer_command_puts_the_key_in_any_output_error_log_view_record_file_or_Error()
    {
        string records = BatchJobTests.EnsureRecordFolder();
        using var server = FakeGeminiServer.Start();
        server.ExpectedApiKey = Key;
        server.Batches.PollsPerState = 0;
        var screen = new StringWriter();
        using var shell = new Shell(host: new CometGemini.Demo.TextHost(screen));
        shell.Set("uri", server.BaseUri);
        shell.Set("plainKey", Key);

        // Each failure, in the order the script below makes the calls; every one echoes the key somewhere.
        string echo = $"API key not valid: {Key}";
        server.Enqueue("/v1beta/models?", FakeReply.Error(400, "INVALID_ARGUMENT", echo));                                         // models.list
        server.Enqueue("/v1beta/models/gemini-2.5-flash", FakeReply.Error(403, "PERMISSION_DENIED", echo));                         // models.get
        server.Enqueue(":countTokens", FakeReply.Json(200, FakeReply.GoogleErrorJson(400, "INVALID_ARGUMENT", echo)));           // error in a 200
        server.Enqueue(":embedContent", FakeReply.CometError(401, echo, "invalid_api_key"));
        server.Enqueue(":batchEmbedContents", FakeReply.Raw(500, "text/plain", echo));
        server.Enqueue("cachedContents", FakeReply.Raw(502, "text/html", $"<html><head><title>{echo}</title></head></html>")); // New-GeminiCache
        server.Enqueue("cachedContents", FakeReply.Json(200, FakeReply.GoogleErrorJson(403, "PERMISSION_DENIED", echo)));       // the list
        server.Enqueue("cachedContents/abc", FakeReply.Error(404, "NOT_FOUND", echo));                                              // get
        server.Enqueue("cachedContents/abc", FakeReply.Error(403, "PERMISSION_DENIED", "CachedContent not found " + Key));          // set
        server.Enqueue("cachedContents/abc", FakeReply.Raw(500, "text/html", echo));                                                // remove
        server.Enqueue(":batchGenerateContent", FakeReply.Error(400, "INVALID_ARGUMENT", echo));
        server.Enqueue("upload/v1beta/files", FakeReply.Error(403, "PERMISSION_DENIED", echo));
        server.Enqueue("/v1beta/batches?", FakeReply.Error(400, "INVALID_ARGUMENT", echo));                                        // list
        for (int i = 0; i < 4; i++)
            server.Enqueue("batches/nope", FakeReply.Error(404, "NOT_FOUND", $"Batch batches/nope not found for key {Key}"));     // get, wait, stop, remove
        server.Enqueue(":download", FakeReply.Raw(500, "text/plain", echo));

        string script = string.Join("\n",
            "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $ErrorActionPreference = 'Continue'",
            // A stand-in for SecretManagement's Get-Secret (not installed here): a plain string, as a vault may hold it.
            "function Get-Secret([string] $Name, [string] $Vault) { $plainKey }",
            "$c1 = Connect-Gemini -ApiKey $plainKey -BaseUri $uri -Model gemini-2.5-flash -PassThru -Verbose",
            "$c2 = Connect-Gemini -Credential ([pscredential]::new('me', [System.Net.NetworkCredential]::new('', $plainKey).SecurePassword)) -BaseUri $uri -PassThru -Verbose",
            "$c3 = Connect-Gemini -SecretName CometApiKey -BaseUri $uri -Model gemini-2.5-flash -PassThru -Verbose",
            "$c1, $c2, $c3 | Out-Default; $c1, $c2, $c3 | ForEach-Object { $_.ToString(); $_.PSObject.Properties | ForEach-Object { \"$($_.Name)=$($_.Value)\" } }",
            // Failures.
            "Get-GeminiModel -MaxRetries 0 -Verbose",
            "Get-GeminiModel gemini-2.5-flash -MaxRetries 0",
            "Measure-GeminiToken 'm1' -MaxRetries 0 -Verbose",
            "Get-GeminiEmbedding 'e1' -MaxRetries 0 -Verbose",
            "'e2', 'e3' | Get-GeminiEmbedding -MaxRetries 0",
            "New-GeminiCache 'c1' -MaxRetries 0 -Verbose",
            "Get-GeminiCache -MaxRetries 0",
            "Get-GeminiCache abc -MaxRetries 0",
            "Set-GeminiCache abc -Ttl 01:00:00 -MaxRetries 0",
            "Remove-GeminiCache abc -MaxRetries 0 -Confirm:$false",
            "'b1' | Start-GeminiBatchJob -MaxRetries 0 -Verbose",
            "'b2' | Start-GeminiBatchJob -InlineLimit 0 -MaxRetries 0 -Verbose",
            "Get-GeminiBatchJob -MaxRetries 0",
            "Get-GeminiBatchJob nope -MaxRetries 0",
            "Wait-GeminiBatchJob nope -MaxRetries 0",
            "Stop-GeminiBatchJob nope -MaxRetries 0 -Confirm:$false",
            "Remove-GeminiBatchJob nope -MaxRetries 0 -Confirm:$false",
            "$job = 'ok1', 'FAIL' | Start-GeminiBatchJob -InlineLimit 0 -Verbose; $job; $job | Out-Default",
            "Receive-GeminiBatchJob $job.Name -MaxRetries 0 -Verbose",
            // Successes.
            "Receive-GeminiBatchJob $job.Name -Verbose",
            "$inline = 'ok2' | Start-GeminiBatchJob; Wait-GeminiBatchJob $inline.Name -PollIntervalSec 0.1 | Receive-GeminiBatchJob",
            "Get-GeminiBatchJob | Out-Default",
            "Get-GeminiModel gemini-2.5-flash; Get-GeminiModel '*flash*' | Out-Default",
            "Measure-GeminiToken 'count me' -Verbose",
            "Get-GeminiEmbedding 'ok3', 'ok4' -Verbose | ForEach-Object { $_.ToString() }",
            "$cache = New-GeminiCache 'context' -DisplayName Ctx -Verbose; Get-GeminiCache | Out-Default; $cache | Set-GeminiCache -Ttl 01:00:00 -PassThru; $cache | Remove-GeminiCache -Confirm:$false",
            "'a', 'b', 'c', 'd' | Invoke-GeminiContent -ThrottleLimit 4 -Summary -Verbose | Out-Default",
            "[pscustomobject]@{ N = 'x' } | Get-GeminiStream -PromptTemplate 'Say {N}' -Verbose",
            "Disconnect-Gemini -Verbose",
            // Everything $Error holds, as a user would dump it.
            "$Error | ForEach-Object { $_.ToString(); $_.ErrorDetails.Message; $_.ErrorDetails.RecommendedAction; $_.CategoryInfo.ToString();" +
            " $_.TargetObject; $_.FullyQualifiedErrorId; $e = $_.Exception; while ($e) { $e.ToString(); $e = $e.InnerException } }");
        ShellResult result = shell.Run(script);

        Assert.True(result.Terminating is null, $"{result.Terminating}\n{(result.Terminating as IContainsErrorRecord)?.ErrorRecord.InvocationInfo?.PositionMessage}");
        Assert.Equal(0, server.PendingReplies); // every failure happened
        Assert.True(result.Errors.Count >= 19, $"{result.Errors.Count} errors: the scenarios ran");
        Assert.Contains(result.Output, o => o?.BaseObject is GenerateContentResponse r && r.Text == "Echo: ok1");
        Assert.Contains(result.Output, o => o?.ToString() == "KeySource=secret 'CometApiKey'");
        Assert.Contains("key from -Credential", screen.ToString()); // the connections' view
        Assert.Contains("Echo: d", screen.ToString()); // the -ThrottleLimit run, shown
        Assert.NotEmpty(Directory.GetFiles(records));

        var haystack = new StringBuilder(result.Everything()).Append(screen);
        foreach (PSObject item in result.Output)
            SecretScanTests.Collect(item?.BaseObject, haystack, 4);
        foreach (ErrorRecord error in result.Errors)
            SecretScanTests.Collect(error, haystack, 4);
        foreach (string file in Directory.GetFiles(records, "*", SearchOption.AllDirectories))
            haystack.Append(File.ReadAllText(file));

        string all = haystack.ToString();
        Assert.True(all.Length > 10_000, "the scan saw the runs' text");
        Assert.Contains("API key not valid", all);
        Assert.DoesNotContain("NEWSENTINEL", all);
        Assert.Contains(Secrets.Mask, all);
        Assert.All(server.Requests, r =>
        {
            Assert.DoesNotContain("NEWSENTINEL", r.PathAndQuery);
            Assert.DoesNotContain("NEWSENTINEL", r.BodyText);
        });
    }
}
