# Starts and stops the test suite's fake Gemini server (tests/FakeGemini) as a process, for Pester and the demo.

function Start-FakeGemini {
    param(
        # build.ps1 passes its -Configuration through this variable; run by hand, the Release build is used.
        [string] $Configuration = $(if ($env:COMETGEMINI_CONFIGURATION) { $env:COMETGEMINI_CONFIGURATION } else { 'Release' }),
        [string] $Key = 'test-key',
        # Pause between the events of a stream (FakeGemini --chunk-delay-ms).
        [int] $ChunkDelayMs = 0,
        # Requested model → the model that answers it, as 'FROM=TO' (FakeGemini --route), like Google routes shut-down ids.
        [string[]] $Route = @()
    )

    $root = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).ProviderPath
    $dll = [System.IO.Path]::Combine($root, 'tests', 'FakeGemini', 'bin', $Configuration, 'net10.0', 'FakeGemini.dll')
    if (-not (Test-Path -LiteralPath $dll)) { throw "Build first: $dll is missing (dotnet build -c $Configuration)." }

    $arguments = @($dll, '--port', '0', '--key', $Key)
    if ($ChunkDelayMs -gt 0) { $arguments += '--chunk-delay-ms', [string]$ChunkDelayMs }
    foreach ($pair in $Route) { $arguments += '--route', $pair }
    $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in $arguments) { $info.ArgumentList.Add($argument) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardInput = $true
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $line = $process.StandardOutput.ReadLine()
    if ($line -notmatch 'listening on (\S+)') {
        if (-not $process.HasExited) { $process.Kill() }
        $process.Dispose()
        throw "FakeGemini did not start: '$line'"
    }
    [pscustomobject]@{ Process = $process; Uri = [uri]$Matches[1]; Key = $Key }
}

function Stop-FakeGemini {
    # AllowNull: an AfterAll still calls this when Start-FakeGemini failed in BeforeAll.
    param([Parameter(Mandatory)] [AllowNull()] $Server)

    if ($null -eq $Server) { return }
    $Server.Process.StandardInput.Close()
    if (-not $Server.Process.WaitForExit(5000)) { $Server.Process.Kill() }
    $Server.Process.Dispose()
}
