BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Enter-FakeGemini
}

AfterAll {
    Exit-FakeGemini $server
}

# Mirrors of tests/CometGemini.Tests/ThrottledRunTests.cs and ObjectInputTests.cs, with the Utility cmdlets a real pwsh has.
Describe 'Invoke-GeminiContent runs of many inputs (-ThrottleLimit)' {
    It 'ThrottleLimit_runs_requests_at_once_and_writes_answers_in_input_order' {
        $texts = 1..8 | ForEach-Object { "item $_" } | Invoke-GeminiContent -ThrottleLimit 4 | ForEach-Object Text
        $texts | Should -Be (1..8 | ForEach-Object { "Echo: item $_" })
    }

    It 'Retries_apply_per_input_and_the_summary_counts_them' {
        $results = 'a', 'b', 'c' | Invoke-GeminiContent -ThrottleLimit 2 -Summary
        $summary = $results | Select-Object -Last 1
        $summary | Should -BeOfType ([CometGemini.GeminiRunSummary])
        $summary.Requests | Should -Be 3
        $summary.Succeeded | Should -Be 3
        $summary.TotalTokens | Should -Be ($results | Select-Object -First 3 | ForEach-Object { $_.UsageMetadata.TotalTokenCount } | Measure-Object -Sum).Sum
    }

    It 'Answers_carry_their_input_so_a_report_needs_no_bookkeeping' {
        $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'report-logs')
        Set-Content -LiteralPath (Join-Path $dir 'app.log') -Value 'ERROR disk full'
        Set-Content -LiteralPath (Join-Path $dir 'web.log') -Value 'ERROR timeout'
        $csv = Join-Path $TestDrive 'report.csv'

        Get-ChildItem -LiteralPath $dir -Filter *.log |
            Invoke-GeminiContent -Prompt 'Summarize the errors' -ThrottleLimit 2 |
            Select-Object @{ n = 'File'; e = { Split-Path $_.SourcePath -Leaf } }, Text, @{ n = 'Tokens'; e = { $_.UsageMetadata.TotalTokenCount } } |
            Export-Csv -LiteralPath $csv -NoTypeInformation

        $rows = Import-Csv -LiteralPath $csv
        $rows.File | Should -Be @('app.log', 'web.log')
        $rows | ForEach-Object { [int]$_.Tokens | Should -BeGreaterThan 0 }
    }

    It 'Batch_sends_every_object_in_one_request' {
        $services = 'spooler', 'sshd' | ForEach-Object { [pscustomobject]@{ Name = $_; Status = 'Stopped' } }
        $answer = $services | Invoke-GeminiContent -Prompt 'Which matter?' -Batch
        $answer | Should -HaveCount 1
        $answer.Input | Should -HaveCount 2
    }

    It 'PromptTemplate_fills_properties_per_object_and_a_missing_property_is_an_error_for_that_object' {
        $answers = [pscustomobject]@{ Title = 'VPN down'; Body = 'No one can connect' }, [pscustomobject]@{ Title = 'No body' } |
            Invoke-GeminiContent -PromptTemplate 'Classify: {Title} - {Body}' -ErrorVariable failures -ErrorAction SilentlyContinue
        $answers | Should -HaveCount 1
        $answers.Text | Should -Be 'Echo: Classify: VPN down - No one can connect'
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'GeminiTemplatePropertyMissing,*'
    }

    It 'Several_runspaces_run_batches_at_once' {
        $uri = $server.Uri
        $key = $server.Key
        $module = Join-Path $PSScriptRoot '../../out/CometGemini/CometGemini.psd1'
        $counts = 1..3 | ForEach-Object -Parallel {
            Import-Module $using:module
            $runspace = $_
            (1..5 | ForEach-Object { "r$runspace $_" } | Invoke-GeminiContent -ThrottleLimit 3 -BaseUri $using:uri -ApiKey $using:key).Count
        } -ThrottleLimit 3
        $counts | Should -Be @(5, 5, 5)
    }
}
