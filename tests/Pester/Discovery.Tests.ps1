BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Enter-FakeGemini
}

AfterAll {
    Exit-FakeGemini $server
}

Describe 'Models, tokens and completion' {
    It 'Get_GeminiModel_gets_one_by_name_and_filters_the_list_by_wildcard' {
        (Get-GeminiModel gemini-2.5-flash).InputTokenLimit | Should -Be 1048576
        (Get-GeminiModel *pro*).Name | Should -Be 'gemini-3-pro-preview'
        (Get-GeminiModel).Count | Should -Be 5
    }

    It 'Measure_GeminiToken_counts_a_prompt_in_the_generateContentRequest_form' {
        $count = Measure-GeminiToken 'The quick brown fox jumps over the lazy dog.'
        $count.TotalTokens | Should -Be 9
        $count.PSObject.TypeNames[0] | Should -Be 'CometGemini.GeminiTokenCount'
    }

    It 'Model_names_come_from_the_endpoint_s_list' {
        $line = "Invoke-GeminiContent 'Hi' -BaseUri '$($server.Uri)' -ApiKey $($server.Key) -Model gemini-3"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
            Should -Be @('gemini-3-pro-preview', 'gemini-3-flash-preview', 'gemini-3.8-flash')
    }

    It 'The_verb_is_approved' {
        $approved = (Get-Verb).Verb
        Get-Command -Module CometGemini | ForEach-Object { $_.Verb | Should -BeIn $approved }
    }
}
