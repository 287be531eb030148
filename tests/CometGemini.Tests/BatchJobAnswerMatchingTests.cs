using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>
/// How Receive-GeminiBatchJob ties answers to their requests when Batch Mode gives them in another order, without keys,
/// twice or with keys of no request: by key when there are keys, by position only when that is safe (and said), else an
/// error per answer; never another input's SourcePath.
/// </summary>
public sealed class BatchJobAnswerMatchingTests
{
    private const string Unmatched = "GeminiBatchAnswerUnmatched,CometGemini.Commands.ReceiveGeminiBatchJobCommand";
    private const string Missing = "GeminiBatchAnswerMissing,CometGemini.Commands.ReceiveGeminiBatchJobCommand";

    public BatchJobAnswerMatchingTests() => BatchJobTests.EnsureRecordFolder();

    /// <summary>Three files (alpha, beta, gamma) sent as one job, inline or as a file, with the answers reshaped as given.</summary>
    private static (ShellResult Result, GeminiBatchJob Job, string[] Paths) Receive(bool asFile, Func<FakeBatchAnswer[], FakeBatchAnswer[]> reshape)
    {
        using var server = FakeGeminiServer.Start();
        server.Batches.PollsPerState = 0;
        server.Batches.ReshapeAnswers = answers => reshape(answers.ToArray());
        using var shell = new Shell(server);
        string folder = TempDir.Create();
        string[] paths = new[] { "alpha", "beta", "gamma" }.Select(word =>
        {
            string path = Path.Combine(folder, word + ".txt");
            File.WriteAllText(path, word);
            return path;
        }).ToArray();
        shell.Set("paths", paths);
        var job = shell.Run($"[IO.FileInfo[]]$paths | Start-GeminiBatchJob{(asFile ? " -InlineLimit 0" : "")}").Single<GeminiBatchJob>();
        return (shell.Run($"Receive-GeminiBatchJob {job.Name}"), job, paths);
    }

    private static FakeBatchAnswer[] WithoutKeys(FakeBatchAnswer[] answers) => answers.Select(a => a with { Key = null }).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Keyed_answers_in_another_order_are_matched_by_key_and_each_keeps_its_own_SourcePath(bool asFile)
    {
        var (result, _, paths) = Receive(asFile, answers => answers.Reverse().ToArray());

        result.AssertNoErrors();
        Assert.DoesNotContain(result.Warnings, w => w.Contains("position", StringComparison.Ordinal));
        var answers = result.All<GenerateContentResponse>();
        Assert.Equal(paths, answers.Select(a => a.SourcePath));
        Assert.Equal(new[] { "Echo: alpha", "Echo: beta", "Echo: gamma" }, answers.Select(a => a.Text));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Keyless_answers_as_many_as_the_requests_are_matched_by_position_with_a_warning_that_says_so(bool asFile)
    {
        var (result, job, paths) = Receive(asFile, WithoutKeys);

        result.AssertNoErrors();
        var answers = result.All<GenerateContentResponse>();
        Assert.Equal(paths, answers.Select(a => a.SourcePath));
        Assert.Equal(new[] { "Echo: alpha", "Echo: beta", "Echo: gamma" }, answers.Select(a => a.Text));
        string warning = Assert.Single(result.Warnings, w => w.Contains("by position", StringComparison.Ordinal));
        Assert.Contains(job.Name, warning);
        Assert.Contains("without keys", warning);
        // the warning comes before the answers it is about
        Assert.Equal("Warning", result.Log.First(l => l.Stream is "Warning" or "Output").Stream);
    }

    [Fact]
    public void Keyless_answers_fewer_than_the_requests_are_errors_naming_each_answer_and_no_answer_gets_a_SourcePath()
    {
        var (result, job, paths) = Receive(asFile: false, answers => WithoutKeys(answers).Skip(1).ToArray());

        Assert.Null(result.Terminating);
        Assert.Empty(result.Output);
        ErrorRecord[] unmatched = result.Errors.Where(e => e.FullyQualifiedErrorId == Unmatched).ToArray();
        Assert.Equal(2, unmatched.Length);
        for (int i = 0; i < unmatched.Length; i++)
        {
            ErrorRecord error = unmatched[i];
            Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
            Assert.Contains($"Answer {i + 1} of batch job {job.Name}", error.ToString());
            Assert.Contains("2 answers for 3 requests", error.ToString());
            Assert.Contains("Invoke-GeminiContent", error.ErrorDetails.RecommendedAction);
            var answer = Assert.IsType<GenerateContentResponse>(error.TargetObject);
            Assert.Null(answer.SourcePath);
            Assert.Null(answer.Input);
        }

        // every input is reported without an answer, none is given one that may not be its own
        Assert.Equal(paths, result.Errors.Where(e => e.FullyQualifiedErrorId == Missing).Select(e => Assert.IsType<FileInfo>(e.TargetObject).FullName));
        Assert.DoesNotContain(result.Warnings, w => w.Contains("by position", StringComparison.Ordinal));
    }

    [Fact]
    public void Keyless_answers_more_than_the_requests_are_errors_too()
    {
        var (result, _, _) = Receive(asFile: false, answers => WithoutKeys(answers.Append(answers[0]).ToArray()));

        Assert.Empty(result.Output);
        Assert.Equal(4, result.Errors.Count(e => e.FullyQualifiedErrorId == Unmatched && e.ToString().Contains("4 answers for 3 requests", StringComparison.Ordinal)));
        Assert.Equal(3, result.Errors.Count(e => e.FullyQualifiedErrorId == Missing));
    }

    [Fact]
    public void A_keyless_answer_among_keyed_ones_is_an_error_and_the_keyed_ones_keep_their_SourcePath()
    {
        var (result, job, paths) = Receive(asFile: false, answers => new[] { answers[2] with { Key = null }, answers[1], answers[0] });

        Assert.Equal(new[] { paths[0], paths[1] }, result.All<GenerateContentResponse>().Select(a => a.SourcePath));
        ErrorRecord unmatched = Assert.Single(result.Errors, e => e.FullyQualifiedErrorId == Unmatched);
        Assert.Contains($"Answer 1 of batch job {job.Name}", unmatched.ToString());
        Assert.Contains("no key while 2 other answers", unmatched.ToString());
        Assert.Equal("Echo: gamma", Assert.IsType<GenerateContentResponse>(unmatched.TargetObject).Text);
        Assert.Equal(paths[2], Assert.IsType<FileInfo>(Assert.Single(result.Errors, e => e.FullyQualifiedErrorId == Missing).TargetObject).FullName);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_repeated_key_or_one_that_names_no_request_is_an_error_naming_it_never_another_inputs_answer(bool asFile)
    {
        var (result, job, paths) = Receive(asFile, answers => new[] { answers[0], answers[1], answers[2] with { Key = "2" }, answers[2] with { Key = "99" } });

        var written = result.All<GenerateContentResponse>();
        Assert.Equal(new[] { paths[0], paths[1] }, written.Select(a => a.SourcePath));
        Assert.Equal(new[] { "Echo: alpha", "Echo: beta" }, written.Select(a => a.Text));
        ErrorRecord[] unmatched = result.Errors.Where(e => e.FullyQualifiedErrorId == Unmatched).ToArray();
        Assert.Equal(2, unmatched.Length);
        Assert.Contains($"Answer 3 of batch job {job.Name} (key '2')", unmatched[0].ToString());
        Assert.Contains("an earlier answer has the same key", unmatched[0].ToString());
        Assert.Contains($"Answer 4 of batch job {job.Name} (key '99')", unmatched[1].ToString());
        Assert.Contains("names none of the job's 3 requests", unmatched[1].ToString());
        Assert.All(unmatched, e => Assert.Null(Assert.IsType<GenerateContentResponse>(e.TargetObject).SourcePath));
        Assert.Equal(paths[2], Assert.IsType<FileInfo>(Assert.Single(result.Errors, e => e.FullyQualifiedErrorId == Missing).TargetObject).FullName);
    }

    [Fact]
    public void A_keyless_failed_answer_that_cannot_be_matched_says_what_the_server_said()
    {
        using var server = FakeGeminiServer.Start();
        server.Batches.PollsPerState = 0;
        server.Batches.ReshapeAnswers = answers => WithoutKeys(answers.Take(1).ToArray());
        using var shell = new Shell(server);
        var job = shell.Run($"'one {FakeBatchMode.FailMarker}', 'two' | Start-GeminiBatchJob").Single<GeminiBatchJob>();

        ShellResult result = shell.Run($"Receive-GeminiBatchJob {job.Name}");

        ErrorRecord unmatched = Assert.Single(result.Errors, e => e.FullyQualifiedErrorId == Unmatched);
        Assert.Contains("Request contains an invalid argument", unmatched.ToString());
        Assert.Equal(job.Name, Assert.IsType<GeminiBatchJob>(unmatched.TargetObject).Name);
        Assert.Equal(2, result.Errors.Count(e => e.FullyQualifiedErrorId == Missing));
    }

    [Fact]
    public void Without_a_local_record_keyless_answers_are_matched_by_position_against_the_servers_request_count()
    {
        using var server = FakeGeminiServer.Start();
        server.Batches.PollsPerState = 0;
        using var shell = new Shell(server);
        server.Batches.ReshapeAnswers = answers => WithoutKeys(answers.ToArray());
        var same = shell.Run("'alpha', 'beta' | Start-GeminiBatchJob").Single<GeminiBatchJob>();
        server.Batches.ReshapeAnswers = answers => WithoutKeys(answers.Skip(1).ToArray());
        var fewer = shell.Run("'alpha', 'beta' | Start-GeminiBatchJob").Single<GeminiBatchJob>();
        File.Delete(same.InputsFile!);
        File.Delete(fewer.InputsFile!);

        ShellResult matched = shell.Run($"Receive-GeminiBatchJob {same.Name}");
        matched.AssertNoErrors();
        Assert.Equal(new object[] { "1", "2" }, matched.All<GenerateContentResponse>().Select(r => r.Input));
        Assert.Contains(matched.Warnings, w => w.Contains("by position", StringComparison.Ordinal) && w.Contains(same.Name, StringComparison.Ordinal));

        ShellResult refused = shell.Run($"Receive-GeminiBatchJob {fewer.Name}");
        Assert.Empty(refused.Output);
        Assert.Contains("1 answer for 2 requests", Assert.Single(refused.Errors, e => e.FullyQualifiedErrorId == Unmatched).ToString());
    }
}
