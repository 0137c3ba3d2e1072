using System;
using System.Collections.Generic;
using LlmSize.Core.Fit;
using LlmSize.Core.Units;

namespace LlmSize.Core.Training
{
    /// <summary>
    /// Training memory of one request: the per-GPU breakdown of the busiest GPU (the first pipeline stage under 1F1B,
    /// unless the last stage's logits outweigh it), host memory, and every input echoed so a pipeline of estimates can
    /// be sorted, filtered and exported. <see cref="PerGpu"/> = Weights + Gradients + OptimizerStates + GatherBuffer +
    /// Activations + Logits + Overhead.
    /// </summary>
    public sealed class TrainingEstimate : IMemoryEstimate
    {
        /// <summary>The request this estimate answers (to re-estimate for other layouts, e.g. in a hardware sweep).</summary>
        public TrainingRequest Request { get; internal set; } = null!;

        // ---- inputs, echoed ----
        public string ModelId { get; internal set; } = "";
        public string ModelName { get; internal set; } = "";
        public TrainingMethod Method { get; internal set; }
        public PrecisionRegime Regime { get; internal set; }
        public bool Fp32GradientAccumulation { get; internal set; }
        public OptimizerKind Optimizer { get; internal set; }
        public int MicroBatchSize { get; internal set; }
        public int SequenceLength { get; internal set; }
        public int GradientAccumulation { get; internal set; }
        /// <summary>Recomputation as used (given, or the method's default).</summary>
        public RecomputeMode Recompute { get; internal set; }
        public bool FlashAttention { get; internal set; }
        public int ZeroStage { get; internal set; }
        public int DataParallel { get; internal set; }
        public int TensorParallel { get; internal set; }
        public bool SequenceParallel { get; internal set; }
        public int PipelineParallel { get; internal set; }
        public OffloadMode Offload { get; internal set; }
        /// <summary>LoRA rank; 0 for full training.</summary>
        public int LoraRank { get; internal set; }
        /// <summary>LoRA targets; None for full training.</summary>
        public LoraTargets LoraTargets { get; internal set; }
        /// <summary>QLoRA base data type name (nf4, nf4-dq); null otherwise.</summary>
        public string? QLoraBaseType { get; internal set; }
        /// <summary>Dropout as used (given, or read from the config).</summary>
        public bool Dropout { get; internal set; }
        public bool SoftmaxSavesInput { get; internal set; }
        public int GpusPerNode { get; internal set; }
        /// <summary>Data × tensor × pipeline parallel.</summary>
        public int GpuCount { get; internal set; }

        // ---- parameters ----
        /// <summary>All parameters of the model.</summary>
        public long Parameters { get; internal set; }
        /// <summary>Parameters the optimizer updates: all for full training, the adapters for LoRA/QLoRA.</summary>
        public long TrainableParameters { get; internal set; }

        // ---- per GPU breakdown (the busiest GPU) ----
        /// <summary>"only" without pipeline parallelism, else "first" or "last": the stage the figures describe.</summary>
        public string PipelineStage { get; internal set; } = "only";
        /// <summary>Weights on this GPU: trained weights in the regime's dtype (Amp: + 16-bit cast copies), frozen base
        /// (16-bit or quantized) for LoRA/QLoRA; after tensor/pipeline split and ZeRO-3 sharding.</summary>
        public ByteSize Weights { get; internal set; }
        public ByteSize Gradients { get; internal set; }
        /// <summary>Optimizer states plus the fp32 master copy (Mixed), after ZeRO sharding; 0 when offloaded.</summary>
        public ByteSize OptimizerStates { get; internal set; }
        /// <summary>ZeRO-3: the largest module's gathered 16-bit parameters and gradients (DeepSpeed counts 4 bytes per parameter).</summary>
        public ByteSize GatherBuffer { get; internal set; }
        /// <summary>Activations kept for backward (Korthikanti et al. 2022), with recomputation, pipeline in-flight micro-batches.</summary>
        public ByteSize Activations { get; internal set; }
        /// <summary>fp32 logits of the loss and their gradient (2 · b·s·V·4 / t) on the stage with the LM head.</summary>
        public ByteSize Logits { get; internal set; }
        /// <summary>CUDA context and library workspaces per process.</summary>
        public ByteSize Overhead { get; internal set; }
        /// <summary>Where the overhead figure comes from.</summary>
        public string OverheadSource { get; internal set; } = "";
        /// <summary>Peak memory of the busiest GPU.</summary>
        public ByteSize PerGpu { get; internal set; }
        /// <summary>GPU memory of the whole job, every GPU counted like the busiest: PerGpu × GpuCount (an upper bound
        /// under pipeline parallelism, where later stages hold fewer activations).</summary>
        public ByteSize Total { get; internal set; }

        // ---- detail ----
        /// <summary>Activations of one block for one micro-batch on this GPU, without recomputation.</summary>
        public ByteSize ActivationsPerLayer { get; internal set; }
        /// <summary>Micro-batches whose activations the stage holds at once (1F1B: min(pipeline stages, micro-batches) on the first stage).</summary>
        public int MicroBatchesInFlight { get; internal set; }
        /// <summary>Host (CPU) memory per node: offloaded states and model loading (see <see cref="HostMemorySource"/>).</summary>
        public ByteSize HostMemory { get; internal set; }
        public string HostMemorySource { get; internal set; } = "";
        /// <summary>DeepSpeed's own estimate_zero2/zero3 model-states figures for this layout (ZeRO stage ≥ 1 or offload), else null.</summary>
        public DeepSpeedModelStates? DeepSpeed { get; internal set; }

        public IReadOnlyList<TrainingWarning> Warnings { get; internal set; } = Array.Empty<TrainingWarning>();

        // ---- IMemoryEstimate: a training estimate fits a GPU like an inference one (Test-GpuFit) ----
        double IMemoryEstimate.MemoryUtilization => 1.0;

        private IReadOnlyList<MemoryComponent>? _breakdown;

        /// <summary>The per-GPU terms; totals multiply by the GPU count (every rank holds its own share).</summary>
        public IReadOnlyList<MemoryComponent> Breakdown => _breakdown ??= new[]
        {
            new MemoryComponent("Weights", Weights, Weights * GpuCount),
            new MemoryComponent("Gradients", Gradients, Gradients * GpuCount),
            new MemoryComponent("OptimizerStates", OptimizerStates, OptimizerStates * GpuCount, Optimizer.ToString()),
            new MemoryComponent("GatherBuffer", GatherBuffer, GatherBuffer * GpuCount, "ZeRO-3 largest-layer gather"),
            new MemoryComponent("Activations", Activations, Activations * GpuCount, Recompute.ToString()),
            new MemoryComponent("Logits", Logits, Logits * GpuCount, "fp32 logits of the loss and their gradient"),
            new MemoryComponent("Overhead", Overhead, Overhead * GpuCount, OverheadSource),
        };

        public override string ToString() => ModelId + " " + Method + " " + Regime + " " + Optimizer + ": " + PerGpu + " per GPU";
    }
}
