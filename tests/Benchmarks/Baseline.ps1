# The plain-PowerShell baseline of the pipeline sweep (Measure-Sweep.ps1): the same math as LlmSize's cmdlets, written
# the way a user writes it without LlmSize: an advanced function that takes objects from the pipeline, does the
# arithmetic in script and emits [pscustomobject]. Dot-source this file; Measure-Sweep.ps1 checks once per run that
# every function here gives the cmdlet's numbers for every distinct configuration, and stops when one differs.
#
# One function per sweep scenario of Measure-Sweep.ps1:
#   ParameterCount  Get-BaselineParameterCount   = Get-LlmParameterCount -InputObject (src/LlmSize.Core/Parameters/ParameterCounter.cs)
#   Inference       Get-BaselineInferenceFit     = Get-LlmInferenceMemory | Test-GpuFit (Generic engine, one GPU):
#                   src/LlmSize.Core/Inference/InferenceEstimator.cs (Plan, WeightsPerGpu, KvCachePerGpu, ActivationsPerGpu,
#                   OverheadPerGpu), ModelFacts.cs, src/LlmSize.Core/Fit/GpuFit.cs and Hardware/UsableMemoryRule.cs.
#                   Pipeline input [pscustomobject]@{ Model = <ModelSpec>; Precision = 'int4'; ContextLength = 32768 },
#                   a -Gpu <catalog id>, one [pscustomobject] per input with Fits and Required (bytes per GPU).
#
# What counts as data and what as math: the functions read the model's architecture fields (the ModelSpec from
# Get-LlmModel), a precision's bits and family (Get-LlmPrecision) and a GPU's memory fields (Get-Gpu), each looked up
# once per call, the way a script would read them from a table; every formula is script, evaluated per item with no
# memo across items (a plain function recomputes what it needs, as LlmSize did before it cached per-model facts).

function Get-BaselineParameterCount {
    <#
    .SYNOPSIS
        Exact parameter count of a ModelSpec (its .Architecture), as ParameterCounter.Count computes it: token and
        position embeddings, attention (standard or DeepSeek MLA), dense MLPs, routed/shared experts and routers of MoE
        layers, norms, lm_head, pooler; Active = Total less the routed experts a token is not sent to.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] [object] $InputObject)
    process {
        $a = $InputObject.Architecture
        [long] $d = $a.HiddenSize
        [long] $vocab = $a.VocabSize
        [long] $e = if ($a.EmbeddingDim -gt 0) { $a.EmbeddingDim } else { $d }
        [long] $layers = $a.NumLayers
        # Parameters per norm of width w: RMSNorm and weight-only LayerNorm w, LayerNorm 2w, non-parametric 0.
        [long] $nf = switch ([string]$a.Norm) { 'LayerNorm' { 2 } 'NonParametric' { 0 } default { 1 } }
        [long] $qnf = switch ([string]$a.QkNormKind) { 'LayerNorm' { 2 } 'NonParametric' { 0 } default { 1 } }

        [long] $embeddings = $vocab * $e + $(if ($e -ne $d) { 2 * $e * $d } else { 0 }) + $a.TypeVocabSize * $d
        [long] $positions = $a.LearnedPositionEmbeddings * $d

        # Attention of one layer.
        [long] $heads = $a.NumAttentionHeads
        if ($a.KvLoraRank -gt 0) {
            [long] $qHead = $a.QkNopeHeadDim + $a.QkRopeHeadDim
            [long] $kvA = $a.KvLoraRank + $a.QkRopeHeadDim
            [long] $rank = if ($a.QLoraRank -gt 0) { $a.QLoraRank } else { 0 }
            [long] $query = if ($rank -gt 0) { $d * $rank + $(if ($a.QkvBias) { $rank } else { 0 }) + $nf * $rank + $rank * $heads * $qHead } else { $d * $heads * $qHead }
            [long] $keyValue = $d * $kvA + $(if ($a.QkvBias) { $kvA } else { 0 }) + $nf * $a.KvLoraRank + $a.KvLoraRank * $heads * ($a.QkNopeHeadDim + $a.VHeadDim)
            [long] $attention = $query + $keyValue + $heads * $a.VHeadDim * $d + $(if ($a.AttentionOutputBias) { $d } else { 0 })
        }
        else {
            [long] $q = $heads * $a.HeadDim
            [long] $kv = [long]$a.NumKeyValueHeads * $a.HeadDim
            [long] $attention = 2 * $d * $q + 2 * $d * $kv + $(if ($a.QkvBias) { $q + 2 * $kv } else { 0 }) + $(if ($a.AttentionOutputBias) { $d } else { 0 })
            if ($a.QkNorm) { $attention += if ($a.QkNormAcrossHeads) { $qnf * ($q + $kv) } else { 2 * $qnf * $a.HeadDim } }
        }
        [long] $layerNorms = $a.NormsPerLayer * $nf * $d

        # MLPs: gated (gate, up, down) 3·d·i or plain 2·d·i, with biases i (+ i) + d.
        [long] $inner = $a.IntermediateSize
        [long] $denseMlp = if ($a.GatedMlp) { 3 * $d * $inner + $(if ($a.MlpBias) { 2 * $inner + $d } else { 0 }) } else { 2 * $d * $inner + $(if ($a.MlpBias) { $inner + $d } else { 0 }) }
        [long] $experts = $a.NumExperts
        [long] $moeLayers = 0
        if ($experts -gt 0) {
            $frequency = if ($a.MoeLayerFrequency -lt 1) { 1 } else { $a.MoeLayerFrequency }
            $phase = $a.MoeLayerPhase
            $first = $a.FirstDenseLayers
            $mlpOnly = $a.MlpOnlyLayers
            for ($i = $first; $i -lt $layers; $i++) {
                if ($i % $frequency -eq $phase -and $mlpOnly -notcontains $i) { $moeLayers++ }
            }
            [long] $moeInner = $a.MoeIntermediateSize
            [long] $expert = if ($a.GatedMlp) { 3 * $d * $moeInner } else { 2 * $d * $moeInner }
            [long] $sharedInner = $a.SharedExpertIntermediateSize
            [long] $shared = $(if ($sharedInner -gt 0) { if ($a.GatedMlp) { 3 * $d * $sharedInner } else { 2 * $d * $sharedInner } } else { 0 }) + $(if ($a.SharedExpertGate) { $d } else { 0 })
            [long] $router = $experts * $d + $(if ($a.RouterBias) { $experts } else { 0 })
            [long] $inactive = $moeLayers * ($experts - $a.NumExpertsPerToken) * $expert
        }
        else { [long] $expert = 0; [long] $shared = 0; [long] $router = 0; [long] $inactive = 0 }
        [long] $denseLayers = $layers - $moeLayers

        [long] $norms = $layers * $layerNorms + $(if ($a.FinalNorm) { $nf * $d } else { 0 }) + $(if ($a.EmbeddingNorm) { $nf * $d } else { 0 })
        [long] $lmHead = if ($a.HasLmHead) { $(if ($a.TieWordEmbeddings) { 0 } else { $vocab * $e }) + $(if ($a.LmHeadBias) { $vocab } else { 0 }) } else { 0 }
        [long] $pooler = if ($a.Pooler) { $d * $d + $d } else { 0 }

        $r = [pscustomobject]@{
            ModelId            = $InputObject.Id
            Total              = [long]0
            Active             = [long]0
            Embeddings         = $embeddings
            PositionEmbeddings = $positions
            Attention          = $layers * $attention
            Mlp                = $denseLayers * $denseMlp
            RoutedExperts      = $moeLayers * $experts * $expert
            SharedExperts      = $moeLayers * $shared
            Router             = $moeLayers * $router
            Norms              = $norms
            LmHead             = $lmHead
            Pooler             = $pooler
        }
        $r.Total = $embeddings + $positions + $r.Attention + $r.Mlp + $r.RoutedExperts + $r.SharedExperts + $r.Router + $norms + $lmHead + $pooler
        $r.Active = $r.Total - $inactive
        $r
    }
}

function Get-BaselineInferenceFit {
    <#
    .SYNOPSIS
        Inference memory of a model on one GPU under the Generic engine, and whether it fits the GPU, as
        Get-LlmInferenceMemory -Precision P -ContextLength C | Test-GpuFit -Gpu G computes it: weights (embeddings,
        lm_head, norms, routers and pooler kept at 16 bit below 16-bit precisions, GGUF types applied to everything),
        KV cache (GQA/MHA/MQA K and V, MLA latent, sliding-window layers), activation peak (attention, MLP or logits,
        whichever is largest; fused attention), overhead (CUDA context 0.5 GiB + BLAS workspaces 0.05 GiB), against the
        GPU's usable memory (CUDA total, else the driver's, else the label; Apple: 2/3 or 3/4 of RAM).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, ValueFromPipeline)] [object] $InputObject,
        [Parameter(Mandatory)] [string] $Gpu
    )
    begin {
        # Data, read once: the GPU's memory fields and the bits and family of each precision named.
        $spec = Get-Gpu -Name $Gpu -ErrorAction Stop
        [long] $available = if ([string]$spec.Category -eq 'Apple') {
            [long] $ram = $spec.Memory.Bytes
            $share = if ($ram -le 36e9) { 2.0 / 3.0 } else { 0.75 }
            [long][Math]::Round($ram * $share, [MidpointRounding]::AwayFromZero)
        }
        elseif ($null -ne $spec.CudaTotalMemory) { $spec.CudaTotalMemory.Bytes }
        elseif ($null -ne $spec.ReportedMemory) { $spec.ReportedMemory.Bytes }
        else { $spec.Memory.Bytes }
        $precisions = @{}
        # CUDA context 0.5 GiB + cuBLAS workspaces 0.05 GiB, each rounded to whole bytes.
        [long] $overhead = [Math]::Round(0.5 * 1GB, [MidpointRounding]::AwayFromZero) + [Math]::Round(0.05 * 1GB, [MidpointRounding]::AwayFromZero)
        # Byte counts saturate at long.MaxValue / 8, as the estimator's do.
        [double] $maxBytes = [long]::MaxValue / 8.0
    }
    process {
        $model = $InputObject.Model
        $a = $model.Architecture
        [long] $context = $InputObject.ContextLength
        $type = $precisions[$InputObject.Precision]
        if ($null -eq $type) { $type = Get-LlmPrecision -Name $InputObject.Precision -ErrorAction Stop; $precisions[$InputObject.Precision] = $type }
        [double] $bits = $type.BitsPerValue

        # The dtype the engine computes in: fp32 stays (tf32 is fp32), fp16 stays, everything else bf16; the KV cache
        # and activations take its width.
        [double] $computeBits = if ([string]$type.Kind -eq 'Float' -and $bits -ge 32) { if ($type.Name -eq 'tf32') { 32 } else { $bits } } else { 16 }
        [double] $kvBytes = $computeBits / 8.0
        [long] $act = [Math]::Truncate($computeBits / 8)

        # Parameters by tensor class (the published total when the catalog has one).
        $count = Get-BaselineParameterCount -InputObject $model
        [long] $parameters = if ($model.Parameters -gt 0) { $model.Parameters } else { $count.Total }
        [long] $sixteenBit = [Math]::Min($parameters, $count.Embeddings + $count.PositionEmbeddings + $count.LmHead + $count.Norms + $count.Router + $count.Pooler)

        # Weights: below 16 bit (and not GGUF), embeddings, lm_head, norms, routers and pooler stay 16-bit.
        [double] $weightBytes = if ($bits -lt 16 -and $type.Family -ne 'GGUF') { ($parameters - $sixteenBit) * $bits / 8 + $sixteenBit * 2.0 } else { $parameters * $bits / 8 }
        [long] $weights = if ($weightBytes -ge $maxBytes) { $maxBytes } else { [Math]::Ceiling($weightBytes) }

        # Model shape.
        [long] $layers = $a.NumLayers
        [long] $d = $a.HiddenSize
        [long] $heads = $a.NumAttentionHeads
        [long] $kvHeads = if ($a.NumKeyValueHeads -gt 0) { $a.NumKeyValueHeads } else { $heads }
        [long] $headDim = if ($a.HeadDim -gt 0) { $a.HeadDim } else { [Math]::Truncate($d / $heads) }
        $mla = $a.KvLoraRank -gt 0
        if ($mla) {
            [long] $kvValues = $a.KvLoraRank + $a.QkRopeHeadDim   # the latent: no K/V pair, no head axis
            [long] $attentionWidth = $heads * ($a.QkNopeHeadDim + $a.QkRopeHeadDim) + $heads * ($a.QkNopeHeadDim + $a.QkRopeHeadDim + $a.VHeadDim)
        }
        else {
            [long] $kvValues = 2 * $kvHeads * $headDim
            [long] $attentionWidth = $heads * $headDim + 2 * $kvHeads * $headDim
        }
        # MLP intermediates at the MLP's peak: dense layers 3·i gated (2·i plain), MoE layers k·(3·i_expert + d).
        [long] $multiplier = if ($a.GatedMlp) { 3 } else { 2 }
        [long] $moeLayers = 0
        if ($a.NumExperts -gt 0) {
            $frequency = if ($a.MoeLayerFrequency -lt 1) { 1 } else { $a.MoeLayerFrequency }
            for ($i = $a.FirstDenseLayers; $i -lt $layers; $i++) {
                if ($i % $frequency -eq $a.MoeLayerPhase -and $a.MlpOnlyLayers -notcontains $i) { $moeLayers++ }
            }
        }
        [long] $denseInner = if ($moeLayers -lt $layers) { $multiplier * $a.IntermediateSize } else { 0 }
        [long] $moeInner = if ($moeLayers -gt 0) { [Math]::Max(1, $a.NumExpertsPerToken) * ($multiplier * $a.MoeIntermediateSize + $d) } else { 0 }
        [long] $mlpInner = [Math]::Max($denseInner, $moeInner)

        # KV cache: full-attention layers hold the context, sliding-window layers min(window, context).
        [long] $window = if ($a.SlidingWindow -gt 0) { $a.SlidingWindow } else { 0 }
        [long] $slidingLayers = 0
        if ($window -gt 0) {
            if ($null -eq $a.LayerTypes) { $slidingLayers = $layers }
            else { foreach ($kind in $a.LayerTypes) { if ([string]$kind -eq 'Sliding') { $slidingLayers++ } } }
        }
        [long] $held = if ($window -gt 0) { [Math]::Min($window, $context) } else { $context }
        [double] $kvCacheBytes = 1.0 * (($layers - $slidingLayers) * [double]$context + $slidingLayers * [double]$held) * $kvValues * $kvBytes
        [long] $kvCache = if ($kvCacheBytes -ge $maxBytes) { $maxBytes } else { [Math]::Ceiling($kvCacheBytes) }

        # Activation peak of the prompt's forward pass (batch 1: the context's tokens), the largest of attention
        # (input + q, k, v), MLP (residual, input, intermediates) and logits (one row, model dtype + fp32 copy).
        [double] $tokens = $context
        [double] $attention = $tokens * ($d + $attentionWidth) * $act
        [double] $mlp = $tokens * (2 * $d + $mlpInner) * $act
        [double] $logits = 1.0 * $a.VocabSize * ($act + 4.0) + $tokens * $d * $act
        [double] $peak = [Math]::Max($attention, [Math]::Max($mlp, $logits))
        [long] $activations = if ($peak -ge $maxBytes) { $maxBytes } else { [Math]::Ceiling($peak) }

        # The estimator's one warning a single-GPU Generic estimate can give (Measure-Sweep.ps1 silences warnings in
        # every arm alike).
        if ($a.MaxPositionEmbeddings -gt 0 -and $context -gt $a.MaxPositionEmbeddings) {
            Write-Warning "$($model.Id): Context length $context exceeds the model's maximum of $($a.MaxPositionEmbeddings) tokens; estimated as asked, not clamped."
        }

        [long] $required = $weights + $kvCache + $activations + $overhead
        [pscustomobject]@{
            ModelId       = $model.Id
            Precision     = $type.Name
            ContextLength = $context
            GpuId         = $spec.Id
            Weights       = $weights
            KvCache       = $kvCache
            Activations   = $activations
            Overhead      = $overhead
            Required      = $required
            Available     = $available
            Fits          = $required -le $available
        }
    }
}
