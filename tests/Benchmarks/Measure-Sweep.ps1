<#
.SYNOPSIS
    The pipeline sweep: N configurations through LlmSize's cmdlets and Where-Object, against a binary floor and a
    plain-PowerShell baseline, all measured in this process, interleaved, median of -Repeat runs.
.DESCRIPTION
    Arms, each ending in the same Where-Object filter and collected the same way:
      LlmSize           the cmdlets, taking the configurations from the pipeline.
      Floor             Get-BenchFloorItem (tests/Benchmarks/LlmSize.Benchmarks.Floor) emitting N pre-built result objects
                        from one call: what PowerShell itself costs to carry N objects through the filter.
      PassThroughFloor  the same cmdlet taking the N inputs from the pipeline and answering each with a pre-built
                        object: the floor plus PowerShell's per-item parameter binding (informative).
      Baseline          Baseline.ps1: the same math as a plain PowerShell function emitting [pscustomobject].
    Scenarios (default Inference; -Scenario Auto picks Inference when Get-LlmInferenceMemory and Test-GpuFit are
    loaded, else ParameterCount):
      ParameterCount    catalog models × repeats | Get-LlmParameterCount | Where-Object Total -gt 7e9
      Inference         models × precisions × context lengths | Get-LlmInferenceMemory | Test-GpuFit | Where-Object Fits
    Before timing, the baseline's numbers are compared with the cmdlet's for every distinct configuration; a difference
    stops the run with an error that names it. The selected counts and the sum of Total of the selected objects must
    also agree across arms.
    Returns one object: the medians in ms, the ratios LlmSize/Floor and Baseline/LlmSize, and what was checked.
.EXAMPLE
    ./tests/Benchmarks/Measure-Sweep.ps1 -Count 100000 -Repeat 5
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/LlmSize/LlmSize.psd1'),
    # Default: the newest build of the floor project (Release or Debug).
    [string] $FloorAssembly,
    [string] $BaselinePath = (Join-Path $PSScriptRoot 'Baseline.ps1'),
    [ValidateRange(1, 10000000)] [int] $Count = 100000,
    [ValidateRange(1, 100)] [int] $Repeat = 5,
    [ValidateSet('Auto', 'ParameterCount', 'Inference')] [string] $Scenario = 'Inference'
)

$ErrorActionPreference = 'Stop'
# The arms run as users run them: strict mode would add a check to every variable and property access they make.
Set-StrictMode -Off
# Context lengths past a model's maximum give one warning per item from the cmdlets and the baseline alike (estimated
# as asked, not clamped): a sweep script silences them, as users do with -WarningAction SilentlyContinue. Left on, the
# warnings of 100,000 items would print to the console and time the host, not the arms.
$WarningPreference = 'SilentlyContinue'

if (-not $FloorAssembly) {
    $FloorAssembly = Get-ChildItem (Join-Path $PSScriptRoot 'LlmSize.Benchmarks.Floor/bin') -Recurse -Filter 'LlmSize.Benchmarks.Floor.dll' -ErrorAction SilentlyContinue |
        Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1 -ExpandProperty FullName
    if (-not $FloorAssembly) { throw "The floor cmdlet is not built: dotnet build $PSScriptRoot/LlmSize.Benchmarks.Floor -c Release" }
}
Import-Module $ModulePath
Import-Module $FloorAssembly
. $BaselinePath

$scenarios = [ordered]@{
    ParameterCount = @{
        Description = 'catalog models × repeats | Get-LlmParameterCount | Where-Object Total -gt 7e9'
        # The distinct configurations; the sweep cycles through them until it has -Count items.
        Configurations = { @(Get-LlmModel) }
        # Every arm is one streaming pipeline ending in the same filter; $prebuilt holds the floor's objects.
        LlmSize        = { param($items, $prebuilt) $items | Get-LlmParameterCount | Where-Object Total -gt 7e9 }
        Floor          = { param($items, $prebuilt) Get-BenchFloorItem -Item $prebuilt -Count $items.Count | Where-Object Total -gt 7e9 }
        PassThroughFloor = { param($items, $prebuilt) $items | Get-BenchFloorItem -Item $prebuilt | Where-Object Total -gt 7e9 }
        Baseline       = { param($items, $prebuilt) $items | Get-BaselineParameterCount | Where-Object Total -gt 7e9 }
        BaselineCommand = 'Get-BaselineParameterCount'
        # Runs once per configuration, unfiltered: the objects the floor emits and the numbers the baseline must match.
        Reference      = { param($items) $items | Get-LlmParameterCount }
        BaselineAll    = { param($items) $items | Get-BaselineParameterCount }
        CheckFields    = 'Total', 'Active', 'Embeddings', 'PositionEmbeddings', 'Attention', 'Mlp', 'RoutedExperts', 'SharedExperts', 'Router', 'Norms', 'LmHead', 'Pooler'
        SumField       = 'Total'
    }
    # The pipeline issue 4 documents (Get-LlmModel qwen* | Get-LlmInferenceMemory -Precision int4 -ContextLength 32k |
    # Test-GpuFit -Gpu ... | Where-Object Fits), with the parameter names of the cmdlets as they landed.
    # Each configuration is one (model, precision, context length); the cmdlets take the model from the pipeline and
    # the rest as parameters, so the items are pipelined group by group.
    Inference      = @{
        Description = 'models × precisions × context lengths | Get-LlmInferenceMemory | Test-GpuFit -Gpu h100-sxm-80gb | Where-Object Fits'
        Configurations = {
            $models = @(Get-LlmModel)
            foreach ($p in 'bf16', 'fp8', 'int4', 'Q4_K_M') {
                foreach ($c in 2048, 8192, 32768, 131072) {
                    foreach ($m in $models) { [pscustomobject]@{ Model = $m; Precision = $p; ContextLength = $c } }
                }
            }
        }
        # $groups: the items cut into runs of one precision and context length, before timing (Get-InferenceGroups).
        LlmSize        = { param($items, $prebuilt, $groups) & { foreach ($g in $groups) { $g.Models | Get-LlmInferenceMemory -Precision $g.Precision -ContextLength $g.ContextLength | Test-GpuFit -Gpu h100-sxm-80gb } } | Where-Object Fits }
        Floor          = { param($items, $prebuilt) Get-BenchFloorItem -Item $prebuilt -Count $items.Count | Where-Object Fits }
        PassThroughFloor = { param($items, $prebuilt) $items | Get-BenchFloorItem -Item $prebuilt | Where-Object Fits }
        Baseline       = { param($items, $prebuilt) $items | Get-BaselineInferenceFit -Gpu h100-sxm-80gb | Where-Object Fits }
        BaselineCommand = 'Get-BaselineInferenceFit'
        Reference      = { param($items) foreach ($g in (Get-InferenceGroups $items)) { $g.Models | Get-LlmInferenceMemory -Precision $g.Precision -ContextLength $g.ContextLength | Test-GpuFit -Gpu h100-sxm-80gb } }
        Prepare        = { param($items) Get-InferenceGroups $items }
        BaselineAll    = { param($items) $items | Get-BaselineInferenceFit -Gpu h100-sxm-80gb }
        CheckFields    = 'Fits', 'Required'
        SumField       = 'Required'
    }
}

function Get-InferenceGroups {
    # Runs of consecutive items that share precision and context length: one cmdlet call each takes their models.
    param([object[]] $Items)
    $start = 0
    while ($start -lt $Items.Count) {
        $end = $start
        while ($end + 1 -lt $Items.Count -and $Items[$end + 1].Precision -eq $Items[$start].Precision -and $Items[$end + 1].ContextLength -eq $Items[$start].ContextLength) { $end++ }
        [pscustomobject]@{ Models = @($Items[$start..$end].Model); Precision = $Items[$start].Precision; ContextLength = $Items[$start].ContextLength }
        $start = $end + 1
    }
}

function ConvertTo-Comparable($Value) {
    # Numbers, booleans and strings compare as they are; a ByteSize (estimates report sizes as ByteSize) by its bytes.
    # ByteSize is a struct, so it is recognized before the [ValueType] test.
    if ($null -eq $Value -or $Value -is [string]) { return $Value }
    if ($Value.PSObject.Properties['Bytes']) { return $Value.Bytes }
    if ($Value -is [ValueType]) { return $Value }
    return "$Value"
}

$estimatorLoaded = [bool](Get-Command Get-LlmInferenceMemory, Test-GpuFit -ErrorAction SilentlyContinue | Measure-Object | Where-Object Count -EQ 2)
$name = if ($Scenario -ne 'Auto') { $Scenario } elseif ($estimatorLoaded) { 'Inference' } else { 'ParameterCount' }
if ($name -eq 'Inference' -and -not $estimatorLoaded) { throw 'The Inference scenario needs Get-LlmInferenceMemory and Test-GpuFit, which this build of LlmSize does not have.' }
$s = $scenarios[$name]
$notes = [System.Collections.Generic.List[string]]::new()
$hasBaseline = [bool](Get-Command $s.BaselineCommand -ErrorAction SilentlyContinue)
if (-not $hasBaseline) { $notes.Add("Baseline.ps1 has no $($s.BaselineCommand) yet: the baseline arm was not measured.") }

# Inputs: the distinct configurations, cycled to -Count items. Pre-built results for the floor, cycled the same way.
$configurations = @(& $s.Configurations)
if ($configurations.Count -eq 0) { throw "Scenario $name has no configurations." }
$items = [object[]]::new($Count)
for ($i = 0; $i -lt $Count; $i++) { $items[$i] = $configurations[$i % $configurations.Count] }
$prebuilt = @(& $s.Reference $configurations)
# Whatever an arm needs besides the items, prepared before timing (the Inference scenario's groups).
$prepared = if ($s.Prepare) { @(& $s.Prepare $items) } else { $null }
if ($prebuilt.Count -ne $configurations.Count) { throw "Scenario ${name}: $($configurations.Count) configurations gave $($prebuilt.Count) results; the sweep needs one result per configuration." }

# The check, once per run: the baseline's numbers are the cmdlet's, field by field, for every distinct configuration.
$checked = 0
if ($hasBaseline) {
    $expected = $prebuilt
    $actual = @(& $s.BaselineAll $configurations)
    if ($actual.Count -ne $expected.Count) { throw "Baseline.ps1 gave $($actual.Count) results for $($expected.Count) configurations." }
    $diffs = for ($i = 0; $i -lt $expected.Count; $i++) {
        foreach ($f in $s.CheckFields) {
            if ((ConvertTo-Comparable $expected[$i].$f) -ne (ConvertTo-Comparable $actual[$i].$f)) { "configuration $i ($($configurations[$i])): $f is $($expected[$i].$f) from the cmdlet, $($actual[$i].$f) from Baseline.ps1" }
        }
    }
    if ($diffs) { throw "Baseline.ps1 disagrees with LlmSize on $(@($diffs).Count) value(s); its timings would compare different math:`n" + (@($diffs | Select-Object -First 10) -join "`n") }
    $checked = $expected.Count
}

$arms = [ordered]@{ Floor = $s.Floor; PassThroughFloor = $s.PassThroughFloor; LlmSize = $s.LlmSize }
if ($hasBaseline) { $arms.Baseline = $s.Baseline }

# Round 0, untimed: every arm once over all items (JIT tiers and script compilation settle; a smaller warm-up left
# the first timed arm several times slower), collecting the output to check that the arms select the same objects.
$order = @($arms.Keys)
$selected = @{}; $sums = @{}
foreach ($arm in $order) {
    $result = @(& $arms[$arm] $items $prebuilt $prepared)
    $selected[$arm] = $result.Count
    $sum = [decimal]0
    foreach ($o in $result) { $sum += [decimal](ConvertTo-Comparable $o.($s.SumField)) }
    $sums[$arm] = $sum
    $result = $null
}
foreach ($arm in $order) {
    if ($selected[$arm] -ne $selected.LlmSize -or $sums[$arm] -ne $sums.LlmSize) {
        throw "Arm $arm selected $($selected[$arm]) objects with $($s.SumField) summing to $($sums[$arm]); LlmSize selected $($selected.LlmSize) summing to $($sums.LlmSize). The arms do not compute the same thing."
    }
}

# Timed rounds, the arm order rotated each round; output discarded as it streams (collecting 100,000 objects would
# time the garbage collector more than the pipeline).
$times = @{}
foreach ($arm in $order) { $times[$arm] = [System.Collections.Generic.List[double]]::new() }
for ($round = 0; $round -lt $Repeat; $round++) {
    for ($k = 0; $k -lt $order.Count; $k++) {
        $arm = $order[($k + $round) % $order.Count]
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $null = & $arms[$arm] $items $prebuilt $prepared
        $sw.Stop()
        $times[$arm].Add($sw.Elapsed.TotalMilliseconds)
    }
}

function Get-Median([double[]] $Values) {
    $v = @($Values | Sort-Object)
    if ($v.Count % 2) { return $v[[int][Math]::Floor($v.Count / 2)] }
    return ($v[$v.Count / 2 - 1] + $v[$v.Count / 2]) / 2
}
$ms = @{}
foreach ($arm in $order) { $ms[$arm] = [Math]::Round((Get-Median $times[$arm]), 1) }
$baselineMs = if ($hasBaseline) { $ms.Baseline } else { $null }

[pscustomobject]@{
    Scenario                    = $name
    Description                 = $s.Description
    Items                       = $Count
    Configurations              = $configurations.Count
    Selected                    = $selected.LlmSize
    Repeat                      = $Repeat
    FloorMs                     = $ms.Floor
    PassThroughFloorMs          = $ms.PassThroughFloor
    LlmSizeMs                   = $ms.LlmSize
    BaselineMs                  = $baselineMs
    LlmSizeUsPerItem            = [Math]::Round($ms.LlmSize * 1000 / $Count, 2)
    LlmSizeOverFloor            = [Math]::Round($ms.LlmSize / $ms.Floor, 2)
    LlmSizeOverPassThroughFloor = [Math]::Round($ms.LlmSize / $ms.PassThroughFloor, 2)
    BaselineOverLlmSize         = if ($hasBaseline) { [Math]::Round($baselineMs / $ms.LlmSize, 2) } else { $null }
    BaselineChecked             = $checked
    TotalsMatch                 = $hasBaseline
    Notes                       = @($notes)
}
