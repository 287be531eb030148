# What only a real pwsh console shows: views rendered by its formatter, common parameters and preferences in a
# non-interactive console, Tab completion, Get-Help rendering, progress records and CSV cells.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Enter-FakeGemini
    $script:previousBatchFolder = $env:COMETGEMINI_BATCH_FOLDER
    $env:COMETGEMINI_BATCH_FOLDER = Join-Path $TestDrive 'batches'

    # What a console 120 columns wide shows for the objects, one string.
    function Show([Parameter(ValueFromPipeline)] $InputObject) {
        end { ($input | Out-String -Width 120) -replace '\x1b\[[0-9;?]*[A-Za-z]', '' }
    }
}

AfterAll {
    $env:COMETGEMINI_BATCH_FOLDER = $previousBatchFolder
    Exit-FakeGemini $server
}

Describe 'Default views (Out-String -Width 120)' {
    It 'A_response_shows_its_answer_text_only' {
        (Invoke-GeminiContent 'Explain how AI works' | Show).Trim() | Should -Be 'Echo: Explain how AI works'
    }

    It 'Format_Table_of_responses_shows_model_finish_reason_tokens_and_a_trimmed_text' {
        $long = 'word ' * 40
        $shown = 'short', $long | Invoke-GeminiContent | Format-Table | Show
        $shown | Should -Match 'Model\s+FinishReason\s+Tokens\s+Text'
        $shown | Should -Match 'gemini-\S+\s+STOP\s+\d+\s+Echo: short'
        $shown | Should -Match 'word …'
        $shown | Should -Not -Match 'Candidates|System\.Collections'
    }

    It 'Stream_chunks_flow_as_text_without_chunk_properties' {
        $shown = Get-GeminiStream 'one two three' | Show
        $shown | Should -Match 'Echo:'
        $shown | Should -Match 'three'
        $shown | Should -Not -Match 'IsThought|Index'
    }

    It 'A_chat_is_a_table_of_model_turns_and_last_answer' {
        $chat = New-GeminiChat
        $null = Invoke-GeminiContent 'hello' -Chat $chat
        $shown = $chat | Show
        $shown | Should -Match 'Model\s+Turns\s+LastAnswer'
        $shown | Should -Match '\s1\s+Echo: hello'
    }

    It 'Models_are_a_table_with_token_limits_and_methods' {
        $shown = Get-GeminiModel | Show
        $shown | Should -Match 'Name\s+DisplayName\s+InputTokens\s+OutputTokens'
        $shown | Should -Match 'generateContent'
    }

    It 'A_token_count_shows_total_and_details' {
        $shown = Measure-GeminiToken 'a b c' | Show
        $shown | Should -Match 'TotalTokens'
        $shown | Should -Match '\b3\b'
        $shown | Should -Match 'TEXT: 3'
    }

    It 'An_embedding_shows_dimensions_and_the_first_values' {
        $shown = 'x' | Get-GeminiEmbedding | Show
        $shown | Should -Match 'Index\s+Dimensions\s+Values'
        $shown | Should -Match '3072'
    }

    It 'A_cache_shows_name_model_tokens_and_expiry' {
        $cache = New-GeminiCache 'one two three' -DisplayName 'view cache'
        try {
            $shown = $cache | Show
            $shown | Should -Match 'Name\s+DisplayName\s+Model\s+Tokens\s+Expires'
            $shown | Should -Match ([regex]::Escape($cache.Name))
            $shown | Should -Match 'view cache'
        }
        finally {
            $cache | Remove-GeminiCache -Confirm:$false
        }
    }

    It 'A_batch_job_shows_its_state_and_counts' {
        $job = 'a', 'b' | Start-GeminiBatchJob -DisplayName 'view job'
        $shown = $job | Show
        $shown | Should -Match 'Name\s+DisplayName\s+State\s+Requests\s+Succeeded\s+Failed'
        $shown | Should -Match 'view job'
        $job | Remove-GeminiBatchJob -Confirm:$false
    }

    It 'A_run_summary_lists_its_counts' {
        $summary = 'a', 'b' | Invoke-GeminiContent -Summary | Where-Object { $_ -is [CometGemini.GeminiRunSummary] }
        $shown = $summary | Show
        $shown | Should -Match 'Requests\s+Succeeded\s+Failed\s+Retries\s+PromptTokens\s+OutputTokens\s+TotalTokens\s+Elapsed'
        $shown | Should -Match '\s2\s+2\s+0\s+0\s+2\s+4\s+6\s'
    }

    It 'An_error_shows_the_server_s_message_and_what_to_do' {
        $null = Invoke-GeminiContent 'Hi' -Model not-a-gemini-model -ErrorVariable failures -ErrorAction SilentlyContinue
        $shown = $failures[0] | Show
        $shown | Should -Match 'HTTP 404 NOT_FOUND'
        $shown | Should -Match 'Recommendation:.*-Model'
    }
}

Describe 'Common parameters and preferences in a non-interactive console' {
    It 'Debug_never_prompts_and_shows_verbose_and_debug_lines_with_the_key_redacted' {
        $run = Invoke-ChildPwsh -Server $server -Script "Invoke-GeminiContent 'Hi' -Debug"
        $run.ExitCode | Should -Be 0
        $run.Text | Should -Not -Match 'NonInteractive mode|Continue with this operation'
        $run.Text | Should -Match 'VERBOSE: POST .*:generateContent'
        $run.Text | Should -Match 'DEBUG: Request body: .*"text":"Hi"'
        $run.Text | Should -Match 'Echo: Hi'
        $run.Text | Should -Not -Match ([regex]::Escape($server.Key))
    }

    It 'DebugPreference_Continue_shows_debug_lines_without_prompting' {
        $run = Invoke-ChildPwsh -Server $server -Script "`$DebugPreference = 'Continue'; Get-GeminiStream 'Hi there'"
        $run.ExitCode | Should -Be 0
        $run.Text | Should -Match 'DEBUG: Request body'
        $run.Text | Should -Match 'there'
    }

    It 'Verbose_shows_verbose_lines_only' {
        $run = Invoke-ChildPwsh -Server $server -Script "Invoke-GeminiContent 'Hi' -Verbose"
        $run.ExitCode | Should -Be 0
        $run.Text | Should -Match 'VERBOSE: Endpoint'
        $run.Text | Should -Not -Match 'DEBUG:'
    }

    It 'Debug_with_Verbose_false_keeps_verbose_lines_off' {
        $run = Invoke-ChildPwsh -Server $server -Script "Invoke-GeminiContent 'Hi' -Debug -Verbose:`$false"
        $run.ExitCode | Should -Be 0
        $run.Text | Should -Match 'DEBUG: Request body'
        $run.Text | Should -Not -Match 'VERBOSE:'
    }

    It 'WhatIf_changes_nothing_and_says_what_it_would_do' {
        $cache = New-GeminiCache 'one two three' -DisplayName 'whatif cache'
        try {
            $run = Invoke-ChildPwsh -Server $server -Script "Remove-GeminiCache '$($cache.Name)' -WhatIf"
            $run.ExitCode | Should -Be 0
            $run.Text | Should -Match ('What if: .*' + [regex]::Escape($cache.Name))
            (Get-GeminiCache $cache.Name).Name | Should -Be $cache.Name
        }
        finally {
            $cache | Remove-GeminiCache -Confirm:$false
        }
    }

    It 'ConfirmPreference_Medium_asks_for_a_Medium_impact_command_and_Confirm_false_does_not' {
        $name = ('a' | Start-GeminiBatchJob).Name
        # A non-interactive console cannot answer the prompt: the command fails and nothing is deleted.
        $asked = Invoke-ChildPwsh -Server $server -Script "`$ConfirmPreference = 'Medium'; Remove-GeminiBatchJob '$name'; 'after'"
        $asked.Text | Should -Match 'NonInteractive'
        (Get-GeminiBatchJob $name).Name | Should -Be $name

        $run = Invoke-ChildPwsh -Server $server -Script "`$ConfirmPreference = 'Medium'; Remove-GeminiBatchJob '$name' -Confirm:`$false; 'removed'"
        $run.ExitCode | Should -Be 0
        $run.Lines[-1] | Should -Be 'removed'
        Get-GeminiBatchJob $name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'The_default_ConfirmPreference_does_not_ask_for_a_Medium_impact_command' {
        $name = ('a' | Start-GeminiBatchJob).Name
        $run = Invoke-ChildPwsh -Server $server -Script "Remove-GeminiBatchJob '$name'; 'removed'"
        $run.ExitCode | Should -Be 0
        $run.Lines[-1] | Should -Be 'removed'
    }

    It 'ErrorAction_Stop_makes_a_failed_request_terminating_and_catchable' {
        $script = "try { Invoke-GeminiContent 'Hi' -Model not-a-gemini-model -ErrorAction Stop; 'not reached' } catch { 'caught ' + `$_.FullyQualifiedErrorId }"
        $run = Invoke-ChildPwsh -Server $server -Script $script
        $run.Lines -like 'caught Gemini*,CometGemini.Commands.InvokeGeminiContentCommand' | Should -HaveCount 1 -Because $run.Text
        $run.Text | Should -Not -Match 'not reached'
    }

    It 'ErrorActionPreference_Stop_ends_the_script_at_the_first_failure' {
        $script = "`$ErrorActionPreference = 'Stop'; Invoke-GeminiContent 'Hi' -Model not-a-gemini-model; 'not reached'"
        $run = Invoke-ChildPwsh -Server $server -Script $script
        $run.ExitCode | Should -Be 1
        $run.Text | Should -Match 'HTTP 404'
        $run.Text | Should -Not -Match 'not reached'
    }

    It 'Without_Stop_a_failed_input_is_an_error_and_the_next_inputs_are_answered' {
        $run = Invoke-ChildPwsh -Server $server -Script "Invoke-GeminiContent 'Hi' -Model not-a-gemini-model; 'next'; (Invoke-GeminiContent 'again').Text"
        $run.Lines | Should -Contain 'next'
        $run.Lines | Should -Contain 'Echo: again'
    }
}

Describe 'Tab completion (TabExpansion2)' {
    BeforeAll {
        function Complete([string] $Line) {
            (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
        }
    }

    It 'Model_completes_model_ids_from_the_endpoint' {
        $matches = Complete "Invoke-GeminiContent 'Hi' -BaseUri '$($server.Uri)' -ApiKey $($server.Key) -Model gemini-"
        $matches | Should -Not -BeNullOrEmpty
        $matches | ForEach-Object { $_ | Should -BeLike 'gemini-*' }
    }

    It 'ThinkingLevel_completes_levels' {
        Complete "Invoke-GeminiContent 'Hi' -ThinkingLevel " | Should -Contain 'High'
        Complete "Invoke-GeminiContent 'Hi' -ThinkingLevel L" | Should -Be 'Low'
    }

    It 'ResponseModality_completes_modalities' {
        Complete "Invoke-GeminiContent 'Hi' -ResponseModality " | Should -Be @('Text', 'Image', 'Audio')
    }

    It 'TaskType_completes_embedding_task_types' {
        Complete "Get-GeminiEmbedding 'Hi' -TaskType RETRIEVAL_" | Should -Be @('RETRIEVAL_QUERY', 'RETRIEVAL_DOCUMENT')
    }

    It 'SafetySetting_completes_harm_categories_as_hashtable_keys' {
        $keys = Complete "Invoke-GeminiContent 'Hi' -SafetySetting @{ "
        $keys | Should -Contain 'DangerousContent'
        $keys | Should -Contain 'Harassment'
        Complete "Invoke-GeminiContent 'Hi' -SafetySetting @{ Hate" | Should -Be 'HateSpeech'
    }

    It 'SafetySetting_values_complete_thresholds_as_members_of_the_threshold_type' {
        # pwsh asks no completer for a hashtable's value; it completes a type's members, and the type's name.
        Complete "Invoke-GeminiContent 'Hi' -SafetySetting @{ DangerousContent = [HarmBlockT" | Should -Be 'CometGemini.HarmBlockThreshold'
        $values = Complete "Invoke-GeminiContent 'Hi' -SafetySetting @{ DangerousContent = [CometGemini.HarmBlockThreshold]::"
        foreach ($threshold in 'BlockNone', 'BlockOnlyHigh', 'BlockMediumAndAbove', 'BlockLowAndAbove', 'Off') { $values | Should -Contain $threshold }
        Complete "Invoke-GeminiContent 'Hi' -SafetySetting @{ Harassment = 'Off'; HateSpeech = [CometGemini.HarmBlockThreshold]::BlockO" | Should -Be 'BlockOnlyHigh'
    }

    It 'Name_of_the_cache_and_batch_job_commands_completes_what_the_endpoint_lists' {
        $cache = New-GeminiCache 'one two three' -DisplayName 'tab docs'
        $job = 'x' | Start-GeminiBatchJob -DisplayName 'tab nightly'
        $connection = "-BaseUri '$($server.Uri)' -ApiKey $($server.Key)"

        Complete "Get-GeminiCache $connection -Name " | Should -Contain $cache.Name
        Complete "Remove-GeminiCache $connection -Name tab" | Should -Be $cache.Name
        Complete "Get-GeminiBatchJob $connection -Name " | Should -Contain $job.Name
        Complete "Receive-GeminiBatchJob $connection -Name 'tab n" | Should -Be $job.Name
    }

    It 'Name_completion_uses_the_endpoint_PSDefaultParameterValues_gives_the_command' {
        # Enter-FakeGemini set '*-Gemini*:BaseUri' and '*-Gemini*:ApiKey'; no Connect-Gemini session, nothing typed.
        Disconnect-Gemini -ErrorAction SilentlyContinue
        $null = New-GeminiCache 'four five six' -DisplayName 'tab defaults'
        # The endpoint's list is kept 30 s, so the names may be those an earlier test saw: any cache name proves the endpoint was found.
        $names = @(Complete 'Remove-GeminiCache -Name ')
        $names | Should -Not -BeNullOrEmpty
        $names | ForEach-Object { $_ | Should -Match '^cachedContents/' }
    }
}

Describe 'Get-Help' {
    It 'Get_Help_Full_renders_with_examples_for_<Name>' -ForEach @(
        (Import-PowerShellDataFile -LiteralPath (Join-Path $PSScriptRoot '../../CometGemini.psd1')).CmdletsToExport | ForEach-Object { @{ Name = $_ } }
    ) {
        $help = Get-Help $Name -Full -ErrorAction Stop
        $shown = $help | Out-String -Width 120
        $shown | Should -Match 'SYNOPSIS'
        $shown | Should -Match '-+ Example 1'
        $shown | Should -Match 'PARAMETERS'
        $help.Synopsis | Should -Not -BeLike "*$Name *[<]*"   # a synopsis, not the generated syntax line
    }

    # No command promises an online page (the module has no hosting yet; HelpTests keeps any link to this repository's
    # own page for the command): -Online gives PowerShell's plain "no online help" error and opens nothing.
    It 'Get_Help_Online_says_there_is_no_online_help_for_<Name>' -ForEach @(
        (Import-PowerShellDataFile -LiteralPath (Join-Path $PSScriptRoot '../../CometGemini.psd1')).CmdletsToExport | ForEach-Object { @{ Name = $_ } }
    ) {
        $failure = { Get-Help $Name -Online -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidOperation,Microsoft.PowerShell.Commands.GetHelpCommand' -PassThru
        $failure.Exception.Message | Should -Match 'online version of this Help topic cannot be displayed'
    }
}

Describe 'A bare stream in a console' {
    It 'Flows_as_one_text_like_a_chat_client_while_a_pipeline_still_gets_chunks' {
        $run = Invoke-ChildPwsh -Server $server -Script @'
Get-GeminiStream 'one two three four five six'
'--- objects'
Get-GeminiStream 'one two three four five six' | ForEach-Object { "[$($_.Index)] $($_.Text.Trim())" }
'--- text only'
Get-GeminiStream 'one two three four five six' | ForEach-Object Text | Join-String
'@
        $run.ExitCode | Should -Be 0
        $lines = @($run.Lines | Where-Object { $_.Trim() })
        $lines[0] | Should -Be 'Echo: one two three four five six'
        $lines[1] | Should -Be '--- objects'
        $lines[2..4] | Should -Be '[0] Echo: one', '[1] two three', '[2] four five six'
        $lines[5] | Should -Be '--- text only'
        $lines[6] | Should -Be 'Echo: one two three four five six'
    }
}

Describe 'Progress' {
    It 'A_throttled_run_writes_progress_records_and_completes_them' {
        $manifest = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../../out/CometGemini/CometGemini.psd1')).ProviderPath
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                param($Manifest, $Uri, $Key)
                Import-Module $Manifest
                1..8 | ForEach-Object { "prompt $_" } | Invoke-GeminiContent -ThrottleLimit 3 -BaseUri $Uri -ApiKey $Key
            }).AddArgument($manifest).AddArgument($server.Uri).AddArgument($server.Key)
            $answers = $ps.Invoke()
            $answers | Should -HaveCount 8
            $records = @($ps.Streams.Progress)
            $records | Should -Not -BeNullOrEmpty
            $records[0].Activity | Should -Not -BeNullOrEmpty
            ($records | Where-Object StatusDescription -Match '\d') | Should -Not -BeNullOrEmpty
            $records[-1].RecordType | Should -Be 'Completed'
        }
        finally {
            $ps.Dispose()
        }
    }
}

Describe 'Progress of a wildcard path' {
    It 'The_bar_knows_the_total_before_the_first_request_and_reaches_it' {
        $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'progresslogs')
        1..5 | ForEach-Object { Set-Content -LiteralPath (Join-Path $dir "app-$_.log") -Value "line $_" }
        $manifest = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../../out/CometGemini/CometGemini.psd1')).ProviderPath
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                param($Manifest, $Uri, $Key, $Pattern)
                Import-Module $Manifest
                Invoke-GeminiContent -Path $Pattern -Prompt 'Summarize' -ThrottleLimit 2 -BaseUri $Uri -ApiKey $Key
            }).AddArgument($manifest).AddArgument($server.Uri).AddArgument($server.Key).AddArgument((Join-Path $dir '*.log'))
            $answers = $ps.Invoke()
            $answers | Should -HaveCount 5
            $records = @($ps.Streams.Progress | Where-Object RecordType -NE 'Completed')
            $records[0].StatusDescription | Should -Match '^0 of 5 done, 1 running'
            ($records | Where-Object StatusDescription -Match '^5 of 5 done, 0 running') | Should -Not -BeNullOrEmpty
            ($records | Where-Object StatusDescription -Match '^\d+ of 5 done, 2 running') | Should -Not -BeNullOrEmpty
            $records[-1].PercentComplete | Should -Be 100
        }
        finally {
            $ps.Dispose()
        }
    }
}

Describe 'CSV export' {
    It 'Export_Csv_of_responses_gives_text_cells_not_type_names' {
        $path = Join-Path $TestDrive 'answers.csv'
        'one', 'two' | Invoke-GeminiContent | Export-Csv -LiteralPath $path
        $rows = Import-Csv -LiteralPath $path
        $rows | Should -HaveCount 2
        $rows[0].Text | Should -Be 'Echo: one'
        $rows[0].FinishReason | Should -Be 'STOP'
        foreach ($column in 'Model', 'PromptTokens', 'OutputTokens', 'TotalTokens', 'SourcePath') {
            $rows[0].PSObject.Properties.Name | Should -Contain $column
        }
        $rows[0].TotalTokens | Should -Match '^\d+$'
        $cells = $rows | ForEach-Object { $_.PSObject.Properties.Value }
        $cells | Where-Object { $_ -match 'System\.Collections|CometGemini\.|\[\]|`1' } | Should -BeNullOrEmpty
    }

    It 'Select_SourcePath_and_Text_of_a_file_batch_exports_paths_and_answers' {
        $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'csvlogs')
        Set-Content -LiteralPath (Join-Path $dir 'a.log') -Value 'alpha'
        Set-Content -LiteralPath (Join-Path $dir 'b.log') -Value 'beta'
        $path = Join-Path $TestDrive 'files.csv'
        Get-ChildItem -LiteralPath $dir -Filter *.log | Invoke-GeminiContent -Prompt 'Summarize' -ThrottleLimit 2 |
            Select-Object SourcePath, Text | Export-Csv -LiteralPath $path
        $rows = Import-Csv -LiteralPath $path | Sort-Object SourcePath
        $rows.SourcePath | Should -Be @((Join-Path $dir 'a.log'), (Join-Path $dir 'b.log'))
        $rows[0].Text | Should -Match '^Echo: '
    }
}
