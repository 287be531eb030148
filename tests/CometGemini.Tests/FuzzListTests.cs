using System;
using System.Linq;
using System.Management.Automation;
using System.Text;
using CometGemini.Client;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>
/// FuzzTests for the read paths that came later: mutated models, caches and batch-job list pages, embedding answers and
/// batch results files, through the cmdlets. Every run ends in objects or Gemini error records; the command itself
/// never fails, and nothing is left unread. COMETGEMINI_LONG_TESTS=1 runs fifty times as many cases.
/// </summary>
public sealed class FuzzListTests
{
    private const string ModelsPage =
        "{\"models\":[{\"name\":\"models/gemini-2.5-flash\",\"displayName\":\"Gemini 2.5 Flash\",\"inputTokenLimit\":1048576,\"outputTokenLimit\":65536,"
        + "\"supportedGenerationMethods\":[\"generateContent\",\"countTokens\"],\"temperature\":1,\"thinking\":true},"
        + "{\"name\":\"models/gemini-embedding-001\",\"supportedGenerationMethods\":[\"embedContent\"]}]}";

    private const string CachesPage =
        "{\"cachedContents\":[{\"name\":\"cachedContents/abc\",\"model\":\"models/gemini-2.5-flash\",\"displayName\":\"Manual\","
        + "\"createTime\":\"2026-11-29T10:00:00.123456Z\",\"expireTime\":\"2026-11-29T12:00:00Z\",\"usageMetadata\":{\"totalTokenCount\":40000}}]}";

    private const string BatchesPage =
        "{\"operations\":[{\"name\":\"batches/j1\",\"metadata\":{\"@type\":\"type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch\","
        + "\"model\":\"models/gemini-2.5-flash\",\"displayName\":\"nightly\",\"state\":\"BATCH_STATE_SUCCEEDED\",\"batchStats\":{\"requestCount\":\"2\",\"successfulRequestCount\":\"2\"}},\"done\":true}]}";

    private const string Embedding = "{\"embedding\":{\"values\":[0.1,-0.2,0.30000001,1e-7]}}";

    private const string Embeddings = "{\"embeddings\":[{\"values\":[0.1,-0.2]},{\"values\":[0.3,0.4]}]}";

    private static void RunMutated(Shell shell, FakeGeminiServer server, string path, string seed, string script, int count, Random random)
    {
        byte[] valid = Encoding.UTF8.GetBytes(seed);
        for (int i = 0; i < count; i++)
        {
            byte[] body = random.Next(5) == 0 ? valid : Fuzz.Mutate(valid, random);
            server.Enqueue(path, FakeReply.Raw(200, "application/json", body));
            ShellResult result = shell.Run(script);

            Assert.True(result.Terminating is null, $"{script} failed as a whole on {Encoding.UTF8.GetString(body)}: {result.Terminating}");
            Assert.All(result.Errors, e => Assert.True(
                e.Exception is GeminiException || e.FullyQualifiedErrorId.StartsWith("Gemini", StringComparison.Ordinal),
                $"{script} on {Encoding.UTF8.GetString(body)}: {e.FullyQualifiedErrorId}: {e.Exception}"));
            foreach (PSObject item in result.Output)
                Fuzz.Touch(item?.BaseObject);
            Assert.Equal(0, server.PendingReplies);
        }
    }

    [Fact]
    public void Mutated_list_pages_and_embedding_answers_end_in_objects_or_Gemini_errors()
    {
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { RecordRequests = false });
        using var shell = new Shell(server);
        var random = Fuzz.LongMode ? new Random() : new Random(29112026);
        int count = (int)Fuzz.Iterations(30);

        RunMutated(shell, server, "/v1beta/models?", ModelsPage, "Get-GeminiModel -MaxRetries 0; Get-GeminiModel '*flash*' -MaxRetries 0", count, random);
        RunMutated(shell, server, "/v1beta/cachedContents", CachesPage, "Get-GeminiCache -MaxRetries 0 | ForEach-Object { $_; $_.ToString() }", count, random);
        RunMutated(shell, server, "/v1beta/batches?", BatchesPage, "Get-GeminiBatchJob -MaxRetries 0 | ForEach-Object { $_; $_.ToString() }", count, random);
        RunMutated(shell, server, ":embedContent", Embedding, "Get-GeminiEmbedding 'x' -MaxRetries 0 | ForEach-Object { $_; $_.ToString() }", count, random);
        RunMutated(shell, server, ":batchEmbedContents", Embeddings, "Get-GeminiEmbedding 'x', 'y' -MaxRetries 0 | ForEach-Object { $_; $_.ToString() }", count, random);
    }

    [Fact]
    public void Mutated_batch_results_files_end_in_answers_or_Gemini_errors()
    {
        BatchJobTests.EnsureRecordFolder();
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { RecordRequests = false });
        server.Batches.PollsPerState = 0;
        using var shell = new Shell(server);
        var job = shell.Run("'r1', 'r2', 'r3' | Start-GeminiBatchJob -InlineLimit 0").Single<GeminiBatchJob>();
        shell.Run($"Receive-GeminiBatchJob {job.Name}").AssertNoErrors();
        string results = Encoding.UTF8.GetString(server.Batches.Files.Single(f => f.Key.StartsWith("files/batch-")).Value);
        var random = Fuzz.LongMode ? new Random() : new Random(1129);

        RunMutated(shell, server, ":download", results, $"Receive-GeminiBatchJob {job.Name} -MaxRetries 0", (int)Fuzz.Iterations(30), random);
    }
}
