using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using CometGemini.Demo;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

public sealed class EmbeddingTests
{
    [Fact]
    public void One_string_is_one_embedContent_call_and_the_result_carries_input_and_vector()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'What is the meaning of life?' | Get-GeminiEmbedding");

        result.AssertNoErrors();
        var embedding = result.Single<GeminiEmbedding>();
        Assert.Equal("What is the meaning of life?", embedding.Input);
        Assert.Equal("What is the meaning of life?", embedding.Text);
        Assert.Equal(3072, embedding.Dimensions);
        Assert.Equal(3072, embedding.Values.Length);
        Assert.Equal("gemini-embedding-001", embedding.Model);
        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("/v1beta/models/gemini-embedding-001:embedContent", request.PathAndQuery);
        JsonElement body = request.Json!.RootElement;
        Assert.Equal("models/gemini-embedding-001", body.GetProperty("model").GetString());
        Assert.Equal("What is the meaning of life?", body.GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.False(body.TryGetProperty("taskType", out _));
    }

    [Fact]
    public void Many_inputs_go_in_batches_of_100_in_order_and_full_batches_leave_before_the_input_ends()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $global:order = [System.Collections.Generic.List[string]]::new()
            1..205 | ForEach-Object {
                if ($_ -eq 150) { $order.Add('input 150 produced') }
                "sentence $_"
            } | Get-GeminiEmbedding | ForEach-Object {
                if ($_.Index -eq 99) { $order.Add('result 100 received') }
                $_
            }
            """);

        result.AssertNoErrors();
        var embeddings = result.All<GeminiEmbedding>();
        Assert.Equal(205, embeddings.Count);
        Assert.Equal(Enumerable.Range(1, 205).Select(i => $"sentence {i}"), embeddings.Select(e => (string)e.Input!));
        Assert.Equal(Enumerable.Range(0, 205), embeddings.Select(e => e.Index));
        Assert.Equal(new[] { 100, 100, 5 }, server.Requests.Select(r => r.Json!.RootElement.GetProperty("requests").GetArrayLength()));
        Assert.All(server.Requests, r => Assert.Equal("/v1beta/models/gemini-embedding-001:batchEmbedContents", r.PathAndQuery));
        Assert.All(server.Requests[0].Json!.RootElement.GetProperty("requests").EnumerateArray(), e => Assert.Equal("models/gemini-embedding-001", e.GetProperty("model").GetString()));
        Assert.Equal(new[] { "result 100 received", "input 150 produced" }, shell.Run("$order").Output.Select(o => o.ToString()));

        // The same text embeds the same way (the fake's vectors depend only on the text).
        ShellResult again = shell.Run("Get-GeminiEmbedding 'sentence 7'");
        Assert.Equal(embeddings[6].Values, again.Single<GeminiEmbedding>().Values);
    }

    [Fact]
    public void TaskType_Title_and_OutputDimensionality_reach_the_wire_and_the_task_type_completes()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Get-GeminiEmbedding 'Gemini is a family of models.' -TaskType RETRIEVAL_DOCUMENT -Title 'About Gemini' -OutputDimensionality 768 -Model gemini-embedding-001");

        result.AssertNoErrors();
        var embedding = result.Single<GeminiEmbedding>();
        Assert.Equal(768, embedding.Dimensions);
        Assert.Equal("RETRIEVAL_DOCUMENT", embedding.TaskType);
        JsonElement body = Assert.Single(server.Requests).Json!.RootElement;
        Assert.Equal("RETRIEVAL_DOCUMENT", body.GetProperty("taskType").GetString());
        Assert.Equal("About Gemini", body.GetProperty("title").GetString());
        Assert.Equal(768, body.GetProperty("outputDimensionality").GetInt32());

        // PascalCase works too, and Tab offers the wire names.
        server.ClearRequests();
        shell.Run("'q' | Get-GeminiEmbedding -TaskType SemanticSimilarity").AssertNoErrors();
        Assert.Equal("SEMANTIC_SIMILARITY", Assert.Single(server.Requests).Json!.RootElement.GetProperty("taskType").GetString());
        const string line = "Get-GeminiEmbedding -TaskType RETR";
        ShellResult completion = shell.Run($"[System.Management.Automation.CommandCompletion]::CompleteInput('{line}', {line.Length}, $null).CompletionMatches.CompletionText");
        Assert.Equal(new[] { "RETRIEVAL_QUERY", "RETRIEVAL_DOCUMENT" }, completion.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void A_title_per_piped_object_makes_each_a_retrieval_document_and_a_title_with_another_task_type_is_refused()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            @(
                [pscustomobject]@{ Title = 'Cats'; Body = 'Cats purr.' }
                [pscustomobject]@{ Title = 'Dogs'; Body = 'Dogs bark.' }
            ) | Get-GeminiEmbedding
            """);

        result.AssertNoErrors();
        JsonElement[] entries = Assert.Single(server.Requests).Json!.RootElement.GetProperty("requests").EnumerateArray().ToArray();
        Assert.Equal(new[] { "Cats", "Dogs" }, entries.Select(e => e.GetProperty("title").GetString()));
        Assert.All(entries, e => Assert.Equal("RETRIEVAL_DOCUMENT", e.GetProperty("taskType").GetString()));
        Assert.Equal("Title: Cats\nBody: Cats purr.", entries[0].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString()!.Replace("\r\n", "\n"));

        server.ClearRequests();
        ShellResult refused = shell.Run("Get-GeminiEmbedding 'where are the cats?' -TaskType RETRIEVAL_QUERY -Title 'Cats'");
        Assert.NotNull(refused.Terminating);
        Assert.Equal("GeminiEmbeddingTitleMismatch", ((IContainsErrorRecord)refused.Terminating!).ErrorRecord.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Objects_and_hashtables_are_embedded_as_compact_text_and_keep_the_object_as_input()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            [pscustomobject]@{ Name = 'Ada'; Skills = 'math', 'engines'; Born = [datetime]'1815-12-10'; Address = [pscustomobject]@{ City = 'London' } },
            [ordered]@{ Id = 7; Price = 2.5 },
            42 | Get-GeminiEmbedding
            """);

        result.AssertNoErrors();
        var embeddings = result.All<GeminiEmbedding>();
        Assert.Equal(3, embeddings.Count);
        Assert.Equal("Name: Ada\nSkills: [math, engines]\nBorn: 1815-12-10\nAddress: {City: London}", embeddings[0].Text.Replace("\r\n", "\n"));
        Assert.Equal("Id: 7\nPrice: 2.5", embeddings[1].Text.Replace("\r\n", "\n"));
        Assert.Equal("42", embeddings[2].Text);
        Assert.IsType<PSObject>(embeddings[0].Input);
        Assert.Equal("Ada", ((PSObject)embeddings[0].Input!).Properties["Name"].Value);
    }

    [Fact]
    public void A_dotnet_object_shows_its_default_properties_and_added_notes_and_a_folder_is_an_error()
    {
        string dir = TempDir.Create();
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        ShellResult version = shell.Run("$v = [psobject][TimeZoneInfo]::Utc; $v.PSObject.Properties.Add([psnoteproperty]::new('Channel', 'stable')); $v | Get-GeminiEmbedding");
        ShellResult folder = shell.Run("[IO.DirectoryInfo]$dir | Get-GeminiEmbedding");

        version.AssertNoErrors();
        string text = version.Single<GeminiEmbedding>().Text;
        Assert.Contains("Id: UTC", text);
        Assert.Contains("BaseUtcOffset: 00:00:00", text);
        Assert.Contains("Channel: stable", text);
        ErrorRecord error = Assert.Single(folder.Errors);
        Assert.Equal("GeminiFileUnreadable", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Empty(folder.Output);
    }

    [Fact]
    public void Files_are_embedded_for_their_text_whether_piped_as_files_or_named()
    {
        string dir = TempDir.Create();
        string notes = Path.Combine(dir, "notes.txt");
        File.WriteAllText(notes, "Remember the milk.");
        string todo = Path.Combine(dir, "todo.md");
        File.WriteAllText(todo, "# To do\nFix the roof.");
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("notes", notes);
        shell.Set("todo", todo);

        ShellResult piped = shell.Run("[IO.FileInfo]$notes, [IO.FileInfo]$todo | Get-GeminiEmbedding");
        ShellResult named = shell.Run("Get-GeminiEmbedding -LiteralPath $todo");

        piped.AssertNoErrors();
        named.AssertNoErrors();
        var embeddings = piped.All<GeminiEmbedding>();
        Assert.Equal(new[] { "Remember the milk.", "# To do\nFix the roof." }, embeddings.Select(e => e.Text));
        Assert.Equal(new[] { notes, todo }, embeddings.Select(e => e.SourcePath));
        Assert.IsType<FileInfo>(embeddings[0].Input);
        Assert.Equal(todo, named.Single<GeminiEmbedding>().SourcePath);
        Assert.Equal(embeddings[1].Values, named.Single<GeminiEmbedding>().Values);
    }

    // Get-GeminiEmbedding takes its inputs as the generating commands do (InputRecords): a file is a FileInfo input
    // however it was named, and an empty file is warned about and skipped, keeping its number so indexes match the inputs.
    [Fact]
    public void Files_come_in_as_for_the_generating_commands_and_an_empty_file_keeps_its_number()
    {
        string dir = TempDir.Create();
        File.WriteAllText(Path.Combine(dir, "a.md"), "Alpha.");
        File.WriteAllText(Path.Combine(dir, "b.md"), string.Empty);
        File.WriteAllText(Path.Combine(dir, "c.md"), "Gamma.");
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        ShellResult result = shell.Run("Get-GeminiEmbedding -Path \"$dir/*.md\"");

        result.AssertNoErrors();
        Assert.Contains(result.Warnings, w => w.Contains("b.md"));
        var embeddings = result.All<GeminiEmbedding>();
        Assert.Equal(new[] { "Alpha.", "Gamma." }, embeddings.Select(e => e.Text));
        Assert.Equal(new[] { 0, 2 }, embeddings.Select(e => e.Index));
        Assert.All(embeddings, e => Assert.IsType<FileInfo>(e.Input));
    }

    [Fact]
    public void Path_takes_wildcards_each_matching_file_one_input_and_a_pattern_without_files_is_an_error()
    {
        string dir = TempDir.Create();
        File.WriteAllText(Path.Combine(dir, "a.md"), "Alpha.");
        File.WriteAllText(Path.Combine(dir, "b.md"), "Beta.");
        File.WriteAllText(Path.Combine(dir, "c.txt"), "Not markdown.");
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        ShellResult result = shell.Run("Get-GeminiEmbedding -Path \"$dir/*.md\", \"$dir/none-*.md\"");

        Assert.Equal(new[] { "Alpha.", "Beta." }, result.All<GeminiEmbedding>().OrderBy(e => e.Text).Select(e => e.Text));
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("GeminiPathNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact]
    public void A_failed_batch_is_one_error_naming_its_inputs_and_the_other_batches_still_arrive()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(":batchEmbedContents", FakeReply.Error(400, "INVALID_ARGUMENT", "Request payload size exceeds the limit."));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("1..130 | ForEach-Object { \"line $_\" } | Get-GeminiEmbedding -MaxRetries 0");

        Assert.Null(result.Terminating);
        Assert.Equal(Enumerable.Range(101, 30).Select(i => $"line {i}"), result.All<GeminiEmbedding>().Select(e => (string)e.Input!));
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("GeminiHttp400", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("Inputs 1-100", error.ErrorDetails.Message);
        Assert.Contains("'line 1'", error.ErrorDetails.Message);
        Assert.Contains("'line 100'", error.ErrorDetails.Message);
        Assert.Contains("Request payload size exceeds the limit.", error.ErrorDetails.Message);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => $"line {i}"), ((object[])error.TargetObject).Cast<string>());
    }

    [Fact]
    public void A_model_that_does_not_embed_and_an_empty_input_are_errors_for_those_inputs()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult wrongModel = shell.Run("'hello' | Get-GeminiEmbedding -Model gemini-2.5-flash");
        ShellResult empty = shell.Run("'', 'real text' | Get-GeminiEmbedding");

        ErrorRecord notFound = Assert.Single(wrongModel.Errors);
        Assert.Equal("GeminiHttp404", notFound.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("hello", notFound.TargetObject);
        Assert.Contains("not supported for embedContent", notFound.ErrorDetails.Message);
        ErrorRecord skipped = Assert.Single(empty.Errors);
        Assert.Equal("GeminiEmbeddingInputEmpty", skipped.FullyQualifiedErrorId.Split(',')[0]);
        var embedding = empty.Single<GeminiEmbedding>();
        Assert.Equal("real text", embedding.Input);
        Assert.Equal(1, embedding.Index);
        Assert.EndsWith(":embedContent", server.Requests.Last().PathAndQuery);
    }

    [Fact]
    public void The_default_view_shows_a_few_values_not_thousands()
    {
        using var server = FakeGeminiServer.Start();
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));

        shell.Run("'alpha', 'beta' | Get-GeminiEmbedding | Out-Default").AssertNoErrors();

        string text = screen.ToString();
        Assert.Contains("Dimensions", text);
        Assert.Contains("3072", text);
        Assert.Contains("alpha", text);
        Assert.Contains("…", text);
        Assert.True(text.Length < 2000, text);
    }
}
