using LlmSize.Core.Units;

namespace LlmSize.Core.Throughput
{
    /// <summary>
    /// What one inference run asks of the hardware, as plain numbers, so that any memory estimate (or a user) can supply
    /// them. All quantities are for the whole model; the estimate splits them over tensor-parallel GPUs.
    /// </summary>
    public sealed class InferenceWorkload
    {
        /// <summary>Parameters that take part in one token's forward pass (dense: all but the input embedding table;
        /// MoE: routed top-k experts + shared experts + attention). Prefill and the compute bound use 2 FLOPs per parameter per token.</summary>
        public long ActiveParameters { get; set; }

        /// <summary>
        /// Bytes of weights streamed from memory for one decode step: the active weights at their storage size (scales
        /// included). Leave out the input embedding table — a step gathers one row of it, it does not stream it.
        /// For MoE at batch &gt; 1 different tokens touch different experts, so this is a lower bound there.
        /// </summary>
        public double ActiveWeightBytes { get; set; }

        /// <summary>KV-cache bytes one token of context adds, all layers, one sequence (DESIGN.md §7: 2·n_kv·d_h·bytes per layer;
        /// MLA: the latent). 0 for a model without a cache.</summary>
        public double KvBytesPerToken { get; set; }

        /// <summary>Transformer blocks; tensor parallelism all-reduces twice per block (after attention and after the MLP).</summary>
        public int Layers { get; set; }

        /// <summary>Model width d: an all-reduce moves tokens × d activations.</summary>
        public int HiddenSize { get; set; }

        /// <summary>Storage format of the weights: picks the compute precision (<see cref="PeakCompute.ForWeights"/>) and the
        /// default memory efficiency (<see cref="ThroughputDefaults.MemoryEfficiencyFor"/>).</summary>
        public DataType WeightType { get; set; } = DataTypes.Fp16;

        /// <summary>Prompt tokens per sequence (prefill). Default 512, llama-bench's default prompt test (pp512).</summary>
        public int PromptTokens { get; set; } = 512;

        /// <summary>Generated tokens per sequence. Default 128, llama-bench's default generation test (tg128).</summary>
        public int OutputTokens { get; set; } = 128;

        /// <summary>Sequences decoded together.</summary>
        public int BatchSize { get; set; } = 1;

        /// <summary>A shallow copy.</summary>
        public InferenceWorkload Clone() => (InferenceWorkload)MemberwiseClone();
    }

    /// <summary>Overrides of the inference roofline's defaults.</summary>
    public sealed class InferenceOptions
    {
        /// <summary>Achieved ÷ peak memory bandwidth in decode, (0, 1]. Default: <see cref="ThroughputDefaults.MemoryEfficiencyFor"/>.</summary>
        public double? MemoryEfficiency { get; set; }
        /// <summary>Achieved ÷ peak matmul FLOPS, (0, 1]. Default: <see cref="ThroughputDefaults.ComputeEfficiencyFor"/>.</summary>
        public double? ComputeEfficiency { get; set; }
        /// <summary>Precision of the matmuls. Default: <see cref="PeakCompute.ForWeights"/> of the workload's weight type.</summary>
        public ComputePrecision? ComputePrecision { get; set; }
        /// <summary>GPU-to-GPU bandwidth, GB/s per direction, instead of the catalog's NVLink/PCIe figure.</summary>
        public double? InterconnectGBps { get; set; }
        /// <summary>Bytes per activation value in the tensor-parallel all-reduces. Default 2 (fp16/bf16 activations).</summary>
        public double ActivationBytes { get; set; } = 2;
    }
}
