# Objects as prompt text, with the real cmdlets that make them: what the model is sent (the fake server echoes it).
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Enter-FakeGemini

    # The prompt text the object became.
    function Sent([Parameter(ValueFromPipeline)] $InputObject, [string[]] $Property) {
        end {
            $extra = if ($Property) { @{ Property = $Property } } else { @{} }
            ($input | Invoke-GeminiContent @extra).Text -replace '^Echo: ', ''
        }
    }
}

AfterAll {
    Exit-FakeGemini $server
}

Describe 'Objects as prompt text' {
    It 'A_process_carries_memory_path_and_start_time_beyond_its_display_set' {
        $text = Get-Process -Id $PID | Sent
        $text | Should -Match '(?m)^Name: '
        $text | Should -Match '(?m)^WorkingSet64: \d+'
        $text | Should -Match '(?m)^Path: '
        $text | Should -Match '(?m)^StartTime: \d{4}-'
        $text | Should -Not -Match '(?m)^(Modules|Threads|StartInfo|Handle|SafeHandle|MainModule):'
        $text | Should -Not -Match '(?m)^WorkingSet: '   # the 32-bit copy beside WorkingSet64
    }

    It 'A_file_is_sent_as_its_content_and_a_file_inside_an_object_as_its_size_times_and_path' {
        $file = Join-Path $TestDrive 'report.txt'
        Set-Content -LiteralPath $file -Value 'hello'
        Get-Item -LiteralPath $file | Sent | Should -Match 'hello'
        $text = [pscustomobject]@{ Report = Get-Item -LiteralPath $file } | Sent
        $text | Should -Match '^Report: \{Name: report\.txt, Length: \d+, LastWriteTime: \d{4}-'
        $text | Should -Match 'FullName: '
        $text | Should -Not -Match 'PSPath|PSProvider|PSDrive|UnixStat'
    }

    It 'A_drive_carries_its_space_and_root_not_its_provider_type' {
        $text = Get-PSDrive -Name ($IsWindows ? 'C' : '/') | Sent
        $text | Should -Match '(?m)^Root: '
        $text | Should -Match '(?m)^(Used|Free): \d'
        $text | Should -Not -Match 'Microsoft\.PowerShell\.Commands|ProviderInfo'
    }

    It 'Csv_rows_custom_objects_and_hashtables_carry_every_property_in_order' {
        ("Name,Status`nweb01,Down" | ConvertFrom-Csv | Sent) | Should -Be "Name: web01`nStatus: Down"
        ([pscustomobject]@{ Host = 'db1'; Errors = 3; Tags = 'a', 'b' } | Sent) | Should -Be "Host: db1`nErrors: 3`nTags: [a, b]"
        (Invoke-GeminiContent -InputObject ([ordered]@{ Disk = 'C:'; FreeGB = 12 })).Text | Should -Be "Echo: Disk: C:`nFreeGB: 12"
    }

    It 'Remoting_and_CIM_notes_are_left_out' {
        $row = [pscustomobject]@{ Name = 'svc'; PSComputerName = 'srv1'; RunspaceId = [guid]::NewGuid(); __CLASS = 'Win32_Service' }
        $row | Sent | Should -Be 'Name: svc'
    }

    It 'Property_picks_the_properties_by_name_and_wildcard_in_that_order' {
        $text = Get-Process -Id $PID | Sent -Property 'StartTime', 'Name', 'WorkingSet6*'
        $text | Should -Match "^StartTime: .*`nName: .*`nWorkingSet64: \d+$"
    }

    It 'A_long_object_is_bounded' {
        $wide = [ordered]@{}
        1..200 | ForEach-Object { $wide["P$_"] = 'x' * 50 }
        $text = [pscustomobject]$wide | Sent
        ($text -split "`n").Count | Should -BeLessOrEqual 60
    }
}
