using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net.Sockets;
using System.Threading.Tasks;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>
/// Inputs that are not regular files (a link to /dev/zero or /dev/urandom, a FIFO, a socket, a character device) are
/// refused before a byte is read, each with its own error, and the inputs after them are still sent. Today a link to
/// /dev/zero named like a text file is read for ever (3 GB in 6.7 s) and a FIFO blocks the open.
/// </summary>
public sealed class NotRegularFileTests
{
    // Far above what refusing takes; reaching it means the read never ended.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    private static string MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", path) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    private static ShellResult RunBounded(Shell shell, string script)
    {
        Task<ShellResult> run = Task.Run(() => shell.Run(script));
        Assert.True(run.Wait(Hang), "the command never ended: it is reading a file without end");
        return run.Result;
    }

    [Fact]
    public void Devices_FIFOs_sockets_and_links_to_them_are_refused_before_reading_and_the_next_file_is_sent()
    {
        if (OperatingSystem.IsWindows())
            return; // no /dev, FIFOs or Unix sockets to make
        string folder = TempDir.Create();
        File.CreateSymbolicLink(Path.Combine(folder, "zero.txt"), "/dev/zero");
        File.CreateSymbolicLink(Path.Combine(folder, "random.png"), "/dev/urandom");
        MakeFifo(Path.Combine(folder, "pipe.txt"));
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(folder, "sock.txt")));
        File.WriteAllText(Path.Combine(folder, "real.txt"), "regular");
        string[] refused = { Path.Combine(folder, "zero.txt"), Path.Combine(folder, "random.png"), Path.Combine(folder, "pipe.txt"), Path.Combine(folder, "sock.txt"), "/dev/zero" };

        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        shell.Set("files", refused.Append(Path.Combine(folder, "real.txt")).ToArray());
        ShellResult result = RunBounded(shell, "$files | ForEach-Object { [pscustomobject]@{ PSPath = $_ } } | Invoke-GeminiContent -Prompt 'Summarize'");

        Assert.Null(result.Terminating);
        Assert.Equal("Echo: regularSummarize", result.Single<GenerateContentResponse>().Text);
        Assert.Equal(refused, result.Errors.Select(e => e.TargetObject));
        Assert.All(result.Errors, e =>
        {
            Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
            Assert.Equal("GeminiFileUnreadable", e.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains("not a regular file", e.Exception.Message);
            Assert.Contains("Pass a regular file", e.Exception.Message);
        });
        Assert.Contains("character device", result.Errors[0].Exception.Message);
        Assert.Contains("FIFO", result.Errors[2].Exception.Message);
        Assert.Contains("socket", result.Errors[3].Exception.Message);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public void New_GeminiPart_and_Import_GeminiChat_refuse_them_too()
    {
        if (OperatingSystem.IsWindows())
            return;
        string folder = TempDir.Create();
        string link = Path.Combine(folder, "chat.json");
        File.CreateSymbolicLink(link, "/dev/zero");
        string fifo = MakeFifo(Path.Combine(folder, "part.txt"));
        using var shell = new Shell();
        shell.Set("link", link);
        shell.Set("fifo", fifo);

        ShellResult part = RunBounded(shell, "New-GeminiPart -LiteralPath $fifo");
        ShellResult chat = RunBounded(shell, "Import-GeminiChat -LiteralPath $link");

        Assert.Contains("FIFO", Assert.Single(part.Errors).Exception.Message);
        Assert.Equal(ErrorCategory.InvalidArgument, part.Errors[0].CategoryInfo.Category);
        Assert.Contains("character device", Assert.Single(chat.Errors).Exception.Message);
        Assert.Equal(link, chat.Errors[0].TargetObject);
    }
}
