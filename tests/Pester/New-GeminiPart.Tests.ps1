BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:server = Enter-FakeGemini
    $script:png = [Convert]::FromBase64String('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==')
}

AfterAll {
    Exit-FakeGemini $server
}

Describe 'New-GeminiPart' {
    It 'Parts_are_built_from_text_files_bytes_and_uris' {
        [IO.File]::WriteAllBytes((Join-Path $TestDrive 'dot.png'), $png)
        (New-GeminiPart -Text 'hello').Text | Should -Be 'hello'
        (New-GeminiPart -Path (Join-Path $TestDrive 'dot.png')).InlineData.MimeType | Should -Be 'image/png'
        (New-GeminiPart -Data $png -MimeType image/png).InlineData.Data | Should -Be ([Convert]::ToBase64String($png))
        (New-GeminiPart -FileUri 'https://www.youtube.com/watch?v=9hE5-98ZeCg' -MimeType video/mp4).FileData.FileUri | Should -Match 'youtube'
    }

    It 'Piped_parts_and_the_prompt_make_one_request' {
        [IO.File]::WriteAllBytes((Join-Path $TestDrive 'a.png'), $png)
        [IO.File]::WriteAllBytes((Join-Path $TestDrive 'b.png'), $png)
        $response = Get-ChildItem -LiteralPath $TestDrive -Filter *.png | New-GeminiPart | Invoke-GeminiContent -Prompt 'Compare these'
        @($response).Count | Should -Be 1
        $response.Text | Should -Be 'Echo: Compare these'
    }
}
