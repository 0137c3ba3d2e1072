#Requires -Modules Pester
# The pipeline contract of every cmdlet: what binds by value and by property name, that [OutputType] names what is
# emitted, and that results survive ConvertTo-Json with numbers staying numbers.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModulePath) -Force

    function Get-PipelineBinding([string] $Command) {
        $byValue = [Collections.Generic.List[string]]::new(); $byName = [Collections.Generic.List[string]]::new()
        foreach ($set in (Get-Command $Command).ParameterSets) {
            foreach ($p in $set.Parameters) {
                if ($p.ValueFromPipeline -and -not $byValue.Contains($p.Name)) { $byValue.Add($p.Name) }
                if ($p.ValueFromPipelineByPropertyName -and -not $byName.Contains($p.Name)) { $byName.Add($p.Name) }
            }
        }
        [pscustomobject]@{ ByValue = @($byValue | Sort-Object); ByName = @($byName | Sort-Object) }
    }
}

Describe 'Pipeline binding' {
    It '<Command> binds <ByValue> by value' -ForEach @(
        @{ Command = 'Get-LlmModel'; ByValue = @('Name') }
        @{ Command = 'Get-Gpu'; ByValue = @('Name') }
        @{ Command = 'Get-LlmPrecision'; ByValue = @('Name') }
        @{ Command = 'Get-LlmParameterCount'; ByValue = @('InputObject', 'Model') }
        @{ Command = 'Import-LlmModel'; ByValue = @('Path') }
        @{ Command = 'Get-LlmInferenceMemory'; ByValue = @('InputObject', 'Model') }
        @{ Command = 'Test-GpuFit'; ByValue = @('Estimate', 'Gpu', 'InputObject', 'Model') }
        @{ Command = 'Get-LlmTrainingMemory'; ByValue = @('InputObject', 'Model') }
        @{ Command = 'Get-LlmCheckpointSize'; ByValue = @('InputObject', 'Model') }
        @{ Command = 'Out-LlmChart'; ByValue = @('InputObject') }
    ) {
        (Get-PipelineBinding $Command).ByValue | Should -Be $ByValue
    }

    It 'estimators take Model and the configuration by property name (CSV sweeps)' {
        $b = Get-PipelineBinding Get-LlmInferenceMemory
        foreach ($n in 'Model', 'Precision', 'ContextLength', 'BatchSize', 'TensorParallel', 'Engine') { $b.ByName | Should -Contain $n }
        $csv = Join-Path $TestDrive 'sweep.csv'
        @([pscustomobject]@{ Model = 'llama-3.1-8b'; Precision = 'fp8'; ContextLength = '32k'; BatchSize = 4 }
          [pscustomobject]@{ Model = 'qwen2.5-7b'; Precision = 'int4'; ContextLength = 8192; BatchSize = 1 }) | Export-Csv $csv
        $e = Import-Csv $csv | Get-LlmInferenceMemory
        $e.ModelId | Should -Be @('llama-3.1-8b', 'qwen2.5-7b')
        $e.ContextLength | Should -Be @(32768, 8192)
        $e.Precision | Should -Be @('fp8', 'int4')
    }

    It 'Import-LlmModel takes FileInfo objects through PSPath' {
        (Get-PipelineBinding Import-LlmModel).ByName | Should -Contain 'LiteralPath'
        ((Get-Command Import-LlmModel).Parameters['LiteralPath'].Aliases) | Should -Contain 'PSPath'
    }
}

Describe 'OutputType matches what is emitted' {
    It '<Command> emits <Type>' -ForEach @(
        @{ Command = { Get-LlmModel llama-3.1-8b }; Name = 'Get-LlmModel'; Type = 'LlmSize.Core.Models.ModelSpec' }
        @{ Command = { Get-Gpu 4090 }; Name = 'Get-Gpu'; Type = 'LlmSize.Core.Hardware.GpuSpec' }
        @{ Command = { Get-LlmPrecision bf16 }; Name = 'Get-LlmPrecision'; Type = 'LlmSize.Core.Units.DataType' }
        @{ Command = { Get-LlmParameterCount gpt-2 }; Name = 'Get-LlmParameterCount'; Type = 'LlmSize.Core.Parameters.ParameterReport' }
        @{ Command = { Get-LlmInferenceMemory gpt-2 }; Name = 'Get-LlmInferenceMemory'; Type = 'LlmSize.Core.Inference.InferenceEstimate' }
        @{ Command = { Test-GpuFit -Model gpt-2 -Gpu t4 }; Name = 'Test-GpuFit'; Type = 'LlmSize.Core.Fit.FitResult' }
        @{ Command = { Test-GpuFit -Model gpt-2 -Gpu t4 -Quiet }; Name = 'Test-GpuFit'; Type = 'System.Boolean' }
        @{ Command = { Get-LlmTrainingMemory gpt-2 }; Name = 'Get-LlmTrainingMemory'; Type = 'LlmSize.Core.Training.TrainingEstimate' }
        @{ Command = { Get-LlmCheckpointSize gpt-2 }; Name = 'Get-LlmCheckpointSize'; Type = 'LlmSize.Core.Training.CheckpointEstimate' }
    ) {
        $out = & $Command
        $out.GetType().FullName | Should -Be $Type
        (Get-Command $Name).OutputType.Name | Should -Contain $Type
    }

    It 'every exported cmdlet declares an OutputType' {
        foreach ($c in Get-Command -Module LlmSize) { $c.OutputType | Should -Not -BeNullOrEmpty -Because $c.Name }
    }
}

Describe 'Round trips' {
    It 'ConvertTo-Json -Depth 5 keeps numbers as numbers for <Name>' -ForEach @(
        @{ Name = 'GpuSpec'; Get = { Get-Gpu h100-sxm-80gb }; Check = { param($j) $j.UsableMemory.Bytes | Should -Be 85045477376; $j.BandwidthGBps | Should -Be 3350 } }
        @{ Name = 'ModelSpec'; Get = { Get-LlmModel llama-3.1-8b }; Check = { param($j) $j.Parameters | Should -Be 8030261248 } }
        @{ Name = 'ParameterReport'; Get = { Get-LlmParameterCount mixtral-8x7b }; Check = { param($j) $j.Active | Should -Be 12879925248 } }
        @{ Name = 'FitResult'; Get = { Test-GpuFit -Model llama-2-7b -Precision fp16 -ContextLength 2048 -Gpu 4090 }; Check = { param($j) $j.Fits | Should -BeTrue; $j.Required.Bytes | Should -BeOfType [long] } }
        @{ Name = 'TrainingEstimate'; Get = { Get-LlmTrainingMemory llama-3.2-1b }; Check = { param($j) $j.PerGpu.Bytes | Should -BeGreaterThan 1e9; $j.TrainableParameters | Should -Be 1235814400 } }
    ) {
        $json = & $Get | ConvertTo-Json -Depth 5 -WarningAction SilentlyContinue
        & $Check ($json | ConvertFrom-Json)
    }

    It 'Export-Csv of selected numeric properties round-trips exactly' {
        $csv = Join-Path $TestDrive 'fit.csv'
        Get-LlmModel llama-3* | Get-LlmInferenceMemory -ContextLength 8k |
            Select-Object ModelId, ContextLength, @{ n = 'TotalBytes'; e = { $_.Total.Bytes } }, @{ n = 'TotalGiB'; e = { $_.Total.GiB } } |
            Export-Csv $csv
        $rows = Import-Csv $csv
        $again = Get-LlmInferenceMemory $rows[0].ModelId -ContextLength $rows[0].ContextLength
        [long]$rows[0].TotalBytes | Should -Be $again.Total.Bytes
        [double]::Parse($rows[0].TotalGiB, [cultureinfo]::InvariantCulture) | Should -BeGreaterThan 0
    }
}
