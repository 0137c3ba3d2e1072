<#
.SYNOPSIS
    Turns the three parts of a benchmark run into one table against the targets of issue 8, writes it to
    summary.md and summary.json in -OutFolder, prints it, and returns the summary object.
.DESCRIPTION
    -Import: the object of Measure-Import.ps1. -Sweep: the object of Measure-Sweep.ps1. -Core: the rows that
    LlmSize.Benchmarks writes (Name, MeanNs, AllocatedBytes, ...). Targets are reported, never enforced: a missed one
    reads MISSED in the Status column and is listed under Missed in the JSON.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [object] $Import,
    [Parameter(Mandatory)] [object] $Sweep,
    [Parameter(Mandatory)] [object[]] $Core,
    [Parameter(Mandatory)] [string] $OutFolder,
    # The Core row that stands for "a Core estimate": the inference estimate; the parameter count when a run has no
    # inference benchmark (before the estimator existed).
    [string[]] $CoreEstimate = @('InferenceEstimator.Estimate(llama-3.1-8b)', 'ParameterCounter.Count(llama-3.1-8b)'),
    [switch] $Quiet
)

$ErrorActionPreference = 'Stop'
$inv = [Globalization.CultureInfo]::InvariantCulture
function Format-Number([double] $Value, [string] $Format = 'N0') { $Value.ToString($Format, $inv) }

function Get-Machine {
    $cpu = $null; $os = $null; $load = $null
    if (Test-Path /proc/cpuinfo) { $cpu = (Select-String -Path /proc/cpuinfo -Pattern '^model name\s*:\s*(.+)$' | Select-Object -First 1).Matches.Groups[1].Value }
    if (Test-Path /etc/os-release) { $os = (Select-String -Path /etc/os-release -Pattern '^PRETTY_NAME="?([^"]+)"?$' | Select-Object -First 1).Matches.Groups[1].Value }
    if (Test-Path /proc/loadavg) { $load = ((Get-Content /proc/loadavg -Raw) -split ' ')[0..2] -join ' ' }
    [pscustomobject][ordered]@{
        Processors  = [Environment]::ProcessorCount
        Cpu         = if ($cpu) { $cpu } else { $env:PROCESSOR_IDENTIFIER }
        Os          = if ($os) { $os } else { [Runtime.InteropServices.RuntimeInformation]::OSDescription }
        Runtime     = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        PowerShell  = $PSVersionTable.PSVersion.ToString()
        LoadAverage = $load
        Date        = [DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm', $inv) + ' UTC'
    }
}

function New-Row([string] $Measure, [string] $Value, [string] $Target = '', [object] $Met = $null) {
    $status = if ($Target -eq '') { '' } elseif ($null -eq $Met) { 'not measured' } elseif ($Met) { 'met' } else { 'MISSED' }
    [pscustomobject][ordered]@{ Measure = $Measure; Value = $Value; Target = $Target; Status = $status }
}

$rows = [System.Collections.Generic.List[object]]::new()
$rows.Add((New-Row 'Import-Module over bare pwsh' "$(Format-Number $Import.ImportOverBareMs) ms" '≤ 100 ms' ($Import.ImportOverBareMs -le 100)))
$rows.Add((New-Row "Import + first call over bare pwsh (``$($Import.FirstCall)``, catalog parse included)" "$(Format-Number $Import.ImportAndCallOverBareMs) ms"))
$rows.Add((New-Row "Bare pwsh -NoProfile start (median of $($Import.Runs))" "$(Format-Number $Import.BareMs) ms"))

$items = Format-Number $Sweep.Items
$perItem = { param($ms) '{0} ms ({1} µs/item)' -f (Format-Number $ms), (Format-Number ($ms * 1000 / $Sweep.Items) 'N1') }
$rows.Add((New-Row "Sweep, LlmSize: ``$($Sweep.Description)``, $items items" (& $perItem $Sweep.LlmSizeMs)))
$rows.Add((New-Row "Sweep, floor: ``Get-BenchFloorItem`` emits $items pre-built results into the same ``Where-Object``" (& $perItem $Sweep.FloorMs)))
$rows.Add((New-Row "Sweep, pass-through floor: $items inputs piped to ``Get-BenchFloorItem``, same ``Where-Object``" (& $perItem $Sweep.PassThroughFloorMs)))
$baselineValue = if ($null -ne $Sweep.BaselineMs) { & $perItem $Sweep.BaselineMs } else { 'not measured' }
$rows.Add((New-Row "Sweep, baseline: the same math as a PowerShell function emitting ``[pscustomobject]`` (checked on $($Sweep.BaselineChecked) configurations)" $baselineValue))
$rows.Add((New-Row 'LlmSize / floor' (Format-Number $Sweep.LlmSizeOverFloor 'N2') '≤ 2' ($Sweep.LlmSizeOverFloor -le 2)))
$rows.Add((New-Row 'LlmSize / pass-through floor' (Format-Number $Sweep.LlmSizeOverPassThroughFloor 'N2')))
$ratio = $Sweep.BaselineOverLlmSize
$rows.Add((New-Row 'baseline / LlmSize' $(if ($null -ne $ratio) { Format-Number $ratio 'N2' } else { 'not measured' }) '≥ 20' $(if ($null -ne $ratio) { $ratio -ge 20 } else { $null })))
# A cmdlet that cost nothing would still pay the floor: baseline / floor bounds what baseline / LlmSize can reach.
if ($null -ne $Sweep.BaselineMs) { $rows.Add((New-Row 'baseline / floor (the ceiling of baseline / LlmSize in this sweep)' (Format-Number ($Sweep.BaselineMs / $Sweep.FloorMs) 'N2'))) }

$estimate = $null
foreach ($name in $CoreEstimate) { if (-not $estimate) { $estimate = $Core | Where-Object Name -EQ $name | Select-Object -First 1 } }
if ($estimate) {
    $e = $estimate
    # The target is zero bytes beyond the result object: an estimate has to return something (LlmSize.Benchmarks
    # reports the size of one instance of the benchmark's result class as ResultObjectBytes; 0 when not known).
    $resultBytes = if ($e.PSObject.Properties['ResultObjectBytes'] -and $e.ResultObjectBytes) { [long]$e.ResultObjectBytes } else { 0 }
    $value = '{0} ns, {1} B allocated' -f (Format-Number $e.MeanNs 'N1'), (Format-Number $e.AllocatedBytes)
    if ($resultBytes -gt 0) { $value += ' ({0} B of it the result object)' -f (Format-Number $resultBytes) }
    $rows.Add((New-Row "Core estimate: $($e.Name)" $value '≤ 100 ns, 0 B beyond the result object' ($e.MeanNs -le 100 -and $e.AllocatedBytes -le $resultBytes)))
}
else { $rows.Add((New-Row "Core estimate: $($CoreEstimate[0])" 'not measured' '≤ 100 ns, 0 B beyond the result object' $null)) }

$machine = Get-Machine
$missed = @($rows | Where-Object Status -In 'MISSED', 'not measured' | ForEach-Object Measure)
$coreRows = @($Core | Sort-Object Class, Name | ForEach-Object {
        [pscustomobject][ordered]@{ Benchmark = $_.Name; NsPerOp = [double]$_.MeanNs; AllocatedBytesPerOp = [long]$_.AllocatedBytes
            ResultObjectBytes = if ($_.PSObject.Properties['ResultObjectBytes']) { [long]$_.ResultObjectBytes } else { [long]0 } }
    })

$md = [System.Text.StringBuilder]::new()
$null = $md.AppendLine('# LlmSize benchmarks').AppendLine()
$null = $md.AppendLine("$($machine.Date) · $($machine.Processors) cores, $($machine.Cpu) · $($machine.Os) · $($machine.Runtime), PowerShell $($machine.PowerShell)$(if ($machine.LoadAverage) { " · load average $($machine.LoadAverage)" })").AppendLine()
$null = $md.AppendLine('| measure | value | target | status |').AppendLine('|---|---:|---|---|')
# A '|' inside a cell (the sweep's pipeline) would end the cell: Markdown tables take it escaped.
foreach ($r in $rows) { $null = $md.AppendLine('| ' + (@($r.Measure, $r.Value, $r.Target, $r.Status) -replace '\|', '\|' -join ' | ') + ' |') }
$null = $md.AppendLine()
if ($Sweep.Notes) { foreach ($n in $Sweep.Notes) { $null = $md.AppendLine("Note: $n").AppendLine() } }
$null = $md.AppendLine('Core (BenchmarkDotNet, in-process, 1 launch, 3 warm-up and 5 measured iterations):').AppendLine()
$null = $md.AppendLine('| benchmark | ns/op | allocated B/op | of which the result object |').AppendLine('|---|---:|---:|---:|')
foreach ($c in $coreRows) {
    $own = if ($c.ResultObjectBytes -gt 0) { Format-Number $c.ResultObjectBytes } else { '' }
    $null = $md.AppendLine("| $($c.Benchmark) | $(Format-Number $c.NsPerOp 'N1') | $(Format-Number $c.AllocatedBytesPerOp) | $own |")
}
$null = $md.AppendLine()
$null = $md.AppendLine($(if ($missed) { "Targets missed: $($missed -join '; ')." } else { 'All targets met.' }))

$summary = [pscustomobject][ordered]@{
    Machine = $machine
    Rows    = @($rows)
    Missed  = $missed
    Import  = $Import
    Sweep   = $Sweep
    Core    = $coreRows
}
New-Item -ItemType Directory -Path $OutFolder -Force | Out-Null
Set-Content -Path (Join-Path $OutFolder 'summary.md') -Value $md.ToString() -Encoding utf8NoBOM
Set-Content -Path (Join-Path $OutFolder 'summary.json') -Value ($summary | ConvertTo-Json -Depth 6) -Encoding utf8NoBOM
if (-not $Quiet) { Write-Host $md.ToString() }
$summary
