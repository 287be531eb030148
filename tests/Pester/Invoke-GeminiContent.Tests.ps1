BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Enter-FakeGemini
}

AfterAll {
    Exit-FakeGemini $server
}

Describe 'Invoke-GeminiContent' {
    It 'A_piped_prompt_gets_a_typed_answer_from_the_default_model' {
        $response = 'Explain how AI works in a few words' | Invoke-GeminiContent
        $response | Should -BeOfType ([CometGemini.GenerateContentResponse])
        $response.Text | Should -Be 'Echo: Explain how AI works in a few words'
        $response.FinishReason | Should -Be 'STOP'
    }

    It 'Each_piped_string_is_its_own_request_and_answers_come_in_order' {
        $texts = 'one', 'two', 'three' | Invoke-GeminiContent | ForEach-Object Text
        $texts | Should -Be @('Echo: one', 'Echo: two', 'Echo: three')
    }

    It 'Files_piped_in_give_one_request_each_with_the_prompt_and_say_which_file_they_answer' {
        $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'logs')
        Set-Content -LiteralPath (Join-Path $dir 'app.log') -Value 'ERROR disk full'
        Set-Content -LiteralPath (Join-Path $dir 'web.log') -Value 'ERROR timeout'

        $responses = Get-ChildItem -LiteralPath $dir -Filter *.log | Invoke-GeminiContent -Prompt 'Summarize the errors'

        $responses | Should -HaveCount 2
        $responses.SourcePath | Sort-Object | Should -Be @((Join-Path $dir 'app.log'), (Join-Path $dir 'web.log'))
        $csv = $responses | Select-Object SourcePath, Text | ConvertTo-Csv
        $csv | Should -Not -BeNullOrEmpty
    }

    It 'Thinking_options_are_checked_by_what_the_model_takes_and_the_server_400_brings_advice' {
        { Invoke-GeminiContent 'Hi' -Model gemini-3.8-flash -ThinkingLevel Minimal } | Should -Throw '*Low, Medium or High, not Minimal*'
        { Invoke-GeminiContent 'Hi' -Model gemini-3.8-flash -ThinkingBudget 1024 } | Should -Throw '*-ThinkingLevel*'
        $null = Invoke-GeminiContent 'Hi' -Model gemini-2.5-flash -ThinkingLevel High -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 1
        $failures[0].ErrorDetails.RecommendedAction | Should -BeLike '*-ThinkingBudget*'
    }

    It 'Recorded_Google_errors_become_errors_with_the_right_category_and_are_not_retried' {
        $null = Invoke-GeminiContent 'Hi' -Model not-a-gemini-model -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -HaveCount 1
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be 'Hi'
    }

    It 'Verbose_tells_endpoint_model_and_time_and_Debug_shows_the_body_but_never_the_key' {
        # One line per record (Out-String would wrap long lines at the host's width and split what is matched).
        $all = (Invoke-GeminiContent 'Hi there' -Verbose -Debug 5>&1 4>&1 | ForEach-Object { "$_" }) -join "`n"
        $all | Should -Match 'gemini-3-flash-preview:generateContent'
        $all | Should -Match 'Request body: .*Hi there'
        $all | Should -Not -Match ([regex]::Escape($server.Key))
    }
}
