using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using CometGemini.Client;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>
/// HostileServerTests for the read paths that came later: the models, caches and batch-job lists, embeddings and a
/// batch job's results file. A misbehaving server ends in a clear error or in the right objects, never an unhandled
/// exception or a hang; a list that pages in a circle stops.
/// </summary>
public sealed class HostileListTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private static string Model(string id) => "{\"name\":\"models/" + id + "\",\"displayName\":\"" + id + "\",\"supportedGenerationMethods\":[\"generateContent\"]}";

    /// <summary>The only error, which says what to do and is no unhandled exception.</summary>
    private static ErrorRecord ClearError(ShellResult result)
    {
        Assert.True(result.Terminating is null, "terminating: " + result.Terminating);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction), $"{error.FullyQualifiedErrorId} says what to do");
        Assert.True(error.Exception is GeminiException || error.FullyQualifiedErrorId.StartsWith("Gemini", StringComparison.Ordinal), error.Exception.ToString());
        return error;
    }

    private static ShellResult RunBounded(Shell shell, string script)
    {
        var clock = Stopwatch.StartNew();
        ShellResult result = shell.Run(script);
        Assert.True(clock.Elapsed < Hang, $"took {clock.Elapsed}");
        return result;
    }

    [Theory]
    [InlineData("text/html", "<!DOCTYPE html><html><head><title>Sign in</title></head><body>Portal</body></html>")]
    [InlineData("application/json", "{\"models\":[{\"name\":\"models/gemini-2.5-flash\",\"displayName\":\"Gem")]
    [InlineData("application/json", "[1, 2, 3]")]
    [InlineData("application/json", "{\"models\": 7}")]
    [InlineData("application/json", "{\"models\":[{\"name\": {\"nested\": true}}]}")]
    [InlineData("application/json", "null")]
    [InlineData("application/json", "{\"models\":[{\"name\":\"models/x\",\"inputTokenLimit\":1e999}]}")]
    public void A_models_page_that_is_not_a_model_list_is_one_clear_error(string contentType, string body)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue("/v1beta/models", FakeReply.Raw(200, contentType, body));
        using var shell = new Shell(server);

        ShellResult result = RunBounded(shell, "Get-GeminiModel -MaxRetries 0; Get-GeminiModel '*flash*' -MaxRetries 0");

        ErrorRecord error = ClearError(result);
        Assert.StartsWith("GeminiModelListUnavailable", error.FullyQualifiedErrorId);
        Assert.DoesNotContain(result.Output, o => o.BaseObject is not GeminiModel);
    }

    [Fact]
    public void Null_entries_and_unknown_fields_in_a_models_page_leave_the_real_models()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue("/v1beta/models", FakeReply.Json(200,
            "{\"models\":[null," + Model("gemini-2.5-flash") + ",null,{\"name\":\"models/gemini-9-ultra\",\"futureField\":{\"a\":[1,2]},\"inputTokenLimit\":1000,\"supportedGenerationMethods\":null}],\"unknownTopLevel\":true}"));
        using var shell = new Shell(server);

        ShellResult result = RunBounded(shell, "Get-GeminiModel '*' | ForEach-Object { \"$($_.Name) $($_.CanGenerateContent)\" }");

        result.AssertNoErrors();
        Assert.Equal(new[] { "gemini-2.5-flash True", "gemini-9-ultra False" }, result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void A_models_list_that_hands_back_the_same_page_token_forever_stops_with_a_clear_error()
    {
        using var server = FakeGeminiServer.Start();
        for (int i = 0; i < 50; i++)
            server.Enqueue("/v1beta/models", FakeReply.Json(200, "{\"models\":[" + Model("gemini-2.5-flash") + "],\"nextPageToken\":\"again\"}"));
        using var shell = new Shell(server);

        ShellResult result = RunBounded(shell, "Get-GeminiModel -MaxRetries 0");

        ErrorRecord error = ClearError(result);
        Assert.Contains("page token", error.ToString());
        Assert.Equal(2, server.RequestCount); // the second page repeated the token: no third request
    }

    [Fact]
    public void A_cache_list_that_pages_in_a_circle_stops_after_writing_what_came()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue("cachedContents", FakeReply.Json(200, "{\"cachedContents\":[{\"name\":\"cachedContents/a1\",\"model\":\"models/gemini-2.5-flash\"}],\"nextPageToken\":\"p2\"}"));
        for (int i = 0; i < 50; i++)
            server.Enqueue("cachedContents", FakeReply.Json(200, "{\"cachedContents\":[{\"name\":\"cachedContents/b2\",\"model\":\"models/gemini-2.5-flash\"}],\"nextPageToken\":\"p1\"}"));
        using var shell = new Shell(server);

        // p2, p1, then p2 again: the third page repeats a token.
        ShellResult result = RunBounded(shell, "Get-GeminiCache -MaxRetries 0 | ForEach-Object { $_.Name }");

        ErrorRecord error = ClearError(result);
        Assert.Contains("circle", error.ToString());
        Assert.Equal(new[] { "cachedContents/a1", "cachedContents/b2", "cachedContents/b2" }, result.Output.Select(o => o.ToString()));
        Assert.Equal(3, server.RequestCount);
    }

    [Fact]
    public void A_cache_list_with_unknown_fields_and_null_entries_gives_the_caches()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue("cachedContents", FakeReply.Json(200,
            "{\"cachedContents\":[null,{\"name\":\"cachedContents/x1\",\"model\":\"models/gemini-2.5-flash\",\"displayName\":\"Manual\",\"usageMetadata\":{\"totalTokenCount\":4096,\"futureCount\":3},"
            + "\"newThing\":{\"deep\":[null,{\"x\":1}]},\"expireTime\":\"2099-01-01T00:00:00.123456789Z\"}],\"somethingElse\":[1]}"));
        using var shell = new Shell(server);

        ShellResult result = RunBounded(shell, "Get-GeminiCache 'Man*' | ForEach-Object { $_.Name; $_.DisplayName; $_.ToString() }");

        result.AssertNoErrors();
        Assert.Equal("cachedContents/x1", result.Output[0].ToString());
        Assert.Equal("Manual", result.Output[1].ToString());
    }

    [Fact]
    public void A_batch_job_list_that_hands_back_the_same_token_forever_stops()
    {
        using var server = FakeGeminiServer.Start();
        for (int i = 0; i < 50; i++)
            server.Enqueue("/v1beta/batches", FakeReply.Json(200, "{\"operations\":[null,{\"name\":\"batches/j1\",\"metadata\":{\"state\":\"BATCH_STATE_RUNNING\",\"unknown\":1}}],\"nextPageToken\":\"same\"}"));
        using var shell = new Shell(server);

        ShellResult result = RunBounded(shell, "Get-GeminiBatchJob -MaxRetries 0 | ForEach-Object { $_.Name }");

        ClearError(result);
        Assert.Equal(new[] { "batches/j1", "batches/j1" }, result.Output.Select(o => o.ToString()));
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public void A_list_of_new_page_tokens_without_end_stops_at_the_page_limit()
    {
        var pages = new PageTokens("things");
        for (int page = 1; page < PageTokens.MaxPages; page++)
            Assert.Equal("t" + page, pages.Next("t" + page));

        var endless = Assert.Throws<GeminiException>(() => pages.Next("one more"));
        Assert.Equal(GeminiFailure.Protocol, endless.Failure);
        Assert.Contains($"did not end after {PageTokens.MaxPages} pages", endless.Message);
        Assert.Null(new PageTokens("things").Next(string.Empty));
    }

    [Theory]
    [InlineData("Get-GeminiEmbedding 'x'")]
    [InlineData("Get-GeminiEmbedding 'x', 'y'")]
    public void A_200_whose_embedding_body_is_an_error_object_is_that_error(string command)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue("mbed", FakeReply.Json(200, FakeReply.GoogleErrorJson(403, "PERMISSION_DENIED", "Embeddings are not enabled for this project.")));
        using var shell = new Shell(server);

        ShellResult result = RunBounded(shell, command);

        ErrorRecord error = ClearError(result);
        Assert.Equal(403, Assert.IsType<GeminiException>(error.Exception).StatusCode);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Contains("not enabled", error.ToString());
        Assert.Empty(result.Output);
        Assert.Equal(1, server.RequestCount);
    }

    [Theory]
    [InlineData("{\"embedding\":{\"values\":null}}")]
    [InlineData("{\"embedding\":{\"values\":[1, \"two\"]}}")]
    [InlineData("{\"embeddings\":[{\"values\":[0.1]}]}")]
    [InlineData("{\"embedding\":{\"values\":[0.1, 0.2")]
    [InlineData("<html>gateway</html>")]
    public void An_embedding_answer_of_the_wrong_shape_is_a_clear_error(string body)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue("mbed", FakeReply.Raw(200, body.StartsWith('<') ? "text/html" : "application/json", body));
        using var shell = new Shell(server);

        ShellResult result = RunBounded(shell, "Get-GeminiEmbedding 'x' -MaxRetries 0");

        ClearError(result);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void A_results_file_with_broken_lines_gives_every_other_answer_and_an_error_for_each_broken_one()
    {
        BatchJobTests.EnsureRecordFolder();
        using var server = FakeGeminiServer.Start();
        server.Batches.PollsPerState = 0;
        using var shell = new Shell(server);
        var job = shell.Run("'a1', 'a2', 'a3', 'a4' | Start-GeminiBatchJob -InlineLimit 0").Single<GeminiBatchJob>();
        ShellResult whole = shell.Run($"Receive-GeminiBatchJob {job.Name}");
        whole.AssertNoErrors();
        string[] lines = Encoding.UTF8.GetString(server.Batches.Files.Single(f => f.Key.StartsWith("files/batch-")).Value).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);

        // Line 2 cut short, a stray line of garbage, a JSON null, line 3 with a null part, line 4 not an object; line 1 last (out of order).
        Assert.Contains("\"parts\":[{\"text\"", lines[2].Replace(" ", string.Empty));
        string nullPart = System.Text.RegularExpressions.Regex.Replace(lines[2], "\"parts\":\\s*\\[", "\"parts\": [null, ");
        string damaged = string.Join("\n", lines[1][..(lines[1].Length / 2)], "\u0000\uFFFD garbage {", "null", nullPart, "[\"" + lines[3] + "\"]", "", lines[0]) + "\n";
        server.Enqueue(":download", FakeReply.Raw(200, "application/octet-stream", damaged));
        ShellResult result = RunBounded(shell, $"Receive-GeminiBatchJob {job.Name} | ForEach-Object {{ $_.Text }}");

        Assert.Null(result.Terminating);
        Assert.Equal(new[] { "Echo: a1", "Echo: a3" }, result.Output.Select(o => o.ToString()));
        Assert.Equal(4, result.Errors.Count(e => e.FullyQualifiedErrorId.StartsWith("GeminiProtocol", StringComparison.Ordinal)));
        Assert.Contains("it was skipped", result.Errors[0].ToString());
        var missing = result.Errors.Where(e => e.FullyQualifiedErrorId.StartsWith("GeminiBatchAnswerMissing", StringComparison.Ordinal)).Select(e => e.TargetObject?.ToString()).ToArray();
        Assert.Equal(new[] { "a2", "a4" }, missing);
        Assert.Equal(6, result.Errors.Count);
    }

    [Fact]
    public void A_results_line_with_half_a_surrogate_pair_is_an_error_for_that_line_only()
    {
        BatchJobTests.EnsureRecordFolder();
        using var server = FakeGeminiServer.Start();
        server.Batches.PollsPerState = 0;
        using var shell = new Shell(server);
        var job = shell.Run("'b1', 'b2' | Start-GeminiBatchJob -InlineLimit 0").Single<GeminiBatchJob>();
        shell.Run($"Receive-GeminiBatchJob {job.Name}").AssertNoErrors();
        string[] lines = Encoding.UTF8.GetString(server.Batches.Files.Single(f => f.Key.StartsWith("files/batch-")).Value).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // Half a surrogate pair in a results line: that line is an error of its own (the same guard as every other answer path).
        string broken = lines.Single(l => l.Contains("Echo: b1")).Replace("Echo: b1", "Echo: \\uD800 b1");
        server.Enqueue(":download", FakeReply.Raw(200, "application/octet-stream", broken + "\n" + lines.Single(l => l.Contains("Echo: b2")) + "\n"));
        ShellResult result = RunBounded(shell, $"Receive-GeminiBatchJob {job.Name} | ForEach-Object {{ $_.Text }}");

        Assert.Null(result.Terminating);
        Assert.Equal(new[] { "Echo: b2" }, result.Output.Select(o => o.ToString()));
        Assert.Contains(result.Errors, e => e.FullyQualifiedErrorId.StartsWith("GeminiProtocol", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.FullyQualifiedErrorId.StartsWith("GeminiBatchAnswerMissing", StringComparison.Ordinal) && e.TargetObject?.ToString() == "b1");
    }
}
