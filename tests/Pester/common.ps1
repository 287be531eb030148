# Shared setup for the Pester suite: the built module from out/, and the fake Gemini server as a process.
# Run with ./build.ps1 -Task Pester (builds first) on a machine with pwsh 7.4+ and Pester 5.
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'FakeGemini.ps1')
Import-Module (Join-Path $PSScriptRoot '../../out/CometGemini/CometGemini.psd1') -Force

# Points every *-Gemini* command of the test file at a fresh fake server (as the xunit Shell does).
function Enter-FakeGemini {
    $server = Start-FakeGemini
    $global:PSDefaultParameterValues['*-Gemini*:BaseUri'] = $server.Uri
    $global:PSDefaultParameterValues['*-Gemini*:ApiKey'] = $server.Key
    $server
}

function Exit-FakeGemini {
    param([AllowNull()] $Server)
    $global:PSDefaultParameterValues.Remove('*-Gemini*:BaseUri')
    $global:PSDefaultParameterValues.Remove('*-Gemini*:ApiKey')
    Stop-FakeGemini $Server
}

# pwsh itself (under a dotnet-tool pwsh the process is dotnet, so never (Get-Process $PID).Path).
function Get-PwshPath {
    Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
}

# Runs a script in a child 'pwsh -NonInteractive' (a real console host whose prompts fail instead of waiting) with the
# module imported and every *-Gemini* command pointed at $Server; returns its output lines (colours stripped) and exit code.
function Invoke-ChildPwsh {
    param(
        [Parameter(Mandatory)] [string] $Script,
        $Server
    )

    $manifest = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../../out/CometGemini/CometGemini.psd1')).ProviderPath
    $prelude = "`$ErrorActionPreference = 'Continue'; Import-Module '$($manifest.Replace("'", "''"))'`n"
    if ($Server) {
        $prelude += "`$PSDefaultParameterValues['*-Gemini*:BaseUri'] = '$($Server.Uri)'; `$PSDefaultParameterValues['*-Gemini*:ApiKey'] = '$($Server.Key)'`n"
    }
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($prelude + $Script))
    $lines = & (Get-PwshPath) -NoProfile -NonInteractive -OutputFormat Text -EncodedCommand $encoded 2>&1 | ForEach-Object { "$_" -replace '\x1b\[[0-9;?]*[A-Za-z]', '' }
    [pscustomobject]@{ Lines = @($lines); Text = ($lines -join "`n"); ExitCode = $LASTEXITCODE }
}
