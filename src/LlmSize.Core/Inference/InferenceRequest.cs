using System;
using LlmSize.Core.Models;
using LlmSize.Core.Units;

namespace LlmSize.Core.Inference
{
    /// <summary>
    /// What to estimate: a model served at a weight precision, for a batch of sequences of a given context length, on an
    /// engine, split over <see cref="TensorParallel"/> GPUs. Pass to <see cref="InferenceEstimator.Estimate"/>; the
    /// estimate keeps its own snapshot, so changing a request afterwards does not change earlier estimates.
    /// </summary>
    public sealed class InferenceRequest
    {
        public InferenceRequest(ModelSpec model, DataType weightPrecision, long contextLength)
        {
            Model = model ?? throw new ArgumentNullException(nameof(model));
            WeightPrecision = weightPrecision ?? throw new ArgumentNullException(nameof(weightPrecision));
            ContextLength = contextLength;
        }

        public ModelSpec Model { get; set; }
        /// <summary>Precision of the linear layers (and of everything when 16 bits or more, or a GGUF type).</summary>
        public DataType WeightPrecision { get; set; }
        /// <summary>KV-cache precision; null = the engine's default (llama.cpp f16; others the compute dtype: fp32 for fp32
        /// weights, fp16 for fp16 weights, else bf16 — vLLM's kv_cache_dtype "auto").</summary>
        public DataType? KvCachePrecision { get; set; }
        /// <summary>Tokens per sequence held in the KV cache (prompt + generated). Beyond the model's maximum gives a warning.</summary>
        public long ContextLength { get; set; }
        /// <summary>Sequences served at once.</summary>
        public int BatchSize { get; set; } = 1;
        /// <summary>GPUs the model is split over (tensor parallel, or whole layers for engines that split that way).</summary>
        public int TensorParallel { get; set; } = 1;
        public InferenceEngine Engine { get; set; } = InferenceEngine.Generic;
        /// <summary>A custom profile (e.g. <c>EngineProfile.For(LlamaCpp)</c> with FlashAttention off); it replaces the
        /// default profile of <see cref="Engine"/>, and the estimate reports the profile's engine.</summary>
        public EngineProfile? Profile { get; set; }

        /// <summary>Per GPU: replaces the whole overhead term (context, workspaces, NCCL; vLLM's logged non-torch memory).</summary>
        public ByteSize? OverheadOverride { get; set; }
        /// <summary>Per GPU: replaces the modelled activation peak (vLLM's logged "activation peak" / torch peak increase).</summary>
        public ByteSize? ActivationsOverride { get; set; }
        /// <summary>Keep embeddings, lm_head, norms and routers at 16 bit when the linear layers are quantized below 16 bit
        /// (what GPTQ/AWQ/bitsandbytes/fp8 checkpoints do). GGUF types apply to every tensor regardless, as in GGUF files.</summary>
        public bool KeepEmbeddingsIn16Bit { get; set; } = true;
        /// <summary>Share of usable GPU memory the engine may use; null = the profile's (vLLM 0.9), else all of it.</summary>
        public double? GpuMemoryUtilization { get; set; }
        /// <summary>
        /// Exact weight bytes of the whole model, when known from the weight files (sum of safetensors/GGUF tensor sizes).
        /// Replaces the parameters × precision computation. Hook for the artifact readers.
        /// </summary>
        public ByteSize? ExactWeightBytes { get; set; }

        /// <summary>A shallow copy (same model and profile objects).</summary>
        public InferenceRequest Clone() => (InferenceRequest)MemberwiseClone();
    }
}
