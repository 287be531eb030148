# The Files API commands as a real console shows them: the file view, -Verbose and progress of an upload, the -WhatIf
# text of Remove-GeminiFile and Add-GeminiFile, the help examples. Mirrors FilesApiTests.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Enter-FakeGemini

    function Show([Parameter(ValueFromPipeline)] $InputObject) {
        end { ($input | Out-String -Width 120) -replace '\x1b\[[0-9;?]*[A-Za-z]', '' }
    }

    $script:video = Join-Path $TestDrive 'talk.mp4'
    $bytes = [byte[]]::new(3MB)
    [Random]::new(7).NextBytes($bytes)
    [IO.File]::WriteAllBytes($video, $bytes)
}

AfterAll {
    Exit-FakeGemini $server
}

Describe 'Add-GeminiFile' {
    It 'Add_GeminiFile_uploads_resumably_waits_until_ACTIVE_and_returns_the_file' {
        $file = Add-GeminiFile -Path $video -DisplayName 'The talk'
        $file.State | Should -Be 'ACTIVE'
        $file.MimeType | Should -Be 'video/mp4'
        $file.SizeBytes | Should -Be 3MB
        $shown = $file | Show
        $shown | Should -Match 'Name\s+DisplayName\s+MimeType\s+SizeMB\s+State\s+Expires'
        $shown | Should -Match ([regex]::Escape($file.Name) + '\s+The talk\s+video/mp4\s+3\.0\s+ACTIVE\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d')
        $file | Remove-GeminiFile
    }

    It 'File_objects_and_paths_from_the_pipeline_are_uploaded_one_by_one' {
        $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'pngs')
        foreach ($name in 'a.png', 'b.png') { [IO.File]::WriteAllBytes((Join-Path $dir $name), [byte[]]::new(100)) }
        $files = Get-ChildItem $dir -Filter *.png | Add-GeminiFile
        $files.DisplayName | Sort-Object | Should -Be @('a.png', 'b.png')
        $files | Remove-GeminiFile
    }

    It 'Verbose_and_progress_tell_what_the_upload_does_and_never_the_key' {
        $manifest = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../../out/CometGemini/CometGemini.psd1')).ProviderPath
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                param($Manifest, $Uri, $Key, $Video)
                Import-Module $Manifest
                Add-GeminiFile $Video -BaseUri $Uri -ApiKey $Key -Verbose
            }).AddArgument($manifest).AddArgument($server.Uri).AddArgument($server.Key).AddArgument($video)
            $file = $ps.Invoke()
            $file | Should -HaveCount 1
            $verbose = @($ps.Streams.Verbose | ForEach-Object Message)
            $verbose | Should -Contain "Uploading '$video' (3,145,728 bytes, video/mp4) through the Files API."
            ($verbose | Where-Object { $_ -like 'Uploaded 3,145,728 bytes as files/*' }) | Should -Not -BeNullOrEmpty
            ($verbose -join "`n") | Should -Not -Match ([regex]::Escape($server.Key))
            $progress = @($ps.Streams.Progress | Where-Object Activity -EQ 'Uploading talk.mp4')
            ($progress | Where-Object StatusDescription -Match '^\d\.\d of 3\.0 MB$') | Should -Not -BeNullOrEmpty
            $progress[-1].RecordType | Should -Be 'Completed'
        }
        finally {
            $ps.Dispose()
        }
    }

    It 'WhatIf_uploads_nothing' {
        $before = @(Get-GeminiFile).Count
        $result = Invoke-ChildPwsh -Server $server -Script "Add-GeminiFile '$video' -WhatIf"
        $result.Text | Should -Match 'What if: Performing the operation "Upload to the Files API" on target ".*talk\.mp4"'
        @(Get-GeminiFile).Count | Should -Be $before
    }
}

Describe 'Get-GeminiFile and Remove-GeminiFile' {
    It 'Remove_GeminiFile_asks_first_and_takes_file_objects_by_pipeline' {
        $file = Add-GeminiFile $video -DisplayName 'to remove'
        $result = Invoke-ChildPwsh -Server $server -Script "Get-GeminiFile 'to remove' | Remove-GeminiFile -WhatIf"
        $result.Text | Should -Match ('What if: Performing the operation "Delete the file from the Files API" on target "' + [regex]::Escape($file.Name) + '"')
        (Get-GeminiFile 'to remove').Name | Should -Be $file.Name
        Get-GeminiFile 'to remove' | Remove-GeminiFile
        Get-GeminiFile $file.Name -ErrorAction SilentlyContinue -ErrorVariable missing
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'GeminiFileNotFound*'
    }

    It 'A_file_object_becomes_a_fileData_part_in_New_GeminiPart_Invoke_Stream_and_New_GeminiCache' {
        $file = Add-GeminiFile $video
        $part = $file | New-GeminiPart
        $part.FileData.FileUri | Should -Be $file.Uri
        ($part | Show) | Should -Match 'FileData\s+video/mp4'
        ($file | Invoke-GeminiContent 'What is said?').Text | Should -Not -BeNullOrEmpty
        $file | Remove-GeminiFile
    }
}

Describe 'Upload of big files' {
    It 'Upload_sends_a_file_over_MaxInlineSize_through_the_Files_API_as_fileData' {
        $answer = Invoke-GeminiContent -Path $video 'Summarize' -MaxInlineSize 1MB -Upload -Verbose 4>&1
        $lines = @($answer | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        ($lines | Where-Object { $_ -like "'talk.mp4' is 3 MB, over -MaxInlineSize: it goes through the Files API (-Upload)." }) | Should -Not -BeNullOrEmpty
        ($answer | Where-Object { $_ -is [CometGemini.GenerateContentResponse] }) | Should -HaveCount 1
    }

    It 'Without_Upload_the_error_names_Upload_and_Add_GeminiFile' {
        Invoke-GeminiContent -Path $video 'Summarize' -MaxInlineSize 1MB -ErrorAction SilentlyContinue -ErrorVariable refused
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'GeminiFileUnreadable*'
        "$($refused[0])" | Should -Match '-Upload'
        "$($refused[0])" | Should -Match 'Add-GeminiFile'
    }
}

Describe 'Help' {
    It 'Every_Files_API_command_has_examples_and_the_Upload_section' {
        foreach ($command in 'Add-GeminiFile', 'Get-GeminiFile', 'Remove-GeminiFile') {
            $help = Get-Help $command -Full
            @($help.examples.example).Count | Should -BeGreaterOrEqual 3
            ($help | Out-String -Width 120) | Should -Match 'Files API'
        }

        (Get-Help Invoke-GeminiContent -Parameter Upload | Out-String -Width 120) | Should -Match 'Connect-Gemini -AutoUpload'
        (Get-Help New-GeminiPart -Examples | Out-String -Width 120) | Should -Match 'New-GeminiPart -Path ./manual.pdf -Upload'
    }
}
