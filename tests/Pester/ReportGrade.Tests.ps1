# Issue 19 in a real console: what a user running a nightly report sees (warnings, errors naming their input).
# Mirrors tests/CometGemini.Tests/ReportGradeTests.cs and WhatIfTests.cs.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Enter-FakeGemini
}

AfterAll {
    Exit-FakeGemini $server
}

Describe 'Report-grade results' {
    It 'A_pipeline_that_brings_nothing_warns_and_sends_nothing' {
        $dir = Join-Path $TestDrive 'nomatch'
        $null = New-Item -ItemType Directory $dir
        $run = Invoke-ChildPwsh -Server $server -Script "`$r = Get-ChildItem '$dir/*.nomatch' | Invoke-GeminiContent -Prompt 'Summarize'; 'ANSWERS: ' + @(`$r).Count"
        $run.Text | Should -Match 'WARNING: No input came down the pipeline; no request was sent\.'
        $run.Text | Should -Match 'ANSWERS: 0'
    }

    It 'Empty_and_non_UTF8_files_warn_by_name_and_Encoding_reads_them_right' {
        $dir = Join-Path $TestDrive 'mixed'
        $null = New-Item -ItemType Directory $dir
        [IO.File]::WriteAllBytes((Join-Path $dir 'empty.log'), [byte[]]@())
        [IO.File]::WriteAllBytes((Join-Path $dir 'ansi.log'), [byte[]](0x63, 0x61, 0x66, 0xE9))
        $run = Invoke-ChildPwsh -Server $server -Script @"
`$r = Get-ChildItem '$dir' -Filter *.log | Invoke-GeminiContent -Prompt 'x' -Summary
'SUMMARY: ' + (`$r | Where-Object { `$_ -is [CometGemini.GeminiRunSummary] })
`$latin = Invoke-GeminiContent -LiteralPath '$dir/ansi.log' -Encoding latin1 -WarningVariable w
'LATIN: ' + `$latin.Text + ' WARNINGS: ' + @(`$w).Count
"@
        $run.Text | Should -Match "WARNING: 'empty.log' is empty"
        $run.Text | Should -Match "WARNING: 'ansi.log' is not valid UTF-8"
        $run.Text | Should -Match 'SUMMARY: 2 input\(s\), 1 request\(s\), 1 succeeded, 1 failed \(1 refused before sending\)'
        $run.Text | Should -Match 'LATIN: Echo: café'
        $run.Text | Should -Match 'WARNINGS: 0'
    }

    It 'Errors_of_a_run_of_many_inputs_name_their_input_in_the_message' {
        $run = Invoke-ChildPwsh -Server $server -Script @'
'fine', 'FAKE-QUOTA 1s' | Invoke-GeminiContent -MaxRetries 0 -ErrorAction Continue 2>&1 | ForEach-Object { "LINE: $_" }
'@
        $run.Text | Should -Match "LINE: 'FAKE-QUOTA 1s': HTTP 429"
    }

    It 'A_retry_wait_over_5_seconds_warns_once_with_the_reason' {
        $run = Invoke-ChildPwsh -Server $server -Script @'
$null = Invoke-GeminiContent 'FAKE-QUOTA 6s' -MaxRetries 1 -ErrorAction SilentlyContinue
'DONE'
'@
        ([regex]::Matches($run.Text, 'WARNING: Waiting 6 s before retry 1 of 1')).Count | Should -Be 1
        $run.Text | Should -Match 'DONE'
    }
}
