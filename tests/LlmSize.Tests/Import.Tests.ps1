#Requires -Modules Pester
# Get-LlmParameterCount and Import-LlmModel as a user sees them.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModulePath) -Force
    $script:Configs = Join-Path $env:LLMSIZE_ROOT '../shared/reference/hf-configs'
}

Describe 'Get-LlmParameterCount' {
    It 'gives the exact breakdown for catalog models, by name and from the pipeline' {
        $r = Get-LlmParameterCount llama-3.1-8b
        # Llama-3.1-8B: 8,030,261,248 (published); embeddings and untied lm_head 128256·4096 = 525,336,576 each.
        $r.Total | Should -Be 8030261248
        $r.Embeddings | Should -Be 525336576
        $r.LmHead | Should -Be 525336576
        (Get-LlmModel mixtral-8x7b | Get-LlmParameterCount).Active | Should -Be 12879925248
    }

    It 'reproduces the seed''s GPT-3 quick estimate 12·L·d² + V·d = 174,563,733,504' {
        (Get-LlmParameterCount -Layers 96 -HiddenSize 12288 -VocabularySize 50257).QuickEstimate | Should -Be 174563733504
    }

    It 'shows the quick estimate beside the exact count' {
        $r = Get-LlmParameterCount llama-2-7b
        # 12·32·4096² + 32000·4096 = 6,442,450,944 + 131,072,000 = 6,573,522,944 vs exact 6,738,415,616.
        $r.QuickEstimate | Should -Be 6573522944
        [math]::Round($r.QuickEstimateError, 4) | Should -Be ([math]::Round((6573522944 - 6738415616) / 6738415616, 4))
    }

    It 'binds by property name from CSV rows, and reports unknown names without stopping' {
        $rows = @([pscustomobject]@{ Model = 'qwen2.5-7b' }, [pscustomobject]@{ Model = 'no-such' }, [pscustomobject]@{ ModelId = 'gpt-2' })
        $out = $rows | Get-LlmParameterCount -ErrorVariable err -ErrorAction SilentlyContinue
        $out.ModelId | Should -Be @('qwen2.5-7b', 'gpt-2')
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ModelNotFound,*'
    }
}

Describe 'Import-LlmModel' {
    It 'imports a folder of configs and sorts by parameters' {
        $models = Get-ChildItem $Configs -Filter *.json | Where-Object Name -ne 'index.json' | Import-LlmModel | Sort-Object Parameters
        $models.Count | Should -Be 21
        $models[0].Id | Should -Be 'gpt-2-124m'
        $models[-1].Id | Should -Be 'deepseek-v3'
        # Every architecture count equals the exact total of index.json.
        $index = Get-Content (Join-Path $Configs 'index.json') -Raw | ConvertFrom-Json
        foreach ($e in $index) {
            ($models | Where-Object Id -eq ($e.file -replace '\.json$', '')).Parameters | Should -Be $e.total_params -Because $e.file
        }
    }

    It 'pipes into Get-LlmParameterCount' {
        (Import-LlmModel -LiteralPath (Join-Path $Configs 'mixtral-8x7b.json') | Get-LlmParameterCount).Total | Should -Be 46702792704
    }

    It 'reports bad files with stable ErrorIds and goes on' {
        $dir = Join-Path $TestDrive 'bad'
        New-Item -ItemType Directory $dir | Out-Null
        Set-Content (Join-Path $dir 'a-unknown.json') '{"model_type": "unheard_of", "hidden_size": 8}'
        Set-Content (Join-Path $dir 'b-heads.json') '{"model_type": "llama", "hidden_size": 4096, "intermediate_size": 11008, "num_attention_heads": 32, "num_key_value_heads": 5, "num_hidden_layers": 2, "vocab_size": 32000}'
        [IO.File]::WriteAllBytes((Join-Path $dir 'c-truncated.gguf'), [byte[]](0x47, 0x47, 0x55, 0x46, 3, 0))
        Copy-Item (Join-Path $Configs 'gpt-2-124m.json') (Join-Path $dir 'd-good.json')
        $out = Import-LlmModel (Join-Path $dir '*') -ErrorVariable err -ErrorAction SilentlyContinue
        $out.Id | Should -Be 'd-good'
        $ids = $err | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }
        $ids | Should -Be @('UnsupportedModelType', 'ContradictoryModelFields', 'TruncatedFile')
        $err[0].Exception.Message | Should -Match 'a-unknown.json'
        $err[0].Exception.Message | Should -Match 'llama'
    }

    It 'a missing path is ModelFileNotFound' {
        $null = Import-LlmModel (Join-Path $TestDrive 'nothing-here') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ModelFileNotFound,*'
    }
}
