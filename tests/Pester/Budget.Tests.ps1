# Mirrors of tests/CometGemini.Tests/TokenBudgetTests.cs: what a real console shows of the budget guard (the error
# text, the -Summary view), with the Utility cmdlets a real pwsh has. The echo server's answer to "item N" uses 5 tokens.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Enter-FakeGemini

    # What a console 120 columns wide shows for the objects, one string.
    function Show([Parameter(ValueFromPipeline)] $InputObject) {
        end { ($input | Out-String -Width 120) -replace '\x1b\[[0-9;?]*[A-Za-z]', '' }
    }

    # An error's message as one line: the console wraps it in its "| " frame.
    function Flat([string] $Shown) {
        ($Shown -replace '\r?\n\s*\|\s*', ' ') -replace ' +', ' '
    }
}

AfterAll {
    Exit-FakeGemini $server
}

Describe 'Invoke-GeminiContent -MaxTotalTokens' {
    It 'MaxTotalTokens_stops_the_run_before_the_request_that_would_pass_and_says_so_per_input' {
        $answers = 1..5 | ForEach-Object { "item $_" } |
            Invoke-GeminiContent -MaxTotalTokens 12 -ErrorVariable stopped -ErrorAction SilentlyContinue
        $answers.Text | Should -Be @('Echo: item 1', 'Echo: item 2', 'Echo: item 3')
        $stopped.Count | Should -Be 2
        $stopped[0].FullyQualifiedErrorId | Should -Be 'GeminiBudgetExceeded,CometGemini.Commands.InvokeGeminiContentCommand'
        $stopped[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $stopped.TargetObject | Should -Be @('item 4', 'item 5')

        $shown = Flat ($stopped[0] | Show)
        $shown | Should -Match 'Not sent: the token budget of 12 \(-MaxTotalTokens\) is used up: 15 tokens used\.'
        $shown | Should -Match 'Recommendation: Raise -MaxTotalTokens'
    }

    It 'The_summary_shows_the_budget_the_tokens_used_and_the_inputs_it_stopped' {
        $summary = 1..5 | ForEach-Object { "item $_" } |
            Invoke-GeminiContent -MaxTotalTokens 12 -Summary -ErrorAction SilentlyContinue |
            Where-Object { $_ -is [CometGemini.GeminiRunSummary] }
        $summary.MaxTotalTokens | Should -Be 12
        $summary.TotalTokens | Should -Be 15
        $summary.StoppedByBudget | Should -Be @('item 4', 'item 5')

        $shown = $summary | Show
        $shown | Should -Match 'Requests\s+Succeeded\s+Failed\s+Retries\s+PromptTokens\s+OutputTokens\s+TotalTokens\s+Elapsed\s+Budget'
        $shown | Should -Match '15/12, 2 stopped'
    }

    It 'Strict_refuses_a_request_whose_estimate_alone_would_pass_the_budget' {
        $null = 'one two three four five six seven eight nine ten eleven twelve' |
            Invoke-GeminiContent -MaxTotalTokens 10 -Strict -ErrorVariable stopped -ErrorAction SilentlyContinue
        Flat ($stopped[0] | Show) | Should -Match 'estimated at 12 \(-Strict\)'
    }
}

Describe 'Connect-Gemini -MaxTotalTokens' {
    AfterEach {
        Disconnect-Gemini
    }

    It 'A_session_budget_spans_the_commands_of_the_session_and_the_connection_shows_it' {
        $connection = Connect-Gemini -MaxTotalTokens 8 -PassThru
        $null = Invoke-GeminiContent 'item 1'
        $null = Get-GeminiStream 'item 2'
        $null = Invoke-GeminiContent 'item 3' -ErrorVariable stopped -ErrorAction SilentlyContinue
        $connection.UsedTokens | Should -Be 10
        $connection.RemainingTokens | Should -Be 0
        ($connection | Show) | Should -Match 'Budget\s+:\s+10 of 8 tokens used, 0 left'
        Flat ($stopped[0] | Show) | Should -Match 'token budget of 8 \(Connect-Gemini -MaxTotalTokens\)'
    }
}
