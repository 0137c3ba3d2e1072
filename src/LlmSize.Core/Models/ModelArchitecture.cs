using System;
using System.Collections.Generic;

namespace LlmSize.Core.Models
{
    /// <summary>
    /// Normalization layer kind. Parameters per norm of width w: RmsNorm w (weight), LayerNorm 2w (weight + bias),
    /// LayerNormNoBias w (Cohere, OLMo 2-style weight only), NonParametric 0 (OLMo 1: F.layer_norm without affine).
    /// </summary>
    public enum NormKind { RmsNorm, LayerNorm, LayerNormNoBias, NonParametric }

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
        /// <summary>Norm on q and k (Qwen3, Gemma 3: per head; OLMo 2, Cohere: over all heads).</summary>
        public bool QkNorm { get; set; }
        /// <summary>
        /// True when the q/k norm weights cover all heads (OLMo 2: q_norm over n_h·d_h, k_norm over n_kv·d_h;
        /// Cohere: weight shaped (heads, d_h)); false when one d_h-wide norm is shared by all heads (Qwen3, Gemma 3).
        /// </summary>
        public bool QkNormAcrossHeads { get; set; }
        /// <summary>Kind of the q/k norms (RMSNorm for Qwen3/Gemma 3/OLMo 2; LayerNorm for Phi qk_layernorm).</summary>
        public NormKind QkNormKind { get; set; } = NormKind.RmsNorm;

        /// <summary>Hidden-size norms inside each block: 2 (pre-attention, pre-MLP), 1 for parallel blocks
        /// (Falcon-7B, Phi-2, Cohere), 4 for Gemma 2/3 (pre and post around attention and MLP).</summary>
        public int NormsPerLayer { get; set; } = 2;
        /// <summary>Final norm after the last block (absent in BERT, and in OPT with do_layer_norm_before=false).</summary>
        public bool FinalNorm { get; set; } = true;
        /// <summary>Norm right after the embeddings (BLOOM word_embeddings_layernorm, BERT embeddings.LayerNorm).</summary>
        public bool EmbeddingNorm { get; set; }

        /// <summary>Width of the token embedding when it differs from HiddenSize (OPT word_embed_proj_dim, with
        /// project_in/project_out matrices); 0 means HiddenSize.</summary>
        public int EmbeddingDim { get; set; }
        /// <summary>Token-type (segment) embedding rows (BERT type_vocab_size); 0 when absent.</summary>
        public int TypeVocabSize { get; set; }
        /// <summary>Whether the counted model has an output projection (false for an encoder such as BertModel).</summary>
        public bool HasLmHead { get; set; } = true;
        /// <summary>Bias on the output projection (Phi-1/1.5/2 lm_head).</summary>
        public bool LmHeadBias { get; set; }
        /// <summary>BERT pooler: dense d·d + d on the first token.</summary>
        public bool Pooler { get; set; }
        /// <summary>Learned absolute position embeddings (GPT-2, OPT, BERT), in rows; 0 for rotary/ALiBi.</summary>
        public int LearnedPositionEmbeddings { get; set; }

        /// <summary>
        /// Sliding-window size in tokens (Mistral v0.1, Phi-3, Starcoder2, Gemma 2/3, Qwen2 with use_sliding_window).
        /// With <see cref="LayerTypes"/> null every layer uses the window; otherwise only the Sliding layers do.
        /// </summary>
        public int? SlidingWindow { get; set; }
        /// <summary>Kind of each layer's attention, length NumLayers, when the model mixes full and sliding layers
        /// (config layer_types; Gemma 2 even layers; Gemma 3 all but every sliding_window_pattern-th).</summary>
        public IReadOnlyList<AttentionLayerKind>? LayerTypes { get; set; }

        // Mixture of experts.
        public int NumExperts { get; set; }
        public int NumExpertsPerToken { get; set; }
        public int MoeIntermediateSize { get; set; }
        public int NumSharedExperts { get; set; }
        /// <summary>Total inner size of the shared expert MLP (all shared experts fused: DeepSeek
        /// moe_intermediate_size × n_shared_experts; Qwen2-MoE shared_expert_intermediate_size).</summary>
        public int SharedExpertIntermediateSize { get; set; }
        /// <summary>Leading dense layers before MoE layers start (DeepSeek first_k_dense_replace).</summary>
        public int FirstDenseLayers { get; set; }
        /// <summary>Every n-th layer is MoE (decoder_sparse_step / moe_layer_freq); 1 = all.</summary>
        public int MoeLayerFrequency { get; set; } = 1;
        /// <summary>
        /// A layer i is MoE when i % MoeLayerFrequency == MoeLayerPhase. DeepSeek tests layer_idx % freq == 0
        /// (phase 0); Qwen2-MoE/Qwen3-MoE test (layer_idx + 1) % step == 0 (phase step − 1).
        /// </summary>
        public int MoeLayerPhase { get; set; }
        /// <summary>Layers that keep a dense MLP although the model is MoE (Qwen mlp_only_layers).</summary>
        public IReadOnlyList<int> MlpOnlyLayers { get; set; } = Array.Empty<int>();
        /// <summary>Router carries a per-expert bias (DeepSeek-V3 noaux_tc e_score_correction_bias).</summary>
        public bool RouterBias { get; set; }
        /// <summary>A sigmoid gate d·1 in front of the shared expert (Qwen2-MoE shared_expert_gate).</summary>
        public bool SharedExpertGate { get; set; }

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

        /// <summary>Whether block <paramref name="layer"/> (0-based) has a routed-expert MLP.</summary>
        public bool IsMoeLayer(int layer)
        {
            if (NumExperts <= 0 || layer < FirstDenseLayers) return false;
            foreach (int dense in MlpOnlyLayers) if (dense == layer) return false;
            int frequency = MoeLayerFrequency < 1 ? 1 : MoeLayerFrequency;
            return layer % frequency == MoeLayerPhase;
        }
        public bool IsMla => KvLoraRank > 0;
    }
}
