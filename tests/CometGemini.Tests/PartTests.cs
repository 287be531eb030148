using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

public sealed class PartTests
{
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    [Fact]
    public void Parts_are_built_from_text_files_bytes_and_uris()
    {
        string dir = TempDir.Create();
        File.WriteAllBytes(Path.Combine(dir, "dot.png"), Png);
        File.WriteAllText(Path.Combine(dir, "data.csv"), "name,size\nA,1\n");
        File.WriteAllText(Path.Combine(dir, "README"), "plain text without an extension");
        using var shell = new Shell();
        shell.Set("dir", dir);
        shell.Set("png", Png);

        ShellResult result = shell.Run("""
            New-GeminiPart -Text 'hello'
            New-GeminiPart -Path "$dir/dot.png"
            New-GeminiPart -LiteralPath "$dir/data.csv"
            New-GeminiPart -LiteralPath "$dir/README"
            New-GeminiPart -Data $png -MimeType image/png
            New-GeminiPart -FileUri 'https://www.youtube.com/watch?v=9hE5-98ZeCg' -MimeType video/mp4
            New-GeminiPart -Path "$dir/dot.png" -MimeType image/x-custom
            """);

        result.AssertNoErrors();
        var parts = result.All<Part>();
        Assert.Equal("hello", parts[0].Text);
        Assert.Equal("image/png", parts[1].InlineData!.MimeType);
        Assert.Equal(Png, Convert.FromBase64String(parts[1].InlineData!.Data!));
        Assert.Equal("name,size\nA,1\n", parts[2].Text);
        Assert.Equal("plain text without an extension", parts[3].Text);
        Assert.Equal(Convert.ToBase64String(Png), parts[4].InlineData!.Data);
        Assert.Equal("https://www.youtube.com/watch?v=9hE5-98ZeCg", parts[5].FileData!.FileUri);
        Assert.Equal("video/mp4", parts[5].FileData!.MimeType);
        Assert.Equal("image/x-custom", parts[6].InlineData!.MimeType);
    }

    [Fact]
    public void Wildcards_in_Path_expand_and_unknown_binary_files_need_a_MimeType()
    {
        string dir = TempDir.Create();
        File.WriteAllBytes(Path.Combine(dir, "a.png"), Png);
        File.WriteAllBytes(Path.Combine(dir, "b.png"), Png);
        File.WriteAllBytes(Path.Combine(dir, "blob.bin"), new byte[] { 0, 1, 2, 0xFF });
        using var shell = new Shell();
        shell.Set("dir", dir);

        ShellResult result = shell.Run("New-GeminiPart -Path \"$dir/*.png\"; New-GeminiPart -Path \"$dir/blob.bin\"; New-GeminiPart -LiteralPath $dir");

        Assert.Equal(2, result.Output.Count);
        Assert.Equal(2, result.Errors.Count);
        Assert.Contains("-MimeType", result.Errors[0].Exception.Message);
        Assert.Equal(ErrorCategory.InvalidArgument, result.Errors[0].CategoryInfo.Category);
        Assert.Contains("directory", result.Errors[1].Exception.Message);
    }

    [Fact]
    public void Piped_parts_and_the_prompt_make_one_request()
    {
        using var server = FakeGeminiServer.Start();
        string dir = TempDir.Create();
        File.WriteAllBytes(Path.Combine(dir, "a.png"), Png);
        File.WriteAllBytes(Path.Combine(dir, "b.png"), Png);
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        ShellResult result = shell.Run("[System.IO.DirectoryInfo]::new($dir).GetFiles('*.png') | New-GeminiPart | Invoke-GeminiContent -Prompt 'Compare these'");

        result.AssertNoErrors();
        Assert.Equal("Echo: Compare these", result.Single<GenerateContentResponse>().Text);
        JsonElement parts = Assert.Single(server.Requests).Json!.RootElement.GetProperty("contents")[0].GetProperty("parts");
        Assert.Equal(3, parts.GetArrayLength());
        Assert.Equal("image/png", parts[0].GetProperty("inlineData").GetProperty("mimeType").GetString());
        Assert.Equal("image/png", parts[1].GetProperty("inlineData").GetProperty("mimeType").GetString());
        Assert.Equal("Compare these", parts[2].GetProperty("text").GetString());
    }

    [Fact]
    public void Piped_parts_also_gather_into_one_stream()
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run("(New-GeminiPart -Text 'first'), (New-GeminiPart -Text 'second') | Get-GeminiStream -Prompt 'Join'");

        result.AssertNoErrors();
        JsonElement parts = Assert.Single(server.Requests).Json!.RootElement.GetProperty("contents")[0].GetProperty("parts");
        Assert.Equal(new[] { "first", "second", "Join" }, parts.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
    }

    [Fact]
    public void Inline_data_over_the_limit_is_refused_with_advice()
    {
        string dir = TempDir.Create();
        string big = Path.Combine(dir, "big.mp4");
        using (FileStream stream = File.Create(big))
            stream.SetLength(PartFactory.DefaultMaxInlineBytes + 1);
        using var shell = new Shell();
        shell.Set("big", big);

        ShellResult result = shell.Run("New-GeminiPart -LiteralPath $big");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Contains("-FileUri", error.Exception.Message);
        Assert.Equal(big, error.TargetObject);
    }

    [Fact]
    public void Bytes_over_the_inline_limit_are_refused_with_advice()
    {
        using var shell = new Shell();

        ShellResult result = shell.Run("New-GeminiPart -Data ([byte[]]::new(20MB + 1)) -MimeType video/mp4");

        Assert.Empty(result.Output);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("-FileUri", error.Exception.Message);
    }

    [Theory]
    [InlineData("photo.jpg", "image/jpeg")]
    [InlineData("clip.mp3", "audio/mp3")]
    [InlineData("talk.wav", "audio/wav")]
    [InlineData("movie.mp4", "video/mp4")]
    [InlineData("paper.pdf", "application/pdf")]
    [InlineData("notes.md", null)]
    [InlineData("table.csv", null)]
    [InlineData("data.json", null)]
    [InlineData("page.html", null)]
    [InlineData("config.xml", null)]
    [InlineData("script.ps1", null)]
    [InlineData("Program.cs", null)]
    public void Media_and_text_files_are_recognised_by_extension(string name, string? inlineMimeType)
    {
        string file = Path.Combine(TempDir.Create(), name);
        File.WriteAllBytes(file, inlineMimeType is null ? "some text"u8.ToArray() : new byte[] { 0, 1, 2, 3 });
        using var shell = new Shell();
        shell.Set("file", file);

        Part part = shell.Run("New-GeminiPart -LiteralPath $file").Single<Part>();

        if (inlineMimeType is null)
            Assert.Equal("some text", part.Text);
        else
            Assert.Equal(inlineMimeType, part.InlineData!.MimeType);
    }

    [Fact]
    public void Byte_arrays_and_streams_from_the_pipeline_become_inline_data()
    {
        using var shell = new Shell();
        shell.Set("png", Png);

        ShellResult result = shell.Run("""
            ,$png | New-GeminiPart -MimeType image/png
            [System.IO.MemoryStream]::new($png) | New-GeminiPart -MimeType image/png
            """);

        result.AssertNoErrors();
        Assert.All(result.All<Part>(), p => Assert.Equal(Convert.ToBase64String(Png), p.InlineData!.Data));
        Assert.Equal(2, result.Output.Count);
    }

    [Fact]
    public void A_stream_over_the_limit_is_refused_without_reading_it_all()
    {
        var endless = new EndlessStream();
        using var shell = new Shell();
        shell.Set("endless", endless);

        ShellResult result = shell.Run("New-GeminiPart -Stream $endless -MimeType video/mp4 -MaxInlineSize 1MB");

        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("-FileUri", error.Exception.Message);
        Assert.True(endless.Served < 2 * 1024 * 1024, $"read {endless.Served} bytes");
    }

    [Fact]
    public void MaxInlineSize_sets_the_limit_for_parts_and_piped_files()
    {
        using var server = FakeGeminiServer.Start();
        string dir = TempDir.Create();
        File.WriteAllBytes(Path.Combine(dir, "small.png"), new byte[50]);
        File.WriteAllBytes(Path.Combine(dir, "large.png"), new byte[150]);
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        ShellResult parts = shell.Run("New-GeminiPart -LiteralPath \"$dir/small.png\", \"$dir/large.png\" -MaxInlineSize 100");
        ShellResult requests = shell.Run("[System.IO.DirectoryInfo]::new($dir).GetFiles('*.png') | Invoke-GeminiContent -Prompt 'What is it?' -MaxInlineSize 100");

        Assert.Single(parts.Output);
        Assert.Contains("large.png", Assert.Single(parts.Errors).Exception.Message);
        Assert.EndsWith("small.png", requests.Single<GenerateContentResponse>().SourcePath);
        Assert.Contains("-MaxInlineSize", Assert.Single(requests.Errors).Exception.Message);
        Assert.Single(server.Requests);
    }

    /// <summary>A stream that never ends and cannot tell its length, like a network stream.</summary>
    private sealed class EndlessStream : Stream
    {
        public long Served { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Served; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            Served += count;
            return count;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
