using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Threading.Tasks;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>The Files API as commands (Add/Get/Remove-GeminiFile), file objects as fileData parts, and -Upload for big files.</summary>
public sealed class FilesApiTests
{
    private static string WriteFile(string name, int size)
    {
        string path = Path.Combine(TempDir.Create(), name);
        byte[] bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Command(RecordedRequest request) => request.Headers.GetValueOrDefault("X-Goog-Upload-Command") ?? "";

    [Fact]
    public void Add_GeminiFile_uploads_resumably_waits_until_ACTIVE_and_returns_the_file()
    {
        string video = WriteFile("talk.mp4", 3000);
        using var server = FakeGeminiServer.Start();
        server.Files.ProcessingPolls = 2;
        using var shell = new Shell(server);
        shell.Set("video", video);

        ShellResult result = shell.Run("Add-GeminiFile -Path $video -DisplayName 'The talk' -Verbose");

        result.AssertNoErrors();
        var file = result.Single<GeminiFile>();
        Assert.StartsWith("files/", file.Name);
        Assert.Equal("The talk", file.DisplayName);
        Assert.Equal("video/mp4", file.MimeType);
        Assert.Equal(3000, file.SizeBytes);
        Assert.Equal("ACTIVE", file.State);
        Assert.EndsWith("/v1beta/" + file.Name, file.Uri);
        Assert.True(file.ExpirationTime > DateTimeOffset.UtcNow.AddHours(47));
        Assert.Equal(File.ReadAllBytes(video), server.Files.Content[file.Name!]);
        RecordedRequest[] requests = server.Requests.ToArray();
        Assert.Equal("start", Command(requests[0]));
        Assert.Equal("3000", requests[0].Headers["X-Goog-Upload-Header-Content-Length"]);
        Assert.Equal("video/mp4", requests[0].Headers["X-Goog-Upload-Header-Content-Type"]);
        Assert.Equal("upload, finalize", Command(requests[1]));
        Assert.Equal("0", requests[1].Headers["X-Goog-Upload-Offset"]);
        Assert.Equal(2, requests.Count(r => r.Method == "GET" && r.Path == "/v1beta/" + file.Name)); // PROCESSING, PROCESSING, then ACTIVE
        Assert.Contains(result.Verbose, v => v.Contains("is PROCESSING; asking again"));
        Assert.Contains(result.Verbose, v => v.Contains(file.Name + " is ACTIVE"));
    }

    [Fact]
    public void NoWait_returns_the_file_while_it_is_still_PROCESSING()
    {
        string pdf = WriteFile("report.pdf", 500);
        using var server = FakeGeminiServer.Start();
        server.Files.ProcessingPolls = 5;
        using var shell = new Shell(server);
        shell.Set("pdf", pdf);

        ShellResult result = shell.Run("Add-GeminiFile $pdf -NoWait");

        result.AssertNoErrors();
        Assert.Equal("PROCESSING", result.Single<GeminiFile>().State);
        Assert.Equal("report.pdf", result.Single<GeminiFile>().DisplayName);
        Assert.DoesNotContain(server.Requests, r => r.Method == "GET");
    }

    [Fact]
    public void A_file_the_server_cannot_process_is_a_GeminiFileFailed_error()
    {
        string video = WriteFile("broken.mp4", 400);
        using var server = FakeGeminiServer.Start();
        server.Files.ProcessingPolls = 1;
        server.Files.FailProcessing = true;
        using var shell = new Shell(server);
        shell.Set("video", video);

        ShellResult result = shell.Run("Add-GeminiFile $video");

        Assert.Empty(result.Output);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("GeminiFileFailed,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains("could not be decoded", error.ToString());
        Assert.Contains("Remove-GeminiFile", error.ErrorDetails.RecommendedAction);
        Assert.Equal("FAILED", Assert.IsType<GeminiFile>(error.TargetObject).State);
    }

    [Fact]
    public void An_upload_cut_mid_way_asks_the_server_for_its_offset_and_sends_only_the_rest()
    {
        string video = WriteFile("long.mp4", 5000);
        using var server = FakeGeminiServer.Start();
        server.Files.CutUploadAfter = 1000;
        using var shell = new Shell(server);
        shell.Set("video", video);

        ShellResult result = shell.Run("Add-GeminiFile $video -Verbose");

        result.AssertNoErrors();
        var file = result.Single<GeminiFile>();
        Assert.Equal(File.ReadAllBytes(video), server.Files.Content[file.Name!]);
        RecordedRequest[] uploads = server.Requests.Where(r => r.Path == "/upload/v1beta/files").ToArray();
        Assert.Equal(new[] { "start", "upload, finalize", "query", "upload, finalize" }, uploads.Select(Command));
        Assert.Equal("1000", uploads[3].Headers["X-Goog-Upload-Offset"]);
        Assert.Equal(4000, uploads[3].Body.Length);
        Assert.Contains(result.Verbose, v => v.Contains("the server has 1,000 of 5,000 bytes"));
    }

    [Fact]
    public void File_objects_and_paths_from_the_pipeline_are_uploaded_one_by_one()
    {
        string a = WriteFile("a.png", 100);
        string b = Path.Combine(Path.GetDirectoryName(a)!, "b.png");
        File.WriteAllBytes(b, new byte[200]);
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("folder", Path.GetDirectoryName(a));

        // FileInfo objects bind by FullName (Get-ChildItem's also by PSPath: Files.Tests.ps1); strings are paths.
        ShellResult result = shell.Run("([IO.DirectoryInfo]$folder).GetFiles('*.png') | Add-GeminiFile");
        ShellResult paths = shell.Run("[IO.Directory]::GetFiles($folder, '*.png') | Add-GeminiFile");

        result.AssertNoErrors();
        Assert.Equal(new[] { "a.png", "b.png" }, result.All<GeminiFile>().Select(f => f.DisplayName).Order());
        Assert.All(result.All<GeminiFile>(), f => Assert.Equal("image/png", f.MimeType));
        paths.AssertNoErrors();
        Assert.Equal(2, paths.Output.Count);
    }

    [Fact]
    public async Task Ctrl_C_cancels_an_upload()
    {
        string video = WriteFile("slow.mp4", 2000);
        using var server = FakeGeminiServer.Start();
        server.Enqueue("upload_id", FakeReply.NoHeaders());
        using var shell = new Shell(server);
        shell.Set("video", video);

        using RunningScript running = shell.Start("Add-GeminiFile $video");
        await server.WaitForRequestAsync(2, TimeSpan.FromSeconds(30));
        running.Stop();
        running.Finish();

        Assert.Equal(PSInvocationState.Stopped, running.State);
        Assert.Empty(running.Result.Output);
        Assert.Empty(server.Files.Names);
    }

    [Fact]
    public void Get_GeminiFile_lists_every_page_and_finds_by_wildcard_name_and_display_name()
    {
        using var server = FakeGeminiServer.Start();
        server.Files.MaxPageSize = 2;
        string[] names = new[] { "report-jan", "report-feb", "slides", "report-mar", "notes" }
            .Select(n => server.Files.Seed(n, "application/pdf", new byte[10])).ToArray();
        using var shell = new Shell(server);

        ShellResult all = shell.Run("Get-GeminiFile");
        ShellResult reports = shell.Run("Get-GeminiFile -Name 'report*'");
        ShellResult one = shell.Run($"Get-GeminiFile {names[2]}");
        ShellResult byDisplayName = shell.Run("Get-GeminiFile notes");
        ShellResult missing = shell.Run("Get-GeminiFile files/nope");

        all.AssertNoErrors();
        Assert.Equal(names.Reverse(), all.All<GeminiFile>().Select(f => f.Name));
        Assert.Contains(server.Requests, r => r.PathAndQuery.Contains("pageToken="));
        Assert.Equal(new[] { "report-mar", "report-feb", "report-jan" }, reports.All<GeminiFile>().Select(f => f.DisplayName));
        Assert.Equal("slides", one.Single<GeminiFile>().DisplayName);
        Assert.Equal(names[4], byDisplayName.Single<GeminiFile>().Name);
        Assert.StartsWith("GeminiFileNotFound,", Assert.Single(missing.Errors).FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, missing.Errors[0].CategoryInfo.Category);
    }

    [Fact]
    public void Remove_GeminiFile_asks_first_and_takes_file_objects_by_pipeline()
    {
        using var server = FakeGeminiServer.Start();
        string keep = server.Files.Seed("keep", "text/plain", new byte[5]);
        string old1 = server.Files.Seed("old-1", "text/plain", new byte[5]);
        string old2 = server.Files.Seed("old-2", "text/plain", new byte[5]);
        using var shell = new Shell(server);

        ShellResult whatIf = shell.Run("Get-GeminiFile 'old-*' | Remove-GeminiFile -WhatIf");
        Assert.Equal(3, server.Files.Names.Count);
        ShellResult removed = shell.Run("Get-GeminiFile 'old-*' | Remove-GeminiFile -Verbose");
        ShellResult bad = shell.Run("Remove-GeminiFile '../models/x'");

        whatIf.AssertNoErrors();
        removed.AssertNoErrors();
        Assert.Equal(new[] { keep }, server.Files.Names);
        Assert.Equal(2, server.Requests.Count(r => r.Method == "DELETE"));
        Assert.Contains(removed.Verbose, v => v == $"Deleted {old1}.");
        Assert.Contains(removed.Verbose, v => v == $"Deleted {old2}.");
        Assert.StartsWith("GeminiFileNameInvalid,", Assert.Single(bad.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void A_file_object_becomes_a_fileData_part_in_New_GeminiPart_Invoke_Stream_and_New_GeminiCache()
    {
        using var server = FakeGeminiServer.Start();
        string name = server.Files.Seed("talk", "video/mp4", new byte[10]);
        using var shell = new Shell(server);
        shell.Run($"$file = Get-GeminiFile {name}").AssertNoErrors();
        string uri = $"{server.BaseUri.GetLeftPart(UriPartial.Authority)}/v1beta/{name}";

        ShellResult part = shell.Run("$file | New-GeminiPart");
        ShellResult part2 = shell.Run("New-GeminiPart -File $file");
        server.ClearRequests();
        shell.Run("$file | Invoke-GeminiContent 'What is said at 2:00?'").AssertNoErrors();
        shell.Run("Invoke-GeminiContent 'And then?' -Part $file, (New-GeminiPart 'Be brief.')").AssertNoErrors();
        shell.Run("$file | Get-GeminiStream 'Summarize'").AssertNoErrors();
        shell.Run("$file | New-GeminiCache -SystemInstruction 'Answer about the talk.' -Model gemini-2.5-flash").AssertNoErrors();

        part.AssertNoErrors();
        part2.AssertNoErrors();
        foreach (Part made in new[] { part.Single<Part>(), part2.Single<Part>() })
        {
            Assert.Equal(uri, made.FileData!.FileUri);
            Assert.Equal("video/mp4", made.FileData.MimeType);
        }

        RecordedRequest[] sent = server.Requests.Where(r => r.Method == "POST").ToArray();
        Assert.Equal(4, sent.Length);
        Assert.EndsWith(":generateContent", sent[0].Path);
        Assert.EndsWith(":streamGenerateContent", sent[2].Path);
        Assert.Equal("/v1beta/cachedContents", sent[3].Path);
        foreach (RecordedRequest request in sent)
        {
            JsonElement contents = request.Json!.RootElement.GetProperty("contents");
            JsonElement parts = contents[contents.GetArrayLength() - 1].GetProperty("parts");
            JsonElement fileData = parts.EnumerateArray().First(p => p.TryGetProperty("fileData", out _)).GetProperty("fileData");
            Assert.Equal(uri, fileData.GetProperty("fileUri").GetString());
            Assert.Equal("video/mp4", fileData.GetProperty("mimeType").GetString());
        }

        JsonElement firstParts = sent[0].Json!.RootElement.GetProperty("contents")[0].GetProperty("parts");
        Assert.Equal("What is said at 2:00?", firstParts[1].GetProperty("text").GetString());
        Assert.Equal("Be brief.", sent[1].Json!.RootElement.GetProperty("contents")[0].GetProperty("parts")[1].GetProperty("text").GetString());
    }

    [Fact]
    public void Upload_sends_a_file_over_MaxInlineSize_through_the_Files_API_as_fileData()
    {
        string pdf = WriteFile("big.pdf", 4000);
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("pdf", pdf);

        ShellResult invoked = shell.Run("Invoke-GeminiContent -Path $pdf 'Summarize' -MaxInlineSize 1KB -Upload -Verbose");
        ShellResult part = shell.Run("New-GeminiPart -Path $pdf -MaxInlineSize 1KB -Upload");
        ShellResult small = shell.Run("New-GeminiPart -Path $pdf -Upload");

        invoked.AssertNoErrors();
        part.AssertNoErrors();
        small.AssertNoErrors();
        RecordedRequest generate = server.Requests.Single(r => r.Path.EndsWith(":generateContent"));
        JsonElement parts = generate.Json!.RootElement.GetProperty("contents")[0].GetProperty("parts");
        string fileUri = parts[0].GetProperty("fileData").GetProperty("fileUri").GetString()!;
        Assert.Equal("application/pdf", parts[0].GetProperty("fileData").GetProperty("mimeType").GetString());
        Assert.Equal("Summarize", parts[1].GetProperty("text").GetString());
        Assert.Equal(2, server.Files.Names.Count); // the -Upload of a file under the limit stays inline
        Assert.Equal(File.ReadAllBytes(pdf), server.Files.Content[server.Files.Names[0]]);
        Assert.EndsWith(server.Files.Names[0], fileUri);
        Assert.EndsWith(server.Files.Names[1], part.Single<Part>().FileData!.FileUri);
        Assert.NotNull(small.Single<Part>().InlineData);
        Assert.Contains(invoked.Verbose, v => v.StartsWith("'big.pdf' is ") && v.Contains("over -MaxInlineSize: it goes through the Files API (-Upload)"));
        Assert.Contains(invoked.Verbose, v => v.Contains("the request names it by its URI"));
    }

    [Fact]
    public void Without_Upload_the_error_names_Upload_and_Add_GeminiFile()
    {
        string pdf = WriteFile("big.pdf", 4000);
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("pdf", pdf);

        ShellResult invoked = shell.Run("Invoke-GeminiContent -Path $pdf 'Summarize' -MaxInlineSize 1KB");
        ShellResult part = shell.Run("New-GeminiPart -Path $pdf -MaxInlineSize 1KB");

        foreach (ShellResult result in new[] { invoked, part })
        {
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.StartsWith("GeminiFileUnreadable,", error.FullyQualifiedErrorId);
            Assert.Contains("-Upload", error.ToString());
            Assert.Contains("Add-GeminiFile", error.ToString());
        }

        Assert.Empty(server.Requests);
    }

    [Fact]
    public void An_endpoint_without_the_Files_API_says_so_plainly()
    {
        string pdf = WriteFile("big.pdf", 4000);
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { CometMode = true });
        server.Files.Unavailable = true;
        using var shell = new Shell(server);
        shell.Set("pdf", pdf);

        ShellResult invoked = shell.Run("Invoke-GeminiContent -Path $pdf 'Summarize' -MaxInlineSize 1KB -Upload");
        ShellResult added = shell.Run("Add-GeminiFile $pdf");

        foreach (ShellResult result in new[] { invoked, added })
        {
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.StartsWith("GeminiFilesApiUnavailable,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.NotImplemented, error.CategoryInfo.Category);
            Assert.Contains("has no Files API", error.ToString());
            Assert.Contains("smaller file inline", error.ErrorDetails.RecommendedAction);
            Assert.Contains("generativelanguage.googleapis.com", error.ErrorDetails.RecommendedAction);
        }

        Assert.DoesNotContain(server.Requests, r => r.Path.EndsWith(":generateContent"));
    }

    [Fact]
    public void WhatIf_uploads_nothing()
    {
        string pdf = WriteFile("big.pdf", 4000);
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("pdf", pdf);

        ShellResult result = shell.Run("Invoke-GeminiContent -Path $pdf 'Summarize' -MaxInlineSize 1KB -Upload -WhatIf");

        result.AssertNoErrors();
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void The_key_never_appears_in_upload_list_or_remove_output()
    {
        const string sentinel = "SENTINEL-files-key-4c2e";
        string video = WriteFile("talk.mp4", 3000);
        using var server = FakeGeminiServer.Start(new FakeGeminiOptions { ApiKey = sentinel });
        server.Files.ProcessingPolls = 1;
        server.Files.CutUploadAfter = 100;
        using var shell = new Shell(server, apiKey: sentinel);
        shell.Set("video", video);

        ShellResult result = shell.Run("""
            $f = Add-GeminiFile $video -Verbose -Debug
            $f; Get-GeminiFile -Verbose -Debug; $f | New-GeminiPart
            Invoke-GeminiContent -Path $video 'What?' -MaxInlineSize 1KB -Upload -Verbose -Debug
            $f | Remove-GeminiFile -Verbose -Debug; Get-GeminiFile files/nope
            """);
        server.Files.Unavailable = true;
        ShellResult unavailable = shell.Run("Add-GeminiFile $video -Verbose -Debug");

        Assert.NotEmpty(result.Output);
        Assert.Single(result.Errors); // files/nope
        foreach (ShellResult r in new[] { result, unavailable })
            Assert.DoesNotContain(sentinel, r.Everything());
    }
}

/// <summary>Connect-Gemini -AutoUpload is process-wide, like the environment: these tests run alone and disconnect after.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class FilesAutoUploadTests : IDisposable
{
    private readonly FakeGeminiServer _server = FakeGeminiServer.Start();

    public void Dispose()
    {
        using (var shell = new Shell())
            shell.Run("Disconnect-Gemini").AssertNoErrors();
        _server.Dispose();
    }

    [Fact]
    public void AutoUpload_sends_files_over_MaxInlineSize_through_the_Files_API_until_Upload_is_turned_off()
    {
        string dir = TempDir.Create();
        string video = Path.Combine(dir, "big.mp4");
        File.WriteAllBytes(video, new byte[3000]);
        using var shell = new Shell();
        shell.Set("uri", _server.BaseUri);
        shell.Set("video", video);
        shell.Run($"Connect-Gemini -ApiKey '{Shell.TestKey}' -BaseUri $uri -AutoUpload").AssertNoErrors();

        ShellResult invoked = shell.Run("Invoke-GeminiContent -Path $video 'What happens?' -MaxInlineSize 1KB -Verbose");
        ShellResult part = shell.Run("New-GeminiPart -Path $video -MaxInlineSize 1KB");
        ShellResult off = shell.Run("Invoke-GeminiContent -Path $video 'What happens?' -MaxInlineSize 1KB -Upload:$false");

        invoked.AssertNoErrors();
        part.AssertNoErrors();
        Assert.Contains(invoked.Verbose, v => v.Contains("it goes through the Files API (Connect-Gemini -AutoUpload)"));
        JsonElement sent = _server.Requests.First(r => r.Path.EndsWith(":generateContent")).Json!.RootElement.GetProperty("contents")[0].GetProperty("parts")[0];
        Assert.Equal("video/mp4", sent.GetProperty("fileData").GetProperty("mimeType").GetString());
        Assert.NotNull(part.Single<Part>().FileData);
        Assert.Equal(2, _server.Files.Names.Count);
        Assert.StartsWith("GeminiFileUnreadable,", Assert.Single(off.Errors).FullyQualifiedErrorId);
    }
}
