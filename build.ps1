#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and demonstrates CometGemini. A thin wrapper: the same dotnet commands as .ci/run.
.EXAMPLE
    ./build.ps1                 # build the module into ./out/CometGemini
.EXAMPLE
    ./build.ps1 -Task Demo      # build, then ask the local fake Gemini server a few questions (no key, no network)
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

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-Pester5 {
    if (-not (Get-Module -ListAvailable Pester | Where-Object Version -GE '5.0')) {
        Write-Warning 'Pester 5 is not installed (Install-Module Pester -MinimumVersion 5.0); skipping the Pester tests.'
        return
    }

    # In a child pwsh: the tests import out/CometGemini, and on Windows a loaded dll stays locked until its
    # process exits, so running them in this session would make the next build here fail to copy into out/.
    # The child also gets the configuration, so tests/Pester/FakeGemini.ps1 starts the server that was just built.
    $pwsh = (Get-Process -Id $PID).Path
    & $pwsh -NoProfile -NonInteractive -Command {
        param($TestPath, $BuildConfiguration)
        $env:COMETGEMINI_CONFIGURATION = $BuildConfiguration
        Import-Module Pester -MinimumVersion 5.0
        $config = New-PesterConfiguration
        $config.Run.Path = $TestPath
        $config.Run.Exit = $true
        $config.Output.Verbosity = 'Detailed'
        Invoke-Pester -Configuration $config
    } -args (Join-Path $PSScriptRoot 'tests/Pester'), $Configuration
    if ($LASTEXITCODE -ne 0) { throw "Pester: $LASTEXITCODE test(s) failed." }
}

Push-Location -LiteralPath $PSScriptRoot
try {
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
            # The README's first command: builds the module and runs it against the local fake Gemini server.
            Invoke-Dotnet run -c $Configuration --project tools/Demo
        }
    }
}
finally {
    Pop-Location
}
