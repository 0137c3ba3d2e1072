using System.Collections.Generic;
using System.Globalization;

namespace LlmSize.Core.Parameters
{
    /// <summary>
    /// Parameters of one model by tensor class, as Hugging Face's <c>num_parameters()</c> counts them (each tensor
    /// once: a tied lm_head adds nothing). <see cref="Total"/> sizes memory; <see cref="Active"/> (per token) sizes
    /// compute for mixture-of-experts models.
    /// </summary>
    public sealed class ParameterBreakdown
    {
        /// <summary>Token embeddings (+ token-type embeddings, + OPT project_in/project_out).</summary>
        public long Embeddings { get; set; }
        /// <summary>Learned absolute position embeddings (GPT-2, OPT, BERT); 0 for rotary/ALiBi models.</summary>
        public long PositionEmbeddings { get; set; }
        /// <summary>q/k/v/o projections (or MLA's low-rank projections), their biases and q/k norms, all layers.</summary>
        public long Attention { get; set; }
        /// <summary>Dense MLPs (all layers of a dense model, the dense layers of an MoE model).</summary>
        public long Mlp { get; set; }
        /// <summary>Routed experts of every MoE layer (all of them, not only the top-k).</summary>
        public long RoutedExperts { get; set; }
        /// <summary>Shared (always-on) experts, with Qwen2-MoE's shared-expert gate.</summary>
        public long SharedExperts { get; set; }
        /// <summary>Routers (gates) of the MoE layers, with DeepSeek-V3's correction bias.</summary>
        public long Router { get; set; }
        /// <summary>All norms: per block, final, after the embeddings.</summary>
        public long Norms { get; set; }
        /// <summary>Output projection when it is not tied to the embeddings (and its bias, if any).</summary>
        public long LmHead { get; set; }
        /// <summary>BERT's pooler; 0 for decoders.</summary>
        public long Pooler { get; set; }
        public long Total { get; set; }
        /// <summary>Used per token: everything except the routed experts a token is not sent to. Equals Total for dense models.</summary>
        public long Active { get; set; }
        /// <summary>Total without token and position embeddings (Kaplan et al. 2020 count N this way).</summary>
        public long NonEmbedding => Total - Embeddings - PositionEmbeddings;
        /// <summary>One entry per block, in order.</summary>
        public IReadOnlyList<LayerParameters> Layers { get; set; } = new LayerParameters[0];

        public override string ToString() =>
            Total == Active
                ? Total.ToString("N0", CultureInfo.InvariantCulture)
                : Total.ToString("N0", CultureInfo.InvariantCulture) + " (active " + Active.ToString("N0", CultureInfo.InvariantCulture) + ")";
    }

    /// <summary>Parameters of one transformer block.</summary>
    public sealed class LayerParameters
    {
        public int Index { get; set; }
        public bool IsMoe { get; set; }
        public long Attention { get; set; }
        public long Mlp { get; set; }
        public long RoutedExperts { get; set; }
        public long SharedExperts { get; set; }
        public long Router { get; set; }
        public long Norms { get; set; }
        public long Total => Attention + Mlp + RoutedExperts + SharedExperts + Router + Norms;
        /// <summary>Per token: routed experts scaled to top-k of E.</summary>
        public long Active { get; set; }
    }
}
