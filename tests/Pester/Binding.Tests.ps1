BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Enter-FakeGemini
    $script:previousFolder = $env:COMETGEMINI_BATCH_FOLDER
    $env:COMETGEMINI_BATCH_FOLDER = Join-Path $TestDrive 'batches'
}

AfterAll {
    $env:COMETGEMINI_BATCH_FOLDER = $previousFolder
    Exit-FakeGemini $server
}

# Mirrors of ObjectInputTests.cs with the real Management and Utility cmdlets (Get-Content, Import-Csv, Get-Process,
# Select-Object) the hosted xunit engine lacks: what each pipeline shape binds to.
Describe 'Pipeline input binding' {
    BeforeAll {
        $script:log = Join-Path $TestDrive 'app.log'
        Set-Content -LiteralPath $log -Value 'ERROR one', 'INFO two', 'INFO three'
    }

    It 'Every_line_of_a_file_piped_with_Prompt_sends_the_file_once_not_once_per_line' {
        $answers = @(Get-Content -LiteralPath $log | Invoke-GeminiContent -Prompt 'Summarize')
        $answers | Should -HaveCount 1
        $answers[0].SourcePath | Should -Be (Resolve-Path -LiteralPath $log).ProviderPath
    }

    It 'Lines_read_from_a_file_are_prompts_not_files' {
        $answers = @(Get-Content -LiteralPath $log | Invoke-GeminiContent)
        $answers.Input | Should -Be @('ERROR one', 'INFO two', 'INFO three')
    }

    It 'Objects_piped_without_Prompt_are_described_not_converted_to_a_type_name' {
        $csv = Join-Path $TestDrive 'tickets.csv'
        [pscustomobject]@{ Title = 'VPN down'; Body = 'No one can connect' } | Export-Csv -LiteralPath $csv -NoTypeInformation
        (Import-Csv -LiteralPath $csv | Invoke-GeminiContent).Text | Should -Match 'Title: VPN down'
        (Get-Process -Id $PID | Invoke-GeminiContent).Text | Should -Not -Match '^Echo: System\.Diagnostics\.Process \('   # was the prompt before
    }

    It 'An_object_with_a_FullName_is_not_taken_for_a_file_but_a_FileInfo_still_is' {
        $user = [pscustomobject]@{ Name = 'bob'; FullName = 'Bob Smith'; Enabled = $true }
        ($user | Invoke-GeminiContent -Prompt 'Any risk?').Text | Should -Match 'FullName: Bob Smith'
        (Get-Item -LiteralPath $log | Invoke-GeminiContent).SourcePath | Should -Be (Resolve-Path -LiteralPath $log).ProviderPath
    }

    It 'Select_Object_First_ends_each_command_early_without_errors' {
        @('a', 'b', 'c' | Invoke-GeminiContent -ThrottleLimit 2 | Select-Object -First 1) | Should -HaveCount 1
        @('a', 'b' | Get-GeminiEmbedding | Select-Object -First 1) | Should -HaveCount 1
        @(Get-GeminiModel | Select-Object -First 1) | Should -HaveCount 1
        @('q1', 'q2' | Measure-GeminiToken | Select-Object -First 1) | Should -HaveCount 1
        $job = 'q1', 'q2' | Start-GeminiBatchJob
        @($job | Wait-GeminiBatchJob -PollIntervalSec 0.1 | Receive-GeminiBatchJob | Select-Object -First 1) | Should -HaveCount 1
        $job | Remove-GeminiBatchJob -Confirm:$false
    }
}

# Issue 19, point 14: what a console user sees for input that is not there or not what a switch takes.
Describe 'Input that cannot be sent, as the console shows it' {
    It 'A_piped_null_says_what_to_pipe_not_which_parameter_failed_validation' {
        foreach ($command in 'Invoke-GeminiContent', 'Get-GeminiStream', 'Measure-GeminiToken') {
            $run = Invoke-ChildPwsh -Server $server -Script "`$null | $command"
            $run.Text | Should -Match 'The pipeline brought \$null \(input 1\): nothing to send\. Pipe in text, files \(Get-ChildItem\), objects, or parts \(New-GeminiPart\)'
            $run.Text | Should -Not -Match "Cannot validate argument|parameter 'Part'|No input came down"
        }
    }

    It 'The_inputs_around_a_piped_null_are_still_sent' {
        $run = Invoke-ChildPwsh -Server $server -Script "@(`$null, 'a') | Invoke-GeminiContent | ForEach-Object Text"
        $run.Text | Should -Match 'The pipeline brought \$null \(input 1\)'
        $run.Lines | Should -Contain 'Echo: a'
    }

    It 'Files_piped_with_Batch_warn_and_point_to_New_GeminiPart' {
        $folder = Join-Path $TestDrive 'logs'
        New-Item -ItemType Directory -Path $folder | Out-Null
        Set-Content -LiteralPath (Join-Path $folder 'a.log') -Value 'ERROR one'
        Set-Content -LiteralPath (Join-Path $folder 'b.log') -Value 'ERROR two'
        $answers = @(Get-ChildItem -LiteralPath $folder -Filter *.log | Invoke-GeminiContent -Prompt 'Compare' -Batch -WarningVariable warned -WarningAction SilentlyContinue)
        $answers | Should -HaveCount 2
        "$warned" | Should -Match '-Batch joins objects into one request, not files.*New-GeminiPart \| Invoke-GeminiContent'
        @(Get-ChildItem -LiteralPath $folder -Filter *.log | New-GeminiPart | Invoke-GeminiContent -Prompt 'Compare') | Should -HaveCount 1
    }
}
