# Current models and the lifecycle radar in a real console host: the warnings a nightly job prints, the tables a
# person reads, and the CI guard over a folder of scripts.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Start-FakeGemini -Route 'gemini-2.5-flash=gemini-3.5-flash-lite'
}

AfterAll {
    Stop-FakeGemini $server
}

Describe 'The model lifecycle radar' {
    It 'A_routed_model_prints_one_WARNING_in_a_console_for_a_run_of_many_inputs' {
        $child = Invoke-ChildPwsh -Server $server -Script @'
'one', 'two', 'three' | Invoke-GeminiContent -Model gemini-2.5-flash | ForEach-Object { '{0} <- {1}' -f $_.RequestedModel, $_.ModelVersion }
'@
        $child.ExitCode | Should -Be 0
        @($child.Lines | Where-Object { $_ -like 'WARNING: gemini-2.5-flash was answered by gemini-3.5-flash-lite*' }) | Should -HaveCount 1
        @($child.Lines | Where-Object { $_ -eq 'gemini-2.5-flash <- gemini-3.5-flash-lite' }) | Should -HaveCount 3
    }

    It 'Get_GeminiModel_shows_stage_and_retirement_and_Deprecated_keeps_those_on_their_way_out' {
        $child = Invoke-ChildPwsh -Server $server -Script @'
Get-GeminiModel | Out-String -Width 160
'---'
(Get-GeminiModel -Deprecated).Name
'---'
Invoke-GeminiContent 'x' -Model gemini-3-pro-preview | Out-Null
'@
        $child.ExitCode | Should -Be 0
        $child.Lines | Where-Object { $_ -match '^Name\s+DisplayName' } | Should -Match 'Stage\s+Retires'
        $child.Lines | Where-Object { $_ -like 'gemini-2.5-flash *' } | Should -Match 'DEPRECATED\s+2026-12-01'
        $after = $child.Lines[([array]::IndexOf($child.Lines, '---') + 1)..($child.Lines.Count - 1)]
        $after | Should -Contain 'gemini-2.5-flash'
        $after | Should -Contain 'gemini-3-pro-preview'
        $after | Should -Not -Contain 'gemini-3.8-flash'
        $child.Text | Should -Match 'WARNING: The endpoint marks gemini-3-pro-preview PREVIEW \(retires 2027-03-09\)'
    }

    It 'A_missing_model_error_suggests_current_models_and_COMETGEMINI_MODEL' {
        $child = Invoke-ChildPwsh -Server $server -Script @'
$null = Invoke-GeminiContent 'x' -Model gemini-2.0-flash -ErrorVariable failures -ErrorAction SilentlyContinue
$failures[0].ErrorDetails.RecommendedAction
'@
        $child.Text | Should -BeLike '*Current models this module knows: gemini-3-flash-preview,*COMETGEMINI_MODEL*'
    }

    It 'COMETGEMINI_MODEL_names_the_default_model_without_code' {
        $child = Invoke-ChildPwsh -Server $server -Script @'
$env:COMETGEMINI_MODEL = 'gemini-3.8-flash'
(Invoke-GeminiContent 'x').ModelVersion
'@
        $child.Lines | Should -Contain 'gemini-3.8-flash'
    }
}

Describe 'Test-GeminiModelReference' {
    It 'Reports_deprecated_and_unlisted_ids_as_a_table_a_CI_job_can_fail_on' {
        $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'scripts')
        Set-Content -LiteralPath (Join-Path $dir 'nightly.ps1') -Value "# nightly`nGet-ChildItem ./logs | Invoke-GeminiContent -Model gemini-2.5-flash -Prompt 'x'"
        Set-Content -LiteralPath (Join-Path $dir 'ok.ps1') -Value 'Invoke-GeminiContent -Model gemini-3.8-flash'
        $child = Invoke-ChildPwsh -Server $server -Script @"
Set-Location -LiteralPath '$dir'
`$found = Test-GeminiModelReference -Path .
`$found | Out-String -Width 160
if (`$found) { exit 3 }
"@
        $child.ExitCode | Should -Be 3
        $child.Lines | Where-Object { $_ -match '^Status\s+Model\s+Location\s+Detail' } | Should -Not -BeNullOrEmpty
        $row = $child.Lines | Where-Object { $_ -like 'Deprecated*' }
        $row | Should -Match 'gemini-2\.5-flash\s+\S*nightly\.ps1:2\s+DEPRECATED'
        $child.Text | Should -Not -Match 'ok\.ps1'
    }

    It 'Has_help_with_examples' {
        $help = Get-Help Test-GeminiModelReference -Full | Out-String -Width 120
        $help | Should -Match 'SYNOPSIS'
        $help | Should -Match 'Example 2: Fail a CI job'
        $help | Should -Match '-LiteralPath'
    }
}
