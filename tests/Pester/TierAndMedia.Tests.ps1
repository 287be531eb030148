BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Enter-FakeGemini

    function script:Shown {
        end { ($input | Out-String -Width 120) -replace '\x1b\[[0-9;?]*[A-Za-z]', '' }
    }

    function script:Completions([string] $line) {
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Sort-Object
    }
}

AfterAll {
    Exit-FakeGemini $server
}

Describe 'Service tiers, raw tools and media options in a real console (issue 20, points 3-5)' {
    It 'Tab_completes_ServiceTier_and_MediaResolution' {
        Completions "Invoke-GeminiContent 'Hi' -ServiceTier " | Should -Be @('Flex', 'Priority', 'Standard')
        Completions "Get-GeminiStream 'Hi' -MediaResolution " | Should -Be @('High', 'Low', 'Medium')
        Completions 'New-GeminiPart -Path x.mp4 -MediaResolution ' | Should -Be @('High', 'Low', 'Medium')
    }

    It 'The_response_view_names_the_tier_it_ran_on' {
        $response = Invoke-GeminiContent 'Hi' -ServiceTier Flex
        $response.ServiceTier | Should -Be 'flex'
        $shown = $response | Shown
        $shown | Should -Match 'Echo: Hi'
        $shown | Should -Match '\[service tier: flex\]'
        (Invoke-GeminiContent 'Hi' | Shown) | Should -Not -Match 'service tier'
    }

    It 'A_raw_tool_is_sent_and_bad_JSON_is_a_clear_error' {
        $tool = New-GeminiTool -Raw '{"fileSearch": {"fileSearchStoreNames": ["fileSearchStores/handbook"]}}'
        $tool.IsRaw | Should -BeTrue
        (Invoke-GeminiContent 'How many vacation days?' -Tool $tool).Text | Should -Be 'Echo: How many vacation days?'
        $caught = { Invoke-GeminiContent 'Hi' -Tool '{"fileSearch": ' } | Should -Throw -PassThru
        $caught.FullyQualifiedErrorId | Should -BeLike 'GeminiToolInvalid*'
        $caught.Exception.Message | Should -Match 'not valid JSON'
    }

    It 'A_video_clip_part_carries_its_offsets_and_a_bad_clip_is_refused' {
        $clip = New-GeminiPart -FileUri 'https://www.youtube.com/watch?v=9hE5-98ZeCg' -MimeType video/mp4 -StartOffset '1:30' -EndOffset ([timespan]::FromSeconds(100.5)) -FramesPerSecond 2 -MediaResolution Low
        $clip.VideoMetadata.GetRawText() | Should -Be '{"startOffset":"90s","endOffset":"100.5s","fps":2}'
        $clip.MediaResolution.GetRawText() | Should -Be '{"level":"MEDIA_RESOLUTION_LOW"}'
        $caught = { New-GeminiPart -FileUri 'https://example.com/v.mp4' -MimeType video/mp4 -StartOffset 30 -EndOffset 10 } | Should -Throw -PassThru
        $caught.FullyQualifiedErrorId | Should -BeLike 'GeminiPartMediaInvalid*'
    }

    It 'Get_Help_shows_an_example_of_each' {
        (Get-Help Invoke-GeminiContent -Examples | Out-String) | Should -Match '-ServiceTier Flex'
        (Get-Help New-GeminiPart -Examples | Out-String) | Should -Match '-StartOffset'
        (Get-Help New-GeminiTool -Examples | Out-String) | Should -Match 'New-GeminiTool -Raw'
        (Get-Help Invoke-GeminiContent -Parameter MediaResolution | Out-String) | Should -Match 'generationConfig.mediaResolution'
    }
}
