using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>Issue 19: nothing silent and nothing misleading in a run of many inputs (the points that need no console).</summary>
public sealed class ReportGradeTests
{
    [Theory]
    [InlineData("synthetic/unary-failure-only-prompt-feedback.json", true, "The prompt was blocked (The prompt could not be submitted. This prompt contains content that is not allowed.)")]
    [InlineData("synthetic/unary-failure-empty-content.json", false, "The answer is empty: the candidate's content has no parts (no finish reason)")]
    [InlineData("synthetic/unary-failure-malformed-content.json", true, "The answer is empty: the candidate's content has no parts, only fields this module does not know (its fields: invalid-field; finish reason STOP)")]
    [InlineData("synthetic/unary-failure-invalid-response.json", false, "The answer is empty: the server's reply is not a Gemini answer (its fields: invalid-field, message\\u001b[31m)")]
    public void Every_empty_answer_says_why_in_answers_and_streams(string fixture, bool ended, string warning)
    {
        string body = Paths.FixtureText(fixture);
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, body));
        server.Enqueue(FakeReply.Sse(new[] { System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonDocument.Parse(body).RootElement) }));
        using var shell = new Shell(server);

        ShellResult answer = shell.Run("Invoke-GeminiContent 'Hi'");
        ShellResult stream = shell.Run("Get-GeminiStream 'Hi' | Out-Null");

        answer.AssertNoErrors();
        Assert.StartsWith(warning, Assert.Single(answer.Warnings));
        if (ended)
        {
            stream.AssertNoErrors();
            Assert.StartsWith(warning, Assert.Single(stream.Warnings));
        }
        else
        {
            // A stream that stops with no finish reason is an error already: the answer may be cut off.
            Assert.Equal("GeminiTruncated", Assert.Single(stream.Errors).FullyQualifiedErrorId.Split(',')[0]);
        }
    }

    [Theory]
    [InlineData("""{"candidates":[]}""", "the server sent no candidates and no reason")]
    [InlineData("""{"candidates":[{"index":0,"finishReason":"STOP"}]}""", "the candidate has no content (finish reason STOP)")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"text":"Thinking.","thought":true}]},"finishReason":"STOP"}]}""", "the model sent only thoughts")]
    [InlineData("""{"candidates":[{"content":{"parts":[{"text":""}]},"finishReason":"STOP"}]}""", "the model sent only empty text (finish reason STOP)")]
    public void Other_empty_answers_say_what_was_missing(string body, string said)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, body));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Hi'");

        Assert.Contains(said, Assert.Single(result.Warnings));
    }

    [Fact]
    public void A_function_call_or_an_image_is_not_an_empty_answer()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, """{"candidates":[{"content":{"parts":[{"functionCall":{"name":"Get-Date","args":{}}}]},"finishReason":"STOP"}]}"""));
        server.Enqueue(FakeReply.Json(200, Paths.FixtureText("vercel-ai/derived/google-image-gemini-3.1-flash-image.json")));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Hi' -NoToolExecution; Invoke-GeminiContent 'A cat' -Model gemini-3.1-flash-image -ResponseModality Image");

        result.AssertNoErrors();
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void A_pipeline_that_brings_nothing_warns_and_sends_nothing()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("@() | Invoke-GeminiContent -Prompt 'Summarize'; @() | Get-GeminiStream -Prompt 'x'; @() | Get-GeminiEmbedding");

        result.AssertNoErrors();
        Assert.Equal(3, result.Warnings.Count(w => w == "No input came down the pipeline; no request was sent."));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Empty_files_are_skipped_with_a_warning_and_counted_by_Summary_with_the_other_refused_inputs()
    {
        string dir = TempDir.Create();
        File.WriteAllText(Path.Combine(dir, "a-normal.log"), "ERROR disk full");
        File.WriteAllText(Path.Combine(dir, "b-empty.log"), string.Empty);
        File.WriteAllBytes(Path.Combine(dir, "c-bom-only.log"), new byte[] { 0xEF, 0xBB, 0xBF });
        File.WriteAllBytes(Path.Combine(dir, "d-binary.bin"), new byte[] { 1, 0, 2, 0, 3 });
        File.WriteAllText(Path.Combine(dir, "e-too-big.log"), new string('x', 2048));
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        ShellResult result = shell.Run("Invoke-GeminiContent -Path \"$dir/*\" -Prompt 'Summarize' -MaxInlineSize 1024 -Summary");

        Assert.Equal(2, result.Warnings.Count());
        Assert.Contains(result.Warnings, w => w.StartsWith("'b-empty.log' is empty, and the API refuses an empty part", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.StartsWith("'c-bom-only.log' holds no text", StringComparison.Ordinal));
        Assert.Equal(2, result.Errors.Count); // binary and too large: errors, each for its file
        Assert.Single(server.Requests);
        GeminiRunSummary summary = result.Output.Select(o => o.BaseObject).OfType<GeminiRunSummary>().Single();
        Assert.Equal((5, 1, 1, 4, 4), (summary.Inputs, summary.Requests, summary.Succeeded, summary.Failed, summary.Refused));
        Assert.Equal(new[] { "b-empty.log", "c-bom-only.log", "d-binary.bin", "e-too-big.log" }, summary.RefusedInputs.Select(r => r.Substring(0, r.IndexOf(':'))).OrderBy(n => n, StringComparer.Ordinal));
        Assert.StartsWith("5 input(s), 1 request(s), 1 succeeded, 4 failed (4 refused before sending)", summary.ToString());
    }

    [Fact]
    public void A_file_that_is_not_UTF_8_warns_and_Encoding_reads_it_right_while_BOMs_keep_working()
    {
        string dir = TempDir.Create();
        string latin = Path.Combine(dir, "latin1.log");
        File.WriteAllBytes(latin, Encoding.Latin1.GetBytes("Fehler: Datei größer als erlaubt"));
        string utf16 = Path.Combine(dir, "utf16.log");
        File.WriteAllText(utf16, "Grüße aus UTF-16", Encoding.Unicode);
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("latin", latin);
        shell.Set("utf16", utf16);

        ShellResult plain = shell.Run("Invoke-GeminiContent -LiteralPath $latin");
        ShellResult named = shell.Run("Invoke-GeminiContent -LiteralPath $latin -Encoding latin1; Invoke-GeminiContent -LiteralPath $latin -Encoding 28591; Invoke-GeminiContent -LiteralPath $utf16 -Encoding latin1");
        ShellResult wrong = shell.Run("Invoke-GeminiContent -LiteralPath $latin -Encoding no-such-encoding");

        string warning = Assert.Single(plain.Warnings);
        Assert.StartsWith("'latin1.log' is not valid UTF-8", warning);
        Assert.Contains("-Encoding", warning);
        named.AssertNoErrors();
        Assert.Empty(named.Warnings);
        Assert.Equal(new[] { "Echo: Fehler: Datei größer als erlaubt", "Echo: Fehler: Datei größer als erlaubt", "Echo: Grüße aus UTF-16" }, named.All<GenerateContentResponse>().Select(r => r.Text));
        var error = ((IContainsErrorRecord)wrong.Terminating!).ErrorRecord;
        Assert.Contains("latin1", error.Exception.Message);
        Assert.Equal(3 + 1, server.Requests.Count);
    }

    [Fact]
    public void Errors_in_a_run_of_many_inputs_name_the_input_and_throttled_verbose_lines_do_too()
    {
        string dir = TempDir.Create();
        File.WriteAllText(Path.Combine(dir, "app-01.log"), "fine");
        File.WriteAllText(Path.Combine(dir, "app-03.log"), "bad");
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Error(400, "INVALID_ARGUMENT", "Request contains an invalid argument."));
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        ShellResult first = shell.Run("Invoke-GeminiContent -Path \"$dir/*.log\" -Prompt 'Summarize'");
        ShellResult result = shell.Run("Invoke-GeminiContent -Path \"$dir/*.log\" -Prompt 'Summarize' -ThrottleLimit 2 -Verbose");
        ShellResult piped = shell.Run("'one', 'two' | Invoke-GeminiContent -Model gemini-2.0-flash");

        Assert.StartsWith("'app-01.log': HTTP 400 INVALID_ARGUMENT", Assert.Single(first.Errors).ErrorDetails.Message);
        result.AssertNoErrors();
        Assert.Contains(result.Verbose, v => v.StartsWith("'app-01.log': ", StringComparison.Ordinal));
        Assert.Contains(result.Verbose, v => v.StartsWith("'app-03.log': ", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Verbose, v => v.StartsWith("[1]", StringComparison.Ordinal));
        Assert.Equal(new[] { "'one': HTTP 404", "'two': HTTP 404" }, piped.Errors.Select(e => e.ErrorDetails.Message.Substring(0, e.ErrorDetails.Message.IndexOf(" NOT_FOUND", StringComparison.Ordinal))));
    }

    [Fact]
    public void A_long_retry_wait_warns_once_and_counts_down()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Error(429, "RESOURCE_EXHAUSTED", "Quota exceeded.") with { Headers = new[] { ("Retry-After", "6") } });
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Hi'");

        result.AssertNoErrors();
        Assert.Equal("Waiting 6 s before retry 1 of 3: the quota or rate limit was reached (HTTP 429 RESOURCE_EXHAUSTED).", Assert.Single(result.Warnings));
        List<ProgressRecord> waits = result.Progress.Where(p => p.Activity == "Waiting to retry").ToList();
        Assert.True(waits.Count >= 6, $"{waits.Count} countdown records");
        Assert.True(waits[0].SecondsRemaining >= 5);
        Assert.Equal(ProgressRecordType.Completed, waits[^1].RecordType);
        Assert.Equal(2, server.Requests.Count);
    }
}
