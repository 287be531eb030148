using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using CometGemini.Demo;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>Batch Mode as PowerShell jobs: Start-, Get-, Wait-, Stop-, Remove-, Receive-GeminiBatchJob against the fake's batch and files routes.</summary>
public sealed class BatchJobTests
{
    // Every test of the process keeps its job records here (set once, before any batch command runs, never changed).
    private static readonly string RecordFolder = InitRecordFolder();

    private static string InitRecordFolder()
    {
        string folder = TempDir.Create();
        Environment.SetEnvironmentVariable("COMETGEMINI_BATCH_FOLDER", folder);
        return folder;
    }

    public BatchJobTests() => _ = RecordFolder;

    /// <summary>The process's record folder (other test classes that start batch jobs call this first).</summary>
    internal static string EnsureRecordFolder() => RecordFolder;

    [Fact]
    public void Piped_prompts_become_one_inline_job_whose_requests_are_built_as_Invoke_GeminiContent_builds_them()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        const string options = "-Model gemini-2.5-flash -SystemInstruction 'Classify the ticket.' -Temperature 0.2 -ThinkingBudget 0 -ResponseEnum bug, question";

        ShellResult invoked = shell.Run($"'Printer on fire' | Invoke-GeminiContent {options}");
        invoked.AssertNoErrors();
        JsonElement direct = server.Requests.Last().Json!.RootElement;

        ShellResult result = shell.Run($"'Printer on fire', 'How do I log in?' | Start-GeminiBatchJob {options} -DisplayName nightly");

        result.AssertNoErrors();
        var job = result.Single<GeminiBatchJob>();
        Assert.StartsWith("batches/", job.Name);
        Assert.Equal("nightly", job.DisplayName);
        Assert.Equal(BatchJobStates.Pending, job.State);
        Assert.Equal(2, job.RequestCount);
        Assert.Equal("gemini-2.5-flash", job.Model);
        Assert.False(job.IsDone);
        RecordedRequest create = server.Requests.Last();
        Assert.Equal("POST", create.Method);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:batchGenerateContent", create.Path);
        JsonElement batch = create.Json!.RootElement.GetProperty("batch");
        Assert.Equal("models/gemini-2.5-flash", batch.GetProperty("model").GetString());
        Assert.Equal("nightly", batch.GetProperty("displayName").GetString());
        JsonElement[] requests = batch.GetProperty("inputConfig").GetProperty("requests").GetProperty("requests").EnumerateArray().ToArray();
        Assert.Equal(new[] { "1", "2" }, requests.Select(r => r.GetProperty("metadata").GetProperty("key").GetString()));
        Assert.Equal(direct.GetRawText(), requests[0].GetProperty("request").GetRawText());
        Assert.Equal("How do I log in?", requests[1].GetProperty("request").GetProperty("contents")[0].GetProperty("parts")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void Path_names_the_files_of_a_job_by_wildcard()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        string folder = TempDir.Create();
        File.WriteAllText(Path.Combine(folder, "a.txt"), "The printer is on fire.");
        File.WriteAllText(Path.Combine(folder, "b.txt"), "How do I log in?");
        File.WriteAllText(Path.Combine(folder, "c.md"), "Not a ticket.");
        shell.Set("folder", folder);

        ShellResult result = shell.Run("Start-GeminiBatchJob -Path \"$folder/*.txt\" -Prompt 'Classify this ticket'");

        result.AssertNoErrors();
        Assert.Equal(2, result.Single<GeminiBatchJob>().RequestCount);
        string sent = Encoding.UTF8.GetString(server.Requests.Last().Body);
        Assert.Contains("The printer is on fire.", sent);
        Assert.Contains("How do I log in?", sent);
        Assert.DoesNotContain("Not a ticket.", sent);
    }

    [Fact]
    public void A_large_batch_goes_as_a_JSONL_file_through_a_resumable_upload()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        string folder = TempDir.Create();
        File.WriteAllText(Path.Combine(folder, "a.txt"), "The printer is on fire.");
        File.WriteAllText(Path.Combine(folder, "b.txt"), "How do I log in?");
        shell.Set("folder", folder);

        ShellResult result = shell.Run("""
            [IO.FileInfo[]]@("$folder/a.txt", "$folder/b.txt") | Start-GeminiBatchJob -Prompt 'Classify this ticket' -DisplayName files -InlineLimit 10
            """);

        result.AssertNoErrors();
        var job = result.Single<GeminiBatchJob>();
        Assert.Equal(2, job.RequestCount);
        RecordedRequest[] calls = server.Requests.ToArray();
        RecordedRequest start = Assert.Single(calls, r => r.Path == "/upload/v1beta/files" && r.Query("upload_id") is null);
        Assert.Equal("resumable", start.Headers["X-Goog-Upload-Protocol"]);
        Assert.Equal("start", start.Headers["X-Goog-Upload-Command"]);
        Assert.Equal("application/jsonl", start.Headers["X-Goog-Upload-Header-Content-Type"]);
        RecordedRequest upload = Assert.Single(calls, r => r.Query("upload_id") is not null);
        Assert.Equal("upload, finalize", upload.Headers["X-Goog-Upload-Command"]);
        Assert.Equal("0", upload.Headers["X-Goog-Upload-Offset"]);
        Assert.Equal(upload.Body.Length.ToString(), start.Headers["X-Goog-Upload-Header-Content-Length"]);
        Assert.Equal(Shell.TestKey, upload.Headers["x-goog-api-key"]);

        string[] lines = Encoding.UTF8.GetString(upload.Body).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using JsonDocument first = JsonDocument.Parse(lines[0]);
        Assert.Equal("1", first.RootElement.GetProperty("key").GetString());
        JsonElement parts = first.RootElement.GetProperty("request").GetProperty("contents")[0].GetProperty("parts");
        Assert.Equal("The printer is on fire.", parts[0].GetProperty("text").GetString());
        Assert.Equal("Classify this ticket", parts[1].GetProperty("text").GetString());

        JsonElement input = calls.Last().Json!.RootElement.GetProperty("batch").GetProperty("inputConfig");
        Assert.StartsWith("files/", input.GetProperty("fileName").GetString());
        Assert.False(input.TryGetProperty("requests", out _));
    }

    [Fact]
    public void Wait_polls_with_progress_until_the_job_ends_and_Receive_writes_the_answers_in_input_order_with_their_inputs()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            'one', "two $([char]0x2014) FAIL here", 'three' | Start-GeminiBatchJob -DisplayName nightly |
                Wait-GeminiBatchJob -PollIntervalSec 0.1 | Receive-GeminiBatchJob
            """);

        Assert.Null(result.Terminating);
        var answers = result.All<GenerateContentResponse>();
        Assert.Equal(new[] { "Echo: one", "Echo: three" }, answers.Select(a => a.Text));
        Assert.Equal(new object[] { "one", "three" }, answers.Select(a => a.Input));
        Assert.All(answers, a => Assert.Equal("gemini-3-flash-preview", a.Model));
        ErrorRecord failed = Assert.Single(result.Errors);
        Assert.Equal("GeminiBatchRequestFailed,CometGemini.Commands.ReceiveGeminiBatchJobCommand", failed.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, failed.CategoryInfo.Category);
        Assert.Equal("two \u2014 FAIL here", failed.TargetObject);
        Assert.Contains("Request 2 of batch job batches/", failed.ToString());
        Assert.Contains("'two \u2014 FAIL here'", failed.ToString());
        Assert.Contains("INVALID_ARGUMENT", failed.ToString());
        // the order the user sees: answer 1, the error for 2, answer 3
        Assert.Equal(new[] { "Output", "Error", "Output" }, result.Log.Where(l => l.Stream is "Output" or "Error").Select(l => l.Stream));

        string[] progress = result.Log.Where(l => l.Stream == "Progress").Select(l => l.Text).ToArray();
        Assert.Contains(progress, p => p.Contains("'nightly'") && p.Contains("Pending"));
        Assert.Contains(progress, p => p.Contains("Running: 1 of 3 requests done"));
        Assert.Contains(progress, p => p.Contains("Succeeded: 3 of 3 requests done (1 failed)"));
        Assert.True(server.Requests.Count(r => r.Method == "GET" && r.Path.StartsWith("/v1beta/batches/")) >= 3);
    }

    [Fact]
    public async Task A_results_file_is_read_line_by_line_as_it_downloads_and_files_come_back_as_their_FileInfo()
    {
        using var server = FakeGeminiServer.Start();
        server.Batches.PollsPerState = 0;
        using var shell = new Shell(server);
        string folder = TempDir.Create();
        File.WriteAllText(Path.Combine(folder, "a.txt"), "alpha");
        File.WriteAllText(Path.Combine(folder, "b.txt"), "beta");
        shell.Set("folder", folder);
        var job = shell.Run("""[IO.FileInfo[]]@("$folder/a.txt", "$folder/b.txt") | Start-GeminiBatchJob -Prompt 'Summarize' -InlineLimit 0""").Single<GeminiBatchJob>();

        // First a complete download...
        ShellResult whole = shell.Run($"Receive-GeminiBatchJob {job.Name}");
        whole.AssertNoErrors();
        var answers = whole.All<GenerateContentResponse>();
        Assert.Equal(new[] { Path.Combine(folder, "a.txt"), Path.Combine(folder, "b.txt") }, answers.Select(a => a.SourcePath));
        Assert.Equal(Path.Combine(folder, "a.txt"), Assert.IsType<FileInfo>(answers[0].Input).FullName);
        Assert.Equal(new[] { "Echo: alphaSummarize", "Echo: betaSummarize" }, answers.Select(a => a.Text));

        // ...then one whose body stops after the first line: that answer is out while the download is still open.
        string results = Encoding.UTF8.GetString(server.Batches.Files.Single(f => f.Key.StartsWith("files/batch-")).Value);
        string firstLine = results.Split('\n')[0];
        server.Enqueue(":download", FakeReply.SseRaw(firstLine + "\n\n" + results.Split('\n')[1] + "\n") with { ContentType = "application/octet-stream", HangAfter = 1 });
        using RunningScript running = shell.Start($"Receive-GeminiBatchJob {job.Name}");
        running.WaitForFirstOutput();
        running.Stop();
        ShellResult partial = running.Finish();
        Assert.Equal("Echo: alphaSummarize", Assert.IsType<GenerateContentResponse>(Assert.Single(partial.Output).BaseObject).Text);
        await server.WaitForClientDisconnectAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void An_oversized_or_damaged_results_line_is_an_error_for_that_line_and_the_lines_after_it_still_come()
    {
        using var server = FakeGeminiServer.Start();
        server.Batches.PollsPerState = 0;
        using var shell = new Shell(server);
        var job = shell.Run("'alpha', 'beta', 'gamma' | Start-GeminiBatchJob -InlineLimit 0").Single<GeminiBatchJob>();
        shell.Run($"Wait-GeminiBatchJob {job.Name} -PollIntervalSec 0.1").AssertNoErrors();
        string[] lines = Encoding.UTF8.GetString(server.Batches.Files.Single(f => f.Key.StartsWith("files/batch-")).Value).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);

        // Line 2 is 64 KB of one unending value (over a 16 KB limit), then a damaged line, then line 3 as it was.
        string body = lines[0] + "\n" + "{\"key\":\"" + new string('z', 64 * 1024) + "\"}\n" + "{\"key\": broken\n" + lines[2] + "\n";
        server.Enqueue(":download", FakeReply.Raw(200, "application/octet-stream", body) with { Chunked = true });
        ShellResult result = shell.Run($"Receive-GeminiBatchJob {job.Name} -MaxResponseSize 16KB");

        Assert.Null(result.Terminating);
        Assert.Equal(new[] { "Echo: alpha", "Echo: gamma" }, result.All<GenerateContentResponse>().Select(a => a.Text));
        ErrorRecord tooLarge = Assert.Single(result.Errors, e => e.FullyQualifiedErrorId.StartsWith("GeminiResponseTooLarge", StringComparison.Ordinal));
        Assert.Equal(ErrorCategory.LimitsExceeded, tooLarge.CategoryInfo.Category);
        Assert.Contains("Line 2", tooLarge.Exception.Message);
        Assert.Contains(result.Errors, e => e.Exception.Message.Contains("Line 3", StringComparison.Ordinal) && e.FullyQualifiedErrorId.StartsWith("GeminiProtocol", StringComparison.Ordinal));
    }

    [Fact]
    public void The_job_name_is_enough_to_wait_and_receive_from_another_session_with_the_inputs_restored()
    {
        using var server = FakeGeminiServer.Start();
        string name;
        using (var first = new Shell(server))
        {
            var job = first.Run("'alpha', 'beta' | Start-GeminiBatchJob -ResponseSchema @{ type = 'object'; properties = @{ echo = @{ type = 'string' } } }").Single<GeminiBatchJob>();
            name = job.Name;
            Assert.True(File.Exists(job.InputsFile));
            string record = File.ReadAllText(job.InputsFile!);
            Assert.Contains("alpha", record);
            Assert.DoesNotContain(Shell.TestKey, record);
        }

        using var later = new Shell(server);
        later.Set("name", name);
        ShellResult result = later.Run("Wait-GeminiBatchJob -Name $name -PollIntervalSec 0.1 | Receive-GeminiBatchJob -AsObject");

        result.AssertNoErrors();
        Assert.Equal(new[] { "alpha", "beta" }, result.Output.Select(o => o.Properties["echo"].Value));

        ShellResult responses = later.Run("Receive-GeminiBatchJob $name");
        Assert.Equal(new object[] { "alpha", "beta" }, responses.All<GenerateContentResponse>().Select(r => r.Input));
        Assert.All(responses.All<GenerateContentResponse>(), r => Assert.IsType<PSObject>(r.Parsed));
    }

    [Fact]
    public void Objects_sent_in_a_job_come_back_as_their_described_text_not_a_type_name()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        string name = shell.Run("""
            [pscustomobject]@{ Title = 'Printer on fire'; Body = 'Smoke' }, [pscustomobject]@{ Title = 'Login'; Body = 'Locked out' } |
                Start-GeminiBatchJob -Prompt 'Classify this ticket'
            """).Single<GeminiBatchJob>().Name;
        string batched = shell.Run("Start-GeminiBatchJob -InputObject @{ Id = 1 }, @{ Id = 2 } -Prompt 'Compare' -Batch").Single<GeminiBatchJob>().Name;
        shell.Set("name", name);
        shell.Set("batched", batched);
        ShellResult result = shell.Run("Wait-GeminiBatchJob -Name $name, $batched -PollIntervalSec 0.1 | Receive-GeminiBatchJob");

        result.AssertNoErrors();
        var inputs = result.All<GenerateContentResponse>().Select(r => r.Input).ToList();
        Assert.Equal(3, inputs.Count);
        Assert.Equal("Title: Printer on fire\nBody: Smoke", inputs[0]);
        Assert.Equal("Title: Login\nBody: Locked out", inputs[1]);
        Assert.Contains("Id: 1", (string)inputs[2]!);
        Assert.Contains("Id: 2", (string)inputs[2]!);
    }

    [Fact]
    public void Without_a_local_record_the_answers_carry_their_keys_and_a_warning_says_why()
    {
        using var server = FakeGeminiServer.Start();
        server.Batches.PollsPerState = 0;
        using var shell = new Shell(server);
        var job = shell.Run("'alpha', 'beta' | Start-GeminiBatchJob").Single<GeminiBatchJob>();
        File.Delete(job.InputsFile!);

        ShellResult result = shell.Run($"Receive-GeminiBatchJob {job.Name.Substring("batches/".Length)}");

        Assert.Equal(new object[] { "1", "2" }, result.All<GenerateContentResponse>().Select(r => r.Input));
        Assert.Contains(result.Warnings, w => w.Contains("no record of " + job.Name) && w.Contains(RecordFolder));
    }

    [Fact]
    public void Receive_before_the_job_ends_says_to_wait_and_Wait_gives_up_after_MaxWaitSec()
    {
        using var server = FakeGeminiServer.Start();
        server.Batches.PollsPerState = int.MaxValue;
        using var shell = new Shell(server);
        var job = shell.Run("'alpha' | Start-GeminiBatchJob").Single<GeminiBatchJob>();

        ShellResult early = shell.Run($"Receive-GeminiBatchJob {job.Name}");
        ErrorRecord notReady = Assert.Single(early.Errors);
        Assert.StartsWith("GeminiBatchJobNotFinished,", notReady.FullyQualifiedErrorId);
        Assert.Contains("Wait-GeminiBatchJob", notReady.ErrorDetails.RecommendedAction);

        ShellResult waited = shell.Run($"Wait-GeminiBatchJob {job.Name} -PollIntervalSec 0.2 -MaxWaitSec 1");
        Assert.Empty(waited.Output);
        ErrorRecord timedOut = Assert.Single(waited.Errors);
        Assert.StartsWith("GeminiBatchWaitTimedOut,", timedOut.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, timedOut.CategoryInfo.Category);
        Assert.Equal(job.Name, Assert.IsType<GeminiBatchJob>(timedOut.TargetObject).Name);
        Assert.Equal("BATCH_STATE_PENDING", server.Batches.StateOf(job.Name));
    }

    [Fact]
    public async Task Ctrl_C_stops_the_waiting_not_the_job()
    {
        using var server = FakeGeminiServer.Start();
        server.Batches.PollsPerState = int.MaxValue;
        using var shell = new Shell(server);
        var job = shell.Run("'alpha' | Start-GeminiBatchJob").Single<GeminiBatchJob>();
        int before = server.RequestCount;

        using RunningScript running = shell.Start($"Wait-GeminiBatchJob {job.Name} -PollIntervalSec 30");
        await server.WaitForRequestAsync(before + 1, TimeSpan.FromSeconds(30));
        running.Stop();
        running.Finish();

        Assert.Equal(PSInvocationState.Stopped, running.State);
        Assert.DoesNotContain(server.Requests, r => r.Path.EndsWith(":cancel"));
        Assert.Equal("BATCH_STATE_PENDING", server.Batches.StateOf(job.Name));
    }

    [Fact]
    public void Get_lists_every_page_and_gets_by_name_and_Stop_and_Remove_ask_first()
    {
        using var server = FakeGeminiServer.Start();
        server.Batches.MaxPageSize = 2;
        server.Batches.PollsPerState = int.MaxValue;
        using var shell = new Shell(server);
        shell.Run("'a' | Start-GeminiBatchJob -DisplayName one; 'b' | Start-GeminiBatchJob -DisplayName two; 'c' | Start-GeminiBatchJob -DisplayName three").AssertNoErrors();
        server.ClearRequests();

        ShellResult listed = shell.Run("Get-GeminiBatchJob");
        listed.AssertNoErrors();
        Assert.Equal(new[] { "three", "two", "one" }, listed.All<GeminiBatchJob>().Select(j => j.DisplayName));
        Assert.All(listed.All<GeminiBatchJob>(), j => Assert.NotNull(j.InputsFile));
        Assert.Equal(2, server.Requests.Count(r => r.Path == "/v1beta/batches"));
        Assert.Equal("100", server.Requests[0].Query("pageSize"));
        Assert.NotNull(server.Requests[1].Query("pageToken"));

        string oldest = listed.All<GeminiBatchJob>().Last().Name;
        shell.Set("oldest", oldest);
        Assert.Equal("one", shell.Run("Get-GeminiBatchJob $oldest").Single<GeminiBatchJob>().DisplayName);

        server.ClearRequests();
        shell.Run("Get-GeminiBatchJob $oldest | Stop-GeminiBatchJob -WhatIf").AssertNoErrors();
        Assert.DoesNotContain(server.Requests, r => r.Method == "POST");

        ShellResult stopped = shell.Run("Get-GeminiBatchJob $oldest | Stop-GeminiBatchJob -PassThru -Confirm:$false");
        stopped.AssertNoErrors();
        Assert.Equal(BatchJobStates.Cancelled, stopped.Single<GeminiBatchJob>().State);
        Assert.Contains(server.Requests, r => r.Method == "POST" && r.Path == $"/v1beta/{oldest}:cancel");

        string record = listed.All<GeminiBatchJob>().Last().InputsFile!;
        shell.Run("Get-GeminiBatchJob | Where-Object DisplayName -eq one | Remove-GeminiBatchJob -Confirm:$false").AssertNoErrors();
        Assert.Contains(server.Requests, r => r.Method == "DELETE" && r.Path == $"/v1beta/{oldest}");
        Assert.DoesNotContain(oldest, server.Batches.Names);
        Assert.False(File.Exists(record));

        ShellResult gone = shell.Run("Get-GeminiBatchJob $oldest");
        ErrorRecord missing = Assert.Single(gone.Errors);
        Assert.StartsWith("GeminiBatchJobNotFound,", missing.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);

        ShellResult bad = shell.Run("Get-GeminiBatchJob 'batches/../models'");
        Assert.StartsWith("GeminiBatchJobNameInvalid,", Assert.Single(bad.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void An_endpoint_without_Batch_Mode_says_so_and_points_to_ThrottleLimit()
    {
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { CometMode = true });
        server.Batches.Unavailable = true;
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'alpha', 'beta' | Start-GeminiBatchJob -DisplayName nightly");

        Assert.Empty(result.Output);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("GeminiBatchModeUnavailable,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.NotImplemented, error.CategoryInfo.Category);
        Assert.Contains("does not offer Gemini's Batch Mode", error.ToString());
        Assert.Contains("HTTP 404", error.ToString());
        Assert.Contains("Invoke-GeminiContent -ThrottleLimit", error.ErrorDetails.RecommendedAction);

        ShellResult files = shell.Run("'alpha' | Start-GeminiBatchJob -InlineLimit 0");
        Assert.StartsWith("GeminiBatchModeUnavailable,", Assert.Single(files.Errors).FullyQualifiedErrorId);
        ShellResult listed = shell.Run("Get-GeminiBatchJob");
        Assert.StartsWith("GeminiBatchModeUnavailable,", Assert.Single(listed.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void The_key_never_appears_in_output_errors_verbose_or_the_record()
    {
        const string sentinel = "SENTINEL-batch-key-7f3a";
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { ApiKey = sentinel });
        server.Batches.PollsPerState = 0;
        using var shell = new Shell(server, apiKey: sentinel);

        ShellResult result = shell.Run("""
            $job = 'alpha', 'FAIL' | Start-GeminiBatchJob -InlineLimit 0 -Verbose -Debug
            $job | Get-GeminiBatchJob -Verbose | Wait-GeminiBatchJob -PollIntervalSec 0.1 -Verbose | Receive-GeminiBatchJob -Verbose -Debug
            $job.InputsFile
            """);

        Assert.DoesNotContain(sentinel, result.Everything());
        string record = result.Output.Last().ToString();
        Assert.DoesNotContain(sentinel, File.ReadAllText(record));
        Assert.Contains(result.Verbose, v => v.Contains("upload/v1beta/files"));
    }

    [Fact]
    public void Jobs_show_as_a_table_of_names_states_and_counts()
    {
        using var server = FakeGeminiServer.Start();
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));

        shell.Run("'a', 'b' | Start-GeminiBatchJob -DisplayName nightly | Out-Default").AssertNoErrors();

        string[] lines = screen.ToString().Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
        Assert.Contains(lines, l => l.StartsWith("Name") && l.Contains("DisplayName") && l.Contains("State") && l.Contains("Requests") && l.Contains("Created"));
        Assert.Contains(lines, l => l.StartsWith("batches/") && l.Contains("nightly") && l.Contains("Pending") && l.Contains(" 2 "));
    }

    [Theory]
    [InlineData(501, "google", "UNIMPLEMENTED", "Operation is not implemented, or supported, or enabled.", "GeminiBatchModeUnavailable")]
    [InlineData(405, "comet", "", "Method Not Allowed", "GeminiBatchModeUnavailable")]
    [InlineData(400, "comet", "invalid_request", "This channel does not support batchGenerateContent (request id: 2026112922)", "GeminiBatchModeUnavailable")]
    [InlineData(400, "google", "INVALID_ARGUMENT", "Invalid JSON payload received. Unknown name \"foo\": Cannot find field.", "GeminiHttp400")]
    [InlineData(404, "google", "NOT_FOUND", "models/gemini-9-flash is not found for API version v1beta, or is not supported for batchGenerateContent.", "GeminiHttp404")]
    public void Only_answers_about_the_route_itself_count_as_no_Batch_Mode(int status, string envelope, string code, string message, string expectedId)
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(":batchGenerateContent", envelope == "google" ? FakeReply.Error(status, code, message) : FakeReply.CometError(status, message, code));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'alpha' | Start-GeminiBatchJob -MaxRetries 0");

        Assert.Empty(result.Output);
        Assert.StartsWith(expectedId + ",", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Contains(message.Substring(0, Math.Min(18, message.Length)), result.Errors[0].ToString());
    }

    // Select-Object -First 1 (absent here) ends upstream commands with an exception out of their WriteObject, as a
    // downstream break does; each command that writes several objects must then leave quietly and the session work on.
    [Fact]
    public void A_downstream_stop_after_the_first_object_ends_each_command_quietly_and_the_next_call_works()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Run("$job = 'q1', 'q2' | Start-GeminiBatchJob; 'one' | New-GeminiCache | Out-Null; 'two' | New-GeminiCache | Out-Null").AssertNoErrors();
        string[] commands =
        {
            "'a', 'b', 'c', 'd' | Invoke-GeminiContent -ThrottleLimit 3",
            "'a', 'b' | Invoke-GeminiContent",
            "Get-GeminiStream 'one two three four five six'",
            "1..150 | ForEach-Object { \"sentence $_\" } | Get-GeminiEmbedding",
            "Get-GeminiModel",
            "Get-GeminiCache",
            "'a', 'b' | Measure-GeminiToken",
            "$job | Wait-GeminiBatchJob -PollIntervalSec 0.1 | Receive-GeminiBatchJob",
            "Get-GeminiBatchJob | Receive-GeminiBatchJob",
        };

        foreach (string command in commands)
        {
            ShellResult stopped = shell.Run($"foreach ($i in 1) {{ {command} | ForEach-Object {{ $_; break }} }}");
            stopped.AssertNoErrors();
            Assert.True(stopped.Output.Count == 1, $"{command}: {stopped.Output.Count} objects");

            ShellResult next = shell.Run("'still here' | Invoke-GeminiContent");
            next.AssertNoErrors();
            Assert.Equal("Echo: still here", next.Single<GenerateContentResponse>().Text);
        }
    }

    private static void AssertOwnerOnly(string path, bool folder)
    {
        if (OperatingSystem.IsWindows())
            return; // the user profile's ACL
        UnixFileMode expected = folder ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute : UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(expected, File.GetUnixFileMode(path));
    }

    [Fact]
    public void The_request_file_is_owner_only_in_an_owner_only_folder_of_the_batch_folder_and_is_removed_with_it()
    {
        EnsureRecordFolder();
        string? seen = null;
        using (var requests = new CometGemini.Client.BatchRequests(10, CometGemini.Commands.BatchJobStore.NewUploadFolder))
        {
            requests.Add("1", Encoding.UTF8.GetBytes("{\"contents\":[]}"));
            requests.Add("2", Encoding.UTF8.GetBytes("{\"contents\":[]}"));
            seen = requests.FilePath!;
            Assert.StartsWith(Path.GetFullPath(RecordFolder), Path.GetFullPath(seen));
            Assert.False(Path.GetFullPath(seen).StartsWith(Path.GetFullPath(Path.GetTempPath()) + "cometgemini-batch", StringComparison.Ordinal));
            AssertOwnerOnly(seen, folder: false);
            AssertOwnerOnly(Path.GetDirectoryName(seen)!, folder: true);
            AssertOwnerOnly(Path.GetDirectoryName(Path.GetDirectoryName(seen))!, folder: true);
            requests.Complete();
            requests.DeleteFile();
            Assert.False(File.Exists(seen));
            Assert.False(Directory.Exists(Path.GetDirectoryName(seen)));
        }
    }

    [Fact]
    public void The_request_file_is_removed_when_the_upload_fails()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Error(500, "INTERNAL", "upload broke"));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("'one', 'two' | Start-GeminiBatchJob -InlineLimit 10 -MaxRetries 0 -Verbose");

        Assert.Single(result.Errors);
        string line = Assert.Single(result.Verbose, v => v.Contains("written owner-only to", StringComparison.Ordinal));
        string path = line.Substring(line.IndexOf('\'') + 1, line.LastIndexOf('\'') - line.IndexOf('\'') - 1);
        Assert.EndsWith("requests.jsonl", path);
        Assert.False(File.Exists(path), path);
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }

    [Fact]
    public void A_request_file_a_crashed_session_left_is_removed_at_the_next_start_and_a_running_sessions_is_kept()
    {
        EnsureRecordFolder();
        string uploads = Path.Combine(RecordFolder, "uploads");
        string crashed = Path.Combine(uploads, int.MaxValue + "-" + Guid.NewGuid().ToString("N"));
        string running = Path.Combine(uploads, Environment.ProcessId + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(crashed);
        Directory.CreateDirectory(running);
        File.WriteAllText(Path.Combine(crashed, "requests.jsonl"), "{\"key\":\"1\"}");
        File.WriteAllText(Path.Combine(running, "requests.jsonl"), "{\"key\":\"1\"}");
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        shell.Run("'one' | Start-GeminiBatchJob").AssertNoErrors();

        Assert.False(Directory.Exists(crashed));
        Assert.True(File.Exists(Path.Combine(running, "requests.jsonl")));
        Directory.Delete(running, recursive: true);
    }

    [Fact]
    public void The_inputs_record_is_owner_only_in_an_owner_only_folder()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        EnsureRecordFolder();

        ShellResult result = shell.Run("'a private prompt' | Start-GeminiBatchJob");

        result.AssertNoErrors();
        string record = result.Single<GeminiBatchJob>().InputsFile!;
        Assert.True(File.Exists(record));
        AssertOwnerOnly(record, folder: false);
        AssertOwnerOnly(Path.GetDirectoryName(record)!, folder: true);
    }

    [Theory]
    [InlineData("batches/../../evil")]
    [InlineData("batches/..\\..\\evil")]
    [InlineData("batches/..")]
    public void A_job_name_from_the_server_that_cannot_be_a_file_name_is_refused_before_any_file_is_written(string name)
    {
        using var server = FakeGeminiServer.Start();
        string escaped = name.Replace("\\", "\\\\");
        server.Enqueue(FakeReply.Json(200, $$$"""{"name":"{{{escaped}}}","metadata":{"@type":"type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch","name":"{{{escaped}}}","displayName":"x","model":"models/gemini-2.5-flash","state":"BATCH_STATE_PENDING"}}"""));
        using var shell = new Shell(server);
        EnsureRecordFolder();
        string[] before = Directory.GetFiles(Path.GetDirectoryName(RecordFolder)!, "*", SearchOption.AllDirectories);

        ShellResult result = shell.Run("'one' | Start-GeminiBatchJob");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Contains("cannot be a file name", error.ToString().Replace("not a batch job name", "cannot be a file name"));
        Assert.Empty(result.Output);
        Assert.DoesNotContain(Directory.GetFiles(Path.GetDirectoryName(RecordFolder)!, "*", SearchOption.AllDirectories).Except(before), f => f.Contains("evil", StringComparison.Ordinal) || f.EndsWith("..json", StringComparison.Ordinal));
    }

    [Fact]
    public void A_job_name_that_cannot_be_a_file_name_never_becomes_a_path()
    {
        Assert.False(CometGemini.Commands.BatchJobStore.IsFileName("batches/..\\x"));
        Assert.False(CometGemini.Commands.BatchJobStore.IsFileName("batches/a..b"));
        Assert.True(CometGemini.Commands.BatchJobStore.IsFileName("batches/123abc-x_y"));
        Assert.Throws<IOException>(() => CometGemini.Commands.BatchJobStore.PathFor("batches/..\\..\\evil"));
    }
}
