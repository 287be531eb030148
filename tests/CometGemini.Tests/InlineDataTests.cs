using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>
/// Inline data is held once, as bytes: big files are streamed into the request body as base64, and base64 in an
/// answer is decoded straight from the JSON (bench/README.md, memory). The wire form stays what it was.
/// </summary>
public sealed class InlineDataTests
{
    private static readonly JsonSerializerOptions Wire = GeminiJsonContext.Default.Options;

    [Fact]
    public void A_big_file_goes_into_the_body_byte_for_byte_with_its_length_announced_and_again_on_a_retry()
    {
        byte[] image = new byte[300_000];
        new Random(7).NextBytes(image);
        string dir = TempDir.Create();
        File.WriteAllBytes(Path.Combine(dir, "big.png"), image);
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Error(503, "UNAVAILABLE", "busy", retryDelay: "0s"));
        using var shell = new Shell(server);
        shell.Set("dir", dir);

        ShellResult result = shell.Run("Invoke-GeminiContent 'Describe it' -LiteralPath \"$dir/big.png\" -Debug");

        result.AssertNoErrors();
        Assert.Equal(2, server.Requests.Count);
        foreach (RecordedRequest request in server.Requests)
        {
            Assert.Equal(request.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), request.Headers["Content-Length"]);
            JsonElement part = request.Json!.RootElement.GetProperty("contents")[0].GetProperty("parts")[0];
            Assert.Equal("image/png", part.GetProperty("inlineData").GetProperty("mimeType").GetString());
            Assert.Equal(image, part.GetProperty("inlineData").GetProperty("data").GetBytesFromBase64());
        }

        string debug = Assert.Single(result.Debug, d => d.StartsWith("Request body:", StringComparison.Ordinal));
        Assert.Contains("<300,000 bytes as base64>", debug);
        Assert.Contains("Describe it", debug);
    }

    [Fact]
    public void Standard_base64_is_read_as_bytes_and_written_back_unchanged()
    {
        byte[] data = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        string base64 = Convert.ToBase64String(data);
        Assert.Contains('+', base64); // the character the default encoder would escape

        var blob = JsonSerializer.Deserialize<Blob>($$"""{"mimeType":"image/png","data":"{{base64}}","displayName":"x"}""", Wire)!;

        Assert.Equal(data, blob.Bytes);
        Assert.Equal(1000, blob.Length);
        Assert.Equal(base64, blob.Data);
        Assert.Equal($$"""{"mimeType":"image/png","data":"{{base64}}"}""", JsonSerializer.Serialize(blob, Wire));
        Assert.Equal($$"""{"mimeType":"image/png","data":"{{base64}}"}""", JsonSerializer.Serialize(PartFactory.FromBytes(data, "image/png").InlineData, Wire));
    }

    [Theory]
    [InlineData("SGVsbG8gd29ybGT77\\u002F8=", "SGVsbG8gd29ybGT77/8=")]   // escaped, as some encoders write '/' and '+'
    [InlineData("SGVsbG8gd29ybGT77_8=", null)]                              // URL-safe: kept as text, decoded by GeminiMedia
    [InlineData("SGVsbG8gd29ybGT77_8", null)]
    public void Other_base64_forms_are_kept(string onTheWire, string? decodedAs)
    {
        var blob = JsonSerializer.Deserialize<Blob>($$"""{"mimeType":"image/png","data":"{{onTheWire}}"}""", Wire)!;

        if (decodedAs is null)
        {
            Assert.Null(blob.Bytes);
            Assert.Equal(onTheWire, blob.Data);
        }
        else
        {
            Assert.Equal(Convert.FromBase64String(decodedAs), blob.Bytes);
        }

        var image = new GeminiImage(blob.MimeType!, blob.Data!);
        Assert.Equal(Encoding.ASCII.GetBytes("Hello world"), image.Bytes.Take(11));
    }

    [Fact]
    public void A_gzipd_answer_with_URL_safe_base64_across_pieces_still_gives_the_image()
    {
        byte[] image = new byte[300_000];
        new Random(11).NextBytes(image);
        string urlSafe = Convert.ToBase64String(image).Replace('+', '-').Replace('/', '_');
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, $$$"""
            {"candidates":[{"content":{"role":"model","parts":[{"inlineData":{"mimeType":"image/png","data":"{{{urlSafe}}}"}}]},"finishReason":"STOP"}]}
            """).WithGzip());
        using var shell = new Shell(server);

        ShellResult result = shell.Run("(Invoke-GeminiContent 'Draw').Images");

        result.AssertNoErrors();
        Assert.Equal(image, result.Single<GeminiImage>().Bytes);
    }

    [Theory]
    [InlineData(false, 200_000)]
    [InlineData(true, 200_000)]   // gzip'd: no Content-Length, so read in pieces and the base64 decoded across them
    [InlineData(true, 1_500_000)]
    [InlineData(true, 10)]
    public void An_answer_with_an_image_gives_its_bytes(bool gzip, int size)
    {
        byte[] image = new byte[size];
        new Random(9).NextBytes(image);
        using var server = FakeGeminiServer.Start();
        server.Enqueue(FakeReply.Json(200, $$$"""
            {"candidates":[{"content":{"role":"model","parts":[{"inlineData":{"mimeType":"image/png","data":"{{{Convert.ToBase64String(image)}}}"}}]},"finishReason":"STOP"}]}
            """).WithGzip(gzip));
        using var shell = new Shell(server);

        ShellResult result = shell.Run("(Invoke-GeminiContent 'Draw').Images");

        result.AssertNoErrors();
        Assert.Equal(image, result.Single<GeminiImage>().Bytes);
    }
}
