# Mirrors tests/CometGemini.Tests/ConnectionTests.cs.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    # Connect-Gemini is what these tests check, so no per-command defaults here.
    $script:server = Start-FakeGemini -Key 'session-key-4711'
    $script:savedKey = $env:COMETAPI_KEY
    Remove-Item Env:COMETAPI_KEY, Env:GEMINI_API_KEY, Env:GOOGLE_API_KEY, Env:COMETAPI_BASE_URL -ErrorAction Ignore
}

AfterAll {
    Disconnect-Gemini
    $env:COMETAPI_KEY = $savedKey
    Stop-FakeGemini $server
}

Describe 'Connect-Gemini' {
    AfterEach { Disconnect-Gemini }

    It 'Connect_Gemini_keeps_key_endpoint_and_model_for_later_calls_and_never_shows_the_key' {
        $connection = Connect-Gemini -ApiKey $server.Key -BaseUri $server.Uri -Model gemini-3-pro-preview -PassThru
        $connection.Model | Should -Be 'gemini-3-pro-preview'
        $connection.KeySource | Should -Be '-ApiKey'
        ($connection | Out-String) | Should -Not -Match $server.Key
        $verbose = ('Hello' | Invoke-GeminiContent -Verbose 4>&1)
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Not -Match $server.Key
        ($verbose | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Text | Should -Be 'Echo: Hello'
    }

    It 'A_call_s_own_parameters_win_over_the_session_and_Disconnect_Gemini_forgets_it' {
        Connect-Gemini -ApiKey $server.Key -BaseUri $server.Uri
        Invoke-GeminiContent 'Hi' -ApiKey 'wrong-key' -ErrorAction SilentlyContinue -ErrorVariable refused | Out-Null
        $refused[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        Disconnect-Gemini
        { Invoke-GeminiContent 'Hi' } | Should -Throw -ErrorId 'GeminiApiKeyMissing*'
    }

    It 'The_session_reaches_other_runspaces' {
        Connect-Gemini -ApiKey $server.Key -BaseUri $server.Uri
        $manifest = Join-Path (Get-Module CometGemini).ModuleBase 'CometGemini.psd1'
        $texts = 1..4 | ForEach-Object -Parallel {
            Import-Module $using:manifest
            (Invoke-GeminiContent "Worker $_").Text
        } -ThrottleLimit 4
        $texts | Sort-Object | Should -Be @('Echo: Worker 1', 'Echo: Worker 2', 'Echo: Worker 3', 'Echo: Worker 4')
    }

    It 'The_key_can_come_from_a_credential' {
        $credential = [pscredential]::new('unused', (ConvertTo-SecureString $server.Key -AsPlainText -Force))
        (Connect-Gemini -Credential $credential -BaseUri $server.Uri -PassThru).KeySource | Should -Be '-Credential'
        (Invoke-GeminiContent 'From a credential').Text | Should -Be 'Echo: From a credential'
    }

    It 'Without_SecretManagement_Connect_Gemini_says_what_to_do' -Skip:([bool](Get-Command Get-Secret -ErrorAction Ignore)) {
        { Connect-Gemini -SecretName CometApiKey -BaseUri $server.Uri } | Should -Throw -ErrorId 'GeminiSecretManagementMissing*'
    }

    It 'A_chat_keeps_its_own_connection_in_memory_and_never_saves_it' {
        $chat = New-GeminiChat -ApiKey $server.Key -BaseUri $server.Uri
        (Invoke-GeminiContent 'First' -Chat $chat).Text | Should -Be 'Echo: First'
        $file = Join-Path $TestDrive 'chat.json'
        $chat | Export-GeminiChat -Path $file
        Get-Content -LiteralPath $file -Raw | Should -Not -Match ([regex]::Escape($server.Key))
    }
}
