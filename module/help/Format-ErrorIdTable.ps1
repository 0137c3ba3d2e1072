#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Prints the ERROR IDS table of about_LlmSize.help.txt from the module's ErrorIds class.
.DESCRIPTION
    Run it after adding an ErrorId to src/LlmSize.PowerShell/Infrastructure/Errors.cs and paste its output over the
    table in module/help/about_LlmSize.help.txt (tests/LlmSize.Tests/Help.Tests.ps1 checks that every id is there
    with its category and recommended action). Runs in a child process so the module's assembly does not stay
    loaded in the calling session.
.PARAMETER ModulePath
    The built module's manifest; default out/LlmSize/LlmSize.psd1 under the repository root.
.EXAMPLE
    dotnet pwsh -NoProfile ./module/help/Format-ErrorIdTable.ps1
#>
[CmdletBinding()]
param([string] $ModulePath = (Join-Path $PSScriptRoot '../../out/LlmSize/LlmSize.psd1'))

$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$rows = Start-Job -ArgumentList $ModulePath -ScriptBlock {
    param($ModulePath)
    Import-Module $ModulePath
    [LlmSize.PowerShell.Infrastructure.ErrorIds]::All |
        ForEach-Object { [pscustomobject]@{ Id = $_.Id; Category = [string]$_.Category; Meaning = $_.Meaning; Action = $_.RecommendedAction } }
} | Receive-Job -Wait -AutoRemoveJob

$idWidth = [Math]::Max(7, ($rows.Id | Measure-Object Length -Maximum).Maximum) + 1
$catWidth = [Math]::Max(8, ($rows.Category | Measure-Object Length -Maximum).Maximum) + 1
$indent = 4
$textWidth = 80 - $indent - $idWidth - $catWidth

function Split-Text([string] $Text, [int] $Width) {
    $lines = [System.Collections.Generic.List[string]]::new(); $line = ''
    foreach ($word in $Text -split '\s+') {
        if ($line -and ($line.Length + 1 + $word.Length) -gt $Width) { $lines.Add($line); $line = $word }
        elseif ($line) { $line += ' ' + $word } else { $line = $word }
    }
    if ($line) { $lines.Add($line) }
    return $lines
}

$pad = ' ' * $indent
$pad + 'ErrorId'.PadRight($idWidth) + 'Category'.PadRight($catWidth) + 'Meaning; what to do'
$pad + ('-' * ($idWidth - 1)) + ' ' + ('-' * ($catWidth - 1)) + ' ' + ('-' * $textWidth)
$first = $true
foreach ($r in $rows) {
    if (-not $first) { '' }
    $first = $false
    $text = @(Split-Text $r.Meaning $textWidth) + @(Split-Text ('Action: ' + $r.Action) $textWidth)
    for ($i = 0; $i -lt $text.Count; $i++) {
        $left = if ($i -eq 0) { $r.Id.PadRight($idWidth) + $r.Category.PadRight($catWidth) } else { ' ' * ($idWidth + $catWidth) }
        ($pad + $left + $text[$i]).TrimEnd()
    }
}
