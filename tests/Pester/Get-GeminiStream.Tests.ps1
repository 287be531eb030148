BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Start-FakeGemini
    $PSDefaultParameterValues['*-Gemini*:BaseUri'] = $server.Uri
    $PSDefaultParameterValues['*-Gemini*:ApiKey'] = $server.Key
}

AfterAll {
    $PSDefaultParameterValues.Remove('*-Gemini*:BaseUri')
    $PSDefaultParameterValues.Remove('*-Gemini*:ApiKey')
    Stop-FakeGemini $server
}

Describe 'Get-GeminiStream' {
    It 'Each_server_event_becomes_a_chunk_object' {
        $chunks = @('Tell me a story' | Get-GeminiStream)
        $chunks.Count | Should -BeGreaterThan 1
        $chunks[0] | Should -BeOfType ([CometGemini.GeminiStreamChunk])
        -join $chunks.Text | Should -Be 'Echo: Tell me a story'
        $chunks[-1].FinishReason | Should -Be 'STOP'
    }

    It 'A_downstream_command_that_ends_the_pipeline_early_closes_the_stream' {
        # Select-Object -First is the real-console case the hosted xunit engine cannot run.
        $first = Get-GeminiStream 'one two three four five six' | Select-Object -First 1
        $first.Index | Should -Be 0
    }
}
