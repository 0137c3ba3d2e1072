using System.Collections.Generic;
using LlmSize.Core.Fit;
using LlmSize.Core.Units;

namespace LlmSize.Core.Inference
{
    /// <summary>
    /// Inference memory of one request. <see cref="Weights"/>, <see cref="KvCache"/>, <see cref="Activations"/> and
    /// <see cref="Overhead"/> are summed over all GPUs (at one GPU they are simply the model's figures); the *PerGpu
    /// properties are one GPU's share, and <see cref="PerGpu"/> is what each GPU must hold. The inputs are echoed so that
    /// results can be grouped, sorted and exported.
    /// </summary>
    public sealed class InferenceEstimate : IMemoryEstimate
    {
        private readonly Plan _plan;
        // The four per-GPU terms; every other size is derived from them in its getter. The constructor used to fill
        // eleven ByteSize fields (264 B per estimate in InferenceEstimatorBenchmarks; the totals are pure products of
        // these terms and TensorParallel, so computing them on read changes no value). KvBytesPerToken and
        // KvCacheLayout stay computed here: they read the profile, which a caller's own profile object could change later.
        private readonly Terms _perGpu;
        private IReadOnlyList<MemoryComponent>? _breakdown;

        internal InferenceEstimate(InferenceRequest request, in Plan plan, int batch, long context, int gpus, in Terms perGpu,
            IReadOnlyList<string> warnings)
        {
            _plan = plan;
            _perGpu = perGpu;
            Request = request;
            BatchSize = batch;
            ContextLength = context;
            TensorParallel = gpus;
            Warnings = warnings;
            KvBytesPerToken = InferenceEstimator.ToBytes(InferenceEstimator.KvBytesPerTokenPerGpu(plan, 1));
            KvCacheLayout = plan.Facts.Layout(plan.Profile.MlaCacheLayout, plan.Profile.Engine);
        }

        // ---- Inputs, echoed ----
        public string ModelId => _plan.Model.Id;
        public string ModelName => _plan.Model.Name;
        public Models.ModelSpec Model => _plan.Model;
        /// <summary>Weight precision name (bf16, int4, Q4_K_M ...).</summary>
        public string Precision => _plan.Weight.Name;
        /// <summary>KV-cache precision name, resolved (the engine default when the request named none).</summary>
        public string KvCachePrecision => _plan.KvCache.Name;
        public DataType WeightDataType => _plan.Weight;
        public DataType KvCacheDataType => _plan.KvCache;
        public long ContextLength { get; }
        public int BatchSize { get; }
        public int TensorParallel { get; }
        /// <summary>The engine of the profile used (the request's Profile wins over its Engine).</summary>
        public InferenceEngine Engine => _plan.Profile.Engine;
        public bool KeepEmbeddingsIn16Bit => _plan.KeepEmbeddingsIn16Bit;
        /// <summary>The request as given (a live object: later changes to it do not change this estimate; a fit check that
        /// re-estimates for another GPU count echoes the original request here).</summary>
        public InferenceRequest Request { get; }
        /// <summary>A copy of the engine profile used.</summary>
        public EngineProfile Profile => _plan.Profile.Clone();

        // ---- Result ----
        public ByteSize Weights => new ByteSize(_perGpu.Weights * (long)TensorParallel);
        public ByteSize KvCache => new ByteSize(_perGpu.KvCache * (long)TensorParallel);
        public ByteSize Activations => new ByteSize(_perGpu.Activations * (long)TensorParallel);
        public ByteSize Overhead => new ByteSize(_perGpu.Overhead * (long)TensorParallel);
        /// <summary>Sum over all GPUs: <see cref="PerGpu"/> × <see cref="TensorParallel"/>.</summary>
        public ByteSize Total => new ByteSize(_perGpu.PerGpu * (long)TensorParallel);
        public ByteSize WeightsPerGpu => new ByteSize(_perGpu.Weights);
        public ByteSize KvCachePerGpu => new ByteSize(_perGpu.KvCache);
        public ByteSize ActivationsPerGpu => new ByteSize(_perGpu.Activations);
        public ByteSize OverheadPerGpu => new ByteSize(_perGpu.Overhead);
        /// <summary>What each GPU must hold.</summary>
        public ByteSize PerGpu => new ByteSize(_perGpu.PerGpu);
        /// <summary>KV bytes one token of context costs, all layers, whole model (no window, no block rounding).</summary>
        public long KvBytesPerToken { get; }
        /// <summary>What the cache stores per token per layer: "GQA 8 KV heads × 128", "MLA latent 512+64 (vLLM layout)".</summary>
        public string KvCacheLayout { get; }
        /// <summary>Share of usable GPU memory the engine allows itself (vLLM gpu_memory_utilization); null = all.</summary>
        public double? GpuMemoryUtilization => _plan.Utilization;
        public IReadOnlyList<string> Warnings { get; }

        // ---- IMemoryEstimate ----
        int IMemoryEstimate.GpuCount => TensorParallel;
        double IMemoryEstimate.MemoryUtilization => _plan.Utilization ?? 1.0;

        public IReadOnlyList<MemoryComponent> Breakdown => _breakdown ??= new[]
        {
            new MemoryComponent("Weights", WeightsPerGpu, Weights, Precision),
            new MemoryComponent("KvCache", KvCachePerGpu, KvCache, KvCachePrecision + ", " + KvCacheLayout),
            new MemoryComponent("Activations", ActivationsPerGpu, Activations),
            new MemoryComponent("Overhead", OverheadPerGpu, Overhead),
        };

        internal Plan Plan => _plan;

        public override string ToString() => ModelId + " " + Precision + " " + PerGpu + " per GPU";
    }
}
