using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using LlmSize.Core.Models;
using LlmSize.Core.Parameters;

namespace LlmSize.Core.Inference
{
    /// <summary>
    /// What inference estimates need from a model, derived once per <see cref="ModelSpec"/> and cached (estimates run in
    /// sweeps of 100k calls). A spec is treated as immutable once estimated: change a copy, not the original.
    /// </summary>
    internal sealed class ModelFacts
    {
        private static readonly ConditionalWeakTable<ModelSpec, ModelFacts> s_cache = new ConditionalWeakTable<ModelSpec, ModelFacts>();
        private static readonly ConditionalWeakTable<ModelSpec, ModelFacts>.CreateValueCallback s_build = m => new ModelFacts(m);

        internal static ModelFacts Of(ModelSpec model) => s_cache.GetValue(model, s_build);

        /// <summary>Total parameters (the published count when the spec has one): memory counts every expert.</summary>
        public readonly long Parameters;
        /// <summary>Embeddings, positions, lm_head, norms, routers and pooler: kept at 16 bit by quantized checkpoints.</summary>
        public readonly long SixteenBitParameters;
        /// <summary>Norm weights, replicated on every tensor-parallel rank.</summary>
        public readonly long NormParameters;

        public readonly int Layers;
        public readonly int Hidden;
        public readonly int Heads;
        public readonly int KvHeads;
        public readonly int HeadDim;
        public readonly long Vocab;
        public readonly int MaxContext;
        /// <summary>q, k and v values per token across all heads (MLA: decompressed q, k, v).</summary>
        public readonly long AttentionWidth;
        /// <summary>MLP intermediate values per token live at the MLP's peak: gated 3·i (gate/activation, up, product),
        /// plain 2·i; MoE layers k·(3·i_expert + d) (per-route intermediates and outputs, vLLM fused_moe caches).</summary>
        public readonly long MlpInnerWidth;

        public readonly bool Mla;
        /// <summary>kv_lora_rank + qk_rope_head_dim.</summary>
        public readonly long MlaLatentWidth;
        /// <summary>Per-head dimension of decompressed K plus V: qk_nope + qk_rope + v_head_dim.</summary>
        public readonly long MlaDecompressedHeadWidth;

        /// <summary>Layers attending over every token, and layers holding only <see cref="Window"/> tokens.</summary>
        public readonly int FullLayers;
        public readonly int SlidingLayers;
        public readonly long Window;


        private ModelFacts(ModelSpec model)
        {
            ModelArchitecture a = model.Architecture;
            if (a.NumLayers < 1 || a.HiddenSize < 1 || a.NumAttentionHeads < 1)
                throw new EstimateInputException(EstimateInputException.InvalidModel, "Model",
                    "Model '" + model.Id + "' lacks layers, hidden size or attention heads; an inference estimate needs all three.");

            ParameterBreakdown count = ParameterCounter.Count(a);
            Parameters = model.Parameters > 0 ? model.Parameters : count.Total;
            SixteenBitParameters = Math.Min(Parameters,
                count.Embeddings + count.PositionEmbeddings + count.LmHead + count.Norms + count.Router + count.Pooler);
            NormParameters = count.Norms;

            Layers = a.NumLayers;
            Hidden = a.HiddenSize;
            Heads = a.NumAttentionHeads;
            KvHeads = a.NumKeyValueHeads > 0 ? a.NumKeyValueHeads : a.NumAttentionHeads;
            HeadDim = a.HeadDim > 0 ? a.HeadDim : a.HiddenSize / a.NumAttentionHeads;
            Vocab = a.VocabSize;
            MaxContext = a.MaxPositionEmbeddings;

            Mla = a.IsMla;
            if (Mla)
            {
                MlaLatentWidth = (long)a.KvLoraRank + a.QkRopeHeadDim;
                MlaDecompressedHeadWidth = (long)a.QkNopeHeadDim + a.QkRopeHeadDim + a.VHeadDim;
                AttentionWidth = (long)Heads * (a.QkNopeHeadDim + a.QkRopeHeadDim) + Heads * MlaDecompressedHeadWidth;
            }
            else
            {
                AttentionWidth = (long)Heads * HeadDim + 2L * KvHeads * HeadDim;
            }

            int multiplier = a.GatedMlp ? 3 : 2;
            int moeLayers = 0;
            for (int i = 0; i < a.NumLayers; i++) if (a.IsMoeLayer(i)) moeLayers++;
            long dense = moeLayers < a.NumLayers ? (long)multiplier * a.IntermediateSize : 0;
            long moe = moeLayers > 0
                ? Math.Max(1, a.NumExpertsPerToken) * ((long)multiplier * a.MoeIntermediateSize + a.HiddenSize)
                : 0;
            MlpInnerWidth = Math.Max(dense, moe);

            // Sliding windows (ModelArchitecture.SlidingWindow): every layer when LayerTypes is null, else the Sliding ones.
            Window = a.SlidingWindow is int w && w > 0 ? w : 0;
            if (Window > 0)
            {
                if (a.LayerTypes == null) SlidingLayers = Layers;
                else foreach (AttentionLayerKind kind in a.LayerTypes) if (kind == AttentionLayerKind.Sliding) SlidingLayers++;
            }
            FullLayers = Layers - SlidingLayers;

            string sliding = SlidingLayers == 0 ? ""
                : SlidingLayers == Layers ? "; sliding window " + Num(Window) + " on all " + Num(Layers) + " layers"
                : "; sliding window " + Num(Window) + " on " + Num(SlidingLayers) + " of " + Num(Layers) + " layers";
            if (!Mla)
            {
                string standard = (KvHeads == 1 ? "MQA 1 KV head × " + Num(HeadDim)
                    : (KvHeads == Heads ? "MHA " : "GQA ") + Num(KvHeads) + " KV heads × " + Num(HeadDim)) + sliding;
                for (int i = 0; i < _layouts.Length; i++) _layouts[i] = standard;
            }
            else
            {
                string latent = "MLA latent " + Num(a.KvLoraRank) + "+" + Num(a.QkRopeHeadDim);
                string decompressed = "MLA decompressed K/V " + Num(Heads) + " heads × (" + Num(a.QkNopeHeadDim) + "+" +
                                      Num(a.QkRopeHeadDim) + " K, " + Num(a.VHeadDim) + " V)";
                foreach (InferenceEngine engine in Engines)
                {
                    string owner = engine == InferenceEngine.Vllm ? " (vLLM layout)"
                        : engine == InferenceEngine.LlamaCpp ? " (llama.cpp layout)"
                        : engine == InferenceEngine.Transformers ? " (transformers layout)" : "";
                    _layouts[Slot(MlaCacheLayout.Latent, engine)] = latent + owner + sliding;
                    _layouts[Slot(MlaCacheLayout.Decompressed, engine)] = decompressed + owner + sliding;
                }
            }
        }

        private static readonly InferenceEngine[] Engines =
            { InferenceEngine.Generic, InferenceEngine.Transformers, InferenceEngine.Vllm, InferenceEngine.LlamaCpp };

        /// <summary>Layout descriptions per (MLA layout, engine), built once: no string work per estimate.</summary>
        private readonly string[] _layouts = new string[2 * 4];

        private static int Slot(MlaCacheLayout layout, InferenceEngine engine) => (int)layout * 4 + (int)engine;

        /// <summary>KV values per token per layer on one GPU.</summary>
        public long KvValuesPerLayer(MlaCacheLayout layout, MultiGpuSplit split, int gpus)
        {
            bool byHeads = split == MultiGpuSplit.TensorParallel && gpus > 1;
            if (Mla)
            {
                // The latent has no head axis: every tensor-parallel rank keeps all of it.
                if (layout == MlaCacheLayout.Latent) return MlaLatentWidth;
                return (byHeads ? CeilDiv(Heads, gpus) : Heads) * MlaDecompressedHeadWidth;
            }
            // K and V (factor 2); with fewer KV heads than GPUs each GPU keeps one replica (ceil).
            return 2L * (byHeads ? CeilDiv(KvHeads, gpus) : KvHeads) * HeadDim;
        }

        /// <summary>"GQA 8 KV heads × 128", "MLA latent 512+64 (vLLM layout)", with the sliding-window share.</summary>
        public string Layout(MlaCacheLayout layout, InferenceEngine engine) => _layouts[Slot(layout, engine)];

        internal static long CeilDiv(long a, long b) => (a + b - 1) / b;

        private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
    }
}
