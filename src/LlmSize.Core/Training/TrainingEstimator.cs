using System;
using System.Collections.Generic;
using System.Globalization;
using LlmSize.Core.Models;
using LlmSize.Core.Parameters;
using LlmSize.Core.Units;

namespace LlmSize.Core.Training
{
    /// <summary>
    /// Training and fine-tuning memory per GPU (DESIGN.md §8): weights + gradients + optimizer states (ZeRO-sharded,
    /// offloaded) + ZeRO-3 gather buffer + activations (Korthikanti et al. 2022) + loss logits + overhead, for the
    /// busiest GPU of a data × tensor × pipeline parallel layout.
    /// </summary>
    public static class TrainingEstimator
    {
        /// <summary>
        /// Default per-process overhead: 1 GiB for the CUDA context, cuBLAS/cuDNN workspaces and NCCL buffers. DESIGN.md §7
        /// puts the context at 0.3–1 GiB on recent GPUs (CUDA lazy loading); Hugging Face measured 1343 MiB on a V100
        /// with CUDA 11.2, which loads every kernel eagerly (shared/reference/measured.md §3). Override per request.
        /// </summary>
        public static readonly ByteSize DefaultOverhead = ByteSize.FromGiB(1);

        /// <summary>Config fields that carry a dropout probability (BERT, GPT-2, OPT, Llama-style, Falcon ...).</summary>
        private static readonly string[] DropoutFields =
        {
            "attention_probs_dropout_prob", "hidden_dropout_prob", "attention_dropout", "hidden_dropout",
            "resid_pdrop", "attn_pdrop", "embd_pdrop", "dropout", "activation_dropout",
        };

        public static TrainingEstimate Estimate(TrainingRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            request.Validate();
            ModelArchitecture a = request.Model.Architecture;
            ParameterBreakdown counts = ParameterCounter.Count(a);
            var warnings = new List<TrainingWarning>();
            CheckLayout(request, a, warnings);

            bool lora = request.Method != TrainingMethod.Full;
            int rank = lora ? request.LoraRank : 0;
            LoraTargets targets = lora ? request.LoraTargets : LoraTargets.None;
            if (lora) CheckLora(request, a, warnings);

            int p = request.PipelineParallel;
            int t = request.TensorParallel;
            int layers = a.NumLayers;
            int firstCount = ModelLayout.LayersPerStage(layers, p);
            bool pipelined = p > 1;
            bool dropout = request.Dropout ?? InferDropout(a);
            int inFlight = pipelined ? Math.Min(p, request.GradientAccumulation) : 1;

            var options = new ActivationOptions
            {
                MicroBatchSize = request.MicroBatchSize,
                SequenceLength = request.SequenceLength,
                TensorParallel = t,
                SequenceParallel = request.SequenceParallel && t > 1,
                FlashAttention = request.FlashAttention,
                Dropout = dropout,
                SoftmaxSavesInput = request.SoftmaxSavesInput,
                Precision = ActivationPrecision.For(request.Regime),
            };

            ByteSize overhead = request.Overhead ?? DefaultOverhead;
            string overheadSource = request.Overhead.HasValue ? "request" : "default: CUDA context and library workspaces (TrainingEstimator.DefaultOverhead)";

            // The whole model (for parameter totals), the first stage, and the last stage when pipelined.
            StageParameters whole = ModelLayout.Stage(a, counts, 0, layers, true, true, false, rank, targets);
            StageParameters first = ModelLayout.Stage(a, counts, 0, firstCount, true, !pipelined, pipelined, rank, targets);
            StageResult best = Evaluate(request, a, first, options, inFlight, overhead);
            best.Name = pipelined ? "first" : "only";
            if (pipelined)
            {
                int lastFirst = (p - 1) * firstCount;
                int lastCount = Math.Max(0, layers - lastFirst);
                StageParameters last = ModelLayout.Stage(a, counts, lastFirst, lastCount, false, true, true, rank, targets);
                StageResult lastResult = Evaluate(request, a, last, options, 1, overhead);
                lastResult.Name = "last";
                if (lastResult.PerGpu > best.PerGpu) best = lastResult;
            }

            // Activations of one block, one micro-batch, no recomputation (the layer with the most, for MoE mixes).
            double perLayer = 0;
            for (int i = 0; i < layers; i++) perLayer = Math.Max(perLayer, ActivationMemory.Layer(a, i, options).Total);

            int gpusPerNode = Math.Min(request.GpusPerNode, request.GpuCount);
            int nodes = (request.GpuCount + gpusPerNode - 1) / gpusPerNode;
            DeepSpeedModelStates? deepSpeed = null;
            if (request.ZeroStage >= 1 || request.Offload != OffloadMode.None)
            {
                deepSpeed = request.ZeroStage == 3
                    ? DeepSpeedModelStates.Zero3(whole.Base.Total, whole.LargestModule, gpusPerNode, nodes,
                        request.Offload != OffloadMode.None, request.Offload == OffloadMode.OptimizerAndParameters)
                    : DeepSpeedModelStates.Zero2(whole.Base.Total, gpusPerNode, nodes, request.Offload != OffloadMode.None);
            }

            var estimate = new TrainingEstimate
            {
                Request = request,
                ModelId = request.Model.Id,
                ModelName = request.Model.Name,
                Method = request.Method,
                Regime = request.Regime,
                Fp32GradientAccumulation = request.Fp32GradientAccumulation,
                Optimizer = request.Optimizer,
                MicroBatchSize = request.MicroBatchSize,
                SequenceLength = request.SequenceLength,
                GradientAccumulation = request.GradientAccumulation,
                Recompute = request.EffectiveRecompute,
                FlashAttention = request.FlashAttention,
                ZeroStage = request.ZeroStage,
                DataParallel = request.DataParallel,
                TensorParallel = t,
                SequenceParallel = request.SequenceParallel,
                PipelineParallel = p,
                Offload = request.Offload,
                LoraRank = rank,
                LoraTargets = targets,
                QLoraBaseType = request.Method == TrainingMethod.QLoRA ? request.QLoraBaseType.Name : null,
                Dropout = dropout,
                SoftmaxSavesInput = request.SoftmaxSavesInput,
                GpusPerNode = gpusPerNode,
                GpuCount = request.GpuCount,
                Parameters = whole.Base.Total,
                TrainableParameters = lora ? whole.Adapters.Total : whole.Base.Total,
                PipelineStage = best.Name,
                Weights = ByteSize.FromBytes(best.Weights),
                Gradients = ByteSize.FromBytes(best.Gradients),
                OptimizerStates = ByteSize.FromBytes(best.Optimizer),
                GatherBuffer = ByteSize.FromBytes(best.Gather),
                Activations = ByteSize.FromBytes(best.Activations),
                Logits = ByteSize.FromBytes(best.Logits),
                Overhead = overhead,
                OverheadSource = overheadSource,
                ActivationsPerLayer = ByteSize.FromBytes(perLayer),
                MicroBatchesInFlight = best.Name == "last" ? 1 : inFlight,
                DeepSpeed = deepSpeed,
                Warnings = warnings,
            };
            // The parts are rounded one by one; the sum of the rounded parts is the figure shown.
            estimate.PerGpu = estimate.Weights + estimate.Gradients + estimate.OptimizerStates + estimate.GatherBuffer
                              + estimate.Activations + estimate.Logits + estimate.Overhead;
            estimate.Total = new ByteSize(checked(estimate.PerGpu.Bytes * request.GpuCount));
            SetHostMemory(estimate, request, whole, best, gpusPerNode, deepSpeed);
            return estimate;
        }

        private sealed class StageResult
        {
            public string Name = "";
            public double Weights, Gradients, Optimizer, Gather, Activations, Logits, Offloaded;
            public double PerGpu;
        }

        private static StageResult Evaluate(TrainingRequest r, ModelArchitecture a, StageParameters stage,
            ActivationOptions options, int inFlight, ByteSize overhead)
        {
            double t = r.TensorParallel;
            ModelStateBytes unsharded = StageStates(r, stage);
            // Tensor parallelism splits every matrix (embeddings vocabulary-parallel); replicated norms are negligible.
            var split = new ModelStateBytes(unsharded.Weights / t, unsharded.Gradients / t, unsharded.Optimizer / t);
            ModelStateBytes sharded = ZeroSharding.PerGpu(split, r.ZeroStage, r.DataParallel);

            var result = new StageResult { Weights = sharded.Weights, Gradients = sharded.Gradients, Optimizer = sharded.Optimizer };

            // Offload: the optimizer (and the fp32 gradient partitions from stage 2 on) move to the host; at stage 3
            // the 16-bit parameters too.
            if (r.Offload != OffloadMode.None)
            {
                bool lora = r.Method != TrainingMethod.Full;
                long trainable = lora ? stage.Adapters.Total : stage.Base.Total;
                result.Offloaded = result.Optimizer;
                result.Optimizer = 0;
                if (r.ZeroStage >= 2)
                {
                    result.Offloaded += 4.0 * trainable / t / r.DataParallel; // fp32 gradient partition on the host
                    result.Gradients = 0;
                }
                if (r.Offload == OffloadMode.OptimizerAndParameters && r.ZeroStage == 3)
                {
                    result.Offloaded += result.Weights;
                    result.Weights = 0;
                }
            }

            // ZeRO-3 gathers one module at a time: its 16-bit parameters and gradients (DeepSpeed: 4 bytes per parameter).
            if (r.ZeroStage == 3)
            {
                int perParameter = r.Method == TrainingMethod.Full
                    ? ModelStates.WeightBytes(r.Regime) + ModelStates.GradientBytes(r.Regime, r.Fp32GradientAccumulation)
                    : FrozenBaseBytes(r.Regime);
                result.Gather = (double)stage.LargestModule * perParameter / t;
            }

            // Activations: every block of the stage for each micro-batch in flight; full recomputation adds the working
            // set of one block (recomputed in backward); the first stage keeps the embedding's, the last the head's.
            double kept = 0, workingSet = 0;
            for (int i = stage.FirstLayer; i < stage.FirstLayer + stage.LayerCount; i++)
            {
                LayerActivations layer = ActivationMemory.Layer(a, i, options);
                kept += layer.Kept(r.EffectiveRecompute);
                workingSet = Math.Max(workingSet, layer.Total);
            }
            double activations = kept * inFlight;
            if (r.EffectiveRecompute == RecomputeMode.Full) activations += workingSet;
            if (stage.HasEmbedding) activations += ActivationMemory.Embedding(a, options) * inFlight;
            if (stage.HasHead) activations += ActivationMemory.Head(a, options);
            result.Activations = activations;
            result.Logits = stage.HasHead ? ActivationMemory.Logits(a, r.MicroBatchSize, r.SequenceLength, r.TensorParallel) : 0;

            result.PerGpu = result.Weights + result.Gradients + result.Optimizer + result.Gather + result.Activations
                            + result.Logits + overhead.Bytes;
            return result;
        }

        /// <summary>Weights, gradients and optimizer memory of a stage before any split, by training method.</summary>
        private static ModelStateBytes StageStates(TrainingRequest r, StageParameters stage)
        {
            if (r.Method == TrainingMethod.Full)
                return ModelStates.Full(stage.Base, r.Regime, r.Optimizer, r.Fp32GradientAccumulation, stage.CastCopyElements);

            // LoRA/QLoRA: frozen base without gradients or optimizer states; adapters trained in the regime.
            double baseBytes;
            if (r.Method == TrainingMethod.QLoRA)
                baseBytes = stage.QuantizableElements * r.QLoraBaseType.BytesPerValue
                            + (stage.Base.Total - stage.QuantizableElements) * (double)FrozenBaseBytes(r.Regime);
            else
                baseBytes = stage.Base.Total * (double)FrozenBaseBytes(r.Regime);
            ModelStateBytes adapters = ModelStates.Full(stage.Adapters, r.Regime, r.Optimizer, r.Fp32GradientAccumulation);
            return new ModelStateBytes(baseBytes + adapters.Weights, adapters.Gradients, adapters.Optimizer);
        }

        /// <summary>The frozen base of LoRA is stored in 16 bit (fp32 only in the Fp32 regime).</summary>
        private static int FrozenBaseBytes(PrecisionRegime regime) => regime == PrecisionRegime.Fp32 ? 4 : 2;

        private static void SetHostMemory(TrainingEstimate e, TrainingRequest r, StageParameters whole, StageResult best,
            int gpusPerNode, DeepSpeedModelStates? deepSpeed)
        {
            if (r.Method == TrainingMethod.Full && deepSpeed != null)
            {
                e.HostMemory = deepSpeed.CpuPerNode;
                e.HostMemorySource = "DeepSpeed " + deepSpeed.Function + " CPU figure per node (additional_buffer_factor "
                                     + deepSpeed.AdditionalBufferFactor.ToString(CultureInfo.InvariantCulture) + ")";
                return;
            }
            // Otherwise: what each process offloads, times DeepSpeed's buffer factor, for the ranks of one node, plus
            // loading: every process reads its share of the weights through host memory once.
            double offloaded = best.Offloaded * gpusPerNode * DeepSpeedModelStates.DefaultAdditionalBufferFactor;
            double loading = e.Weights.Bytes * (double)gpusPerNode;
            e.HostMemory = ByteSize.FromBytes(offloaded + loading);
            e.HostMemorySource = best.Offloaded > 0
                ? "offloaded states × GPUs per node × 1.5 (DeepSpeed additional_buffer_factor) + weights loaded per process"
                : "weights loaded per process × GPUs per node";
        }

        /// <summary>Dropout on when any dropout field of the config is above 0; off when the config has none.</summary>
        public static bool InferDropout(ModelArchitecture a)
        {
            foreach (string field in DropoutFields)
            {
                if (a.Extra.TryGetValue(field, out string? text)
                    && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                    && value > 0)
                    return true;
            }
            return false;
        }

        private static void CheckLayout(TrainingRequest r, ModelArchitecture a, List<TrainingWarning> warnings)
        {
            if (r.ZeroStage > 0 && r.DataParallel == 1)
                warnings.Add(new TrainingWarning(TrainingWarningIds.ZeroWithoutDataParallel,
                    "ZeRO stage " + r.ZeroStage + " with DataParallel 1: there is nothing to shard; the states stay whole on the GPU."));
            int t = r.TensorParallel;
            if (t > 1 && (a.NumAttentionHeads % t != 0 || (a.NumKeyValueHeads > t && a.NumKeyValueHeads % t != 0)))
                warnings.Add(new TrainingWarning(TrainingWarningIds.TensorParallelHeads,
                    "TensorParallel " + t + " does not divide the " + a.NumAttentionHeads + " attention heads (" + a.NumKeyValueHeads
                    + " key/value heads); Megatron requires it. The estimate splits fractionally."));
            if (r.SequenceParallel && t == 1)
                warnings.Add(new TrainingWarning(TrainingWarningIds.SequenceParallelWithoutTensorParallel,
                    "SequenceParallel has no effect without TensorParallel > 1."));
            if (r.Offload != OffloadMode.None && r.ZeroStage == 0)
                warnings.Add(new TrainingWarning(TrainingWarningIds.OffloadNeedsZero,
                    "CPU offload is a ZeRO feature (DeepSpeed offload_optimizer needs stage ≥ 1); estimated with the whole optimizer state moved to the host."));
            if (r.Offload == OffloadMode.OptimizerAndParameters && r.ZeroStage != 3)
                warnings.Add(new TrainingWarning(TrainingWarningIds.OffloadNeedsZero,
                    "Parameter offload needs ZeRO stage 3; only the optimizer is offloaded in this estimate."));
            int p = r.PipelineParallel;
            if (p > 1 && a.NumLayers % p != 0)
                warnings.Add(new TrainingWarning(TrainingWarningIds.PipelineUnevenLayers,
                    p + " pipeline stages do not divide " + a.NumLayers + " layers; the first stage holds "
                    + ModelLayout.LayersPerStage(a.NumLayers, p) + "."));
            if (p > 1 && r.GradientAccumulation < p)
                warnings.Add(new TrainingWarning(TrainingWarningIds.PipelineFewMicroBatches,
                    "GradientAccumulation " + r.GradientAccumulation + " gives fewer micro-batches than the " + p
                    + " pipeline stages; 1F1B then keeps only " + r.GradientAccumulation + " in flight and the bubble dominates."));
            if (r.Method == TrainingMethod.Full && (r.LoraTargets != TrainingRequest.DefaultLoraTargets || r.LoraRank != TrainingRequest.DefaultLoraRank))
                warnings.Add(new TrainingWarning(TrainingWarningIds.LoraSettingsIgnored,
                    "LoraRank and LoraTargets apply to LoRA and QLoRA; full training ignores them."));
        }

        private static void CheckLora(TrainingRequest r, ModelArchitecture a, List<TrainingWarning> warnings)
        {
            LoraTargets missing = r.LoraTargets & ~LinearModules.AvailableRoles(a);
            if (missing != LoraTargets.None)
                warnings.Add(new TrainingWarning(TrainingWarningIds.LoraTargetMissing,
                    "LoRA targets " + missing + " do not exist in " + (a.ModelType.Length > 0 ? a.ModelType : "this model")
                    + (a.GatedMlp ? "" : " (plain MLP: up and down only)") + (a.IsMla ? " (MLA: k and v share kv_a/kv_b)" : "")
                    + "; they add no adapters."));
            if (r.LoraTargets == LoraTargets.None)
                warnings.Add(new TrainingWarning(TrainingWarningIds.LoraTargetMissing, "No LoRA targets: nothing is trainable."));
            if (r.Method == TrainingMethod.QLoRA && r.QLoraBaseType.BitsPerValue >= 5)
                warnings.Add(new TrainingWarning(TrainingWarningIds.QLoraBaseNotFourBit,
                    "QLoRA base type " + r.QLoraBaseType.Name + " stores " + r.QLoraBaseType.BitsPerValue.ToString("0.###", CultureInfo.InvariantCulture)
                    + " bits per weight; QLoRA uses a 4-bit base (nf4 4.5 bits, nf4-dq ≈ 4.127)."));
        }
    }
}
