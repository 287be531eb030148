<#
.SYNOPSIS
Lists the '### -Name' parameter sections written out on more than one cmdlet page of docs/en-US.

.DESCRIPTION
A section is the heading, its description and its yaml block, up to the next heading. Sections are compared
with trailing spaces trimmed from each line (the help builder trims them too). For each parameter the script
prints each distinct text with the pages that have it; a text on two or more pages belongs in
docs/en-US/parameters/<Name>.md (or <Name>.<Group>.md), used on those pages by
'{{ include parameters/<Name>.md }}' (see docs/en-US/parameters/README.md). Include lines are not sections, so
with every repeated section moved there the script prints nothing.

.EXAMPLE
dotnet pwsh -NoProfile ./tools/Find-RepeatedParameterHelp.ps1
#>
[CmdletBinding()]
param(
    [string] $Docs = (Join-Path $PSScriptRoot '../docs/en-US'),
    # Print only the parameters whose sections are written out identically on at least this many pages.
    [int] $MinimumPages = 2
)

$sections = foreach ($file in Get-ChildItem -LiteralPath $Docs -Filter '*-*.md') {
    $text = (Get-Content -LiteralPath $file.FullName -Raw) -replace "`r`n", "`n"
    $parameters = [regex]::Match($text, '(?ms)^## PARAMETERS\s*$(.*?)(?=^## )').Groups[1].Value
    foreach ($match in [regex]::Matches($parameters, '(?ms)^### -(\w+)\s*$.*?(?=^### |\z)')) {
        [pscustomobject]@{
            Page = $file.BaseName
            Name = $match.Groups[1].Value
            Text = (($match.Value -split "`n" | ForEach-Object TrimEnd) -join "`n").Trim()
        }
    }
}

foreach ($parameter in $sections | Group-Object Name | Sort-Object Name) {
    $variants = @($parameter.Group | Group-Object Text -CaseSensitive | Sort-Object Count -Descending)
    if ($variants[0].Count -lt $MinimumPages) { continue }
    $lines = ($variants[0].Name -split "`n").Count
    "-$($parameter.Name): $($variants.Count) variant(s); $lines lines"
    foreach ($variant in $variants) {
        "    $($variant.Count) page(s): $(($variant.Group.Page | Sort-Object) -join ', ')"
    }
}
