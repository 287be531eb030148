BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Enter-FakeGemini
}

AfterAll {
    Exit-FakeGemini $server
}

# Mirrors of tests/CometGemini.Tests/AnswerCacheTests.cs, for what a real console shows: the FromCache field, the -Verbose
# lines, and the What if: lines of a cache hit and of Clear-GeminiAnswerCache.
Describe 'Invoke-GeminiContent -AnswerCache and Clear-GeminiAnswerCache' {
    It 'A_second_run_sends_only_changed_inputs_and_writes_cached_answers_marked_FromCache_with_the_original_CreateTime' {
        $cache = Join-Path $TestDrive 'cache-second-run'
        $logs = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'logs')
        Set-Content -LiteralPath (Join-Path $logs 'app.log') -Value 'ERROR disk full'
        Set-Content -LiteralPath (Join-Path $logs 'web.log') -Value 'ERROR timeout'

        $first = Get-ChildItem -LiteralPath $logs -Filter *.log | Invoke-GeminiContent -Prompt 'Summarize the errors' -AnswerCache $cache
        Set-Content -LiteralPath (Join-Path $logs 'web.log') -Value 'ERROR timeout again'
        $verbose = Get-ChildItem -LiteralPath $logs -Filter *.log |
            Invoke-GeminiContent -Prompt 'Summarize the errors' -AnswerCache $cache -Verbose 4>&1
        $second = $verbose | Where-Object { $_ -is [CometGemini.GenerateContentResponse] }
        $lines = $verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message

        $first.FromCache | Should -Be @($false, $false)
        $first[0].CreateTime | Should -Not -BeNullOrEmpty # the echo gives none: the time it came, kept with the answer
        $second.FromCache | Should -Be @($true, $false)
        $second[0].CreateTime | Should -Be $first[0].CreateTime
        ($lines -match "^'app\.log': Answer cache hit \([0-9a-f]{64}\.json, saved .*\): not sent\.$") | Should -HaveCount 1
        ($lines -match "^'web\.log': Answer cache miss \([0-9a-f]{64}\.json\): sending it\.$") | Should -HaveCount 1
        ($second[0] | Format-List -Property FromCache, CreateTime, Text | Out-String) | Should -Match 'FromCache\s*:\s*True'
        (Get-ChildItem -LiteralPath $cache -Filter *.json).Name | ForEach-Object { $_ | Should -Match '^[0-9a-f]{64}\.json$' }
        if (-not $IsWindows) {
            (Get-Item -LiteralPath $cache).UnixMode | Should -Be 'drwx------'
            Get-ChildItem -LiteralPath $cache | ForEach-Object { $_.UnixMode | Should -Be '-rw-------' }
        }
    }

    It 'A_second_run_over_500_unchanged_inputs_sends_no_request' {
        $cache = Join-Path $TestDrive 'cache-500'
        $null = 1..500 | ForEach-Object { "log line $_" } | Invoke-GeminiContent -AnswerCache $cache -ThrottleLimit 8
        $results = 1..500 | ForEach-Object { "log line $_" } | Invoke-GeminiContent -AnswerCache $cache -ThrottleLimit 8 -Summary
        $summary = $results | Select-Object -Last 1

        $summary.CacheHits | Should -Be 500
        $summary.Requests | Should -Be 0
        ($summary | Format-List | Out-String) | Should -Match 'CacheHits\s*:\s*500'
        ($results | Select-Object -First 500 | Where-Object FromCache) | Should -HaveCount 500
    }

    It 'WhatIf_with_a_hit_says_it_would_answer_from_the_cache_and_writes_and_changes_nothing' {
        $cache = Join-Path $TestDrive 'cache-whatif'
        $null = Invoke-GeminiContent 'cached prompt' -AnswerCache $cache
        $script = "`$cache = '$($cache.Replace("'", "''"))'`n" + @'
'cached prompt', 'new prompt' | Invoke-GeminiContent -AnswerCache $cache -WhatIf
'@
        $run = Invoke-ChildPwsh -Script $script -Server $server

        $run.Text | Should -Match "What if: Answering 'cached prompt' from the answer cache \(.*[0-9a-f]{64}\.json\); nothing would be sent"
        $run.Text | Should -Match 'What if: Sending 1 request to .*new prompt'
        $run.Text | Should -Not -Match 'Echo:'
    }

    It 'Clear_GeminiAnswerCache_empties_the_cache_honours_OlderThan_and_WhatIf_and_leaves_other_files' {
        $cache = Join-Path $TestDrive 'cache-clear'
        $null = 'a', 'b' | Invoke-GeminiContent -AnswerCache $cache
        Set-Content -LiteralPath (Join-Path $cache 'notes.txt') -Value 'mine'
        $script = "`$cache = '$($cache.Replace("'", "''"))'`n" + @'
Clear-GeminiAnswerCache -Path $cache -WhatIf
'@
        $whatIf = Invoke-ChildPwsh -Script $script -Server $server

        $whatIf.Text | Should -Match "What if: Remove every answer from the answer cache '.*cache-clear' \(2 file\(s\), [\d,.]+ bytes\)"
        Get-ChildItem -LiteralPath $cache | Should -HaveCount 3
        Clear-GeminiAnswerCache -Path $cache -OlderThan 1.00:00:00
        Get-ChildItem -LiteralPath $cache | Should -HaveCount 3
        Get-Item -LiteralPath $cache | Clear-GeminiAnswerCache
        (Get-ChildItem -LiteralPath $cache).Name | Should -Be 'notes.txt'
    }
}
