using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using FakeGemini;

namespace CometGemini.Demo;

/// <summary>
/// <c>dotnet run -c Release --project tools/Demo</c>: imports the built module (out/CometGemini) into the
/// PowerShell engine and runs a few commands against the local fake Gemini server, printing what a pwsh
/// console would. <c>-- --live</c> runs them against the real API instead (key and endpoint from the environment).
/// </summary>
public static class Program
{
    /// <summary>The commands shown, as a user would type them.</summary>
    public static readonly string[] Commands =
    {
        "'Explain how AI works in a few words' | Invoke-GeminiContent",
        "Get-GeminiStream 'Write a haiku about pipelines' | ForEach-Object { $Host.UI.Write($_.Text) }",
        "Invoke-GeminiContent 'List three primary colors' -ResponseSchema @{ type = 'array'; items = @{ type = 'string' } }",
        "(Invoke-GeminiContent 'How many tokens is this?').UsageMetadata",
    };

    public static int Main(string[] args)
    {
        bool live = args is ["--live"];
        if (args.Length > 0 && !live)
        {
            Console.Error.WriteLine("usage: dotnet run -c Release --project tools/Demo [-- --live]");
            return 2;
        }

        return Run(Console.Out, live);
    }

    /// <summary>Runs <see cref="Commands"/>; returns the number of commands that wrote errors.</summary>
    public static int Run(TextWriter output, bool live = false)
    {
        using FakeGeminiServer? server = live ? null : FakeGeminiServer.Start(new FakeGeminiOptions { ApiKey = "demo-key", RecordRequests = false });
        InitialSessionState state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { ManifestPath() });
        state.ThrowOnRunspaceOpenError = true;
        using Runspace runspace = RunspaceFactory.CreateRunspace(new TextHost(output, ansi: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected), state);
        runspace.Open();
        if (server is not null)
        {
            runspace.SessionStateProxy.SetVariable("PSDefaultParameterValues", new DefaultParameterDictionary
            {
                ["*-Gemini*:BaseUri"] = server.BaseUri,
                ["*-Gemini*:ApiKey"] = "demo-key",
            });
            output.WriteLine($"CometGemini, built into out/CometGemini, asking the local fake Gemini server at {server.BaseUri}");
            output.WriteLine("(set $env:COMETAPI_KEY and import out/CometGemini/CometGemini.psd1 in pwsh for the real thing).");
        }

        int failed = 0;
        foreach (string command in Commands)
        {
            output.WriteLine();
            output.WriteLine("PS> " + command);
            using PowerShell ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript(command);
            ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.All, PipelineResultTypes.Output); // errors and warnings show in place
            ps.AddCommand("Out-Default");
            ps.Invoke();
            if (ps.HadErrors)
                failed++;
        }

        return failed;
    }

    private static string ManifestPath()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            string manifest = Path.Combine(dir, "out", "CometGemini", "CometGemini.psd1");
            if (File.Exists(manifest))
                return manifest;
        }

        throw new FileNotFoundException("out/CometGemini/CometGemini.psd1 not found: build the module first (dotnet build -c Release).");
    }
}
