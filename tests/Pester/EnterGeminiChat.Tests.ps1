# Enter-GeminiChat in a real pwsh: a child whose standard input is the conversation, as a user's lines would be.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Enter-FakeGemini

    # Runs $Script in a child pwsh (interactive, so Host.UI.ReadLine reads the piped lines) pointed at the fake server.
    function Invoke-Chat {
        param([Parameter(Mandatory)] [string[]] $Line, [string] $Script = '$chat = Enter-GeminiChat; "TURNS=$($chat.Turns)"')
        $manifest = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../../out/CometGemini/CometGemini.psd1')).ProviderPath
        $prelude = "Import-Module '$($manifest.Replace("'", "''"))'; " +
            "`$PSDefaultParameterValues['*-Gemini*:BaseUri'] = '$($server.Uri)'; `$PSDefaultParameterValues['*-Gemini*:ApiKey'] = '$($server.Key)'`n"
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($prelude + $Script))
        $out = $Line | & (Get-PwshPath) -NoProfile -OutputFormat Text -EncodedCommand $encoded 2>&1 |
            ForEach-Object { "$_" -replace '\x1b\[[0-9;?]*[A-Za-z]', '' }
        [pscustomobject]@{ Lines = @($out); Text = ($out -join "`n"); ExitCode = $LASTEXITCODE }
    }
}

AfterAll {
    Exit-FakeGemini $server
}

Describe 'Enter-GeminiChat' {
    It 'Two_turns_then_save_and_exit_and_the_saved_file_imports' {
        $file = Join-Path $TestDrive 'chat.json'
        $run = Invoke-Chat -Line 'First question', 'Second question', "/save $file", '/exit', 'never sent'
        $run.ExitCode | Should -Be 0
        $run.Text | Should -Match 'Echo: First question'
        $run.Text | Should -Match 'Echo: Second question'
        $run.Text | Should -Match 'Saved the 2-turn chat'
        $run.Text | Should -Match 'TURNS=2'
        $run.Text | Should -Not -Match 'never sent'
        $loaded = Import-GeminiChat -Path $file
        $loaded.History.Text | Should -Be @('First question', 'Echo: First question', 'Second question', 'Echo: Second question')
        Get-Content -LiteralPath $file -Raw | Should -Not -Match ([regex]::Escape($server.Key))
    }

    It 'Model_switches_the_chat_and_an_unknown_command_says_so_and_sends_nothing' {
        $run = Invoke-Chat -Line '/model gemini-2.5-pro', '/frobnicate', 'Hello' -Script '$chat = Enter-GeminiChat; "MODEL=$($chat.Model) TURNS=$($chat.Turns)"'
        $run.ExitCode | Should -Be 0
        $run.Text | Should -Match 'Now asking gemini-2.5-pro'
        $run.Text | Should -Match '/frobnicate is not a chat command; /help lists them'
        $run.Text | Should -Match 'MODEL=gemini-2.5-pro TURNS=1'
    }

    It 'The_end_of_input_leaves_the_chat_cleanly_and_a_given_chat_is_updated' {
        $run = Invoke-Chat -Line 'Only question' -Script '$chat = New-GeminiChat; $out = Enter-GeminiChat -Chat $chat; "OUT=$(@($out).Count) TURNS=$($chat.Turns) LAST=$($chat.LastAnswer)"'
        $run.ExitCode | Should -Be 0
        $run.Text | Should -Match 'OUT=0 TURNS=1 LAST=Echo: Only question'
        $run.Text | Should -Not -Match 'Exception|Error'
    }

    It 'Help_lists_the_commands_and_a_server_error_leaves_the_chat_going' {
        $run = Invoke-Chat -Line '/help', '/model no-such-model', 'Refused', '/model gemini-2.5-flash', 'Answered'
        $run.ExitCode | Should -Be 0
        $run.Text | Should -Match '/retry\s+ask the last question again'
        $run.Text | Should -Match '404'
        $run.Text | Should -Match 'Echo: Answered'
        $run.Text | Should -Match 'TURNS=1'
    }
}
