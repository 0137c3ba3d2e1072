# The plain-PowerShell baseline of the pipeline sweep (Measure-Sweep.ps1): the same math as LlmSize's cmdlets, written
# the way a user writes it without LlmSize: an advanced function that takes objects from the pipeline, does the
# arithmetic in script and emits [pscustomobject]. Dot-source this file; Measure-Sweep.ps1 checks once per run that
# every function here gives the cmdlet's numbers for every distinct configuration, and stops when one differs.
#
# One function per sweep scenario of Measure-Sweep.ps1:
#   ParameterCount  Get-BaselineParameterCount   = Get-LlmParameterCount -InputObject (src/LlmSize.Core/Parameters/ParameterCounter.cs)
#   Inference       Get-BaselineInferenceFit     = Get-LlmInferenceMemory | Test-GpuFit; not written yet: the estimator
#                   lands later. Add it here with the same shape: pipeline input of [pscustomobject]@{ Model = <ModelSpec>;
#                   Precision = 'int4'; ContextLength = 32768 }, a -Gpu <catalog id> parameter, one [pscustomobject] per
#                   input with the scenario's CheckFields (Fits, Required in bytes). Measure-Sweep.ps1 finds it by name,
#                   checks it against the cmdlets and measures it; until then its summary says the baseline was not measured.

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
