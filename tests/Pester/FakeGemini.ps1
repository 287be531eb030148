# Starts and stops the test suite's fake Gemini server (tests/FakeGemini) as a process, for Pester and the demo.

function Start-FakeGemini {
    param([string] $Configuration = 'Release', [string] $Key = 'test-key')

    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $dll = Join-Path $root "tests/FakeGemini/bin/$Configuration/net10.0/FakeGemini.dll"
    if (-not (Test-Path -LiteralPath $dll)) { throw "Build first: $dll is missing (dotnet build -c $Configuration)." }

    $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($dll, '--port', '0', '--key', $Key)) { $info.ArgumentList.Add($argument) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardInput = $true
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $line = $process.StandardOutput.ReadLine()
    if ($line -notmatch 'listening on (\S+)') {
        $process.Kill()
        throw "FakeGemini did not start: '$line'"
    }
    [pscustomobject]@{ Process = $process; Uri = [uri]$Matches[1]; Key = $Key }
}

function Stop-FakeGemini {
    param([Parameter(Mandatory)] $Server)

    $Server.Process.StandardInput.Close()
    if (-not $Server.Process.WaitForExit(5000)) { $Server.Process.Kill() }
    $Server.Process.Dispose()
}
