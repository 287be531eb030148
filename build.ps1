#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and demonstrates CometGemini. A thin wrapper: the same dotnet commands as .ci/run.
.EXAMPLE
    ./build.ps1                 # build the module into ./out/CometGemini
.EXAMPLE
    ./build.ps1 -Task Demo      # build, then ask the local fake Gemini server a few questions (no key, no network)
.EXAMPLE
    ./build.ps1 -Task Test      # xunit tests, then the Pester tests in a child pwsh (Pester 5.9.1 from NuGet)
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

# pwsh itself, also under a dotnet-tool pwsh (where the process is dotnet, not pwsh).
function Get-PwshPath {
    $name = if ($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') { 'pwsh.exe' } else { 'pwsh' }
    $path = Join-Path $PSHOME $name
    if (-not (Test-Path -LiteralPath $path)) { throw "pwsh was not found at '$path'; run this script in pwsh 7.4+ (dotnet tool restore; dotnet pwsh ./build.ps1)." }
    $path
}

# Pester 5.9.1 comes from NuGet (PackageDownload in the test project), never from Install-Module.
function Get-PesterManifest {
    $packages = $env:NUGET_PACKAGES
    if (-not $packages) {
        $line = & dotnet nuget locals global-packages --list
        $packages = ($line -replace '^global-packages:\s*', '').Trim()
    }
    $manifest = [System.IO.Path]::Combine($packages, 'pester', '5.9.1', 'tools', 'Pester.psd1')
    if (-not (Test-Path -LiteralPath $manifest)) {
        Invoke-Dotnet restore tests/CometGemini.Tests
    }
    if (-not (Test-Path -LiteralPath $manifest)) { throw "Pester 5.9.1 was not restored to '$manifest'." }
    $manifest
}

# Returns the Pester result counts; the suite runs in a child pwsh.
function Invoke-PesterSuite {
    $pester = Get-PesterManifest
    $summary = Join-Path ([System.IO.Path]::GetTempPath()) "cometgemini-pester-$PID.json"
    # In a child pwsh: the tests import out/CometGemini, and on Windows a loaded dll stays locked until its
    # process exits, so running them in this session would make the next build here fail to copy into out/.
    # The child also gets the configuration, so tests/Pester/FakeGemini.ps1 starts the server that was just built.
    & (Get-PwshPath) -NoProfile -NonInteractive -Command {
        param($PesterManifest, $TestPath, $BuildConfiguration, $SummaryPath)
        $env:COMETGEMINI_CONFIGURATION = $BuildConfiguration
        Import-Module $PesterManifest
        $config = New-PesterConfiguration
        $config.Run.Path = $TestPath
        $config.Run.PassThru = $true
        $config.Output.Verbosity = 'Detailed'
        if ($env:CI) { $config.Output.RenderMode = 'Plaintext' }
        $result = Invoke-Pester -Configuration $config
        # A file that fails to load (BeforeAll, syntax) is no test count, but it is a failure.
        [pscustomobject]@{
            Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedContainersCount
            Skipped = $result.SkippedCount; Duration = $result.Duration.TotalSeconds
        } | ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
    } -args $pester, (Join-Path $PSScriptRoot 'tests/Pester'), $Configuration, $summary
    if (-not (Test-Path -LiteralPath $summary)) {
        throw "Pester did not run to its end (pwsh exit code $LASTEXITCODE); see the output above."
    }
    try { Get-Content -LiteralPath $summary -Raw | ConvertFrom-Json }
    finally { Remove-Item -LiteralPath $summary }
}

# Runs the xunit suite and returns its counts from dotnet test's closing line (printed as it runs).
function Invoke-XunitSuite {
    $counts = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    & dotnet test -c $Configuration | ForEach-Object {
        $_
        if ($_ -match '(Passed|Failed)!.*Failed:\s*(\d+),\s*Passed:\s*(\d+),\s*Skipped:\s*(\d+)') {
            $counts = [pscustomobject]@{ Passed = [int]$Matches[3]; Failed = [int]$Matches[2]; Skipped = [int]$Matches[4] }
        }
    }
    if ($LASTEXITCODE -ne 0 -and $counts.Failed -eq 0) { $counts.Failed = 1 }   # a build error: no closing line
    $counts
}

function Write-Counts([string] $Name, $Counts) {
    # The plain closing line CI reads: "name: N passed, N failed, N skipped".
    Write-Host "$($Name): $($Counts.Passed) passed, $($Counts.Failed) failed, $($Counts.Skipped) skipped"
}

Push-Location -LiteralPath $PSScriptRoot
try {
    switch ($Task) {
        'Build' {
            Invoke-Dotnet build -c $Configuration
            Write-Host "Module: $(Join-Path $PSScriptRoot 'out/CometGemini/CometGemini.psd1')"
        }
        'Test' {
            # Both suites run even when the first fails; the run fails when either does.
            $xunit = Invoke-XunitSuite
            $pester = Invoke-PesterSuite
            Write-Counts 'xunit' $xunit
            Write-Counts 'pester' $pester
            $total = [pscustomobject]@{
                Passed = $xunit.Passed + $pester.Passed; Failed = $xunit.Failed + $pester.Failed
                Skipped = $xunit.Skipped + $pester.Skipped
            }
            Write-Counts 'tests' $total
            if ($total.Failed -gt 0) { throw "$($total.Failed) test(s) failed." }
        }
        'Pester' {
            Invoke-Dotnet build -c $Configuration
            $pester = Invoke-PesterSuite
            Write-Counts 'pester' $pester
            if ($pester.Failed -gt 0) { throw "Pester: $($pester.Failed) test(s) failed." }
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
