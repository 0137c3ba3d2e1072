#Requires -Modules Pester
# The GPU ground-truth harness (tests/gpu-truth/measure.py, issue 9) without a GPU: its --dry-run expands the sweep and
# writes the records it would measure, each with every field record.schema.json requires; bad arguments exit non-zero
# with a message. Each test is skipped, with the reason, where python3 is not installed.

BeforeAll {
    $script:Harness = Join-Path $env:LLMSIZE_ROOT 'tests/gpu-truth'
    $script:Measure = Join-Path $Harness 'measure.py'
    $script:Schema = Get-Content (Join-Path $Harness 'record.schema.json') -Raw | ConvertFrom-Json -AsHashtable
    $script:Python = (Get-Command python3 -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source

    function Invoke-Measure {
        <# Runs measure.py; returns its stdout and stderr lines as strings and sets $script:MeasureExit. #>
        param([string[]] $Arguments)
        $lines = & $Python $Measure @Arguments 2>&1 | ForEach-Object { "$_" }
        $script:MeasureExit = $LASTEXITCODE
        return $lines
    }

    function Get-MissingField {
        <# The paths of fields a record lacks, by the 'required' lists of the schema node and of its object properties
           (following #/$defs references). A field present with the value null counts as present. #>
        param($Value, [hashtable] $Node, [string] $Path = '$')
        if ($Node.ContainsKey('$ref')) { $Node = $Schema['$defs'][$Node['$ref'] -replace '^#/\$defs/', ''] }
        if ($Value -isnot [System.Collections.IDictionary]) { return }
        foreach ($field in @($Node['required'])) { if ($field -and -not $Value.Contains($field)) { "$Path.$field" } }
        if ($Node.ContainsKey('properties')) {
            foreach ($field in $Node['properties'].Keys) {
                if ($Value.Contains($field)) { Get-MissingField $Value[$field] $Node['properties'][$field] "$Path.$field" }
            }
        }
    }

    $script:SkipReason = 'python3 is not installed, so measure.py cannot run here'
}

Describe 'measure.py --dry-run (tests/gpu-truth)' {
    BeforeAll {
        # A small sweep: 3 sizes of 2 families, 2 sequence lengths, 2 batch sizes, both attentions for inference,
        # 2 training recipes (one LoRA) with and without gradient checkpointing.
        $script:Small = @{ Sizes = 3; Seq = 2; Batch = 2; Attn = 2; Recipes = 2; Ckpt = 2 }
        $script:SmallArgs = @('--families', 'llama,qwen2', '--sizes', 'llama-0.2b,llama-1.2b,qwen2-0.5b',
            '--seq-lens', '128,256', '--batch-sizes', '1,2', '--attn', 'sdpa,eager',
            '--recipes', 'full-fp32-adamw,lora-amp-bf16-adamw', '--checkpointing', 'off,on')
        $script:Out = Join-Path $TestDrive 'records'
        if ($Python) { $script:DryRun = Invoke-Measure (@('--dry-run', '--out', $Out) + $SmallArgs); $script:DryRunExit = $MeasureExit }
    }

    It 'expands the sweep: per size 1 weights run + seq × batch × attention prefills, seq × batch × recipe × checkpointing steps' {
        if (-not $Python) { Set-ItResult -Skipped -Because $SkipReason; return }
        $DryRunExit | Should -Be 0 -Because ($DryRun -join "`n")
        $s = $Small
        $expected = $s.Sizes * (1 + $s.Seq * $s.Batch * $s.Attn) + $s.Sizes * $s.Seq * $s.Batch * $s.Recipes * $s.Ckpt
        $expected | Should -Be 75
        @(Get-ChildItem $Out -Filter *.json).Count | Should -Be $expected
        ($DryRun -join "`n") | Should -Match "wrote $expected records"
        $ids = @(Get-ChildItem $Out -Filter *.json | ForEach-Object BaseName)
        @($ids | Where-Object { $_ -like 'inf-weights__*' }).Count | Should -Be 3
        @($ids | Where-Object { $_ -like 'inf-prefill__*__eager__*' }).Count | Should -Be 12
        @($ids | Where-Object { $_ -like 'train__*__lora-amp-bf16-adamw-r16-*__ckpt__*' }).Count | Should -Be 12
    }

    It 'lists the default sweep: 2 families × 4 sizes, 104 inference and 480 training runs' {
        if (-not $Python) { Set-ItResult -Skipped -Because $SkipReason; return }
        $ids = @(Invoke-Measure @('--list') | Where-Object { $_ -match '^(inf|train)' })
        $MeasureExit | Should -Be 0
        $ids.Count | Should -Be 584
        @($ids | Where-Object { $_ -like 'inf-*' }).Count | Should -Be 104
        @($ids | Where-Object { $_ -like 'train__*' }).Count | Should -Be 480
        @($ids | Select-Object -Unique).Count | Should -Be 584
    }

    It 'writes records that have every field the schema requires, marked as dry runs with no measurements' {
        if (-not $Python) { Set-ItResult -Skipped -Because $SkipReason; return }
        $problems = foreach ($file in Get-ChildItem $Out -Filter *.json) {
            $record = Get-Content $file.FullName -Raw | ConvertFrom-Json -AsHashtable
            foreach ($missing in Get-MissingField $record $Schema) { "$($file.Name): missing $missing" }
            if ($record.id + '.json' -ne $file.Name) { "$($file.Name): id $($record.id)" }
            if ($record.dry_run -ne $true -or $record.measured -ne $false -or $record.fixture -ne $false) { "$($file.Name): not marked as a dry run" }
            if ($record.status -ne 'dry_run' -or $null -ne $record.measurements) { "$($file.Name): status $($record.status) or measurements not null" }
            if ($record.phase -notin $Schema.properties.phase.enum) { "$($file.Name): phase $($record.phase)" }
            if ($record.phase -eq 'training_step' -and $null -eq $record.settings.precision) { "$($file.Name): training without precision" }
            if ($record.settings.method -eq 'lora' -and $record.settings.lora_rank -ne 16) { "$($file.Name): LoRA rank $($record.settings.lora_rank)" }
        }
        $problems | Should -BeNullOrEmpty
    }

    It 'passes its own schema check (measure.py --check)' {
        if (-not $Python) { Set-ItResult -Skipped -Because $SkipReason; return }
        $check = Invoke-Measure @('--check', $Out)
        $MeasureExit | Should -Be 0 -Because ($check -join "`n")
        ($check -join "`n") | Should -Match 'checked 75 records: 75 valid, 0 invalid'
    }

    It 'reports a record that breaks the schema through --check, exit 1' {
        if (-not $Python) { Set-ItResult -Skipped -Because $SkipReason; return }
        $bad = Join-Path $TestDrive 'bad'
        New-Item -ItemType Directory $bad | Out-Null
        $source = Get-ChildItem $Out -Filter 'inf-weights__*.json' | Select-Object -First 1
        $record = Get-Content $source.FullName -Raw | ConvertFrom-Json -AsHashtable
        $record.Remove('settings')
        $record.status = 'ok'
        $record | ConvertTo-Json -Depth 20 | Set-Content (Join-Path $bad $source.Name)
        $check = Invoke-Measure @('--check', $bad)
        $MeasureExit | Should -Be 1
        ($check -join "`n") | Should -Match "missing required field 'settings'"
    }

    It 'resumes: runs already recorded in --out are not planned again, and --shard splits the rest' {
        if (-not $Python) { Set-ItResult -Skipped -Because $SkipReason; return }
        $again = Invoke-Measure (@('--dry-run', '--out', $Out) + $SmallArgs)
        $MeasureExit | Should -Be 0
        ($again -join "`n") | Should -Match 'already recorded: 75; to run: 0'
        $shard = @(Invoke-Measure (@('--list', '--shard', '2/3') + $SmallArgs) | Where-Object { $_ -match '^(inf|train)' })
        $shard.Count | Should -Be 25
    }

    It 'leaves out sequence lengths beyond the model''s positions, and says so' {
        if (-not $Python) { Set-ItResult -Skipped -Because $SkipReason; return }
        $lines = Invoke-Measure @('--list', '--families', 'gpt2', '--sizes', 'gpt2-124m', '--phases', 'inference', '--seq-lens', '512,2048', '--batch-sizes', '1', '--attn', 'sdpa')
        $MeasureExit | Should -Be 0
        ($lines -join "`n") | Should -Match 'excluded inf-prefill__gpt2-124m__bf16__sdpa__b1__s2048: sequence length 2048 exceeds'
        @($lines | Where-Object { $_ -match '^inf' }).Count | Should -Be 2
    }

    It 'exits non-zero with a message for <Arguments>' -TestCases @(
        @{ Arguments = '--seq-lens 0'; Message = '--seq-lens: 0 is not a positive integer' }
        @{ Arguments = '--batch-sizes two'; Message = "--batch-sizes: 'two' is not a valid value" }
        @{ Arguments = '--families llama,mamba'; Message = "--families: unknown value 'mamba'" }
        @{ Arguments = '--sizes gpt2-124m'; Message = '--sizes: gpt2-124m is not a size of the chosen families' }
        @{ Arguments = '--recipes full-adam'; Message = "--recipes: unknown value 'full-adam'" }
        @{ Arguments = '--shard 4/3'; Message = "--shard: '4/3' is not K/N" }
        @{ Arguments = '--lora-rank 0'; Message = '--lora-rank: 0 is not a positive integer' }
        @{ Arguments = '--checkpointing maybe'; Message = "--checkpointing: unknown value 'maybe'" }
        @{ Arguments = '--families gpt2 --lora-targets gate'; Message = '--lora-targets: gpt2 has none of gate' }
        @{ Arguments = '--no-such-flag'; Message = 'unrecognized arguments: --no-such-flag' }
    ) {
        if (-not $Python) { Set-ItResult -Skipped -Because $SkipReason; return }
        $lines = Invoke-Measure (@('--dry-run', '--out', (Join-Path $TestDrive 'never')) + ($Arguments -split ' '))
        $MeasureExit | Should -Not -Be 0
        ($lines -join "`n") | Should -Match ('measure.py: error: ' + [regex]::Escape($Message))
        Join-Path $TestDrive 'never' | Should -Not -Exist
    }

    It 'without PyTorch, measuring stops with a message that points to --dry-run' {
        if (-not $Python) { Set-ItResult -Skipped -Because $SkipReason; return }
        & $Python -c 'import torch' 2>$null
        if ($LASTEXITCODE -eq 0) { Set-ItResult -Skipped -Because 'PyTorch is installed here: measuring would start'; return }
        $lines = Invoke-Measure @('--out', (Join-Path $TestDrive 'none'), '--sizes', 'llama-0.2b', '--phases', 'inference', '--seq-lens', '8', '--batch-sizes', '1')
        $MeasureExit | Should -Be 2
        ($lines -join "`n") | Should -Match 'measuring needs PyTorch and transformers .* use --dry-run'
        Join-Path $TestDrive 'none' | Should -Not -Exist
    }
}
