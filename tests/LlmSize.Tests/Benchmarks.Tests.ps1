#Requires -Modules Pester
# The benchmark harness of tests/Benchmarks (build.ps1 -Task Bench), run tiny: the baseline computes the cmdlet's numbers,
# the sweep measures every arm and stops when the baseline disagrees, and the summary has its fields. No timing is asserted.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModulePath) -Force
    $script:Bench = Join-Path $env:LLMSIZE_ROOT 'tests/Benchmarks'
    $script:CheckFields = 'Total', 'Active', 'Embeddings', 'PositionEmbeddings', 'Attention', 'Mlp', 'RoutedExperts', 'SharedExperts', 'Router', 'Norms', 'LmHead', 'Pooler'
}

Describe 'Benchmark baseline (tests/Benchmarks/Baseline.ps1)' {
    It 'computes the same breakdown as Get-LlmParameterCount for every catalog model' {
        . (Join-Path $Bench 'Baseline.ps1')
        $models = @(Get-LlmModel)
        $models.Count | Should -BeGreaterThan 50
        $expected = @($models | Get-LlmParameterCount)
        $actual = @($models | Get-BaselineParameterCount)
        $actual[0] | Should -BeOfType [pscustomobject]
        $actual.Count | Should -Be $models.Count
        $diffs = for ($i = 0; $i -lt $models.Count; $i++) {
            foreach ($f in $CheckFields) { if ($actual[$i].$f -ne $expected[$i].$f) { "$($models[$i].Id) $f`: baseline $($actual[$i].$f), cmdlet $($expected[$i].$f)" } }
        }
        $diffs | Should -BeNullOrEmpty
    }
}

Describe 'Pipeline sweep harness (Measure-Sweep.ps1), 1,000 items' {
    BeforeAll {
        $script:Sweep = & (Join-Path $Bench 'Measure-Sweep.ps1') -ModulePath (Get-ModulePath) -Count 1000 -Repeat 1 -Scenario ParameterCount
    }

    It 'measures every arm and reports the ratios' {
        $Sweep.Scenario | Should -Be 'ParameterCount'
        $Sweep.Items | Should -Be 1000
        $Sweep.Configurations | Should -Be @(Get-LlmModel).Count
        foreach ($f in 'FloorMs', 'PassThroughFloorMs', 'LlmSizeMs', 'BaselineMs', 'LlmSizeOverFloor', 'LlmSizeOverPassThroughFloor', 'BaselineOverLlmSize', 'LlmSizeUsPerItem') {
            $Sweep.$f | Should -BeGreaterThan 0 -Because $f
        }
        $Sweep.LlmSizeOverFloor | Should -Be ([Math]::Round($Sweep.LlmSizeMs / $Sweep.FloorMs, 2))
    }

    It 'checked the baseline against the cmdlet on every distinct configuration' {
        $Sweep.TotalsMatch | Should -BeTrue
        $Sweep.BaselineChecked | Should -Be $Sweep.Configurations
        $Sweep.Notes | Should -BeNullOrEmpty
    }

    It 'selected the same objects in every arm' {
        # 1,000 items cycle through the catalog; Where-Object Total -gt 7e9 keeps the items whose model is above 7e9.
        $models = @(Get-LlmModel)
        $expected = 0
        for ($i = 0; $i -lt 1000; $i++) { if (($models[$i % $models.Count] | Get-LlmParameterCount).Total -gt 7e9) { $expected++ } }
        $Sweep.Selected | Should -Be $expected
    }

    It 'stops with an error naming the difference when the baseline disagrees with the cmdlet' {
        $wrong = Join-Path $TestDrive 'WrongBaseline.ps1'
        $source = Get-Content (Join-Path $Bench 'Baseline.ps1') -Raw
        $source.Replace('$r.Active = $r.Total - $inactive', '$r.Active = $r.Total - $inactive + 1') | Set-Content $wrong
        { & (Join-Path $Bench 'Measure-Sweep.ps1') -ModulePath (Get-ModulePath) -BaselinePath $wrong -Count 100 -Repeat 1 -Scenario ParameterCount } |
            Should -Throw '*Baseline.ps1 disagrees with LlmSize*Active*'
    }
}

Describe 'Pipeline sweep harness: the inference scenario, 1,000 items' {
    # The default scenario: models × precisions × context lengths | Get-LlmInferenceMemory | Test-GpuFit | Where-Object Fits,
    # with Baseline.ps1's Get-BaselineInferenceFit checked on every distinct configuration before timing.
    BeforeAll {
        $script:Inference = & (Join-Path $Bench 'Measure-Sweep.ps1') -ModulePath (Get-ModulePath) -Count 1000 -Repeat 1
    }

    It 'is the default and sweeps models × 4 precisions × 4 context lengths' {
        $Inference.Scenario | Should -Be 'Inference'
        $Inference.Items | Should -Be 1000
        $Inference.Configurations | Should -Be (@(Get-LlmModel).Count * 16)
        $Inference.Selected | Should -BeGreaterThan 0
        $Inference.Selected | Should -BeLessThan 1000
    }

    It 'checked Fits and Required of the baseline against the cmdlets on every configuration and measured every arm' {
        $Inference.TotalsMatch | Should -BeTrue
        $Inference.BaselineChecked | Should -Be $Inference.Configurations
        $Inference.Notes | Should -BeNullOrEmpty
        foreach ($f in 'FloorMs', 'PassThroughFloorMs', 'LlmSizeMs', 'BaselineMs', 'LlmSizeOverFloor', 'BaselineOverLlmSize') {
            $Inference.$f | Should -BeGreaterThan 0 -Because $f
        }
    }

    It 'picks the same scenario with -Scenario Auto now that the estimator cmdlets exist' {
        $r = & (Join-Path $Bench 'Measure-Sweep.ps1') -ModulePath (Get-ModulePath) -Count 100 -Repeat 1 -Scenario Auto
        $r.Scenario | Should -Be 'Inference'
    }

    It 'stops with an error naming the difference when the inference baseline disagrees with the cmdlets' {
        $wrong = Join-Path $TestDrive 'WrongInferenceBaseline.ps1'
        $source = Get-Content (Join-Path $Bench 'Baseline.ps1') -Raw
        $source.Contains('[long] $required = $weights + $kvCache + $activations + $overhead') | Should -BeTrue
        $source.Replace('[long] $required = $weights + $kvCache + $activations + $overhead', '[long] $required = $weights + $kvCache + $activations + $overhead + 1') | Set-Content $wrong
        { & (Join-Path $Bench 'Measure-Sweep.ps1') -ModulePath (Get-ModulePath) -BaselinePath $wrong -Count 100 -Repeat 1 } |
            Should -Throw '*Baseline.ps1 disagrees with LlmSize*Required*'
    }

    It 'measures LlmSize and the floor, and says so, when a baseline file has no inference function' {
        $partial = Join-Path $TestDrive 'NoInferenceBaseline.ps1'
        (Get-Content (Join-Path $Bench 'Baseline.ps1') -Raw).Replace('function Get-BaselineInferenceFit', 'function Get-SomethingElse') | Set-Content $partial
        $r = & (Join-Path $Bench 'Measure-Sweep.ps1') -ModulePath (Get-ModulePath) -BaselinePath $partial -Count 500 -Repeat 1
        $r.Scenario | Should -Be 'Inference'
        $r.BaselineMs | Should -BeNullOrEmpty
        $r.LlmSizeOverFloor | Should -BeGreaterThan 0
        $r.Notes | Should -BeLike '*Baseline.ps1 has no Get-BaselineInferenceFit*'
    }
}

Describe 'Import measurement (Measure-Import.ps1)' {
    It 'times the first inference estimate as the first call, in fresh processes' {
        $r = & (Join-Path $Bench 'Measure-Import.ps1') -ModulePath (Get-ModulePath) -Runs 1
        $r.FirstCall | Should -BeLike 'Get-LlmInferenceMemory *'
        foreach ($f in 'BareMs', 'ImportMs', 'ImportAndCallMs') { $r.$f | Should -BeGreaterThan 0 -Because $f }
    }
}

Describe 'Benchmark summary (New-BenchSummary.ps1)' {
    BeforeAll {
        $import = [pscustomobject]@{ Runs = 11; FirstCall = 'Get-LlmParameterCount llama-3.1-8b'; BareMs = 500.0; ImportMs = 580.0; ImportAndCallMs = 650.0; ImportOverBareMs = 80.0; ImportAndCallOverBareMs = 150.0; FirstCallMs = 70.0 }
        $sweep = [pscustomobject]@{ Scenario = 'ParameterCount'; Description = 'models | Get-LlmParameterCount | Where-Object Total -gt 7e9'; Items = 1000; Configurations = 56; Selected = 553; Repeat = 1
            FloorMs = 10.0; PassThroughFloorMs = 12.0; LlmSizeMs = 30.0; BaselineMs = 90.0; LlmSizeUsPerItem = 30.0; LlmSizeOverFloor = 3.0; LlmSizeOverPassThroughFloor = 2.5; BaselineOverLlmSize = 3.0
            BaselineChecked = 56; TotalsMatch = $true; Notes = @() }
        $core = @(
            [pscustomobject]@{ Name = 'ParameterCounter.Count(llama-3.1-8b)'; Class = 'ParameterCounterBenchmarks'; Method = 'Count'; Parameters = 'llama-3.1-8b'; MeanNs = 1800.5; MedianNs = 1790.0; StdDevNs = 20.0; AllocatedBytes = 3016 }
            [pscustomobject]@{ Name = 'QuickEstimate.QuickEstimate'; Class = 'QuickEstimateBenchmarks'; Method = 'QuickEstimate'; Parameters = ''; MeanNs = 1.4; MedianNs = 1.4; StdDevNs = 0.1; AllocatedBytes = 0 }
        )
        $script:Out = Join-Path $TestDrive 'bench'
        $script:Summary = & (Join-Path $Bench 'New-BenchSummary.ps1') -Import $import -Sweep $sweep -Core $core -OutFolder $Out -Quiet
        $script:Json = Get-Content (Join-Path $Out 'summary.json') -Raw | ConvertFrom-Json
    }

    It 'writes summary.md and summary.json with the machine, the rows, the parts and the Core table' {
        Join-Path $Out 'summary.md' | Should -Exist
        foreach ($f in 'Machine', 'Rows', 'Missed', 'Import', 'Sweep', 'Core') { $Json.PSObject.Properties.Name | Should -Contain $f }
        foreach ($f in 'Processors', 'Cpu', 'Os', 'Runtime', 'PowerShell', 'Date') { $Json.Machine.PSObject.Properties.Name | Should -Contain $f }
        foreach ($r in $Json.Rows) { ($r.PSObject.Properties.Name -join ',') | Should -Be 'Measure,Value,Target,Status' }
        $Json.Core.Benchmark | Should -Be @('ParameterCounter.Count(llama-3.1-8b)', 'QuickEstimate.QuickEstimate')
        $Json.Sweep.LlmSizeOverFloor | Should -Be 3.0
        (Get-Content (Join-Path $Out 'summary.md') -Raw) | Should -BeLike '*| measure | value | target | status |*'
    }

    It 'says which targets were met and which were missed' {
        $status = @{}; foreach ($r in $Summary.Rows) { if ($r.Target) { $status[$r.Measure] = $r.Status } }
        $status['Import-Module over bare pwsh'] | Should -Be 'met'
        $status['LlmSize / floor'] | Should -Be 'MISSED'
        $status['baseline / LlmSize'] | Should -Be 'MISSED'
        $status['Core estimate: ParameterCounter.Count(llama-3.1-8b)'] | Should -Be 'MISSED'
        $Summary.Missed | Should -Be @('LlmSize / floor', 'baseline / LlmSize', 'Core estimate: ParameterCounter.Count(llama-3.1-8b)')
        (Get-Content (Join-Path $Out 'summary.md') -Raw) | Should -BeLike '*Targets missed: LlmSize / floor; baseline / LlmSize; Core estimate*'
    }

    It 'reports a part that was not measured as such, not as met' {
        $noBaseline = $sweep.PSObject.Copy(); $noBaseline.BaselineMs = $null; $noBaseline.BaselineOverLlmSize = $null
        $noBaseline.Notes = @('Baseline.ps1 has no Get-BaselineInferenceFit yet: the baseline arm was not measured.')
        $s = & (Join-Path $Bench 'New-BenchSummary.ps1') -Import $import -Sweep $noBaseline -Core $core -OutFolder (Join-Path $TestDrive 'nb') -Quiet
        ($s.Rows | Where-Object Measure -EQ 'baseline / LlmSize').Status | Should -Be 'not measured'
        (Get-Content (Join-Path $TestDrive 'nb/summary.md') -Raw) | Should -BeLike '*Note: Baseline.ps1 has no Get-BaselineInferenceFit*'
    }
}
