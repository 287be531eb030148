BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Enter-FakeGemini
}

AfterAll {
    Exit-FakeGemini $server
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
        # Select-Object -First is the real-console case the hosted xunit engine cannot run. With 3 s between
        # events the whole answer (three events) takes 6 s; leaving after the first must not wait for the rest.
        $slow = Start-FakeGemini -ChunkDelayMs 3000
        try {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $first = Get-GeminiStream 'one two three four five six' -BaseUri $slow.Uri -ApiKey $slow.Key | Select-Object -First 1
            $clock.Stop()
            $first.Index | Should -Be 0
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 5 # not the 6 s of the whole answer
        }
        finally {
            Stop-FakeGemini $slow
        }
    }
}
