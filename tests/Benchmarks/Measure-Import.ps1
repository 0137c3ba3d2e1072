<#
.SYNOPSIS
    What importing LlmSize costs a fresh PowerShell: wall time of `pwsh -NoProfile -Command "Import-Module ...; <first
    call>"` less the same process without the import, median of -Runs runs of each, interleaved.
.DESCRIPTION
    Three commands run in turn (bare, import, import + first call), their order rotated each round, -Runs rounds:
      Bare          the same PowerShell with an empty command: process start, runtime and engine start-up.
      Import        Import-Module of the built module.
      ImportAndCall Import-Module and the first call, which parses the shipped catalog (the first estimate once
                    Get-LlmInferenceMemory exists; Get-LlmParameterCount until then).
    The PowerShell is the one running this script (`dotnet pwsh.dll` for the .NET tool), so the numbers describe the
    same runtime as the rest of the run. Returns one object with the medians and the differences over Bare, in ms.
.EXAMPLE
    ./tests/Benchmarks/Measure-Import.ps1 -Runs 11
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/LlmSize/LlmSize.psd1'),
    [ValidateRange(1, 1000)] [int] $Runs = 11,
    # The first call; by default the first estimate the built module offers.
    [string] $FirstCall
)

$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).ProviderPath

if (-not $FirstCall) {
    $exported = (Import-PowerShellDataFile $ModulePath).CmdletsToExport
    $FirstCall = if ($exported -contains 'Get-LlmInferenceMemory') { 'Get-LlmInferenceMemory -Model llama-3.1-8b -Precision bf16 -ContextLength 8k' }
                 else { 'Get-LlmParameterCount llama-3.1-8b' }
}

# The PowerShell running this script: `dotnet pwsh.dll` for the .NET tool, or the pwsh executable itself.
$exe = (Get-Process -Id $PID).Path
[string[]] $prefix = @()
if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $prefix = @(Join-Path $PSHOME 'pwsh.dll') }

$import = "Import-Module '$($ModulePath.Replace("'", "''"))'"
$commands = [ordered]@{
    Bare          = '$ErrorActionPreference = ''Stop'''
    Import        = "`$ErrorActionPreference = 'Stop'; $import"
    ImportAndCall = "`$ErrorActionPreference = 'Stop'; $import; `$null = $FirstCall"
}

function Invoke-Timed([string] $Command) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $output = & $exe @prefix -NoProfile -NonInteractive -Command $Command 2>&1
    $sw.Stop()
    if ($LASTEXITCODE -ne 0) { throw "pwsh -Command `"$Command`" failed with exit code ${LASTEXITCODE}: $($output -join "`n")" }
    return $sw.Elapsed.TotalMilliseconds
}

function Get-Median([double[]] $Values) {
    $v = @($Values | Sort-Object)
    if ($v.Count % 2) { return $v[[int][Math]::Floor($v.Count / 2)] }
    return ($v[$v.Count / 2 - 1] + $v[$v.Count / 2]) / 2
}

# One untimed run of each: the first start of a process after a build pays for cold files.
foreach ($c in $commands.Values) { $null = Invoke-Timed $c }

$times = @{}
foreach ($k in $commands.Keys) { $times[$k] = [System.Collections.Generic.List[double]]::new() }
$order = @($commands.Keys)
for ($round = 0; $round -lt $Runs; $round++) {
    for ($i = 0; $i -lt $order.Count; $i++) {
        $k = $order[($i + $round) % $order.Count]
        $times[$k].Add((Invoke-Timed $commands[$k]))
    }
}

$bare = Get-Median $times.Bare
$importMs = Get-Median $times.Import
$callMs = Get-Median $times.ImportAndCall
[pscustomobject]@{
    Runs                  = $Runs
    FirstCall             = $FirstCall
    BareMs                = [Math]::Round($bare, 1)
    ImportMs              = [Math]::Round($importMs, 1)
    ImportAndCallMs       = [Math]::Round($callMs, 1)
    ImportOverBareMs      = [Math]::Round($importMs - $bare, 1)
    ImportAndCallOverBareMs = [Math]::Round($callMs - $bare, 1)
    FirstCallMs           = [Math]::Round($callMs - $importMs, 1)
}
