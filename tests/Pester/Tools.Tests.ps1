BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Enter-FakeGemini

    # A child pwsh with a real console host that can prompt (no -NonInteractive), its answers typed on stdin.
    function Invoke-AnsweringPwsh {
        param([Parameter(Mandatory)] [string] $Script, [string[]] $Answers = @(), $Server)
        $manifest = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../../out/CometGemini/CometGemini.psd1')).ProviderPath
        $prelude = "Import-Module '$($manifest.Replace("'", "''"))'`n" +
            "`$PSDefaultParameterValues['*-Gemini*:BaseUri'] = '$($Server.Uri)'; `$PSDefaultParameterValues['*-Gemini*:ApiKey'] = '$($Server.Key)'`n"
        $file = Join-Path $TestDrive "answering-$([guid]::NewGuid().ToString('n')).ps1"
        Set-Content -LiteralPath $file -Value ($prelude + $Script) -Encoding utf8
        $raw = ($Answers | & (Get-PwshPath) -NoProfile -File $file 2>&1 | ForEach-Object { "$_" }) -join "`n"
        [pscustomobject]@{ Raw = $raw; Text = $raw -replace '\x1b\[[0-9;?]*[A-Za-z]', '' }
    }
}

AfterAll {
    Exit-FakeGemini $server
}

Describe 'Tools' {
    It 'A_command_becomes_a_declaration_from_its_parameters_and_help' {
        function Get-MyServiceStatus {
            <#
            .SYNOPSIS
            Reports whether services are running or stopped.
            #>
            param([Parameter(Mandatory)] [string[]] $Name, [ValidateSet('Running', 'Stopped')] [string] $State)
            $Name
        }
        # The default fake answers in text, so no call is made; -Debug shows the declaration that was sent.
        $debug = (Invoke-GeminiContent 'Hi' -Tool (Get-Command Get-MyServiceStatus) -Debug 5>&1 4>$null | ForEach-Object { "$_" }) -join "`n"
        $debug | Should -Match '"functionDeclarations"'
        $debug | Should -Match '"name":"Get-MyServiceStatus"'
        $debug | Should -Match '"enum":\["Running","Stopped"\]'
        $debug | Should -Match '"required":\["Name"\]'
    }

    It 'A_tool_that_is_not_a_command_is_a_clear_error_before_sending' {
        { Invoke-GeminiContent 'x' -Tool Get-NoSuchThing -ErrorAction Stop } | Should -Throw -ErrorId 'GeminiToolNotFound*'
    }

    It 'The_confirmation_shows_the_call_as_escaped_JSON_once_with_default_No_even_with_Confirm' {
        # A real console host (no -NonInteractive) reading its answers from stdin: Enter takes the default.
        $script = @'
function Stop-MyThing { param([string] $Name) $global:stopped++ }
$global:stopped = 0
$r = Invoke-GeminiContent 'FAKE-CALL {"name":"Stop-MyThing","args":{"Name":"\u001b[2K\u001b[1A\rGemini asks to run: Remove-Thing -Path ./old.log\nx"}}' -Tool Stop-MyThing -Confirm
"RAN: $global:stopped"
"TEXT: $($r.Text)"
'@
        # -Confirm first asks whether to send the request at all (issue 19): Y; then the call's own question: Enter.
        $run = Invoke-AnsweringPwsh -Script $script -Answers @('Y', '') -Server $server
        $run.Raw | Should -Not -Match '\x1b\[2K'
        $run.Raw | Should -Not -Match '\x1b\[1A'
        $run.Text | Should -Match ([regex]::Escape('Stop-MyThing {"Name":"\u001b[2K\u001b[1A\rGemini asks to run: Remove-Thing')) # the console wraps the rest
        $run.Text | Should -Match '\(default is "N"\)'
        ([regex]::Matches($run.Text, 'Gemini asks to run a command that may change the system')).Count | Should -Be 1
        $run.Text | Should -Match 'RAN: 0'
        $run.Text | Should -Match 'TEXT: .*declined'
    }

    It 'Confirm_false_and_ConfirmPreference_None_still_ask_and_only_Force_runs_without_asking' {
        $script = @'
function Stop-MyThing { param([string] $Name) $global:stopped++ }
$global:stopped = 0
$null = Invoke-GeminiContent 'FAKE-CALL {"name":"Stop-MyThing","args":{"Name":"a"}}' -Tool Stop-MyThing -Confirm:$false
$ConfirmPreference = 'None'
$null = Invoke-GeminiContent 'FAKE-CALL {"name":"Stop-MyThing","args":{"Name":"b"}}' -Tool Stop-MyThing
"ASKED-THEN: $global:stopped"
$null = Invoke-GeminiContent 'FAKE-CALL {"name":"Stop-MyThing","args":{"Name":"c"}}' -Tool Stop-MyThing -Force
"RAN: $global:stopped"
'@
        $run = Invoke-AnsweringPwsh -Script $script -Answers @('y', 'n') -Server $server
        ([regex]::Matches($run.Text, 'Gemini asks to run a command that may change the system')).Count | Should -Be 2
        $run.Text | Should -Match 'ASKED-THEN: 1'
        $run.Text | Should -Match 'RAN: 2'
    }

    It 'WhatIf_sends_nothing_says_what_it_would_send_escaped_and_runs_nothing' {
        # -WhatIf asks the model nothing (issue 19), so no call can come; the prompt shown is escaped as a call would be.
        $run = Invoke-AnsweringPwsh -Server $server -Script @'
function Stop-MyThing { param([string] $Name) $global:stopped++ }
$global:stopped = 0
$r = Invoke-GeminiContent "FAKE-CALL {`"name`":`"Stop-MyThing`",`"args`":{`"Name`":`"`e[2Kx`"}}" -Tool Stop-MyThing -WhatIf
"RAN: $global:stopped"
"ANSWERS: $(@($r).Count)"
'@
        $run.Text | Should -Match ([regex]::Escape('What if: Sending 1 request to gemini-3-flash-preview: FAKE-CALL {"name":"Stop-MyThing","args":{"Name":"\u001b[2Kx"}}, 1 part, ~'))
        $run.Raw | Should -Not -Match "`e\[2K"
        $run.Text | Should -Match 'RAN: 0'
        $run.Text | Should -Match 'ANSWERS: 0'
    }

    It 'Confirm_in_a_NonInteractive_pwsh_sends_nothing_and_says_why' {
        $run = Invoke-ChildPwsh -Server $server -Script @'
$r = Invoke-GeminiContent 'Say hi' -Confirm
"ANSWERS: $(@($r).Count)"
'@
        $run.Text | Should -Match 'WARNING: Cannot ask whether to send it \(no interactive host\), so nothing was sent: Sending 1 request to'
        $run.Text | Should -Match 'ANSWERS: 0'
        $run.Text | Should -Not -Match 'NonInteractive mode'
    }

    It 'Confirm_in_a_console_asks_before_the_request_and_No_sends_nothing' {
        $run = Invoke-AnsweringPwsh -Server $server -Answers 'N' -Script @'
$r = Invoke-GeminiContent 'Say hi' -Confirm
"ANSWERS: $(@($r).Count)"
'@
        $run.Text | Should -Match 'Sending 1 request to gemini-3-flash-preview: Say hi, 1 part, ~'
        $run.Text | Should -Match 'ANSWERS: 0'
    }

    It 'A_non_interactive_host_runs_nothing_and_the_model_is_told_the_user_declined' {
        $run = Invoke-ChildPwsh -Server $server -Script @'
function Stop-MyThing { param([string] $Name) $global:stopped++ }
$global:stopped = 0
$r = Invoke-GeminiContent 'FAKE-CALL {"name":"Stop-MyThing","args":{"Name":"a"}}' -Tool Stop-MyThing -WarningAction SilentlyContinue
"RAN: $global:stopped"
"TEXT: $($r.Text)"
'@
        $run.Text | Should -Match 'RAN: 0'
        $run.Text | Should -Match 'TEXT: .*declined'
        $run.Text | Should -Not -Match 'NonInteractive mode'
    }

    It 'OutVariable_in_the_arguments_does_not_touch_the_callers_variable' {
        $global:target = 'kept'
        $r = Invoke-GeminiContent 'FAKE-CALL {"name":"Get-Date","args":{"Format":"''/''","OutVariable":"global:target"}}' -Tool Get-Date
        $global:target | Should -Be 'kept'
        $r.ToolCalls[0].Succeeded | Should -BeFalse
        $r.Text | Should -Match 'OutVariable'
        Remove-Variable -Name target -Scope Global
    }

    It 'An_imported_chat_does_not_run_the_command_it_declares' {
        function Get-Content { $global:read++ }
        $global:read = 0
        $chat = New-GeminiChat -Tool @{ name = 'Get-Content'; description = 'Reads a file.'; parameters = @{ type = 'OBJECT'; properties = @{ Path = @{ type = 'STRING' } } } }
        Export-GeminiChat -Chat $chat -Path (Join-Path $TestDrive 'chat.json')
        $r = Invoke-GeminiContent -Chat (Import-GeminiChat (Join-Path $TestDrive 'chat.json')) 'FAKE-CALL {"name":"Get-Content","args":{"Path":"secret.txt"}}'
        $global:read | Should -Be 0
        $r.FunctionCalls[0].Name | Should -Be 'Get-Content'
    }
}

Describe 'Connections' {
    It 'Export_Clixml_of_a_connection_holds_no_proxy_password' {
        $secure = ConvertTo-SecureString 'PROXY-PASSWORD-CANARY' -AsPlainText -Force
        $connection = Connect-Gemini -ApiKey 'test-key' -Proxy http://proxy.test:8080 -ProxyCredential ([pscredential]::new('proxyuser', $secure)) -PassThru
        try {
            $path = Join-Path $TestDrive 'connection.xml'
            $connection | Export-Clixml -Path $path
            Get-Content -Raw -LiteralPath $path | Should -Not -Match 'PROXY-PASSWORD'
            ($connection | Format-List * | Out-String) | Should -Not -Match 'PROXY-PASSWORD'
            $connection.PSObject.Properties.Name | Should -Not -Contain 'ProxyCredential'
        } finally {
            Disconnect-Gemini
        }
    }

    It 'A_BaseUri_with_a_password_is_refused_without_showing_it' {
        $uri = $server.Uri.AbsoluteUri -replace '://', '://user:PASSWORD-CANARY@'
        { Invoke-GeminiContent 'x' -BaseUri $uri -ErrorAction Stop } | Should -Throw -ErrorId 'GeminiBaseUriInvalid*'
        ($Error[0] | Out-String) | Should -Not -Match 'PASSWORD-CANARY'
    }

    It 'A_non_ASCII_key_is_refused_before_sending' {
        { Invoke-GeminiContent 'x' -ApiKey "test-key`u{201D}" -ErrorAction Stop } | Should -Throw -ErrorId 'GeminiApiKeyInvalid*'
    }
}
