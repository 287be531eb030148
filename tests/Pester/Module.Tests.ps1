# What only a real pwsh (and, on Windows, Windows PowerShell 5.1) can show: the module loading with its
# pinned dependencies outside the .NET 10 test engine. Mirrors ModuleTests in the xunit suite.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:manifest = (Resolve-Path (Join-Path $PSScriptRoot '../../out/CometGemini/CometGemini.psd1')).Path
}

Describe 'CometGemini module' {
    It 'Import_exports_exactly_the_cmdlets_the_manifest_lists' {
        $listed = (Import-PowerShellDataFile -LiteralPath $manifest).CmdletsToExport | Sort-Object
        $exported = (Get-Module CometGemini).ExportedCmdlets.Keys | Sort-Object
        $exported | Should -Be $listed
    }

    It 'Loads_in_a_fresh_pwsh_and_parses_a_response' {
        $quoted = $manifest.Replace("'", "''")
        $command = "Import-Module '$quoted'; [CometGemini.GenerateContentResponse]::new().GetType().FullName"
        $output = & (Get-PwshPath) -NoProfile -NonInteractive -Command $command
        $LASTEXITCODE | Should -Be 0
        $output | Should -Be 'CometGemini.GenerateContentResponse'
    }

    It 'A_fresh_pwsh_loads_one_System_Text_Json_and_answers_with_it' {
        # The module pins System.Text.Json 8.0.x; the copy pwsh runs on must win without a conflict (one copy loaded).
        $server = Start-FakeGemini
        try {
            $script = @"
(Invoke-GeminiContent 'Hi' -BaseUri '$($server.Uri)' -ApiKey '$($server.Key)').Text
`$json = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'System.Text.Json' })
"copies: `$(`$json.Count)"
"from the module folder: `$(`$json[0].Location.StartsWith((Get-Module CometGemini).ModuleBase))"
"@
            $run = Invoke-ChildPwsh -Script $script
            $run.ExitCode | Should -Be 0
            $run.Lines | Should -Be @('Echo: Hi', 'copies: 1', 'from the module folder: False')
        }
        finally {
            Stop-FakeGemini $server
        }
    }

    It 'Loads_in_Windows_PowerShell_5_1_with_its_dependency_resolver' -Skip:(-not $IsWindows) {
        # System.Text.Json 8 on .NET Framework needs the module's AssemblyResolve handler (no binding redirects).
        $server = Start-FakeGemini
        try {
            $quoted = $manifest.Replace("'", "''")
            # The second line: a piped row binds to -InputObject there too (-Prompt refuses it as an invalid cast, which 5.1's
            # binder skips). The third: after import, TLS 1.2 is on (or the OS default is used), as api.cometapi.com and Google need.
            $command = "Import-Module '$quoted'; (Invoke-GeminiContent 'Hi' -BaseUri '$($server.Uri)' -ApiKey '$($server.Key)').Text; " +
                "([pscustomobject]@{ Title = 'x' } | Invoke-GeminiContent -BaseUri '$($server.Uri)' -ApiKey '$($server.Key)').Text; " +
                '$p = [Net.ServicePointManager]::SecurityProtocol; [int]$p -eq 0 -or ($p -band [Net.SecurityProtocolType]::Tls12) -ne 0'
            $output = powershell.exe -NoProfile -NonInteractive -Command $command
            $LASTEXITCODE | Should -Be 0
            $output | Should -Be @('Echo: Hi', 'Echo: Title: x', 'True')
        }
        finally {
            Stop-FakeGemini $server
        }
    }
}
