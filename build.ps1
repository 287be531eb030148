#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and demonstrates CometGemini. A thin wrapper: the same dotnet commands as .ci/run.
.EXAMPLE
    ./build.ps1                 # build the module into ./out/CometGemini
.EXAMPLE
    ./build.ps1 -Task Demo      # build, then ask the bundled fake Gemini server a question (no key, no network)
.EXAMPLE
    ./build.ps1 -Task Test      # xunit tests, then the Pester tests when Pester 5 is installed
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Demo')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-Location -LiteralPath $PSScriptRoot

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-Pester5 {
    if (-not (Get-Module -ListAvailable Pester | Where-Object Version -GE '5.0')) {
        Write-Warning 'Pester 5 is not installed (Install-Module Pester -MinimumVersion 5.0); skipping the Pester tests.'
        return
    }
    Import-Module Pester -MinimumVersion 5.0
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $PSScriptRoot 'tests/Pester'
    $config.Run.Exit = $true
    $config.Output.Verbosity = 'Detailed'
    Invoke-Pester -Configuration $config
}

switch ($Task) {
    'Build' {
        Invoke-Dotnet build -c $Configuration
        Write-Host "Module: $(Join-Path $PSScriptRoot 'out/CometGemini/CometGemini.psd1')"
    }
    'Test' {
        Invoke-Dotnet test -c $Configuration
        Invoke-Pester5
    }
    'Pester' {
        Invoke-Dotnet build -c $Configuration
        Invoke-Pester5
    }
    'Demo' {
        Invoke-Dotnet build -c $Configuration
        . (Join-Path $PSScriptRoot 'tests/Pester/FakeGemini.ps1')
        $server = Start-FakeGemini -Configuration $Configuration
        try {
            Import-Module (Join-Path $PSScriptRoot 'out/CometGemini/CometGemini.psd1') -Force
            Write-Host "Asking the local fake Gemini server at $($server.Uri) (set `$env:COMETAPI_KEY and drop -BaseUri/-ApiKey for the real thing):"
            'Explain how AI works in a few words' | Invoke-GeminiContent -BaseUri $server.Uri -ApiKey $server.Key | Out-Host
            Get-GeminiStream 'Stream this answer, please' -BaseUri $server.Uri -ApiKey $server.Key |
                ForEach-Object { Write-Host $_.Text -NoNewline }
            Write-Host ''
        }
        finally {
            Stop-FakeGemini $server
        }
    }
}
