#Requires -Modules Pester
# Inference and training estimates, GPU fit and checkpoint size as a user sees them.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModulePath) -Force
}

Describe 'Get-LlmInferenceMemory' {
    It 'reproduces the seed''s LLaMA-7B fp16 example, corrected (DESIGN.md §10)' {
        $e = Get-LlmInferenceMemory llama-2-7b -Precision fp16 -ContextLength 2048
        # Weights: 6,738,415,616 parameters × 2 B = 13,476,831,232 B (13.48 GB; the seed rounds to 7e9 → 14.0 GB).
        $e.Weights.Bytes | Should -Be 13476831232
        # KV cache: 2 (K, V) × 32 layers × 32 KV heads × 128 × 2 B × 2048 tokens = 1 GiB (the seed forgot × layers).
        $e.KvCache.Bytes | Should -Be 1073741824
        # ... and it fits a 24 GB RTX 4090, as the seed concludes.
        Test-GpuFit -Estimate $e -Gpu rtx-4090-24gb -Quiet | Should -BeTrue
    }

    It 'reproduces llama.cpp''s "KV self size = 2048.00 MiB" for Llama-2-7B at n_ctx 4096, f16 K and V' {
        # 2 × 32 layers × 4096 tokens × 4096 (32 heads × 128) × 2 B = 2048 MiB (measured.md §2).
        (Get-LlmInferenceMemory llama-2-7b -Engine LlamaCpp -Precision Q4_K_M -ContextLength 4096).KvCache.MiB | Should -Be 2048
    }

    It 'uses GQA head counts: Llama-3.1-8B holds 128 KiB of KV per token' {
        # 2 × 32 layers × 8 KV heads × 128 × 2 B = 131,072 B per token.
        (Get-LlmInferenceMemory llama-3.1-8b -ContextLength 8k).KvBytesPerToken | Should -Be 131072
    }

    It 'splits weights and KV over tensor-parallel GPUs but not the overhead' {
        $one = Get-LlmInferenceMemory llama-3.1-70b -ContextLength 8k -BatchSize 4
        $four = Get-LlmInferenceMemory llama-3.1-70b -ContextLength 8k -BatchSize 4 -TensorParallel 4
        $four.WeightsPerGpu.Bytes | Should -BeLessThan ($one.WeightsPerGpu.Bytes / 3.9)
        $four.OverheadPerGpu.Bytes | Should -BeGreaterOrEqual $one.OverheadPerGpu.Bytes
    }

    It 'warns, not clamps, when the context exceeds the model''s maximum' {
        $e = Get-LlmInferenceMemory llama-2-7b -ContextLength 32k -WarningVariable w -WarningAction SilentlyContinue
        $e.ContextLength | Should -Be 32768
        $w | Should -Not -BeNullOrEmpty
    }

    It 'reports bad values as errors with ids and goes on: <Id>' -ForEach @(
        @{ Id = 'InvalidContextLength'; Params = @{ ContextLength = 0 } }
        @{ Id = 'InvalidBatchSize'; Params = @{ BatchSize = 0 } }
        @{ Id = 'PrecisionNotFound'; Params = @{ Precision = 'fp7' } }
        @{ Id = 'UnsupportedWeightPrecision'; Params = @{ Engine = 'LlamaCpp'; Precision = 'gptq-4bit-g128' } }
    ) {
        $out = 'llama-2-7b', 'qwen2.5-7b' | Get-LlmInferenceMemory @Params -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err.Count | Should -Be 2
        $err[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
    }

    It 'round-trips through JSON with numbers staying numbers' {
        $j = Get-LlmInferenceMemory llama-3.1-8b -ContextLength 8k | Select-Object ModelId, Precision, ContextLength, Weights, KvCache, Total | ConvertTo-Json -Depth 5 | ConvertFrom-Json
        $j.KvCache.Bytes | Should -BeOfType [long]
        $j.ContextLength | Should -Be 8192
    }
}

Describe 'Test-GpuFit' {
    It 'filters a sweep of Qwen models in int4 at 32k on an RTX 4090 and an H100' {
        $fits = Get-LlmModel qwen* | Get-LlmInferenceMemory -Precision int4 -ContextLength 32k | Test-GpuFit -Gpu rtx-4090-24gb, h100-sxm-80gb | Where-Object Fits
        $fits | Should -Not -BeNullOrEmpty
        $fits | ForEach-Object { $_.Required.Bytes | Should -BeLessOrEqual $_.Available.Bytes }
        ($fits | Where-Object { $_.ModelId -eq 'qwen2.5-32b' }).GpuId | Should -Be 'h100-sxm-80gb'
    }

    It 'solvers are consistent: the max batch fits and one more does not' {
        $f = Test-GpuFit -Model llama-3.1-8b -ContextLength 32k -Gpu rtx-4090-24gb
        $f.MaxBatchSize | Should -BeGreaterThan 0
        Test-GpuFit -Model llama-3.1-8b -ContextLength 32k -BatchSize $f.MaxBatchSize -Gpu rtx-4090-24gb -Quiet | Should -BeTrue
        Test-GpuFit -Model llama-3.1-8b -ContextLength 32k -BatchSize ($f.MaxBatchSize + 1) -Gpu rtx-4090-24gb -Quiet | Should -BeFalse
    }

    It 'reproduces vLLM''s logged KV pool on an H100 within 1% (measured.md §1: 476,016 tokens)' {
        $f = Test-GpuFit -Model llama-3.1-8b -Engine Vllm -GpuMemoryUtilization 0.95 -ContextLength 8k -Gpu h100-sxm-80gb
        $f.KvCacheTokenCapacity | Should -BeGreaterThan (476016 * 0.99)
        $f.KvCacheTokenCapacity | Should -BeLessThan (476016 * 1.01)
    }

    It 'takes GPUs from the pipeline' {
        $e = Get-LlmInferenceMemory llama-3.1-8b -ContextLength 8k
        $r = Get-Gpu -Category Consumer | Test-GpuFit -Estimate $e
        $r.Count | Should -Be (Get-Gpu -Category Consumer).Count
        ($r | Where-Object GpuId -eq 'rtx-4090-24gb').Fits | Should -BeTrue
        ($r | Where-Object GpuId -eq 'rtx-3080-10gb').Fits | Should -BeFalse
    }

    It 'says how many GPUs a model needs when one is not enough' {
        $f = Test-GpuFit -Model llama-3.1-70b -ContextLength 8k -Gpu h100-sxm-80gb
        $f.Fits | Should -BeFalse
        $f.GpusNeeded | Should -Be 2
    }

    It '-Quiet returns booleans only' {
        $r = 'llama-3.2-1b', 'llama-3.1-405b' | Test-GpuFit -Gpu rtx-4090-24gb -Quiet
        $r | Should -Be @($true, $false)
    }

    It 'an unknown GPU is a GpuNotFound error and the known ones are still tested' {
        $r = Test-GpuFit -Model llama-3.2-1b -Gpu 'no-such-gpu', 't4' -ErrorVariable err -ErrorAction SilentlyContinue
        $r.GpuId | Should -Be 't4-16gb'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'GpuNotFound,*'
    }
}

Describe 'Get-LlmTrainingMemory' {
    It 'QLoRA of Llama-3.1-8B at 4k fits an RTX 4090 (fit works on training estimates too)' {
        $f = Get-LlmModel llama-3.1-8b | Get-LlmTrainingMemory -Method QLoRA -SequenceLength 4k | Test-GpuFit -Gpu rtx-4090-24gb
        $f.Fits | Should -BeTrue
        $f.Estimate.TrainableParameters | Should -Be 3407872   # r=8 on q,v: 32 layers × 8 × ((4096+4096) + (4096+1024)) = 3,407,872
    }

    It 'ZeRO stages 1..3 over 8 GPUs shrink the per-GPU model states' {
        $r = 1..3 | ForEach-Object { Get-LlmTrainingMemory -Model llama-3.1-70b -ZeroStage $_ -DataParallel 8 }
        $r.ZeroStage | Should -Be @(1, 2, 3)
        $r[0].PerGpu.Bytes | Should -BeGreaterThan $r[1].PerGpu.Bytes
        $r[1].PerGpu.Bytes | Should -BeGreaterThan $r[2].PerGpu.Bytes
        # Stage 3, mixed precision Adam: 16 B per parameter over 8 ranks = 2 B/param weights, 2 B/param gradients, 12 B/param optimizer / 8.
        $r[2].Weights.Bytes | Should -Be ([long](70553706496 * 2 / 8))
    }

    It 'warns with a stable id when ZeRO has nothing to shard' {
        $null = Get-LlmTrainingMemory llama-3.2-1b -ZeroStage 2 -WarningVariable w -WarningAction SilentlyContinue
        ($w -join ' ') | Should -Match 'ZeroWithoutDataParallel'
    }
}

Describe 'Get-LlmCheckpointSize' {
    It 'mixed-precision AdamW keeps 14 bytes per parameter on disk (2 weights + 12 fp32 master, m, v)' {
        $c = Get-LlmCheckpointSize llama-2-7b
        # 6,738,415,616 × 14 = 94,337,818,624 B plus a small training state.
        $c.Total.Bytes | Should -BeGreaterOrEqual 94337818624
        $c.Total.Bytes | Should -BeLessThan (94337818624 + 1MB)
    }

    It 'a LoRA checkpoint is adapter-only megabytes' {
        (Get-LlmCheckpointSize llama-3.1-8b -Method LoRA).AdapterOnly.Bytes | Should -BeLessThan 20MB
    }
}

Describe 'Charts of real estimates' {
    It 'draws inference and training estimates against a GPU' {
        $file = Join-Path $TestDrive 'estimates.svg'
        @(Get-LlmInferenceMemory llama-3.1-8b -ContextLength 32k; Get-LlmTrainingMemory llama-3.1-8b -Method QLoRA) |
            Out-LlmChart -Path $file -Gpu rtx-4090-24gb
        $svg = Get-Content $file -Raw
        $svg | Should -Match 'KvCache'
        $svg | Should -Match 'OptimizerStates'
    }
}

Describe 'Unified memory of the Mac you have' {
    It 'a 128 GB M3 Max offers 3/4 of its memory to the GPU' {
        $f = Test-GpuFit -Model llama-3.1-70b -Precision Q4_K_M -ContextLength 8k -Gpu 'M3 Max' -GpuMemory '128GB'
        # hardware-notes.md §2: above 36 GB, recommendedMaxWorkingSetSize ≈ 3/4 of RAM → 96 GB.
        $f.Available.Bytes | Should -Be 96000000000
        $f.Fits | Should -BeTrue
        (Test-GpuFit -Model llama-3.1-70b -Precision Q4_K_M -ContextLength 8k -Gpu 'M3 Max' -GpuMemory '36GB' -Quiet) | Should -BeFalse
    }
}
