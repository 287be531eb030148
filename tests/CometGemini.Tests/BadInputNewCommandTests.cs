using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CometGemini.Tests.Harness;
using FakeGemini;
using Xunit.Abstractions;

namespace CometGemini.Tests;

/// <summary>
/// BadInputTests for the commands that came after it (models, tokens, embeddings, caches, batch jobs, batch pipelines):
/// bad values stop before anything is sent, with a message that says what to change. {dir} is a folder with note.txt.
/// </summary>
public sealed class BadInputNewCommandTests
{
    private readonly ITestOutputHelper _output;

    public BadInputNewCommandTests(ITestOutputHelper output) => _output = output;

    [Theory]
    // Get-GeminiEmbedding
    [InlineData("Get-GeminiEmbedding 'x' -OutputDimensionality 0", "greater than or equal to 1")]
    [InlineData("Get-GeminiEmbedding 'x' -OutputDimensionality -5", "greater than or equal to 1")]
    [InlineData("Get-GeminiEmbedding 'x' -TaskType 'retrieval?query'", "-TaskType")]
    [InlineData("Get-GeminiEmbedding 'x' -TaskType '42'", "RETRIEVAL_QUERY, RETRIEVAL_DOCUMENT")]
    [InlineData("Get-GeminiEmbedding 'x' -TaskType CLUSTERING -Title 'Doc'", "RETRIEVAL_DOCUMENT")]
    [InlineData("[pscustomobject]@{ Title = 'T'; Text = 'x' } | Get-GeminiEmbedding -TaskType RETRIEVAL_QUERY", "RETRIEVAL_DOCUMENT")]
    [InlineData("Get-GeminiEmbedding 'x' -Model 'gemini embedding'", "-Model")]
    [InlineData("Get-GeminiEmbedding ''", "text")]
    [InlineData("Get-GeminiEmbedding -LiteralPath '{dir}/missing.txt'", "Check the path")]
    [InlineData("Get-GeminiEmbedding -Path '{dir}/*.nothing'", "{dir}")]
    // Measure-GeminiToken and Get-GeminiModel
    [InlineData("Measure-GeminiToken 'x' -Model 'gemini 2.5'", "-Model")]
    [InlineData("Measure-GeminiToken ''", "Pass the text to ask about")]
    [InlineData("Get-GeminiModel 'gemini 2.5'", "Model names look like")]
    [InlineData("Get-GeminiModel '../files'", "Model names look like")]
    [InlineData("Get-GeminiModel ''", "null, empty")]
    // New-/Set-/Get-/Remove-GeminiCache
    [InlineData("New-GeminiCache 'x' -Ttl '-01:00:00'", "positive")]
    [InlineData("New-GeminiCache 'x' -Ttl 0", "positive")]
    [InlineData("New-GeminiCache 'x' -ExpireTime ([datetime]::Now.AddMinutes(-5))", "in the future")]
    [InlineData("New-GeminiCache 'x' -Ttl '01:00:00' -ExpireTime ([datetime]::Now.AddHours(2))", "not both")]
    [InlineData("New-GeminiCache", "Nothing to cache")]
    [InlineData("New-GeminiCache 'x' -Model 'gemini 2.5'", "-Model")]
    [InlineData("New-GeminiCache 'x' -ToolConfig '{not json'", "JSON")]
    [InlineData("New-GeminiCache -LiteralPath '{dir}/missing.txt'", "Check the path")]
    [InlineData("Set-GeminiCache -Name abc", "mandatory parameters: Ttl")] // PowerShell's own words (an interactive host asks for it)
    [InlineData("Set-GeminiCache -Name abc -Ttl '-00:10:00'", "positive")]
    [InlineData("Set-GeminiCache -Name abc -ExpireTime ([datetime]::Now.AddDays(-1))", "in the future")]
    [InlineData("Set-GeminiCache -Name '../models/x' -Ttl '01:00:00'", "cache name")]
    [InlineData("Remove-GeminiCache -Name '../models/x' -Confirm:$false", "cache name")]
    [InlineData("Get-GeminiCache -Name ''", "null, empty")]
    // Start-/Get-/Wait-/Stop-/Remove-/Receive-GeminiBatchJob
    [InlineData("Start-GeminiBatchJob", "-Prompt")]
    [InlineData("Start-GeminiBatchJob ''", "Pass the text to ask about")]
    [InlineData("Start-GeminiBatchJob 'x' -InlineLimit -1", "greater than or equal to 0")]
    [InlineData("Start-GeminiBatchJob 'x' -Model 'gemini 2.5'", "-Model")]
    [InlineData("Start-GeminiBatchJob 'x' -Temperature 3", "less than or equal to 2")]
    [InlineData("Wait-GeminiBatchJob -Name abc -MaxWaitSec -1", "greater than or equal to 0")]
    [InlineData("Wait-GeminiBatchJob -Name abc -PollIntervalSec 0", "greater than or equal to 0.1")]
    [InlineData("Wait-GeminiBatchJob -Name 'batches/../x'", "batch job name")]
    [InlineData("Get-GeminiBatchJob -Name 'a b'", "batch job name")]
    [InlineData("Stop-GeminiBatchJob -Name '../x' -Confirm:$false", "batch job name")]
    [InlineData("Remove-GeminiBatchJob -Name '?x' -Confirm:$false", "batch job name")]
    [InlineData("Receive-GeminiBatchJob -Name 'files/x'", "batch job name")]
    // Invoke-GeminiContent's batch pipelines
    [InlineData("'a','b' | Invoke-GeminiContent -ThrottleLimit 0", "greater than or equal to 1")]
    [InlineData("'a','b' | Invoke-GeminiContent -ThrottleLimit 101", "less than or equal to 100")]
    [InlineData("'a','b' | Invoke-GeminiContent -RequestsPerMinute 0", "greater than or equal to 1")]
    [InlineData("'a','b' | Invoke-GeminiContent -RequestsPerMinute -3", "greater than or equal to 1")]
    [InlineData("Invoke-GeminiContent 'a' -Chat (New-GeminiChat) -ThrottleLimit 2", "-ThrottleLimit")]
    [InlineData("[pscustomobject]@{ Name = 'n' } | Invoke-GeminiContent -PromptTemplate 'Hello {Name'", "{{")]
    [InlineData("[pscustomobject]@{ Name = 'n' } | Invoke-GeminiContent -PromptTemplate 'Hello Name}'", "}}")]
    [InlineData("[pscustomobject]@{ Name = 'n' } | Start-GeminiBatchJob -PromptTemplate '{Name} {'", "{{")]
    [InlineData("[pscustomobject]@{ Name = 'n' } | Measure-GeminiToken -PromptTemplate '{{Name}'", "}}")]
    [InlineData("[pscustomobject]@{ Name = 'n' } | Invoke-GeminiContent -PromptTemplate 'Hello {Nmae}'", "Fix the placeholder")]
    [InlineData("[pscustomobject]@{ Name = 'n' } | Invoke-GeminiContent -PromptTemplate ''", "not null or empty")]
    [InlineData("Invoke-GeminiContent 'x' -Batch", "mandatory parameters: InputObject")]
    [InlineData("Invoke-GeminiContent -Batch", "mandatory parameters: InputObject")]
    [InlineData("Get-GeminiStream -InputObject $null", "'InputObject'. The argument is null")]
    [InlineData("Invoke-GeminiContent -InputObject @()", "'InputObject' because it is an empty array")]
    public void Bad_input_to_the_newer_commands_is_refused_before_sending_with_what_to_do(string script, string advice)
    {
        using var server = FakeGeminiServer.Start();
        using var shell = new Shell(server);
        string dir = TempDir.Create();
        File.WriteAllText(Path.Combine(dir, "note.txt"), "Buy milk.");

        ShellResult result = shell.Run(script.Replace("{dir}", dir));

        ErrorRecord? error = (result.Terminating as IContainsErrorRecord)?.ErrorRecord ?? result.Errors.FirstOrDefault();
        Assert.True(error is not null, $"no error for: {script}");
        string told = string.Join(" | ", error!.Exception.Message, error.ErrorDetails?.Message, error.ErrorDetails?.RecommendedAction);
        _output.WriteLine($"{script}\n  -> {error.FullyQualifiedErrorId} [{error.CategoryInfo.Category}] {told}");
        Assert.Contains(advice.Replace("{dir}", dir), told, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, server.RequestCount);
        Assert.Empty(result.Output);
    }
}
