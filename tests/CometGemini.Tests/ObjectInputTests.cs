using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>Objects as input (-InputObject, -PromptTemplate, -Batch), next to strings and files, which bind as before; results for reports.</summary>
public sealed class ObjectInputTests
{
    // The texts of the last user turn's parts, in order.
    private static string[] Texts(RecordedRequest request) =>
        request.Json!.RootElement.GetProperty("contents").EnumerateArray().Last().GetProperty("parts").EnumerateArray()
            .Where(p => p.TryGetProperty("text", out _)).Select(p => p.GetProperty("text").GetString()!).ToArray();

    private static string WriteLog(string name, string text)
    {
        string path = Path.Combine(TempDir.Create(), name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Piped_strings_are_still_prompts_and_with_Prompt_each_is_the_text_it_is_about()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult alone = shell.Run("'What is 2+2?' | Invoke-GeminiContent");
        alone.AssertNoErrors();
        Assert.Equal("What is 2+2?", alone.Single<GenerateContentResponse>().Input);
        Assert.Equal(new[] { "What is 2+2?" }, Texts(server.Requests[0]));

        server.ClearRequests();
        ShellResult withPrompt = shell.Run("'disk full on web01', 'login ok' | Invoke-GeminiContent -Prompt 'Is this an incident?'");
        withPrompt.AssertNoErrors();
        Assert.Equal(new object[] { "disk full on web01", "login ok" }, withPrompt.All<GenerateContentResponse>().Select(r => r.Input));
        Assert.Equal(new[] { "disk full on web01", "Is this an incident?" }, Texts(server.Requests[0]));
        Assert.Equal(new[] { "login ok", "Is this an incident?" }, Texts(server.Requests[1]));
    }

    [Fact]
    public void Piped_files_are_still_files_with_or_without_Prompt()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        string log = WriteLog("app.log", "ERROR disk full");
        shell.Set("log", log);

        ShellResult withPrompt = shell.Run("[IO.FileInfo]$log | Invoke-GeminiContent -Prompt 'Summarize'");
        withPrompt.AssertNoErrors();
        var answer = withPrompt.Single<GenerateContentResponse>();
        Assert.Equal(log, answer.SourcePath);
        Assert.IsType<FileInfo>(answer.Input);
        Assert.Equal(new[] { "ERROR disk full", "Summarize" }, Texts(server.Requests[0]));

        ShellResult alone = shell.Run("[IO.FileInfo]$log | Invoke-GeminiContent");
        alone.AssertNoErrors();
        Assert.Equal(log, alone.Single<GenerateContentResponse>().SourcePath);
        Assert.Equal(new[] { "ERROR disk full" }, Texts(server.Requests[1]));

        // A file passed as -InputObject is a file too, not an object described.
        ShellResult asObject = shell.Run("Invoke-GeminiContent -InputObject ([IO.FileInfo]$log) -Prompt 'Summarize'");
        asObject.AssertNoErrors();
        Assert.Equal(log, asObject.Single<GenerateContentResponse>().SourcePath);
    }

    [Fact]
    public void Lines_from_Get_Content_bind_as_their_file_when_piped_with_Prompt_and_as_text_through_InputObject()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        string log = WriteLog("app.log", "ERROR one\nINFO two\n");
        shell.Set("log", log);
        // What Get-Content writes (a Management cmdlet, absent here): strings with the file's PSPath.
        const string Lines = "$lines = 'ERROR one', 'INFO two' | ForEach-Object { $o = [psobject]$_; $o.PSObject.Properties.Add([psnoteproperty]::new('PSPath', $log)); $o }\n";

        ShellResult piped = shell.Run(Lines + "$lines[0] | Invoke-GeminiContent -Prompt 'Classify'");
        piped.AssertNoErrors();
        Assert.Equal(log, piped.Single<GenerateContentResponse>().SourcePath);

        ShellResult asText = shell.Run(Lines + "Invoke-GeminiContent -InputObject $lines -Prompt 'Classify'");
        asText.AssertNoErrors();
        Assert.Equal(new object[] { "ERROR one", "INFO two" }, asText.All<GenerateContentResponse>().Select(r => r.Input));
        Assert.Equal(new[] { "ERROR one", "Classify" }, Texts(server.Requests[1]));

        ShellResult unwrapped = shell.Run(Lines + "$lines | ForEach-Object { \"$_\" } | Invoke-GeminiContent -Prompt 'Classify'");
        unwrapped.AssertNoErrors();
        Assert.Equal(new[] { "INFO two", "Classify" }, Texts(server.Requests[4]));
    }

    [Fact]
    public void Every_line_of_a_file_piped_with_Prompt_sends_the_file_once_not_once_per_line()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        string log = WriteLog("app.log", "ERROR one\nINFO two\nINFO three\n");
        string other = WriteLog("web.log", "ERROR four\n");
        shell.Set("log", log);
        shell.Set("other", other);
        // Get-Content app.log, web.log | ...: each line a string carrying its file's PSPath (as Get-Content writes it).
        const string Lines = """
            function Read-Lines([string[]] $Files) {
                foreach ($file in $Files) {
                    foreach ($line in [IO.File]::ReadAllLines($file)) {
                        $o = [psobject]$line
                        $o.PSObject.Properties.Add([psnoteproperty]::new('PSPath', "Microsoft.PowerShell.Core\FileSystem::$file"))
                        $o
                    }
                }
            }

            """;

        ShellResult result = shell.Run(Lines + "Read-Lines $log, $other | Invoke-GeminiContent -Prompt 'Summarize' -Verbose");
        result.AssertNoErrors();
        Assert.Equal(new[] { log, other }, result.All<GenerateContentResponse>().Select(r => r.SourcePath));
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(new[] { "ERROR one\nINFO two\nINFO three\n", "Summarize" }, Texts(server.Requests[0]));
        Assert.Contains(result.Verbose, v => v.Contains("sent once"));

        server.ClearRequests();
        ShellResult counted = shell.Run(Lines + "Read-Lines $log | Measure-GeminiToken -Prompt 'Summarize'");
        counted.AssertNoErrors();
        Assert.Single(counted.Output);
        Assert.Single(server.Requests);

        // Named on the command line, a file is sent as often as it is named.
        server.ClearRequests();
        shell.Run("Invoke-GeminiContent -LiteralPath $log, $log -Prompt 'Summarize'").AssertNoErrors();
        Assert.Equal(2, server.Requests.Count);
    }

    // PowerShell converts a piped object to [string] as its last resort; -Prompt refuses that so objects reach -InputObject.
    [Fact]
    public void Objects_piped_without_Prompt_are_described_not_converted_to_a_type_name()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        // An Import-Csv row, a hashtable, a .NET object whose ToString is its type name (as a service's is).
        ShellResult result = shell.Run("""
            [pscustomobject]@{ Title = 'VPN down'; Body = 'No one can connect' } | Invoke-GeminiContent
            @{ Host = 'web01' } | Invoke-GeminiContent
            [System.Timers.Timer]::new(5000) | Invoke-GeminiContent
            """);

        result.AssertNoErrors();
        Assert.Equal(new[] { "Title: VPN down\nBody: No one can connect" }, Texts(server.Requests[0]));
        Assert.Equal(new[] { "Host: web01" }, Texts(server.Requests[1]));
        Assert.DoesNotContain("System.Timers.Timer", Texts(server.Requests[2])[0]);
        Assert.Contains("Interval: 5000", Texts(server.Requests[2])[0]);

        // An object whose text says something is still a prompt: an answer piped on as the next question, an address.
        server.ClearRequests();
        ShellResult chained = shell.Run("Invoke-GeminiContent 'first' | Invoke-GeminiContent; [System.Net.IPEndPoint]::new([ipaddress]::Loopback, 80) | Invoke-GeminiContent");
        chained.AssertNoErrors();
        Assert.Equal(new[] { "Echo: first" }, Texts(server.Requests[1]));
        Assert.Equal(new[] { "127.0.0.1:80" }, Texts(server.Requests[2]));

        // Text, numbers and dates are still prompts (as text); Get-GeminiStream and Measure-GeminiToken bind the same way.
        server.ClearRequests();
        shell.Run("'Hi', 42 | Invoke-GeminiContent; [pscustomobject]@{ Title = 'x' } | Measure-GeminiToken").AssertNoErrors();
        Assert.Equal(new[] { "Hi" }, Texts(server.Requests[0]));
        Assert.Equal(new[] { "42" }, Texts(server.Requests[1]));
        Assert.Contains("Title: x", server.Requests[2].BodyText);

        ShellResult named = shell.Run("Invoke-GeminiContent -Prompt ([pscustomobject]@{ Title = 'x' })");
        Assert.NotNull(named.Terminating);
        Assert.Contains("-InputObject", named.Terminating!.Message);
    }

    [Fact]
    public void Lines_passed_to_Prompt_stay_lines()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        // What -Prompt (Get-Content notes.txt) passes: the lines as an array, which PowerShell would join with spaces.
        ShellResult result = shell.Run("$lines = 'Notes:', '- disk full', '- 3 retries'; Invoke-GeminiContent -Prompt $lines; Measure-GeminiToken $lines");

        result.AssertNoErrors();
        Assert.Equal(new[] { "Notes:\n- disk full\n- 3 retries" }, Texts(server.Requests[0]));
        Assert.Contains("Notes:\\n- disk full", server.Requests[1].BodyText);
    }

    // Get-LocalUser and Win32_UserAccount objects have a FullName; it is a person's name, not a file.
    [Fact]
    public void An_object_with_a_FullName_is_not_taken_for_a_file_but_a_FileInfo_still_is()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        string log = WriteLog("app.log", "ERROR disk full");
        shell.Set("log", log);

        ShellResult user = shell.Run("[pscustomobject]@{ Name = 'bob'; FullName = 'Bob Smith'; Enabled = $true } | Invoke-GeminiContent -Prompt 'Any risk?'");
        user.AssertNoErrors();
        Assert.Equal(new[] { "Name: bob\nFullName: Bob Smith\nEnabled: true", "Any risk?" }, Texts(Assert.Single(server.Requests)));

        server.ClearRequests();
        ShellResult files = shell.Run("[IO.FileInfo]$log | Invoke-GeminiContent; [IO.FileInfo]$log | Invoke-GeminiContent -Prompt 'Summarize'");
        files.AssertNoErrors();
        Assert.Equal(new[] { log, log }, files.All<GenerateContentResponse>().Select(r => r.SourcePath));
        Assert.Equal(new[] { "ERROR disk full" }, Texts(server.Requests[0]));
        Assert.Equal(new[] { "ERROR disk full", "Summarize" }, Texts(server.Requests[1]));

        // A folder made in .NET (no PSPath) is refused as a folder piped from Get-ChildItem is, not described.
        server.ClearRequests();
        ShellResult folder = shell.Run("[IO.DirectoryInfo][IO.Path]::GetDirectoryName($log) | Invoke-GeminiContent -Prompt 'Summarize'");
        Assert.Empty(server.Requests);
        Assert.Contains("is a directory", Assert.Single(folder.Errors).ToString());
    }

    [Fact]
    public void An_object_with_a_Prompt_property_still_binds_it_as_the_prompt()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("[pscustomobject]@{ Prompt = 'Hi there' } | Invoke-GeminiContent");

        result.AssertNoErrors();
        Assert.Equal("Hi there", result.Single<GenerateContentResponse>().Input);
        Assert.Equal(new[] { "Hi there" }, Texts(Assert.Single(server.Requests)));
    }

    [Fact]
    public void Hashtables_and_custom_objects_become_property_lines_with_nested_values_inline()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            [ordered]@{ Name = 'spooler'; Status = 'Stopped'; Empty = $null },
            [pscustomobject]@{ Title = "Disk full`nsince noon"; Tags = @('ops', 'disk'); Owner = @{ Name = 'Ann' }; When = [datetime]'2026-11-02 10:30' } |
                Invoke-GeminiContent -Prompt 'Does this matter on a web server?'
            """);

        result.AssertNoErrors();
        Assert.Equal(new[] { "Name: spooler\nStatus: Stopped", "Does this matter on a web server?" }, Texts(server.Requests[0]));
        Assert.Equal("Title: Disk full\n  since noon\nTags: [ops, disk]\nOwner: {Name: Ann}\nWhen: 2026-11-02 10:30:00", Texts(server.Requests[1])[0]);
        List<GenerateContentResponse> answers = result.All<GenerateContentResponse>();
        Assert.IsAssignableFrom<IDictionary>(answers[0].Input);
        Assert.Equal("Ann", ((dynamic)((PSObject)answers[1].Input!).Properties["Owner"].Value)["Name"]);
    }

    [Fact]
    public void Any_NET_object_is_described_through_its_properties_bounded_and_a_property_that_throws_is_left_out()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        // A process is as awkward as a service: nested collections, properties that throw (ExitCode while running).
        // Its type names the properties a console shows (DefaultDisplayPropertySet): those are what the model sees.
        ShellResult result = shell.Run("""
            [Diagnostics.Process]::GetCurrentProcess() | Invoke-GeminiContent -Prompt 'Anything unusual?'
            $odd = [pscustomobject]@{ Ok = 1 }
            $odd.PSObject.Properties.Add([psscriptproperty]::new('Broken', { throw 'cannot read' }))
            $odd | Invoke-GeminiContent -Prompt 'Anything unusual?'
            """);

        result.AssertNoErrors();
        string text = Texts(server.Requests[0])[0];
        Assert.Matches(@"(?m)^Name: \S+$", text);
        Assert.Matches(@"(?m)^Id: \d+$", text);
        Assert.DoesNotContain("ExitCode", text);
        Assert.True(text.Length < 2_000, $"{text.Length} characters");
        Assert.IsType<System.Diagnostics.Process>(result.All<GenerateContentResponse>()[0].Input);
        Assert.StartsWith("Ok: 1", Texts(server.Requests[1])[0]);
        Assert.DoesNotContain("Broken", Texts(server.Requests[1])[0]);
    }

    [Fact]
    public void Batch_sends_every_object_in_one_request()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $services = 'spooler', 'sshd', 'w3svc' | ForEach-Object { [pscustomobject]@{ Name = $_; Status = 'Stopped' } }
            $services | Invoke-GeminiContent -Prompt 'Which of these matter on a web server? Answer per service.' -Batch
            """);

        result.AssertNoErrors();
        string[] texts = Texts(Assert.Single(server.Requests));
        Assert.Equal("--- item 1 of 3 ---\nName: spooler\nStatus: Stopped\n\n--- item 2 of 3 ---\nName: sshd\nStatus: Stopped\n\n--- item 3 of 3 ---\nName: w3svc\nStatus: Stopped", texts[0]);
        Assert.Equal("Which of these matter on a web server? Answer per service.", texts[1]);
        Assert.Equal(3, ((object[])result.Single<GenerateContentResponse>().Input!).Length);
    }

    [Fact]
    public void PromptTemplate_fills_properties_per_object_and_a_missing_property_is_an_error_for_that_object()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            [pscustomobject]@{ Title = 'VPN down'; Body = 'No one can connect'; Owner = @{ Name = 'Ann' } },
            [pscustomobject]@{ Title = 'No body here' },
            @{ Title = 'Printer'; Body = 'Out of toner'; Owner = [pscustomobject]@{ Name = 'Bo' } } |
                Invoke-GeminiContent -PromptTemplate 'Classify this ticket: {Title} - {Body} ({Owner.Name}) {{json}}'
            """);

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("GeminiTemplatePropertyMissing,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal("No body here", ((PSObject)error.TargetObject).Properties["Title"].Value);
        Assert.Contains("'Body'", error.Exception.Message);
        Assert.Contains("Title", error.Exception.Message);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(new[] { "Classify this ticket: VPN down - No one can connect (Ann) {json}" }, Texts(server.Requests[0]));
        Assert.Equal(new[] { "Classify this ticket: Printer - Out of toner (Bo) {json}" }, Texts(server.Requests[1]));
    }

    [Fact]
    public void InputObject_given_a_list_sends_each_element()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("Invoke-GeminiContent -InputObject @(@{ n = 1 }, @{ n = 2 }) -Prompt 'Odd?' -ThrottleLimit 2");

        result.AssertNoErrors();
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(new[] { "n: 1", "n: 2" }, server.Requests.Select(r => Texts(r)[0]).OrderBy(t => t, StringComparer.Ordinal));
        Assert.Equal(2, result.All<GenerateContentResponse>().Count);
    }

    [Fact]
    public void Get_GeminiStream_takes_objects_too()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("@{ Name = 'sshd' } | Get-GeminiStream -Prompt 'Matters?' | ForEach-Object Text");

        result.AssertNoErrors();
        Assert.Equal(new[] { "Name: sshd", "Matters?" }, Texts(Assert.Single(server.Requests)));
    }

    [Fact]
    public void Answers_carry_their_input_so_a_report_needs_no_bookkeeping()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("logs", new[] { WriteLog("web.log", "GET / 200"), WriteLog("db.log", "deadlock detected") });

        // Select-Object and Export-Csv are Utility cmdlets, absent here; ForEach-Object and [pscustomobject] make the same rows.
        ShellResult result = shell.Run("""
            $rows = $logs | ForEach-Object { [IO.FileInfo]$_ } | Invoke-GeminiContent -Prompt 'Summarize' -ThrottleLimit 2 |
                ForEach-Object { [pscustomobject]@{ File = [IO.Path]::GetFileName($_.SourcePath); Text = $_.Text; Tokens = $_.UsageMetadata.TotalTokenCount } }
            $rows | ForEach-Object { '{0};{1};{2}' -f $_.File, $_.Text.Split("`n")[0], $_.Tokens }
            """);

        result.AssertNoErrors();
        List<string[]> rows = result.Output.Select(o => o.ToString().Split(';')).ToList();
        Assert.Equal(new[] { "web.log", "db.log" }, rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.True(int.Parse(r[2]) > 0));
        Assert.StartsWith("Echo: ", rows[0][1]);
    }
}
