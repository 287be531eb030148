# Shared setup for the Pester suite: the built module from out/, and the fake Gemini server as a process.
# Run with ./build.ps1 -Task Pester (builds first) on a machine with pwsh 7.4+ and Pester 5.
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'FakeGemini.ps1')
Import-Module (Join-Path $PSScriptRoot '../../out/CometGemini/CometGemini.psd1') -Force
