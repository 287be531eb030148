BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Enter-FakeGemini
}

AfterAll {
    Exit-FakeGemini $server
}

Describe 'GeminiChat' {
    It 'A_chat_sends_the_whole_history_and_its_settings_and_keeps_both_turns' {
        $chat = New-GeminiChat -SystemInstruction 'Answer briefly.'
        (Invoke-GeminiContent -Chat $chat 'First question').Text | Should -Be 'Echo: First question'
        (Invoke-GeminiContent -Chat $chat 'Second question').Text | Should -Be 'Echo: Second question'
        $chat.History.Count | Should -Be 4
        $chat.History.Role | Should -Be @('user', 'model', 'user', 'model')
        $chat.Turns | Should -Be 2
    }

    It 'A_saved_chat_reloads_into_an_identical_conversation_and_the_file_holds_no_key' {
        $chat = New-GeminiChat -Temperature 0.3
        $null = Invoke-GeminiContent -Chat $chat 'Remember 42.'
        $file = Join-Path $TestDrive 'chat.json'
        $chat | Export-GeminiChat -Path $file
        $loaded = Import-GeminiChat -Path $file
        $loaded.History.Text | Should -Be $chat.History.Text
        $loaded.Settings.GenerationConfig.Temperature | Should -Be 0.3
        Get-Content -LiteralPath $file -Raw | Should -Not -Match ([regex]::Escape($server.Key))
    }
}
