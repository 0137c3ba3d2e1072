using System;
using System.Collections.Generic;
using LlmSize.Core.Models;

namespace LlmSize.Core.Parameters
{
    /// <summary>
    /// Counts parameters from architecture fields, reproducing Hugging Face <c>model.num_parameters()</c> exactly.
    /// Family differences are carried by <see cref="ModelArchitecture"/> fields (set by the config reader from each
    /// family's transformers modeling file), so the rules here are the same for every family:
    /// d = hidden size, V = vocabulary, L = layers, n_h/n_kv = query/key-value heads, d_h = head size, i = MLP size.
    /// </summary>
    public static class ParameterCounter
    {
        /// <summary>
        /// Kaplan et al. 2020 ("Scaling Laws for Neural Language Models", §2.1): 12·L·d² for the blocks (4d² attention,
        /// 8d² for a 4d MLP) plus V·d embeddings. GPT-3 (L=96, d=12288, V=50257) → 174,563,733,504.
        /// </summary>
        public static long QuickEstimate(int layers, long hiddenSize, long vocab)
        {
            if (layers < 0) throw new ArgumentOutOfRangeException(nameof(layers), layers, "must be ≥ 0");
            if (hiddenSize < 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, "must be ≥ 0");
            if (vocab < 0) throw new ArgumentOutOfRangeException(nameof(vocab), vocab, "must be ≥ 0");
            return checked(12L * layers * hiddenSize * hiddenSize + vocab * hiddenSize);
        }

        /// <summary>Exact parameter count of <paramref name="a"/> by tensor class, with per-token active count.</summary>
        public static ParameterBreakdown Count(ModelArchitecture a)
        {
            if (a == null) throw new ArgumentNullException(nameof(a));
            checked
            {
                long d = a.HiddenSize;
                long vocab = a.VocabSize;
                long embeddingDim = a.EmbeddingDim > 0 ? a.EmbeddingDim : d;

                var result = new ParameterBreakdown();

                // Token embeddings V·e. OPT with word_embed_proj_dim e ≠ d adds project_in e·d and project_out d·e,
                // both without bias (modeling_opt.py). BERT adds token_type_embeddings (modeling_bert.py).
                result.Embeddings = vocab * embeddingDim
                                    + (embeddingDim != d ? 2 * embeddingDim * d : 0)
                                    + (long)a.TypeVocabSize * d;
                // Learned positions: GPT-2 wpe n_positions·d, OPT (max_pos + 2)·d, BERT max_pos·d.
                result.PositionEmbeddings = (long)a.LearnedPositionEmbeddings * d;

                var layers = new List<LayerParameters>(a.NumLayers);
                for (int i = 0; i < a.NumLayers; i++)
                {
                    LayerParameters layer = CountLayer(a, i);
                    layers.Add(layer);
                    result.Attention += layer.Attention;
                    result.Mlp += layer.Mlp;
                    result.RoutedExperts += layer.RoutedExperts;
                    result.SharedExperts += layer.SharedExperts;
                    result.Router += layer.Router;
                    result.Norms += layer.Norms;
                }
                result.Layers = layers;

                // Final norm (model.norm / ln_f / final_layer_norm) and an embedding norm (BLOOM, BERT).
                result.Norms += (a.FinalNorm ? NormParameters(a.Norm, d) : 0)
                                + (a.EmbeddingNorm ? NormParameters(a.Norm, d) : 0);

                // Output projection e·V, shared with the embedding when tied (counted once, as num_parameters()
                // deduplicates tied tensors). A bias (Phi lm_head) is its own tensor even when the weight is tied.
                if (a.HasLmHead)
                    result.LmHead = (a.TieWordEmbeddings ? 0 : vocab * embeddingDim) + (a.LmHeadBias ? vocab : 0);

                // BertModel pooler: dense d·d + bias (modeling_bert.py BertPooler).
                result.Pooler = a.Pooler ? d * d + d : 0;

                result.Total = result.Embeddings + result.PositionEmbeddings + result.Attention + result.Mlp
                               + result.RoutedExperts + result.SharedExperts + result.Router + result.Norms
                               + result.LmHead + result.Pooler;
                long inactive = 0;
                foreach (LayerParameters layer in layers) inactive += layer.Total - layer.Active;
                result.Active = result.Total - inactive;
                return result;
            }
        }

        private static LayerParameters CountLayer(ModelArchitecture a, int index)
        {
            checked
            {
                long d = a.HiddenSize;
                var layer = new LayerParameters
                {
                    Index = index,
                    Attention = a.IsMla ? MlaAttention(a) : StandardAttention(a),
                    // Block norms: 2 for pre-norm blocks, 1 for parallel blocks, 4 for Gemma 2/3.
                    Norms = a.NormsPerLayer * NormParameters(a.Norm, d),
                };

                if (a.IsMoeLayer(index))
                {
                    layer.IsMoe = true;
                    long expert = Mlp(d, a.MoeIntermediateSize, gated: a.GatedMlp, bias: false);
                    // Experts: E copies of a gated MLP without bias (modeling_mixtral.py, modeling_qwen2_moe.py,
                    // DeepSeek's modeling_deepseek.py).
                    layer.RoutedExperts = a.NumExperts * expert;
                    // Shared experts are fused into one MLP; Qwen2-MoE gates it with a d→1 linear (no bias).
                    layer.SharedExperts = (a.SharedExpertIntermediateSize > 0
                                              ? Mlp(d, a.SharedExpertIntermediateSize, gated: a.GatedMlp, bias: false)
                                              : 0)
                                          + (a.SharedExpertGate ? d : 0);
                    // Router d→E without bias, plus DeepSeek-V3's per-expert correction bias.
                    layer.Router = a.NumExperts * d + (a.RouterBias ? a.NumExperts : 0);
                    layer.Active = layer.Total - (long)(a.NumExperts - a.NumExpertsPerToken) * expert;
                }
                else
                {
                    layer.Mlp = Mlp(d, a.IntermediateSize, a.GatedMlp, a.MlpBias);
                    layer.Active = layer.Total;
                }
                return layer;
            }
        }

        /// <summary>
        /// q d·(n_h·d_h), k and v d·(n_kv·d_h) each, o (n_h·d_h)·d (modeling_llama.py LlamaAttention and the fused
        /// c_attn/query_key_value/qkv_proj of GPT-2, BLOOM, Falcon, Phi-3, which hold the same numbers).
        /// Biases: q/k/v (Qwen2, GPT-2, BLOOM ...) and o. q/k norms: per head d_h (Qwen3, Gemma 3) or over all
        /// heads n·d_h (OLMo 2, Cohere).
        /// </summary>
        private static long StandardAttention(ModelArchitecture a)
        {
            checked
            {
                long d = a.HiddenSize;
                long q = (long)a.NumAttentionHeads * a.HeadDim;
                long kv = (long)a.NumKeyValueHeads * a.HeadDim;
                long weights = d * q + 2 * d * kv + q * d;
                long biases = (a.QkvBias ? q + 2 * kv : 0) + (a.AttentionOutputBias ? d : 0);
                long norms = 0;
                if (a.QkNorm)
                    norms = a.QkNormAcrossHeads
                        ? NormParameters(a.QkNormKind, q) + NormParameters(a.QkNormKind, kv)
                        : 2 * NormParameters(a.QkNormKind, a.HeadDim);
                return weights + biases + norms;
            }
        }

        /// <summary>
        /// Multi-head latent attention (DeepSeek-V2 paper arXiv 2405.04434 §2.1; modeling_deepseek_v2.py/_v3.py):
        /// without q_lora_rank q_proj d·n_h·(d_nope + d_rope); with it q_a_proj d·r_q, q_a_layernorm r_q,
        /// q_b_proj r_q·n_h·(d_nope + d_rope). kv_a_proj_with_mqa d·(r_kv + d_rope), kv_a_layernorm r_kv,
        /// kv_b_proj r_kv·n_h·(d_nope + d_v), o_proj n_h·d_v·d. attention_bias adds biases to q_a, kv_a and o.
        /// </summary>
        private static long MlaAttention(ModelArchitecture a)
        {
            checked
            {
                long d = a.HiddenSize;
                long heads = a.NumAttentionHeads;
                long qHead = (long)a.QkNopeHeadDim + a.QkRopeHeadDim;
                long kvA = (long)a.KvLoraRank + a.QkRopeHeadDim;

                long query;
                if (a.QLoraRank is int rank && rank > 0)
                    query = d * rank + (a.QkvBias ? rank : 0) + NormParameters(a.Norm, rank) + rank * heads * qHead;
                else
                    query = d * heads * qHead;

                long keyValue = d * kvA + (a.QkvBias ? kvA : 0)
                                + NormParameters(a.Norm, a.KvLoraRank)
                                + (long)a.KvLoraRank * heads * ((long)a.QkNopeHeadDim + a.VHeadDim);
                long output = heads * a.VHeadDim * d + (a.AttentionOutputBias ? d : 0);
                return query + keyValue + output;
            }
        }

        /// <summary>Gated (SwiGLU/GeGLU: gate, up d·i; down i·d) or plain (up d·i, down i·d) MLP, biases i (+i) + d.</summary>
        private static long Mlp(long d, long inner, bool gated, bool bias)
        {
            checked
            {
                return gated
                    ? 3 * d * inner + (bias ? 2 * inner + d : 0)
                    : 2 * d * inner + (bias ? inner + d : 0);
            }
        }

        /// <summary>RMSNorm and weight-only LayerNorm hold w, LayerNorm 2w (weight and bias), OLMo's norm none.</summary>
        private static long NormParameters(NormKind kind, long width)
        {
            switch (kind)
            {
                case NormKind.LayerNorm: return 2 * width;
                case NormKind.NonParametric: return 0;
                default: return width;
            }
        }
    }
}
