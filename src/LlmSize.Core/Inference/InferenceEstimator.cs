using System;
using System.Collections.Generic;
using System.Globalization;
using LlmSize.Core.Models;
using LlmSize.Core.Units;

namespace LlmSize.Core.Inference
{
    /// <summary>
    /// Inference memory (DESIGN.md §7): per GPU = weights + KV cache + activation peak + overhead. Each term has one
    /// formula here; the fit solvers (LlmSize.Core.Fit.GpuFit) call the same <see cref="Compute"/> with other batch sizes,
    /// context lengths and GPU counts. Allocation-free apart from the result object (and its warnings, when any).
    /// </summary>
    public static class InferenceEstimator
    {
        /// <summary>Byte counts saturate here so that sums of four terms cannot overflow.</summary>
        private const double MaxBytes = long.MaxValue / 8.0;

        public static InferenceEstimate Estimate(InferenceRequest request)
        {
            Plan plan = Prepare(request);
            return Create(request, plan, request.BatchSize, request.ContextLength, request.TensorParallel);
        }

        /// <summary>An estimate of <paramref name="plan"/> at another batch, context or GPU count (fit checks, solvers).</summary>
        internal static InferenceEstimate Create(InferenceRequest request, in Plan plan, int batch, long context, int gpus) =>
            new InferenceEstimate(request, plan, batch, context, gpus, Compute(plan, batch, context, gpus), Warnings(plan, context, gpus));

        /// <summary>
        /// Whether <paramref name="gpus"/> GPUs can share the model under the profile's split: tensor parallel must divide
        /// the attention heads (Megatron-LM / vLLM assert this), and the KV heads must divide by it or it by them
        /// (vLLM replicates KV heads when n_kv &lt; t); a layer split needs no more GPUs than layers.
        /// </summary>
        public static bool IsValidGpuCount(ModelSpec model, EngineProfile profile, int gpus, out string? reason)
        {
            if (model == null) throw new ArgumentNullException(nameof(model));
            if (profile == null) throw new ArgumentNullException(nameof(profile));
            return IsValidGpuCount(ModelFacts.Of(model), profile, gpus, out reason);
        }

        internal static bool IsValidGpuCount(ModelFacts f, EngineProfile profile, int gpus, out string? reason)
        {
            reason = null;
            if (gpus < 1) { reason = "a GPU count must be at least 1"; return false; }
            if (gpus == 1) return true;
            if (profile.MultiGpuSplit == MultiGpuSplit.Layers)
            {
                if (gpus <= f.Layers) return true;
                reason = Invariant("{0} GPUs exceed the model's {1} layers (the {2} engine splits whole layers)", gpus, f.Layers, profile.Engine);
                return false;
            }
            if (f.Heads % gpus != 0)
            {
                reason = Invariant("tensor parallel must divide the {0} attention heads, and {1} does not", f.Heads, gpus);
                return false;
            }
            if (!f.Mla && f.KvHeads % gpus != 0 && gpus % f.KvHeads != 0)
            {
                reason = Invariant("tensor parallel {0} and the {1} KV heads must divide one another", gpus, f.KvHeads);
                return false;
            }
            return true;
        }

        /// <summary>The dtype the engine computes in for these weights: fp32 (fp64) stays, fp16 stays, everything else bf16.</summary>
        public static DataType ComputeType(DataType weightPrecision)
        {
            if (weightPrecision == null) throw new ArgumentNullException(nameof(weightPrecision));
            if (weightPrecision.Kind == DataTypeKind.Float && weightPrecision.BitsPerValue >= 32)
                return weightPrecision.Name == "tf32" ? s_fp32 : weightPrecision;
            return weightPrecision.Name == "fp16" ? s_fp16 : s_bf16;
        }

        // DataTypes.Bf16 and friends look the name up in the type table on every call (a case-insensitive dictionary
        // probe, about 15 ns of the 110 ns an estimate took in InferenceEstimatorBenchmarks); the table is static, so the
        // instances are taken once.
        private static readonly DataType s_fp32 = DataTypes.Fp32;
        private static readonly DataType s_fp16 = DataTypes.Fp16;
        private static readonly DataType s_bf16 = DataTypes.Bf16;

        // ------------------------------------------------------------------------------------------------------------
        // Validation and per-request constants.

        internal static Plan Prepare(InferenceRequest r)
        {
            if (r == null) throw new ArgumentNullException(nameof(r));
            if (r.Model == null) throw new EstimateInputException(EstimateInputException.InvalidModel, nameof(r.Model), "No model given.");
            if (r.WeightPrecision == null) throw new ArgumentNullException(nameof(r.WeightPrecision));
            if (r.ContextLength < 1)
                throw new EstimateInputException(EstimateInputException.InvalidContextLength, nameof(r.ContextLength),
                    Invariant("Context length must be at least 1 token; got {0}.", r.ContextLength));
            if (r.BatchSize < 1)
                throw new EstimateInputException(EstimateInputException.InvalidBatchSize, nameof(r.BatchSize),
                    Invariant("Batch size must be at least 1 sequence; got {0}.", r.BatchSize));
            if (r.TensorParallel < 1)
                throw new EstimateInputException(EstimateInputException.InvalidTensorParallel, nameof(r.TensorParallel),
                    Invariant("Tensor parallel degree must be at least 1 GPU; got {0}.", r.TensorParallel));
            if (r.GpuMemoryUtilization is double u && !(u > 0 && u <= 1))
                throw new EstimateInputException(EstimateInputException.InvalidMemoryUtilization, nameof(r.GpuMemoryUtilization),
                    Invariant("GPU memory utilization must be in (0, 1]; got {0}.", u));
            CheckOverride(r.OverheadOverride, nameof(r.OverheadOverride));
            CheckOverride(r.ActivationsOverride, nameof(r.ActivationsOverride));
            CheckOverride(r.ExactWeightBytes, nameof(r.ExactWeightBytes));

            EngineProfile profile = r.Profile ?? EngineProfile.Default(r.Engine);
            if (!profile.SupportsWeightPrecision(r.WeightPrecision))
            {
                IReadOnlyList<string> supported = profile.SupportedWeightPrecisionNames();
                throw new EstimateInputException(EstimateInputException.UnsupportedWeightPrecision, nameof(r.WeightPrecision),
                    "The " + profile.Engine + " engine does not run weights in " + r.WeightPrecision.Name + ". Supported: " +
                    string.Join(", ", supported) + ".", supported);
            }
            DataType compute = ComputeType(r.WeightPrecision);
            DataType kv = r.KvCachePrecision ?? profile.DefaultKvCachePrecision ?? compute;
            if (!profile.SupportsKvCachePrecision(kv))
            {
                IReadOnlyList<string> supported = profile.SupportedKvCachePrecisionNames();
                throw new EstimateInputException(EstimateInputException.UnsupportedKvCachePrecision, nameof(r.KvCachePrecision),
                    "The " + profile.Engine + " engine does not store the KV cache in " + kv.Name + ". Supported: " +
                    string.Join(", ", supported) + ".", supported);
            }
            return new Plan(r.Model, ModelFacts.Of(r.Model), profile, r, compute, kv);
        }

        private static void CheckOverride(ByteSize? value, string name)
        {
            if (value is ByteSize v && v.Bytes < 0)
                throw new EstimateInputException(EstimateInputException.InvalidOverride, name, name + " must not be negative; got " + v + ".");
        }

        // ------------------------------------------------------------------------------------------------------------
        // The four terms, per GPU. One formula each.

        internal static Terms Compute(in Plan p, int batch, long context, int gpus) =>
            new Terms(WeightsPerGpu(p, gpus), KvCachePerGpu(p, batch, context, gpus),
                      ActivationsPerGpu(p, batch, context, gpus), OverheadPerGpu(p, gpus));

        /// <summary>
        /// Weights: exact bytes when the weight files gave them; else total parameters (MoE: every expert) × bits / 8, with
        /// embeddings, lm_head, norms and routers at 16 bit when the linear layers are quantized below 16 bit (and not
        /// GGUF, whose types cover every tensor). Tensor parallel splits everything but the norms; a layer split divides evenly.
        /// </summary>
        internal static long WeightsPerGpu(in Plan p, int gpus)
        {
            if (gpus <= 1) return p.WeightBytes;
            if (p.Profile.MultiGpuSplit == MultiGpuSplit.Layers) return ModelFacts.CeilDiv(p.WeightBytes, gpus);
            return ModelFacts.CeilDiv(p.WeightBytes - p.ReplicatedWeightBytes, gpus) + p.ReplicatedWeightBytes;
        }

        /// <summary>
        /// KV cache (DESIGN.md §7): per sequence Σ_layers tokens_held(layer) · values per token per layer · bytes per value.
        /// Full-attention layers hold the context, sliding-window layers min(window, context); paged engines round a
        /// sequence's tokens up to whole blocks, llama.cpp pads its single cache; quantized KV types count their scales
        /// (q8_0 8.5 bits, q4_0 4.5). Values per layer: 2·n_kv·d_h (MLA latent r_kv + d_rope, no factor 2).
        /// </summary>
        internal static long KvCachePerGpu(in Plan p, int batch, long context, int gpus)
        {
            EngineProfile profile = p.Profile;
            ModelFacts f = p.Facts;
            long block = Math.Max(1, profile.KvBlockTokens);
            long windowed = f.Window > 0 ? Math.Min(f.Window, context) : context;
            double full, sliding, sequences;
            switch (profile.KvAllocation)
            {
                case KvAllocation.PagedBlocks:
                    full = RoundUp(context, block); sliding = RoundUp(windowed, block); sequences = batch;
                    break;
                case KvAllocation.PaddedContext:
                    full = RoundUp((double)batch * context, block); sliding = RoundUp((double)batch * windowed, block); sequences = 1;
                    break;
                default:
                    full = context; sliding = windowed; sequences = batch;
                    break;
            }
            double values = f.KvValuesPerLayer(profile.MlaCacheLayout, profile.MultiGpuSplit, gpus);
            double bytes = sequences * (f.FullLayers * full + f.SlidingLayers * sliding) * values * p.KvBytesPerValue;
            if (profile.MultiGpuSplit == MultiGpuSplit.Layers && gpus > 1) bytes /= gpus;
            return ToBytes(bytes);
        }

        /// <summary>KV bytes per token on one GPU when every layer holds the token (no window, no rounding).</summary>
        internal static double KvBytesPerTokenPerGpu(in Plan p, int gpus)
        {
            EngineProfile profile = p.Profile;
            double bytes = (double)p.Facts.Layers * p.Facts.KvValuesPerLayer(profile.MlaCacheLayout, profile.MultiGpuSplit, gpus) * p.KvBytesPerValue;
            return profile.MultiGpuSplit == MultiGpuSplit.Layers && gpus > 1 ? bytes / gpus : bytes;
        }

        /// <summary>
        /// Activation peak of one forward pass: the largest of three phases, each with T tokens in flight (the prompt
        /// batch b·s, capped at the engine's chunk; vLLM: its start-up profiling batch) and a activation bytes:
        /// attention T·(d + q + k + v)·a plus, without flash attention, T·heads·keys score elements and a mask;
        /// MLP T·(2d + inner)·a (residual, input, intermediates); logits rows·V·(a + sampler bytes) + T·d·a, rows = one per
        /// sequence, or T where the engine keeps every prompt position. Tensor parallel splits heads and MLP columns;
        /// logits are gathered whole on each GPU.
        /// </summary>
        internal static long ActivationsPerGpu(in Plan p, int batch, long context, int gpus)
        {
            if (p.ActivationsOverride >= 0) return p.ActivationsOverride;
            EngineProfile profile = p.Profile;
            ModelFacts f = p.Facts;
            double a = p.ActivationBytes;
            double shards = profile.MultiGpuSplit == MultiGpuSplit.TensorParallel ? gpus : 1;

            double tokens, rows, keys;
            if (profile.ActivationsFromStartupProfile)
            {
                tokens = profile.PrefillChunkTokens ?? (double)batch * context;
                rows = Math.Min(profile.MaxNumSequences ?? batch, tokens);
                keys = Math.Min(tokens, context);
            }
            else
            {
                double prompt = (double)batch * context;
                tokens = profile.PrefillChunkTokens is int chunk ? Math.Min(chunk, prompt) : prompt;
                rows = profile.LogitsForAllPromptPositions ? tokens : batch;
                // llama.cpp attends over its whole (padded) cache; per-sequence engines over the sequence's context.
                keys = profile.KvAllocation == KvAllocation.PaddedContext
                    ? RoundUp(prompt, Math.Max(1, profile.KvBlockTokens))
                    : context;
            }

            double d = f.Hidden;
            double attention = tokens * (d + f.AttentionWidth / shards) * a + tokens * keys * profile.AttentionMaskBytes;
            if (!profile.FlashAttention)
                attention += tokens * Math.Ceiling(f.Heads / shards) * keys * (profile.AttentionScoreBytes ?? a + 4);
            double mlp = tokens * (2 * d + f.MlpInnerWidth / shards) * a;
            double logits = rows * f.Vocab * (a + profile.SamplerBytesPerLogit) + tokens * d * a;
            return ToBytes(Math.Max(attention, Math.Max(mlp, logits)));
        }

        /// <summary>Per GPU: the engine's fixed term, plus collective buffers when the model spans GPUs; or the override.</summary>
        internal static long OverheadPerGpu(in Plan p, int gpus)
        {
            if (p.OverheadOverride >= 0) return p.OverheadOverride;
            return p.Profile.FixedOverhead.Bytes + (gpus > 1 ? p.Profile.MultiGpuOverhead.Bytes : 0);
        }

        // ------------------------------------------------------------------------------------------------------------

        private static IReadOnlyList<string> Warnings(in Plan p, long context, int gpus)
        {
            List<string>? warnings = null;
            ModelFacts f = p.Facts;
            if (f.MaxContext > 0 && context > f.MaxContext)
                Add(ref warnings, Invariant("Context length {0} exceeds the model's maximum of {1} tokens; estimated as asked, not clamped.",
                    context, f.MaxContext));
            if (!IsValidGpuCount(f, p.Profile, gpus, out string? reason))
                Add(ref warnings, "Splitting over " + gpus.ToString(CultureInfo.InvariantCulture) + " GPUs is not possible: " + reason + ".");
            if (gpus > 1 && p.Profile.MultiGpuSplit == MultiGpuSplit.TensorParallel)
            {
                if (f.Mla && p.Profile.MlaCacheLayout == MlaCacheLayout.Latent)
                    Add(ref warnings, Invariant("The MLA latent has no head axis: each of the {0} GPUs keeps the whole KV cache.", gpus));
                else if (!f.Mla && f.KvHeads < gpus)
                    Add(ref warnings, Invariant("{0} KV heads over {1} GPUs: each GPU keeps a replica of one KV head.", f.KvHeads, gpus));
            }
            if (p.Profile.ExperimentalWeightFamily != null && p.Weight.Family == p.Profile.ExperimentalWeightFamily)
                Add(ref warnings, "The " + p.Profile.Engine + " engine loads " + p.Weight.Family + " weights experimentally.");
            return (IReadOnlyList<string>?)warnings ?? Array.Empty<string>();
        }

        private static void Add(ref List<string>? list, string text) => (list ??= new List<string>()).Add(text);

        private static double RoundUp(double value, long block) => block <= 1 ? value : Math.Ceiling(value / block) * block;

        internal static long ToBytes(double bytes) => bytes >= MaxBytes ? (long)MaxBytes : (long)Math.Ceiling(bytes);

        private static string Invariant(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
    }

    /// <summary>A request resolved against its model and profile: everything that does not vary in a solver search.</summary>
    internal readonly struct Plan
    {
        public Plan(ModelSpec model, ModelFacts facts, EngineProfile profile, InferenceRequest r, DataType compute, DataType kv)
        {
            Model = model; Facts = facts; Profile = profile; Weight = r.WeightPrecision; KvCache = kv;
            KvBytesPerValue = kv.BitsPerValue / 8.0;
            ActivationBytes = profile.ActivationBytes ?? (int)(compute.BitsPerValue / 8);
            OverheadOverride = r.OverheadOverride?.Bytes ?? -1;
            ActivationsOverride = r.ActivationsOverride?.Bytes ?? -1;
            Utilization = r.GpuMemoryUtilization ?? profile.GpuMemoryUtilization;
            KeepEmbeddingsIn16Bit = r.KeepEmbeddingsIn16Bit;

            double bits = r.WeightPrecision.BitsPerValue;
            bool mixed = r.KeepEmbeddingsIn16Bit && bits < 16 && r.WeightPrecision.Family != "GGUF";
            double normBytes = mixed ? 2 : bits / 8;
            ReplicatedWeightBytes = InferenceEstimator.ToBytes(facts.NormParameters * normBytes);
            if (r.ExactWeightBytes is ByteSize exact)
                WeightBytes = exact.Bytes;
            else if (mixed)
                WeightBytes = InferenceEstimator.ToBytes((facts.Parameters - facts.SixteenBitParameters) * bits / 8 + facts.SixteenBitParameters * 2.0);
            else
                WeightBytes = InferenceEstimator.ToBytes(facts.Parameters * bits / 8);
            ReplicatedWeightBytes = Math.Min(ReplicatedWeightBytes, WeightBytes);
        }

        private Plan(in Plan other, EngineProfile profile)
        {
            this = other;
            Profile = profile;
        }

        /// <summary>The same plan under another profile that shares its activation bytes and utilization (vLLM's
        /// per-GPU batch defaults).</summary>
        public Plan WithProfile(EngineProfile profile) => new Plan(this, profile);

        public readonly ModelSpec Model;
        public readonly ModelFacts Facts;
        public readonly EngineProfile Profile;
        public readonly DataType Weight;
        public readonly DataType KvCache;
        public readonly double KvBytesPerValue;
        public readonly int ActivationBytes;
        /// <summary>Per GPU; −1 when not overridden.</summary>
        public readonly long OverheadOverride;
        public readonly long ActivationsOverride;
        public readonly double? Utilization;
        public readonly bool KeepEmbeddingsIn16Bit;
        /// <summary>Whole model.</summary>
        public readonly long WeightBytes;
        /// <summary>Norm weights, present on every tensor-parallel rank.</summary>
        public readonly long ReplicatedWeightBytes;
    }

    /// <summary>The four terms on one GPU.</summary>
    internal readonly struct Terms
    {
        public Terms(long weights, long kvCache, long activations, long overhead)
        {
            Weights = weights; KvCache = kvCache; Activations = activations; Overhead = overhead;
        }
        public readonly long Weights;
        public readonly long KvCache;
        public readonly long Activations;
        public readonly long Overhead;
        public long PerGpu => Weights + KvCache + Activations + Overhead;
    }
}
