using System;
using System.Collections.Generic;

namespace LlmSize.Core.Models
{
    /// <summary>Normalization layer kind of a transformer block.</summary>
    public enum NormKind { RmsNorm, LayerNorm, LayerNormNoBias }

    /// <summary>Whether a layer's attention sees every earlier token or only a sliding window.</summary>
    public enum AttentionLayerKind { Full, Sliding }

    /// <summary>
    /// The architecture fields of a decoder-only (or encoder) transformer, normalized from a Hugging Face
    /// <c>config.json</c> (field names differ per family: n_embd / d_model / hidden_size ...). Every size formula reads
    /// this type, so one model description serves parameter counting, inference and training estimates.
    /// Null means "the config does not say"; estimators then use the family's documented default.
    /// </summary>
    public sealed class ModelArchitecture
    {
        /// <summary>Hugging Face <c>model_type</c> (llama, qwen2, gemma2, deepseek_v3 ...).</summary>
        public string ModelType { get; set; } = "";
        public int HiddenSize { get; set; }
        public int NumLayers { get; set; }
        public int NumAttentionHeads { get; set; }
        /// <summary>Key/value heads (GQA/MQA). Equals NumAttentionHeads for MHA.</summary>
        public int NumKeyValueHeads { get; set; }
        /// <summary>Per-head dimension from the config when given (Gemma, Qwen3), else hidden / heads.</summary>
        public int HeadDim { get; set; }
        /// <summary>Dense MLP inner size (ffn_dim / n_inner / intermediate_size).</summary>
        public int IntermediateSize { get; set; }
        public long VocabSize { get; set; }
        public int MaxPositionEmbeddings { get; set; }
        public bool TieWordEmbeddings { get; set; }
        /// <summary>Gated MLP (SwiGLU / GeGLU: gate, up, down) vs plain two-matrix MLP.</summary>
        public bool GatedMlp { get; set; }
        public string? HiddenAct { get; set; }
        public NormKind Norm { get; set; } = NormKind.RmsNorm;

        /// <summary>Bias on q/k/v projections.</summary>
        public bool QkvBias { get; set; }
        /// <summary>Bias on the attention output projection.</summary>
        public bool AttentionOutputBias { get; set; }
        /// <summary>Bias on MLP projections.</summary>
        public bool MlpBias { get; set; }
        /// <summary>Per-head RMSNorm on q and k (Qwen3, OLMo 2, Gemma 3).</summary>
        public bool QkNorm { get; set; }
        /// <summary>Learned absolute position embeddings (GPT-2, OPT, BERT), in rows; 0 for rotary/ALiBi.</summary>
        public int LearnedPositionEmbeddings { get; set; }

        // Sliding-window attention (Mistral v0.1, Gemma 2/3, Qwen2 with use_sliding_window, layer_types).
        public int? SlidingWindow { get; set; }
        /// <summary>Kind of each layer's attention, length NumLayers, when the model mixes full and sliding layers.</summary>
        public IReadOnlyList<AttentionLayerKind>? LayerTypes { get; set; }

        // Mixture of experts.
        public int NumExperts { get; set; }
        public int NumExpertsPerToken { get; set; }
        public int MoeIntermediateSize { get; set; }
        public int NumSharedExperts { get; set; }
        public int SharedExpertIntermediateSize { get; set; }
        /// <summary>Leading dense layers before MoE layers start (DeepSeek first_k_dense_replace).</summary>
        public int FirstDenseLayers { get; set; }
        /// <summary>Every n-th layer is MoE (decoder_sparse_step / moe_layer_freq); 1 = all.</summary>
        public int MoeLayerFrequency { get; set; } = 1;

        // Multi-head latent attention (DeepSeek V2/V3).
        public int? QLoraRank { get; set; }
        public int KvLoraRank { get; set; }
        public int QkNopeHeadDim { get; set; }
        public int QkRopeHeadDim { get; set; }
        public int VHeadDim { get; set; }

        public double PartialRotaryFactor { get; set; } = 1.0;

        /// <summary>Fields the reader saw but did not use, kept for diagnostics.</summary>
        public IDictionary<string, string> Extra { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        public bool IsMoe => NumExperts > 0;
        public bool IsMla => KvLoraRank > 0;
    }
}
