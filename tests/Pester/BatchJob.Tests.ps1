BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Enter-FakeGemini
    $script:records = Join-Path $TestDrive 'batches'
    $script:previousFolder = $env:COMETGEMINI_BATCH_FOLDER
    $env:COMETGEMINI_BATCH_FOLDER = $records
}

AfterAll {
    $env:COMETGEMINI_BATCH_FOLDER = $previousFolder
    Exit-FakeGemini $server
}

Describe 'Start-GeminiBatchJob, Wait-GeminiBatchJob, Receive-GeminiBatchJob' {
    It 'Wait_polls_with_progress_until_the_job_ends_and_Receive_writes_the_answers_in_input_order_with_their_inputs' {
        $answers = 'one', 'two FAIL', 'three' | Start-GeminiBatchJob -DisplayName nightly |
            Wait-GeminiBatchJob -PollIntervalSec 0.1 | Receive-GeminiBatchJob -ErrorVariable failed -ErrorAction SilentlyContinue

        $answers.Text | Should -Be @('Echo: one', 'Echo: three')
        $answers.Input | Should -Be @('one', 'three')
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'GeminiBatchRequestFailed,*'
        $failed[0].TargetObject | Should -Be 'two FAIL'
    }

    It 'A_results_file_is_read_line_by_line_as_it_downloads_and_files_come_back_as_their_FileInfo' {
        Set-Content -LiteralPath (Join-Path $TestDrive 'a.txt') -Value 'alpha'
        Set-Content -LiteralPath (Join-Path $TestDrive 'b.txt') -Value 'beta'

        $answers = Get-ChildItem -LiteralPath $TestDrive -Filter *.txt | Start-GeminiBatchJob -Prompt 'Summarize' -InlineLimit 0 |
            Wait-GeminiBatchJob -PollIntervalSec 0.1 | Receive-GeminiBatchJob

        $answers | Should -HaveCount 2
        $answers.SourcePath | Should -Be @((Join-Path $TestDrive 'a.txt'), (Join-Path $TestDrive 'b.txt'))
        $answers[0].Input | Should -BeOfType ([System.IO.FileInfo])
    }

    It 'The_job_name_is_enough_to_wait_and_receive_from_another_session_with_the_inputs_restored' {
        $name = ('alpha', 'beta' | Start-GeminiBatchJob).Name
        $uri = $server.Uri
        $key = $server.Key
        $module = Join-Path (Get-Module CometGemini).ModuleBase 'CometGemini.psd1'
        $inputs = Start-Job {
            $env:COMETGEMINI_BATCH_FOLDER = $using:records
            Import-Module $using:module
            Wait-GeminiBatchJob $using:name -PollIntervalSec 0.1 -BaseUri $using:uri -ApiKey $using:key |
                Receive-GeminiBatchJob -BaseUri $using:uri -ApiKey $using:key | ForEach-Object Input
        } | Receive-Job -Wait -AutoRemoveJob
        $inputs | Should -Be @('alpha', 'beta')
    }
}

Describe 'Get-GeminiBatchJob, Stop-GeminiBatchJob, Remove-GeminiBatchJob' {
    It 'Get_lists_every_page_and_gets_by_name_and_Stop_and_Remove_ask_first' {
        $job = 'x' | Start-GeminiBatchJob -DisplayName 'to remove'
        (Get-GeminiBatchJob).Name | Should -Contain $job.Name
        (Get-GeminiBatchJob $job.Name).DisplayName | Should -Be 'to remove'
        $job | Stop-GeminiBatchJob -WhatIf
        $job | Remove-GeminiBatchJob -Confirm:$false
        Test-Path $job.InputsFile | Should -BeFalse
    }
}
