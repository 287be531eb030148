<#
.SYNOPSIS
Summarizes every log file in a folder with Gemini and writes one HTML report: a row per file, then the
token and time totals of the run.

.DESCRIPTION
Sends the log files to Invoke-GeminiContent several at a time (-ThrottleLimit), in file order, and
builds the report from what the responses carry: SourcePath (the file), Text (the summary) and
UsageMetadata (the tokens), plus the run's summary object (-Summary). A file that fails (too large, a
server error after the retries) is listed in the report with its error instead of stopping the run, and
so is a file refused before sending (empty, binary): every file of the folder has a row, and the totals
agree with the rows. The same rows go to a CSV file beside the report (-CsvFile).

Run every night, it sends only what changed: each whole answer is kept in an answer cache (-AnswerCache,
by default a folder beside the report), and a log whose bytes, prompt and options are the same as on an
earlier night is answered from it, at no cost (its row says Cached). A token budget (-MaxTotalTokens)
caps what one run may spend: the logs left when it is used up are listed as not summarized, and the
next run, with the cache, picks them up.

It uses only PowerShell's core cmdlets and .NET, so it runs in any host, scheduled tasks and
constrained runspaces included. With the full pwsh, ConvertTo-Html or Export-Csv do the same with
less code:
    ... | Select-Object @{n='File';e={Split-Path $_.SourcePath -Leaf}}, Text | Export-Csv report.csv

.EXAMPLE
./log-report.ps1 -LogFolder /var/log/myapp -OutFile ./log-report.html -ThrottleLimit 8

.EXAMPLE
./log-report.ps1 -LogFolder ./old-logs -Encoding latin1
Logs written in a Windows code page rather than UTF-8.

.EXAMPLE
./log-report.ps1 -LogFolder /var/log/myapp -AnswerCache /var/cache/log-report -AnswerCacheMaxAge 30.00:00:00 -MaxTotalTokens 500000
A nightly run: unchanged logs cost nothing, answers older than 30 days are asked for again, and no run spends more than half a million tokens.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $LogFolder,

    [string] $OutFile = 'log-report.html',

    # The same rows as CSV; by default beside the report, with the extension .csv.
    [string] $CsvFile,

    # How the logs are read when they are not UTF-8 (latin1, ansi, 1252, ...); without it a log that is not valid UTF-8 is sent with a warning.
    [string] $Encoding,

    [string] $Filter = '*.log',

    [ValidateRange(1, 100)]
    [int] $ThrottleLimit = 4,

    [string] $Prompt = 'Summarize this log for an administrator in at most three sentences: what failed, how often, and what to check first.',

    # Where the answers are kept between runs (by default 'log-report-cache' beside the report); '' sends every log again.
    [string] $AnswerCache,

    # How long a kept answer counts; an older one is asked for again.
    [TimeSpan] $AnswerCacheMaxAge = [TimeSpan]::FromDays(30),

    # The most tokens one run may use; the logs after that are not sent (0: no budget).
    [ValidateRange(0, [long]::MaxValue)]
    [long] $MaxTotalTokens = 2000000
)

$folder = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($LogFolder)
$report = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutFile)
$csv = if ($CsvFile) { $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($CsvFile) } else { [IO.Path]::ChangeExtension($report, '.csv') }
$cache = if (-not $PSBoundParameters.ContainsKey('AnswerCache')) { [IO.Path]::Combine([IO.Path]::GetDirectoryName($report), 'log-report-cache') }
         elseif ($AnswerCache) { $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($AnswerCache) }
$files = [IO.DirectoryInfo]::new($folder).GetFiles($Filter)
if ($files.Count -gt 1) { [Array]::Sort([string[]]$files.Name, $files, [StringComparer]::OrdinalIgnoreCase) }

# One request per file, up to $ThrottleLimit at once; answers come back in file order, then the run's totals.
$failures = @()
$options = @{ Prompt = $Prompt; ThrottleLimit = $ThrottleLimit }
if ($Encoding) { $options.Encoding = $Encoding }
if ($cache) { $options.AnswerCache = $cache; $options.AnswerCacheMaxAge = $AnswerCacheMaxAge }
if ($MaxTotalTokens -gt 0) { $options.MaxTotalTokens = $MaxTotalTokens }
$results = $files | Invoke-GeminiContent @options -Summary -ErrorAction SilentlyContinue -ErrorVariable failures
$summary = $results | Where-Object { $_ -is [CometGemini.GeminiRunSummary] }

$rows = @(foreach ($answer in $results | Where-Object { $_ -is [CometGemini.GenerateContentResponse] }) {
    $file = [IO.FileInfo]$answer.SourcePath
    [pscustomobject]@{
        File       = $file.Name
        SizeKB     = [math]::Round($file.Length / 1KB, 1)
        ErrorLines = @([IO.File]::ReadLines($file.FullName) | Where-Object { $_ -match '\b(ERROR|FATAL|CRITICAL)\b' }).Count
        Summary    = $answer.Text.Trim()
        Tokens     = if ($answer.FromCache) { 0 } else { $answer.UsageMetadata.TotalTokenCount }
        Cached     = if ($answer.FromCache) { 'yes' } else { '' }
    }
})
$rows += @(foreach ($failure in $failures) {
    [pscustomobject]@{
        File       = [IO.Path]::GetFileName([string]$failure.TargetObject)
        SizeKB     = $null
        ErrorLines = $null
        Summary    = "Not summarized: $($failure.Exception.Message)"
        Tokens     = 0
        Cached     = ''
    }
})
# Files refused without an error (an empty log is a warning, not a failure of the run) still get their row.
$named = @($rows.File)
$rows += @(foreach ($refused in $summary.RefusedInputs) {
    $name, $reason = $refused -split ': ', 2
    if ($name -notin $named) {
        [pscustomobject]@{ File = $name; SizeKB = $null; ErrorLines = $null; Summary = "Not summarized: $reason"; Tokens = 0; Cached = '' }
    }
})

$csvText = [Text.StringBuilder]::new()
$null = $csvText.AppendLine('"File","SizeKB","ErrorLines","Summary","Tokens","Cached"')
foreach ($row in $rows) {
    $cells = foreach ($value in $row.File, $row.SizeKB, $row.ErrorLines, $row.Summary, $row.Tokens, $row.Cached) { '"' + ([string]$value).Replace('"', '""') + '"' }
    $null = $csvText.AppendLine($cells -join ',')
}
[IO.File]::WriteAllText($csv, $csvText.ToString())

function ConvertTo-Cell([object] $Value) { '<td>' + [Net.WebUtility]::HtmlEncode([string]$Value) + '</td>' }

$html = [Text.StringBuilder]::new()
$null = $html.AppendLine('<!DOCTYPE html><html><head><meta charset="utf-8"><title>Log report</title>')
$null = $html.AppendLine('<style>body{font-family:sans-serif} td,th{border:1px solid #ccc;padding:4px;vertical-align:top;white-space:pre-wrap} table{border-collapse:collapse}</style></head><body>')
$null = $html.AppendLine("<h1>Log report: $([Net.WebUtility]::HtmlEncode($folder))</h1>")
$null = $html.AppendLine('<table><tr><th>File</th><th>Size (KB)</th><th>Error lines</th><th>Summary</th><th>Tokens</th><th>Cached</th></tr>')
foreach ($row in $rows) {
    $null = $html.AppendLine('<tr>' + (ConvertTo-Cell $row.File) + (ConvertTo-Cell $row.SizeKB) + (ConvertTo-Cell $row.ErrorLines) + (ConvertTo-Cell $row.Summary) + (ConvertTo-Cell $row.Tokens) + (ConvertTo-Cell $row.Cached) + '</tr>')
}
$null = $html.AppendLine('</table>')
$budget = if ($MaxTotalTokens -gt 0) { "; budget {0}, {1} file(s) stopped by it" -f $MaxTotalTokens, $summary.StoppedByBudget.Count } else { '' }
$null = $html.AppendLine(('<p id="totals">{0} files, {1} summarized, {2} failed, {3} retries, {8} answered from the answer cache; tokens: {4} prompt, {5} output, <b>{6} in all</b>{9}; {7:hh\:mm\:ss}.</p>' -f
        $files.Count, $summary.Succeeded, $summary.Failed, $summary.Retries, $summary.PromptTokens, $summary.OutputTokens, $summary.TotalTokens, $summary.Elapsed, $summary.CacheHits, $budget))
$null = $html.AppendLine('</body></html>')
[IO.File]::WriteAllText($report, $html.ToString())

[IO.FileInfo]$report
[IO.FileInfo]$csv
$summary
