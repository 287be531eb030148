using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using CometGemini.Demo;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

public sealed class CacheTests
{
    [Fact]
    public void New_GeminiCache_creates_one_cache_from_text_with_system_instruction_ttl_and_display_name()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            New-GeminiCache -Prompt 'The handbook says: vacation is 25 days.', 'Sick leave needs a note after 3 days.' `
                -SystemInstruction 'Answer from the handbook only.' -Ttl ([timespan]::FromMinutes(90)) -DisplayName 'Handbook'
            """);

        result.AssertNoErrors();
        var cache = result.Single<GeminiCache>();
        Assert.StartsWith("cachedContents/", cache.Name);
        Assert.Equal("Handbook", cache.DisplayName);
        Assert.Equal("models/gemini-3-flash-preview", cache.Model);
        Assert.True(cache.TotalTokenCount > 10);
        Assert.InRange(cache.ExpireTime!.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(85), TimeSpan.FromMinutes(91));
        RecordedRequest request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1beta/cachedContents", request.PathAndQuery);
        JsonElement body = request.Json!.RootElement;
        Assert.Equal("models/gemini-3-flash-preview", body.GetProperty("model").GetString());
        Assert.Equal("5400s", body.GetProperty("ttl").GetString());
        Assert.Equal("Handbook", body.GetProperty("displayName").GetString());
        Assert.Equal("Answer from the handbook only.", body.GetProperty("systemInstruction").GetProperty("parts")[0].GetProperty("text").GetString());
        JsonElement turn = Assert.Single(body.GetProperty("contents").EnumerateArray());
        Assert.Equal("user", turn.GetProperty("role").GetString());
        Assert.Equal(2, turn.GetProperty("parts").GetArrayLength());
        Assert.False(body.TryGetProperty("generationConfig", out _));
        Assert.False(body.TryGetProperty("expireTime", out _));
    }

    [Fact]
    public void Piped_files_parts_and_turns_make_one_cache_with_tools_and_an_expire_time()
    {
        string dir = TempDir.Create();
        string a = Path.Combine(dir, "a.txt");
        string b = Path.Combine(dir, "b.txt");
        File.WriteAllText(a, "Alpha report.");
        File.WriteAllText(b, "Beta report.");
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("a", a);
        shell.Set("b", b);

        ShellResult result = shell.Run("""
            function Get-Weather { param([string] $City) "Sunny in $City" }
            $expires = [datetime]::Now.AddHours(2)
            [IO.FileInfo]$a, [IO.FileInfo]$b | New-GeminiCache -Model gemini-2.5-pro -ExpireTime $expires -Tool Get-Weather `
                -ToolConfig @{ functionCallingConfig = @{ mode = 'AUTO' } } -Contents @{ role = 'user'; parts = @(@{ text = 'Earlier question' }) }
            New-GeminiPart -Text 'part one' | New-GeminiCache -Part (New-GeminiPart -Text 'first') -DisplayName 'parts'
            """);

        result.AssertNoErrors();
        Assert.Equal(2, result.All<GeminiCache>().Count);
        Assert.Equal(2, server.Requests.Count);
        JsonElement body = server.Requests[0].Json!.RootElement;
        Assert.Equal("models/gemini-2.5-pro", body.GetProperty("model").GetString());
        JsonElement[] contents = body.GetProperty("contents").EnumerateArray().ToArray();
        Assert.Equal("Earlier question", contents[0].GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal(new[] { "Alpha report.", "Beta report." }, contents[1].GetProperty("parts").EnumerateArray().Select(p => p.GetProperty("text").GetString()));
        DateTimeOffset expire = DateTimeOffset.Parse(body.GetProperty("expireTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expire - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(110), TimeSpan.FromMinutes(121));
        Assert.Equal("Get-Weather", body.GetProperty("tools")[0].GetProperty("functionDeclarations")[0].GetProperty("name").GetString());
        Assert.Equal("AUTO", body.GetProperty("toolConfig").GetProperty("functionCallingConfig").GetProperty("mode").GetString());
        Assert.False(body.TryGetProperty("ttl", out _));

        JsonElement parts = server.Requests[1].Json!.RootElement.GetProperty("contents")[0].GetProperty("parts");
        Assert.Equal(new[] { "first", "part one" }, parts.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
    }

    [Fact]
    public void Path_takes_wildcards_and_every_matching_file_goes_into_the_one_cache()
    {
        string dir = TempDir.Create();
        File.WriteAllText(Path.Combine(dir, "chapter-1.txt"), "One.");
        File.WriteAllText(Path.Combine(dir, "chapter-2.txt"), "Two.");
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        ShellResult result = shell.Run("New-GeminiCache -Path \"$dir/chapter-*.txt\" 'Answer from the manual.'");

        result.AssertNoErrors();
        Assert.Single(result.All<GeminiCache>());
        JsonElement parts = Assert.Single(server.Requests).Json!.RootElement.GetProperty("contents")[0].GetProperty("parts");
        Assert.Equal(new[] { "Answer from the manual.", "One.", "Two." }, parts.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
    }

    [Fact]
    public void WhatIf_creates_nothing_and_conflicting_or_past_expiry_is_refused_before_sending()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult whatIf = shell.Run("New-GeminiCache 'text' -WhatIf");
        ShellResult both = shell.Run("New-GeminiCache 'text' -Ttl '01:00:00' -ExpireTime ([datetime]::Now.AddHours(1))");
        ShellResult past = shell.Run("New-GeminiCache 'text' -ExpireTime ([datetime]::Now.AddHours(-1))");
        ShellResult nothing = shell.Run("New-GeminiCache");
        ShellResult emptyPipeline = shell.Run("@() | New-GeminiCache");

        whatIf.AssertNoErrors();
        Assert.Empty(whatIf.Output);
        Assert.Equal("GeminiCacheExpiryInvalid", ((IContainsErrorRecord)both.Terminating!).ErrorRecord.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("GeminiCacheExpiryInvalid", ((IContainsErrorRecord)past.Terminating!).ErrorRecord.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("GeminiNothingToSend", Assert.Single(nothing.Errors).FullyQualifiedErrorId.Split(',')[0]);
        emptyPipeline.AssertNoErrors();
        Assert.Empty(server.Requests);
        Assert.Empty(server.Caches.Snapshot());
    }

    [Fact]
    public void An_unreadable_file_means_no_cache_rather_than_an_incomplete_one()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("New-GeminiCache -LiteralPath ([IO.Path]::Combine([IO.Path]::GetTempPath(), 'no-such-file-4711.txt'))");

        Assert.Equal(new[] { "GeminiFileUnreadable", "GeminiCacheIncomplete" }, result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        Assert.Empty(server.Requests);
    }

    // New-GeminiCache takes its inputs as the generating commands do (InputRecords): an empty file adds nothing and is
    // only warned about, and the lines Get-Content writes (each carrying its file's PSPath) put the file in once.
    [Fact]
    public void Files_come_in_as_for_the_generating_commands_an_empty_one_warned_and_lines_of_one_file_taken_once()
    {
        string dir = TempDir.Create();
        string notes = Path.Combine(dir, "notes.txt");
        string empty = Path.Combine(dir, "empty.txt");
        File.WriteAllText(notes, "line one\nline two\nline three\n");
        File.WriteAllText(empty, string.Empty);
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("notes", notes);
        shell.Set("empty", empty);

        ShellResult result = shell.Run("""
            $lines = foreach ($line in [IO.File]::ReadAllLines($notes)) {
                $o = [psobject]$line
                $o.PSObject.Properties.Add([psnoteproperty]::new('PSPath', "Microsoft.PowerShell.Core\FileSystem::$notes"))
                $o
            }
            $lines | New-GeminiCache -Prompt 'Keep these notes.'
            New-GeminiCache -LiteralPath $notes, $empty -DisplayName 'With an empty file'
            """);

        result.AssertNoErrors();
        Assert.Equal(2, result.All<GeminiCache>().Count());
        Assert.Contains(result.Warnings, w => w.Contains("empty.txt") && w.Contains("empty"));
        JsonElement[] turns = server.Requests.Select(r => r.Json!.RootElement.GetProperty("contents")[0].GetProperty("parts")).ToArray();
        Assert.Equal(new[] { "Keep these notes.", "line one\nline two\nline three\n" }, turns[0].EnumerateArray().Select(p => p.GetProperty("text").GetString()));
        Assert.Equal(1, turns[1].GetArrayLength());
    }

    [Fact]
    public void Get_GeminiCache_follows_pages_and_finds_by_name_wildcard_or_display_name()
    {
        using var server = FakeGeminiServer.Start();
        for (int i = 1; i <= 24; i++)
            server.Caches.Add("gemini-2.5-flash", 1000 + i, displayName: $"doc {i}");
        FakeCache handbook = server.Caches.Add("gemini-2.5-pro", 32000, displayName: "Handbook", name: "cachedContents/handbook01");
        using var shell = new Shell(server);

        ShellResult all = shell.Run("Get-GeminiCache");
        all.AssertNoErrors();
        Assert.Equal(25, all.Output.Count);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal("/v1beta/cachedContents", server.Requests[0].PathAndQuery);
        Assert.Contains("pageToken=", server.Requests[1].PathAndQuery);
        Assert.Equal(32000, all.All<GeminiCache>().Last().TotalTokenCount);

        server.ClearRequests();
        ShellResult byId = shell.Run("Get-GeminiCache handbook01");
        byId.AssertNoErrors();
        Assert.Equal("cachedContents/handbook01", byId.Single<GeminiCache>().Name);
        Assert.Equal("GET /v1beta/cachedContents/handbook01", $"{server.Requests[0].Method} {server.Requests[0].PathAndQuery}");

        Assert.Equal(new[] { "doc 1", "doc 10", "doc 11" }, shell.Run("Get-GeminiCache 'doc 1*' | ForEach-Object DisplayName").Output.Take(3).Select(o => o.ToString()));
        Assert.Equal("cachedContents/handbook01", shell.Run("Get-GeminiCache 'Handbook'").Single<GeminiCache>().Name);
        Assert.Empty(shell.Run("Get-GeminiCache 'nothing*'").Output);

        ShellResult missing = shell.Run("Get-GeminiCache gone123");
        ErrorRecord error = Assert.Single(missing.Errors);
        Assert.Equal("GeminiCacheNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("gone123", error.TargetObject);
        Assert.Contains("cachedContents/gone123", error.ErrorDetails.Message);
    }

    [Fact]
    public void Set_GeminiCache_patches_ttl_or_expire_time_with_an_update_mask()
    {
        using var server = FakeGeminiServer.Start();
        FakeCache cache = server.Caches.Add("gemini-2.5-flash", 5000, ttl: TimeSpan.FromMinutes(5), name: "cachedContents/abc");
        using var shell = new Shell(server);

        ShellResult quiet = shell.Run("Set-GeminiCache abc -Ttl ([timespan]::FromHours(2))");
        ShellResult passThru = shell.Run("Get-GeminiCache abc | Set-GeminiCache -ExpireTime ([datetime]::UtcNow.AddHours(3)) -PassThru");
        ShellResult whatIf = shell.Run("Set-GeminiCache abc -Ttl '00:01:00' -WhatIf");
        ShellResult missing = shell.Run("Set-GeminiCache nope -Ttl '01:00:00'");

        quiet.AssertNoErrors();
        Assert.Empty(quiet.Output);
        RecordedRequest patch = server.Requests[0];
        Assert.Equal("PATCH /v1beta/cachedContents/abc?updateMask=ttl", $"{patch.Method} {patch.PathAndQuery}");
        Assert.Equal("7200s", patch.Json!.RootElement.GetProperty("ttl").GetString());
        Assert.Single(patch.Json!.RootElement.EnumerateObject());

        passThru.AssertNoErrors();
        Assert.Contains(server.Requests, r => r.PathAndQuery == "/v1beta/cachedContents/abc?updateMask=expireTime");
        Assert.InRange(passThru.Single<GeminiCache>().ExpireTime!.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(175), TimeSpan.FromMinutes(181));
        Assert.InRange(cache.ExpireTime - DateTime.UtcNow, TimeSpan.FromMinutes(175), TimeSpan.FromMinutes(181));

        whatIf.AssertNoErrors();
        Assert.Equal(3, server.Requests.Count(r => r.Method == "PATCH"));
        Assert.Equal("GeminiCacheNotFound", Assert.Single(missing.Errors).FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact]
    public void Remove_GeminiCache_deletes_piped_caches_and_honours_WhatIf()
    {
        using var server = FakeGeminiServer.Start();
        server.Caches.Add("gemini-2.5-flash", 100, displayName: "old one");
        server.Caches.Add("gemini-2.5-flash", 200, displayName: "old two");
        server.Caches.Add("gemini-2.5-flash", 300, displayName: "keep");
        using var shell = new Shell(server);

        ShellResult whatIf = shell.Run("Get-GeminiCache 'old*' | Remove-GeminiCache -WhatIf");
        Assert.Equal(3, server.Caches.Snapshot().Count);
        ShellResult removed = shell.Run("Get-GeminiCache 'old*' | Remove-GeminiCache");
        ShellResult missing = shell.Run("Remove-GeminiCache cachedContents/gone -Confirm:$false");

        whatIf.AssertNoErrors();
        removed.AssertNoErrors();
        Assert.Empty(removed.Output);
        Assert.Equal("keep", Assert.Single(server.Caches.Snapshot()).DisplayName);
        Assert.Equal(3, server.Requests.Count(r => r.Method == "DELETE")); // the two old ones, and the missing one
        ErrorRecord error = Assert.Single(missing.Errors);
        Assert.Equal("GeminiCacheNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("cachedContents/gone", error.TargetObject);
    }

    [Fact]
    public void A_cache_object_passed_to_CachedContent_is_used_by_name_and_usage_shows_the_cached_tokens()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("""
            $cache = New-GeminiCache 'one two three four five six seven eight nine ten' -DisplayName 'ten words'
            $cache
            Invoke-GeminiContent 'What is the fifth word?' -CachedContent $cache
            'And the last?' | Get-GeminiStream -CachedContent (Get-GeminiCache 'ten words') | ForEach-Object { $_ }
            """);

        result.AssertNoErrors();
        var cache = (GeminiCache)result.Output[0].BaseObject;
        var response = (GenerateContentResponse)result.Output[1].BaseObject;
        Assert.Equal(10, response.UsageMetadata!.CachedContentTokenCount);
        Assert.True(response.UsageMetadata.PromptTokenCount > 10);
        Assert.All(server.Requests.Where(r => r.PathAndQuery.Contains("Content", StringComparison.Ordinal) && r.PathAndQuery.StartsWith("/v1beta/models/", StringComparison.Ordinal)),
            r => Assert.Equal(cache.Name, r.Json!.RootElement.GetProperty("cachedContent").GetString()));
        Assert.Equal(2, server.Requests.Count(r => r.PathAndQuery.StartsWith("/v1beta/models/", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_cache_made_for_another_model_or_one_that_is_gone_is_an_error_for_that_call()
    {
        using var server = FakeGeminiServer.Start();
        server.Caches.Add("gemini-2.5-pro", 5000, name: "cachedContents/pro1");
        using var shell = new Shell(server);

        ShellResult otherModel = shell.Run("'q' | Invoke-GeminiContent -CachedContent pro1");
        ShellResult sameModel = shell.Run("'q' | Invoke-GeminiContent -CachedContent pro1 -Model gemini-2.5-pro");
        ShellResult gone = shell.Run("'q' | Invoke-GeminiContent -CachedContent cachedContents/expired9");

        ErrorRecord mismatch = Assert.Single(otherModel.Errors);
        Assert.Equal("GeminiHttp400", mismatch.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("has to be the same", mismatch.ErrorDetails.Message);
        sameModel.AssertNoErrors();
        Assert.Equal(5000, sameModel.Single<GenerateContentResponse>().UsageMetadata!.CachedContentTokenCount);
        Assert.Equal("GeminiHttp403", Assert.Single(gone.Errors).FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact]
    public void An_endpoint_without_the_caches_API_is_reported_as_such()
    {
        using var server = FakeGeminiServer.Start();
        server.Enqueue("/cachedContents", FakeReply.Error(404, "NOT_FOUND", "Method not found."));
        using var shell = new Shell(server);

        ErrorRecord error = Assert.Single(shell.Run("Get-GeminiCache").Errors);

        Assert.Equal("GeminiHttp404", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("cachedContents API", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void The_default_view_of_a_cache_is_a_table_with_its_tokens_and_expiry()
    {
        using var server = FakeGeminiServer.Start();
        server.Caches.Add("gemini-2.5-flash", 123456, displayName: "Big manual", name: "cachedContents/manual42");
        var screen = new StringWriter();
        using var shell = new Shell(server, host: new TextHost(screen));

        shell.Run("Get-GeminiCache | Out-Default").AssertNoErrors();

        string text = screen.ToString();
        Assert.Contains("cachedContents/manual42", text);
        Assert.Contains("Big manual", text);
        Assert.Contains("gemini-2.5-flash", text);
        Assert.Contains(123456.ToString("N0"), text); // token counts carry thousands separators
        Assert.Contains("Expires", text);
    }
}
