#Requires -Modules Pester
# Choosing hardware: Measure-LlmThroughput, Find-LlmHardware, Compare-LlmDeployment.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModulePath) -Force
}

Describe 'Find-LlmHardware' {
    It 'ranks cloud options for Llama-3.1-70B in fp8 at 32k context for 20 users' {
        $top = Get-LlmModel llama-3.1-70b | Get-LlmInferenceMemory -Precision fp8 -ContextLength 32k -BatchSize 20 |
            Find-LlmHardware -Deployment Cloud | Select-Object -First 5
        $top.Count | Should -Be 5
        $top | ForEach-Object {
            $_.Fits | Should -BeTrue
            $_.Deployment | Should -Be 'Cloud'
            $_.ModelId | Should -Be 'llama-3.1-70b'
            $_.CostPerMillionTokens | Should -BeGreaterThan 0
        }
        # Sorted by cost per million tokens, cheapest first.
        $costs = $top.CostPerMillionTokens
        ($costs | Sort-Object) | Should -Be $costs
    }

    It 'answers a training query with total cost and time' {
        $r = Get-LlmTrainingMemory llama-3.1-8b -ZeroStage 3 -DataParallel 8 | Find-LlmHardware -TrainingTokens 1T -Deployment Cloud | Select-Object -First 3
        $r | Should -Not -BeNullOrEmpty
        $r | ForEach-Object { $_.TotalCost | Should -BeGreaterThan 0; $_.TrainingHours | Should -BeGreaterThan 0 }
    }

    It 'a workload that fits nowhere is a warning, not an error, naming the closest miss' {
        $e = Get-LlmInferenceMemory llama-3.1-405b -Precision fp32 -ContextLength 128k -BatchSize 64
        $r = $e | Find-LlmHardware -GpuCount 1 -Category Consumer -WarningVariable w -WarningAction SilentlyContinue -ErrorVariable err
        $r | Should -BeNullOrEmpty
        $err | Should -BeNullOrEmpty
        ($w -join ' ') | Should -Match 'llama-3.1-405b'
    }

    It 'training without -TrainingTokens is TrainingTokensRequired' {
        $null = Get-LlmTrainingMemory llama-3.2-1b | Find-LlmHardware -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TrainingTokensRequired,*'
    }
}

Describe 'Measure-LlmThroughput' {
    It 'decode of Llama-2-7B fp16 on an RTX 4090 is memory-bound below the bandwidth ceiling' {
        $s = Measure-LlmThroughput -Model llama-2-7b -Precision fp16 -Gpu rtx-4090-24gb
        # Ceiling: 1008 GB/s / 13.48 GB of weights read per token ≈ 74.8 tokens/s at 100% of the bandwidth.
        $s.DecodeBound | Should -Be 'Memory'
        $s.TokensPerSecondPerSequence | Should -BeLessThan 74.8
        $s.TokensPerSecondPerSequence | Should -BeGreaterThan 30
        $s.ModelId | Should -Be 'llama-2-7b'
    }

    It 'training time follows 6·P·D / (GPUs × peak × MFU)' {
        $t = Get-LlmTrainingMemory llama-3.1-8b -ZeroStage 3 -DataParallel 8 | Measure-LlmThroughput -Gpu h100-sxm-80gb -TrainingTokens 1T -Mfu 0.5
        # 6 × 8,030,261,248 × 1e12 / (8 × 989e12 × 0.5) s = 12,179,021 s = 3383.1 h.
        [math]::Round($t.Hours, 1) | Should -Be ([math]::Round(6 * 8030261248 * 1e12 / (8 * 989e12 * 0.5) / 3600, 1))
    }

    It 'an MFU above 1 is InvalidThroughputParameter' {
        $null = Get-LlmTrainingMemory llama-3.2-1b | Measure-LlmThroughput -Gpu h100 -TrainingTokens 1B -Mfu 1.5 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidThroughputParameter,*'
    }
}

Describe 'Compare-LlmDeployment' {
    It 'gives break-even months and a host profile' {
        $e = Get-LlmInferenceMemory llama-3.1-70b -Precision fp8
        $c = Compare-LlmDeployment -Gpu h100-sxm-80gb -Count 8 -Utilization 0.5 -CloudUsdPerHour 2.69 -PurchaseUsd 30000 -Estimate $e
        # See PlannerAndComparisonTests: 240,000 / (21.52 · 365 − 5.6 · 365 · 0.1545) = 31.83 months.
        [math]::Round($c.BreakEvenMonths, 2) | Should -Be 31.83
        $c.Host.CpuCores | Should -BeGreaterThan 0
        $c.Host.SystemMemory.Bytes | Should -BeGreaterOrEqual $e.Weights.Bytes
    }

    It 'negative prices are refused' {
        $null = Compare-LlmDeployment -Gpu t4 -CloudUsdPerHour -1 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidThroughputParameter,*'
    }
}
