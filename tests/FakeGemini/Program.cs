using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace FakeGemini;

/// <summary>
/// <c>dotnet FakeGemini.dll [--port N] [--key K] [--comet] [--chunk-delay-ms N] [--route FROM=TO] [--no-stdin]</c>: runs the default
/// behaviour on 127.0.0.1, prints one line "FakeGemini listening on http://127.0.0.1:PORT" and serves until
/// stdin closes (unless --no-stdin), Ctrl+C or SIGTERM.
/// </summary>
public static class Program
{
    private const string Usage = "usage: dotnet FakeGemini.dll [--port N] [--key K] [--comet] [--chunk-delay-ms N] [--route FROM=TO] [--no-stdin]";

    public static int Main(string[] args)
    {
        var options = new FakeGeminiOptions { RecordRequests = false };
        bool watchStdin = true;
        for (int i = 0; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= 65535:
                    options = options with { Port = port };
                    i++;
                    break;
                case "--key" when value is not null:
                    options = options with { ApiKey = value };
                    i++;
                    break;
                case "--chunk-delay-ms" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int ms):
                    options = options with { DefaultChunkDelay = TimeSpan.FromMilliseconds(ms) };
                    i++;
                    break;
                case "--route" when value is not null && value.IndexOf('=') > 0:
                    options = options with
                    {
                        RoutedModels = new System.Collections.Generic.Dictionary<string, string>(options.RoutedModels)
                        {
                            [value.Substring(0, value.IndexOf('='))] = value.Substring(value.IndexOf('=') + 1),
                        },
                    };
                    i++;
                    break;
                case "--comet":
                    options = options with { CometMode = true };
                    break;
                case "--no-stdin":
                    watchStdin = false;
                    break;
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    Console.Error.WriteLine($"FakeGemini: bad argument '{args[i]}'.");
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        var stop = new ManualResetEventSlim(); // not disposed: the stdin thread or a signal may still set it at exit
        using FakeGeminiServer server = FakeGeminiServer.Start(options);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Set();
        };
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Set();
        });

        Console.Out.WriteLine($"FakeGemini listening on {server.BaseUri.GetLeftPart(UriPartial.Authority)}");
        Console.Out.Flush();

        if (watchStdin)
        {
            var reader = new Thread(() =>
            {
                try
                {
                    using Stream input = Console.OpenStandardInput();
                    var buffer = new byte[256];
                    while (input.Read(buffer, 0, buffer.Length) > 0)
                    {
                    }
                }
                catch (IOException)
                {
                }

                stop.Set();
            })
            { IsBackground = true, Name = "FakeGemini stdin" };
            reader.Start();
        }

        stop.Wait();
        return 0;
    }
}
