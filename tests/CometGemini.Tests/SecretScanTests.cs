using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Text;
using System.Threading;
using CometGemini.Client;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>
/// The key never shows: every scenario (answers, streams, chats saved to disk, failures of every kind, with servers
/// that echo the key back) runs with -Verbose and -Debug, and then every stream, error record, exception chain,
/// saved file and $Error is searched for it.
/// </summary>
public sealed class SecretScanTests
{
    private const string Key = "AIzaSENTINEL-kq7Zx0-9f8e7d6c5b4a";

    private static readonly string[] ThreeChunks =
    {
        HostileServerTests.Chunk("one "), HostileServerTests.Chunk("two "), HostileServerTests.Chunk("three", last: true),
    };

    [Fact]
    public void No_scenario_puts_the_key_in_any_output_error_log_file_or_Error()
    {
        using var server = FakeGeminiServer.Start();
        server.ExpectedApiKey = Key;
        using var shell = new Shell(server, apiKey: Key);
        string dir = TempDir.Create();
        shell.Set("dir", dir);
        shell.Set("plainKey", Key);
        int closedPort;
        using (var closed = FakeGeminiServer.Start())
            closedPort = closed.BaseUri.Port;

        // Servers that echo the key, in every place a server can put text.
        string echo = $"API key not valid: {Key}";
        server.Enqueue(FakeReply.Error(400, "INVALID_ARGUMENT", echo));                                              // 1 Google envelope
        server.Enqueue(FakeReply.CometError(401, echo, "invalid_api_key"));                                          // 2 CometAPI envelope
        server.Enqueue(FakeReply.Raw(502, "text/html", $"<html><head><title>{echo}</title></head></html>"));       // 3 HTML page title
        server.Enqueue(FakeReply.Raw(500, "text/plain", echo));                                                      // 4 plain text
        server.Enqueue(FakeReply.Raw(302, "text/html", "", ("Location", $"https://elsewhere.test/{Key}/x?key={Key}"))); // 5 redirect
        server.Enqueue(FakeReply.Json(200, FakeReply.GoogleErrorJson(403, "PERMISSION_DENIED", echo)));              // 6 error in a 200
        server.Enqueue(FakeReply.Sse(ThreeChunks.Take(1)) with { Tail = FakeReply.GoogleErrorJson(500, "INTERNAL", echo) }); // 7 mid-stream error
        server.Enqueue(FakeReply.SseRaw($"data: {ThreeChunks[0]}\n\n{echo}\n\n"));                                    // 8 stray text in a stream
        server.Enqueue(FakeReply.Json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}]},\"finishReason\":\"STOP\",\"" + Key + "\":1}], \"broken\": [" + Key + "]}")); // 9 bad JSON
        server.Enqueue(FakeReply.NoHeaders());                                                                         // 10 timeout
        server.Enqueue(FakeReply.Sse(ThreeChunks) with { ResetAfter = 1 });                                          // 11 reset

        string script = string.Join("\n",
            "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $ErrorActionPreference = 'Continue'",
            "'e1','e2','e3','e4','e5','e6' | Invoke-GeminiContent -MaxRetries 0 -Verbose -Debug",
            "'e7','e8' | Get-GeminiStream -MaxRetries 0 -Verbose -Debug",
            "Invoke-GeminiContent 'e9' -MaxRetries 0",
            "Invoke-GeminiContent 'e10' -TimeoutSec 1 -MaxRetries 0",
            "Get-GeminiStream 'e11' -MaxRetries 0",
            // Successes, with the key given as a SecureString, as a plain string, and through the session default.
            "$secure = [securestring]::new(); foreach ($c in $plainKey.ToCharArray()) { $secure.AppendChar($c) }",
            "Invoke-GeminiContent 'ok1' -ApiKey $secure -Verbose -Debug",
            "Get-GeminiStream 'ok2' -ApiKey $plainKey -Verbose -Debug",
            "$chat = New-GeminiChat -SystemInstruction 'Be brief.'",
            "Invoke-GeminiContent 'ok3' -Chat $chat -Verbose | Out-Null",
            "Get-GeminiStream 'ok4' -Chat $chat -Verbose | Out-Null",
            "Export-GeminiChat -Chat $chat -Path ($dir + '/chat.json') -Verbose",
            "Import-GeminiChat -Path ($dir + '/chat.json') | ForEach-Object { $_; $_.History }",
            // Connection refused, and a key with a control character (refused before sending).
            $"Invoke-GeminiContent 'e12' -BaseUri http://127.0.0.1:{closedPort} -MaxRetries 0 -Verbose",
            "try { Invoke-GeminiContent 'e13' -ApiKey \"$plainKey`n$plainKey\" } catch { $_ }",
            // Everything $Error holds, as a user would dump it.
            "$Error | ForEach-Object { $_.ToString(); $_.ErrorDetails.Message; $_.ErrorDetails.RecommendedAction; $_.CategoryInfo.ToString();" +
            " $_.TargetObject; $_.FullyQualifiedErrorId; $_.ScriptStackTrace; $e = $_.Exception; while ($e) { $e.ToString(); $e = $e.InnerException } }");
        ShellResult result = shell.Run(script);

        Assert.Null(result.Terminating);
        Assert.True(result.Errors.Count >= 12, $"{result.Errors.Count} errors: the scenarios ran");
        Assert.Contains(result.Output, o => o.BaseObject is GenerateContentResponse r && r.Text == "Echo: ok1");
        Assert.True(File.Exists(Path.Combine(dir, "chat.json")));

        var haystack = new StringBuilder(result.Everything());
        foreach (PSObject item in result.Output)
            Collect(item?.BaseObject, haystack, 4);
        foreach (ErrorRecord error in result.Errors)
            Collect(error, haystack, 4);
        foreach (string file in Directory.GetFiles(dir, "*", SearchOption.AllDirectories))
            haystack.Append(File.ReadAllText(file));

        string all = haystack.ToString();
        Assert.True(all.Length > 10_000, "the scan saw the runs' text");
        Assert.DoesNotContain("SENTINEL", all);
        Assert.Contains(Secrets.Mask, all); // the echoes were found and masked, not lost

        // On the wire the key went in its header only: never in a URL or a body.
        Assert.All(server.Requests, r =>
        {
            Assert.DoesNotContain("SENTINEL", r.PathAndQuery);
            Assert.DoesNotContain("SENTINEL", r.BodyText);
        });
        Assert.Contains(server.Requests, r => r.Headers.Any(h => h.Key.Equals("x-goog-api-key", StringComparison.OrdinalIgnoreCase) && h.Value == Key));
    }

    [Fact]
    public async Task A_key_given_as_a_SecureString_is_kept_in_no_string_field_of_the_client()
    {
        using var server = FakeGeminiServer.Start();
        server.ExpectedApiKey = Key;
        var endpoint = new GeminiEndpoint(server.BaseUri, Fuzz.Key(Key)) { MaxRetries = 0 };
        using var client = new GeminiClient(endpoint);

        GenerateContentResponse answer = await client.Generation.GenerateContentAsync("gemini-2.5-flash", Fuzz.Request("hi"), new RecordingLog(), CancellationToken.None);
        await foreach (GenerateContentResponse chunk in client.Generation.StreamGenerateContentAsync("gemini-2.5-flash", Fuzz.Request("hi"), new RecordingLog(), CancellationToken.None))
            Assert.DoesNotContain("SENTINEL", chunk.Text);

        Assert.Equal("Echo: hi", answer.Text);
        var fields = new StringBuilder();
        CollectFields(client, fields, new HashSet<object>(ReferenceEqualityComparer.Instance), 4);
        Assert.DoesNotContain("SENTINEL", fields.ToString());
    }

    [Fact]
    public void A_key_cut_by_a_length_limit_leaves_no_piece_of_eight_characters_or_more()
    {
        const string Canary = "sk-SECRET-canary-0123456789abcdef";
        using var server = FakeGeminiServer.Start();
        server.ExpectedApiKey = Canary;
        using var shell = new Shell(server, apiKey: Canary);

        // The key straddles each limit: the 300 characters of a quoted error body, the 200 of stray stream text;
        // and a server that cut the key itself (its own limit) before echoing it.
        server.Enqueue(FakeReply.Raw(500, "text/plain", new string('x', 290) + Canary));
        server.Enqueue(FakeReply.SseRaw($"data: {ThreeChunks[0]}\n\n{new string('y', 190)}{Canary}\n\n"));
        server.Enqueue(FakeReply.Error(400, "INVALID_ARGUMENT", "API key not valid: " + Canary.Substring(0, 16)));
        ShellResult result = shell.Run(string.Join("\n",
            "$ErrorActionPreference = 'Continue'",
            "Invoke-GeminiContent 'a' -MaxRetries 0 -Verbose -Debug",
            "Get-GeminiStream 'b' -MaxRetries 0 -Verbose -Debug",
            "Invoke-GeminiContent 'c' -MaxRetries 0 -Verbose -Debug",
            "$Error | ForEach-Object { $_.ToString(); $e = $_.Exception; while ($e) { $e.ToString(); $e = $e.InnerException } }"));

        Assert.Equal(3, result.Errors.Count);
        var haystack = new StringBuilder(result.Everything());
        foreach (ErrorRecord error in result.Errors)
            Collect(error, haystack, 4);
        string all = haystack.ToString();
        for (int i = 0; i + Secrets.MinPiece <= Canary.Length; i++)
            Assert.DoesNotContain(Canary.Substring(i, Secrets.MinPiece), all);
        Assert.DoesNotContain("sk-SECRET-canar…", all);
        Assert.Contains("xxxx" + Secrets.Mask, all); // masked before the cut: the mask is whole
    }

    [Theory]
    [InlineData("key: sk-SECRET-canary-0123456789abcdef.", "key: ***.")]
    [InlineData("cut: sk-SECRET-canar", "cut: ***")]
    [InlineData("tail: 0123456789abcdef and more", "tail: *** and more")]
    [InlineData("short: sk-SECR is only 7", "short: sk-SECR is only 7")]
    public void Redaction_masks_the_key_and_any_run_of_eight_of_its_characters(string text, string expected) =>
        Assert.Equal(expected, Secrets.Redact(text, "sk-SECRET-canary-0123456789abcdef"));

    [Fact]
    public void A_cut_masks_the_key_first_so_the_mask_survives_whole()
    {
        const string Key = "sk-SECRET-canary-0123456789abcdef";
        string text = new string('x', 290) + Key + " and more";

        string cut = Secrets.Cut(text, 300, Key);

        Assert.Equal(new string('x', 290) + "*** and mo…", cut);
        Assert.Equal(new string('x', 290) + "sk-SECRET-…", Secrets.Cut(text, 300, null)); // what it did without the key
    }

    /// <summary>Every string reachable through public properties (a few levels down), as Format-List * would show them.</summary>
    internal static void Collect(object? value, StringBuilder into, int depth)
    {
        if (value is null || depth == 0)
            return;
        into.Append(value).Append('\n');
        if (value is string || value.GetType().IsPrimitive || value is System.Text.Json.JsonElement)
            return;
        if (value is IEnumerable items)
        {
            foreach (object? item in items.Cast<object?>().Take(100))
                Collect(item, into, depth - 1);
            return;
        }

        foreach (PropertyInfo property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || typeof(MemberInfo).IsAssignableFrom(property.PropertyType)
                || property.PropertyType == typeof(InvocationInfo) || property.Name is "TargetSite")
                continue;
            try
            {
                Collect(property.GetValue(value), into, depth - 1);
            }
            catch (TargetInvocationException)
            {
            }
        }
    }

    /// <summary>Every string held in a field, public or not, of the object graph (the HttpClient's internals excepted).</summary>
    private static void CollectFields(object? value, StringBuilder into, HashSet<object> seen, int depth)
    {
        if (value is null || depth == 0 || value is System.Net.Http.HttpMessageInvoker || !seen.Add(value))
            return;
        if (value is string text)
        {
            into.Append(text).Append('\n');
            return;
        }

        if (value.GetType().IsPrimitive)
            return;
        for (Type? type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (!field.FieldType.IsPointer)
                    CollectFields(field.GetValue(value), into, seen, depth - 1);
            }
        }
    }
}

/// <summary>The same scan for a key that comes from the environment (process-wide, so in the environment collection).</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class EnvironmentSecretScanTests : IDisposable
{
    private const string Key = "AIzaENVSENTINEL-0000-1111";
    private readonly string? _saved = Environment.GetEnvironmentVariable("GEMINI_API_KEY");
    private readonly string? _savedComet = Environment.GetEnvironmentVariable("COMETAPI_KEY");

    public EnvironmentSecretScanTests()
    {
        Environment.SetEnvironmentVariable("COMETAPI_KEY", null);
        Environment.SetEnvironmentVariable("GEMINI_API_KEY", Key + "\n"); // read from a file, with its newline
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("GEMINI_API_KEY", _saved);
        Environment.SetEnvironmentVariable("COMETAPI_KEY", _savedComet);
    }

    [Fact]
    public void A_key_from_GEMINI_API_KEY_shows_nowhere_either()
    {
        using var server = FakeGeminiServer.Start();
        server.ExpectedApiKey = Key;
        server.Enqueue(FakeReply.Error(400, "INVALID_ARGUMENT", $"API key not valid: {Key}"));
        server.Enqueue(FakeReply.Sse(new[] { HostileServerTests.Chunk("a") }) with { Tail = FakeReply.GoogleErrorJson(500, "INTERNAL", $"boom {Key}") });
        using var shell = new Shell();
        shell.Set("uri", server.BaseUri);
        string dir = TempDir.Create();
        shell.Set("dir", dir);

        ShellResult result = shell.Run(string.Join("\n",
            "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'",
            "Invoke-GeminiContent 'e1' -BaseUri $uri -MaxRetries 0",
            "Get-GeminiStream 'e2' -BaseUri $uri -MaxRetries 0",
            "$chat = New-GeminiChat; Invoke-GeminiContent 'ok' -BaseUri $uri -Chat $chat",
            "Export-GeminiChat -Chat $chat -Path ($dir + '/chat.json')",
            "$Error | ForEach-Object { $_.ToString(); $_.ErrorDetails.RecommendedAction; $e = $_.Exception; while ($e) { $e.ToString(); $e = $e.InnerException } }"));

        Assert.Null(result.Terminating);
        Assert.Equal(2, result.Errors.Count);
        string all = result.Everything() + string.Concat(System.IO.Directory.GetFiles(dir).Select(System.IO.File.ReadAllText));
        Assert.DoesNotContain("ENVSENTINEL", all);
        Assert.Contains(Secrets.Mask, all);
        Assert.All(server.Requests, r => Assert.DoesNotContain("ENVSENTINEL", r.PathAndQuery + r.BodyText));
    }
}
