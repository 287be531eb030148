# Times 500 answer-cache hits against 500 requests to the local fake server (dotnet build -c Release first; run from the repository root:
# dotnet pwsh -NoProfile -File bench/answer-cache.ps1). $env:PP sets $ProgressPreference (e.g. SilentlyContinue).
. ./tests/Pester/FakeGemini.ps1
Import-Module ./out/CometGemini/CometGemini.psd1
$server = Start-FakeGemini
$PSDefaultParameterValues['*-Gemini*:BaseUri'] = $server.Uri
$PSDefaultParameterValues['*-Gemini*:ApiKey'] = $server.Key
$cache = Join-Path ([IO.Path]::GetTempPath()) ("bench-cache-" + [guid]::NewGuid())
$inputs = 1..500 | ForEach-Object { "log line $_ " + ('x' * 2000) }
$null = $inputs | Invoke-GeminiContent -ThrottleLimit 8 -AnswerCache $cache
$ProgressPreference = $env:PP; foreach ($i in 1..3) {
  $hits = Measure-Command { $null = $inputs | Invoke-GeminiContent -ThrottleLimit 8 -AnswerCache $cache }
  $send = Measure-Command { $null = $inputs | Invoke-GeminiContent -ThrottleLimit 8 }
  "500 hits: {0:N0} ms; 500 sent to the local fake (no cache): {1:N0} ms" -f $hits.TotalMilliseconds, $send.TotalMilliseconds
}
Remove-Item -Recurse $cache
Stop-FakeGemini $server
