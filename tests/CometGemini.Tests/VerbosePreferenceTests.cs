using System.Linq;
using CometGemini.Tests.Harness;
using FakeGemini;

namespace CometGemini.Tests;

/// <summary>
/// The background work queues verbose lines only when they will be shown (each queued line wakes the pipeline
/// thread: bench/README.md, per-call overhead); what a user sees is decided as PowerShell decides it.
/// </summary>
public sealed class VerbosePreferenceTests
{
    [Theory]
    [InlineData("Invoke-GeminiContent 'Hi' -Verbose", true)]
    [InlineData("$VerbosePreference = 'Continue'; Invoke-GeminiContent 'Hi'", true)]
    [InlineData("$VerbosePreference = 'Continue'; Invoke-GeminiContent 'Hi' -Verbose:$false", false)]
    [InlineData("Invoke-GeminiContent 'Hi'", false)]
    [InlineData("$VerbosePreference = 'Continue'; Get-GeminiStream 'Hi' | ForEach-Object { $_ }", true)]
    public void The_clients_verbose_lines_follow_the_preference_and_the_switch(string script, bool shown)
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);

        ShellResult result = shell.Run(script);

        result.AssertNoErrors();
        bool clientLines = result.Verbose.Any(v => v.StartsWith("POST ", System.StringComparison.Ordinal))
            && result.Verbose.Any(v => v.StartsWith("200 ", System.StringComparison.Ordinal));
        Assert.Equal(shown, clientLines);
        if (!shown)
            Assert.Empty(result.Verbose);
    }
}
