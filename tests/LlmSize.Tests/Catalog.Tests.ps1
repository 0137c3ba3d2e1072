#Requires -Modules Pester
# Catalog cmdlets as a user sees them: Get-LlmModel, Get-Gpu, Get-LlmPrecision against the built module.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModulePath) -Force
    $script:TinyCatalog = Join-Path $PSScriptRoot 'data/tiny-models.yaml'
}

Describe 'Module surface' {
    It 'exports exactly the documented cmdlets' {
        $names = (Get-Command -Module LlmSize).Name | Sort-Object
        $names | Should -Contain 'Get-LlmModel'
        $names | Should -Contain 'Get-Gpu'
        $names | Should -Contain 'Get-LlmPrecision'
        (Get-Command -Module LlmSize -CommandType Function, Alias) | Should -BeNullOrEmpty
    }

    It 'declares OutputType on <_>' -ForEach @('Get-LlmModel', 'Get-Gpu', 'Get-LlmPrecision') {
        (Get-Command $_).OutputType.Type | Should -Not -BeNullOrEmpty
    }
}

Describe 'Get-Gpu' {
    It 'lists at least 40 accelerators across every category' {
        $all = Get-Gpu
        $all.Count | Should -BeGreaterOrEqual 40
        ($all.Category | ForEach-Object ToString | Sort-Object -Unique) | Should -Be ('Datacenter', 'Workstation', 'Consumer', 'Apple', 'Edge', 'Tpu' | Sort-Object)
        ($all.Vendor | Sort-Object -Unique) | Should -Contain 'AMD'
        ($all.Vendor | Sort-Object -Unique) | Should -Contain 'Intel'
    }

    It 'resolves the aliases people type: <_>' -ForEach @('4090', 'RTX 4090', 'rtx-4090', 'GeForce RTX 4090', 'RTX4090') {
        (Get-Gpu $_).Id | Should -Be 'rtx-4090-24gb'
    }

    It 'reports memory as sold (decimal GB) and as CUDA sees it (GiB)' {
        $h100 = Get-Gpu h100-sxm-80gb
        $h100.Memory.GB | Should -Be 80
        # hardware.yaml: nvidia-smi 81559 MiB; CUDA totalGlobalMem 85,045,477,376 B = 79.20 GiB.
        $h100.ReportedMemory.Bytes | Should -Be (81559 * 1MB)
        $h100.UsableMemory.Bytes | Should -Be 85045477376
    }

    It 'filters by category and minimum memory given as a quantity' {
        # Quoted: '80GB' is 80·10^9 bytes as vendors sell it. Unquoted, PowerShell's own literal 80GB means 80·2^30.
        $big = Get-Gpu -Category Datacenter -MinimumMemory '80GB'
        $big.Id | Should -Contain 'h100-sxm-80gb'
        $big.Id | Should -Not -Contain 'a100-sxm4-40gb'
        $big | ForEach-Object { $_.Memory.Bytes | Should -BeGreaterOrEqual 80e9 }
    }

    It 'matches wildcards case-insensitively and pipes names by value and by property name' {
        (Get-Gpu 'RTX-40*').Id | Should -Contain 'rtx-4090-24gb'
        ('h100-sxm-80gb', 't4-16gb' | Get-Gpu).Id | Should -Be @('h100-sxm-80gb', 't4-16gb')
        ([pscustomobject]@{ Gpu = 'l4' } | Get-Gpu).Id | Should -Be 'l4-24gb'
    }

    It 'an unknown name is a non-terminating GpuNotFound error and the pipeline goes on' {
        $found = 'h100-sxm-80gb', 'no-such-gpu', 't4' | Get-Gpu -ErrorVariable err -ErrorAction SilentlyContinue
        $found.Id | Should -Be @('h100-sxm-80gb', 't4-16gb')
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'GpuNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].Exception.Message | Should -Match 'no-such-gpu'
    }

    It 'an ambiguous alias lists the candidates' {
        $dir = Join-Path $TestDrive 'ambiguous'
        $null = New-TestCatalog $dir 'two.yaml' @'
- id: card-a-24gb
  name: Card A
  vendor: Test
  category: consumer
  aliases: [card]
  memory: { size_gb_vendor: 24 }
  sources: [https://example.org/spec-a]
- id: card-b-48gb
  name: Card B
  vendor: Test
  category: consumer
  aliases: [card]
  memory: { size_gb_vendor: 48 }
  sources: [https://example.org/spec-b]
'@
        $null = Get-Gpu card -Path $dir -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AmbiguousGpuName,*'
        $err[0].Exception.Message | Should -Match 'card-a-24gb'
        $err[0].Exception.Message | Should -Match 'card-b-48gb'
    }
}

Describe 'Get-LlmModel' {
    It 'filters the shipped catalog with Where-Object on numbers' {
        $big = Get-LlmModel llama* | Where-Object Parameters -gt 7e9
        $big.Id | Should -Contain 'llama-3.1-8b'
        $big.Id | Should -Not -Contain 'llama-3.2-1b'
        $big | ForEach-Object { $_.Parameters | Should -BeGreaterThan 7e9 }
    }

    It 'resolves the names people type: <_>' -ForEach @('llama-3.1-8b', 'Llama-3.1-8B', 'meta-llama/Llama-3.1-8B', 'LLAMA 3.1 8B') {
        (Get-LlmModel $_).Id | Should -Be 'llama-3.1-8b'
    }

    It 'reads a catalog from -Path and computes nothing it does not need' {
        $m = Get-LlmModel -Path $TinyCatalog
        $m.Id | Should -Be 'test-tinyllama'
        # TinyLlama-1.1B: 2·V·d + L·(attention + MLP + 2 norms) + final norm = 1,100,048,384 (index.json).
        $m.Parameters | Should -Be 1100048384
        $m.Layers | Should -Be 22
        $m.Architecture.NumKeyValueHeads | Should -Be 4
    }

    It 'matches id, alias and Hugging Face id case-insensitively' {
        (Get-LlmModel TEST-TINYLLAMA -Path $TinyCatalog).Id | Should -Be 'test-tinyllama'
        (Get-LlmModel tl-test -Path $TinyCatalog).Id | Should -Be 'test-tinyllama'
        (Get-LlmModel 'TinyLlama/TinyLlama-1.1B-Chat-v1.0' -Path $TinyCatalog).Id | Should -Be 'test-tinyllama'
    }

    It 'filters by family with wildcards' {
        (Get-LlmModel -Family tiny* -Path $TinyCatalog).Id | Should -Be 'test-tinyllama'
        Get-LlmModel -Family qwen -Path $TinyCatalog | Should -BeNullOrEmpty
    }

    It 'unknown model names give ModelNotFound with suggestions' {
        $null = Get-LlmModel test-tinylama -Path $TinyCatalog -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ModelNotFound,*'
        $err[0].Exception.Message | Should -Match 'Did you mean: test-tinyllama'
    }

    It 'a missing -Path is CatalogPathNotFound' {
        $null = Get-LlmModel -Path (Join-Path $TestDrive 'nope.yaml') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CatalogPathNotFound,*'
    }
}

Describe 'Bad catalog files' {
    BeforeAll {
        $script:BadDir = Join-Path $TestDrive 'bad'
        $null = New-TestCatalog $BadDir 'malformed.yaml' "- id: x`n  name: [unclosed`n"
        $null = New-TestCatalog $BadDir 'entries.yaml' @'
- id: good-card-16gb
  name: Good Card
  vendor: Test
  category: consumer
  memory: { size_gb_vendor: 16 }
  sources: [https://example.org/good]
- id: no-vendor-8gb
  name: No Vendor
  category: consumer
  memory: { size_gb_vendor: 8 }
  sources: [https://example.org/x]
- id: negative-card
  name: Negative
  vendor: Test
  category: consumer
  memory:
    size_gb_vendor: -4
  sources: [https://example.org/y]
- id: text-card
  name: Text
  vendor: Test
  category: consumer
  memory:
    size_gb_vendor: 24
    bandwidth_gbps: fast
  sources: [https://example.org/z]
- id: good-card-16gb
  name: Duplicate
  vendor: Test
  category: consumer
  memory: { size_gb_vendor: 32 }
  sources: [https://example.org/d]
'@
        $script:Found = Get-Gpu -Path $BadDir -ErrorVariable badErrors -ErrorAction SilentlyContinue
        $script:BadErrors = $badErrors
    }

    It 'loads the good entries despite the bad ones' {
        $Found.Id | Should -Be 'good-card-16gb'
        $Found.Memory.GB | Should -Be 16
    }

    It 'reports <Id> naming the file, line and field' -ForEach @(
        @{ Id = 'MalformedYaml'; File = 'malformed.yaml'; Line = 4; Field = $null }  # YamlDotNet reports where the flow sequence ends
        @{ Id = 'MissingField'; File = 'entries.yaml'; Line = 7; Field = 'vendor' }
        @{ Id = 'InvalidFieldValue'; File = 'entries.yaml'; Line = 17; Field = 'size_gb_vendor' }
        @{ Id = 'InvalidFieldValue'; File = 'entries.yaml'; Line = 25; Field = 'bandwidth_gbps' }
        @{ Id = 'DuplicateId'; File = 'entries.yaml'; Line = 27; Field = 'id' }
    ) {
        $e = $BadErrors | Where-Object { $_.FullyQualifiedErrorId -like "$Id,*" -and $_.Exception.Message -like "*${File}:$Line*" }
        $e | Should -Not -BeNullOrEmpty -Because "expected $Id at ${File}:$Line in: $($BadErrors.Exception.Message -join ' | ')"
        if ($Field) { $e[0].Exception.Message | Should -Match $Field }
        $e[0].Exception.Message | Should -Not -Match '   at '   # no .NET stack trace
    }

    It 'a model entry with an unknown model_type names the supported families' {
        $f = New-TestCatalog (Join-Path $TestDrive 'mt') 'm.yaml' @'
- id: strange
  name: Strange
  source: https://example.org/config.json
  config:
    model_type: not-a-family
    hidden_size: 64
'@
        $null = Get-LlmModel -Path $f -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UnsupportedModelType,*'
        $err[0].Exception.Message | Should -Match 'llama'
        $err[0].Exception.Message | Should -Match 'm.yaml'
    }

    It 'contradictory heads give ContradictoryModelFields' {
        $f = New-TestCatalog (Join-Path $TestDrive 'heads') 'h.yaml' @'
- id: bad-heads
  name: Bad heads
  source: https://example.org/config.json
  config:
    model_type: llama
    hidden_size: 4096
    intermediate_size: 11008
    num_attention_heads: 32
    num_key_value_heads: 5
    num_hidden_layers: 2
    vocab_size: 32000
'@
        $null = Get-LlmModel -Path $f -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ContradictoryModelFields,*'
    }
}

Describe 'User catalogs override shipped entries' {
    It 'LLMSIZE_CATALOG_PATH adds entries and overrides shipped ones field by field (fresh process)' {
        $dir = Join-Path $TestDrive 'user'
        $null = New-TestCatalog $dir 'mine.yaml' @'
- id: t4-16gb
  name: Our T4 with negotiated price
  vendor: NVIDIA
  category: datacenter
  memory: { size_gb_vendor: 16 }
  price:
    cloud_on_demand:
    - { provider: OurCloud, usd_per_gpu_hour: 0.11, date: 2026-11, source: https://example.org/contract }
  sources: [https://example.org/contract]
- id: lab-card-12gb
  name: Lab card
  vendor: Test
  category: workstation
  memory: { size_gb_vendor: 12 }
  sources: [https://example.org/lab]
'@
        $out = Invoke-FreshPwsh @"
`$env:LLMSIZE_CATALOG_PATH = '$dir'
Import-Module '$(Get-ModulePath)'
(Get-Gpu t4-16gb).CloudUsdPerHour
(Get-Gpu lab-card-12gb).Name
(Get-Gpu).Count
(Get-Gpu t4).Id
"@
        $FreshPwshExitCode | Should -Be 0
        $out[0] | Should -Be '0.11'
        $out[1] | Should -Be 'Lab card'
        [int]$out[2] | Should -Be ((Get-Gpu).Count + 1)
        $out[3] | Should -Be 't4-16gb'   # the shipped aliases survive an override that does not set them
    }
}

Describe 'Get-LlmPrecision' {
    It 'lists the data types of DESIGN.md §5 with exact bits' -ForEach @(
        @{ Name = 'fp32'; Bits = 32 }
        @{ Name = 'bf16'; Bits = 16 }
        @{ Name = 'nf4'; Bits = 4.5 }            # 4 + 32/64
        @{ Name = 'nf4-dq'; Bits = 4.126953125 } # 4 + 8/64 + 32/(64·256)
        @{ Name = 'mxfp4'; Bits = 4.25 }         # 4 + 8/32
        @{ Name = 'gptq-4bit-g128'; Bits = 4.15625 } # 4 + 20/128
        @{ Name = 'Q4_K'; Bits = 4.5 }           # 144 B / 256
        @{ Name = 'Q6_K'; Bits = 6.5625 }        # 210 B / 256
        @{ Name = 'q8_0'; Bits = 8.5 }           # 34 B / 32
    ) {
        (Get-LlmPrecision $Name).BitsPerValue | Should -Be $Bits
    }

    It 'accepts any GPTQ group size' {
        (Get-LlmPrecision gptq-4bit-g32).BitsPerValue | Should -Be 4.625
        (Get-LlmPrecision awq-4bit-g256).BitsPerValue | Should -Be (4 + 20 / 256)
    }

    It 'every type names a source' {
        Get-LlmPrecision | ForEach-Object { $_.Source | Should -Not -BeNullOrEmpty }
    }

    It 'filters by family and reports unknown names as PrecisionNotFound' {
        (Get-LlmPrecision -Family GGUF).Name | Should -Contain 'Q4_K_M'
        $null = Get-LlmPrecision fp7 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PrecisionNotFound,*'
    }
}

Describe 'Tab completion' {
    It 'completes GPU ids with tooltips' {
        $r = [System.Management.Automation.CommandCompletion]::CompleteInput('Get-Gpu rtx-40', 14, $null)
        $r.CompletionMatches.CompletionText | Should -Contain 'rtx-4090-24gb'
        ($r.CompletionMatches | Where-Object CompletionText -eq 'rtx-4090-24gb').ToolTip | Should -Match '24 GB'
    }

    It 'completes GPU ids from an alias prefix' {
        $r = [System.Management.Automation.CommandCompletion]::CompleteInput('Get-Gpu H10', 11, $null)
        $r.CompletionMatches.CompletionText | Should -Contain 'h100-sxm-80gb'
    }

    It 'completes model ids with tooltips' {
        $r = [System.Management.Automation.CommandCompletion]::CompleteInput('Get-LlmModel llama-3.1', 22, $null)
        $r.CompletionMatches.CompletionText | Should -Contain 'llama-3.1-8b'
        ($r.CompletionMatches | Where-Object CompletionText -eq 'llama-3.1-8b').ToolTip | Should -Match '8.03 B parameters'
    }

    It 'completes precisions' {
        $r = [System.Management.Automation.CommandCompletion]::CompleteInput('Get-LlmPrecision nf', 19, $null)
        $r.CompletionMatches.CompletionText | Should -Contain 'nf4-dq'
    }
}

Describe 'Culture invariance' {
    It 'parses and prints numbers the same under de-DE (fresh process)' {
        $out = Invoke-FreshPwsh @"
[System.Threading.Thread]::CurrentThread.CurrentCulture = 'de-DE'
[System.Globalization.CultureInfo]::CurrentCulture = 'de-DE'
Import-Module '$(Get-ModulePath)'
(Get-Gpu -MinimumMemory 1.5TB).Count
(Get-Gpu -MinimumMemory '95.5GB' -Category Datacenter).Id -contains 'h100-nvl-94gb'
(Get-LlmPrecision nf4).BitsPerValue.ToString([cultureinfo]::InvariantCulture)
(Get-Gpu h100-sxm-80gb).UsableMemory.ToString()
"@
        $FreshPwshExitCode | Should -Be 0
        $out[0] | Should -Be '0'
        $out[1] | Should -Be 'False'
        $out[2] | Should -Be '4.5'
        $out[3] | Should -Be '79.20 GiB'
    }
}
