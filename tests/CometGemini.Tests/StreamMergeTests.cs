using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;

namespace CometGemini.Tests;

/// <summary>
/// Joining a streamed answer into the turn the chat keeps is linear in the chunks: each run of text deltas is joined
/// once, in a StringBuilder (it was one string concatenation per chunk, done twice: 100k chunks took 93 s). Memory is
/// the measure here, since time is bench/'s; Ctrl+C is heeded while it runs.
/// </summary>
public sealed class StreamMergeTests
{
    private static List<GenerateContentResponse> Chunks(int count, string text = "word ") =>
        Enumerable.Range(0, count)
            .Select(_ => JsonSerializer.Deserialize(HostileServerTests.Chunk(text), GeminiJsonContext.Default.GenerateContentResponse)!)
            .ToList();

    [Fact]
    public void Merging_20k_text_deltas_allocates_about_the_answer_once_not_once_per_chunk()
    {
        List<GenerateContentResponse> chunks = Chunks(20_000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Content merged = Content.FromStream(chunks)!;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Part part = Assert.Single(merged.Parts!);
        Assert.Equal(string.Concat(Enumerable.Repeat("word ", 20_000)), part.Text);
        // The answer is 200 KB as UTF-16; a concatenation per chunk allocates about 2 GB for it.
        Assert.True(allocated < 16L * 1024 * 1024, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Runs_are_split_where_they_were_and_parts_that_are_not_plain_deltas_stay_as_they_came()
    {
        var chunks = Chunks(3, "a");
        chunks.Add(JsonSerializer.Deserialize("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"think\",\"thought\":true},{\"text\":\"t2\",\"thought\":true}]}}]}", GeminiJsonContext.Default.GenerateContentResponse)!);
        chunks.Add(JsonSerializer.Deserialize("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"signed\",\"thoughtSignature\":\"c2ln\"}]}}]}", GeminiJsonContext.Default.GenerateContentResponse)!);
        chunks.AddRange(Chunks(2, "b"));

        Content merged = Content.FromStream(chunks)!;

        Assert.Equal(new[] { "aaa", "thinkt2", "signed", "bb" }, merged.Parts!.Select(p => p.Text));
        Assert.Equal(new bool?[] { null, true, null, null }, merged.Parts!.Select(p => p.Thought));
        Assert.Equal("c2ln", merged.Parts![2].ThoughtSignature);
        Assert.Same(chunks[4].FirstCandidate!.Content!.Parts![0], merged.Parts![2]);
    }

    [Fact]
    public void Ctrl_C_during_the_merge_ends_it()
    {
        List<GenerateContentResponse> chunks = Chunks(5_000);
        using var stopped = new CancellationTokenSource();
        stopped.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => Content.FromStream(chunks, stopped.Token));
    }
}
