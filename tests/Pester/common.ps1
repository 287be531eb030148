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
