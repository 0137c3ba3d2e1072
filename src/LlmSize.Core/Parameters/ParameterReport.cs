using System;
using LlmSize.Core.Models;

namespace LlmSize.Core.Parameters
{
    /// <summary>
    /// What Get-LlmParameterCount emits: the exact breakdown from the architecture, the published or file-derived
    /// count beside it, and the seed's quick estimate 12·L·d² + V·d (Kaplan et al. 2020) with its error.
    /// </summary>
    public sealed class ParameterReport
    {
        public string ModelId { get; private set; } = "";
        public string ModelType { get; private set; } = "";
        /// <summary>Exact count from the architecture (Hugging Face num_parameters() rules).</summary>
        public long Total { get; private set; }
        /// <summary>Parameters used per token (MoE: top-k routed experts + shared + everything else).</summary>
        public long Active { get; private set; }
        public long Embeddings { get; private set; }
        public long PositionEmbeddings { get; private set; }
        public long Attention { get; private set; }
        public long Mlp { get; private set; }
        public long RoutedExperts { get; private set; }
        public long SharedExperts { get; private set; }
        public long Router { get; private set; }
        public long Norms { get; private set; }
        public long LmHead { get; private set; }
        public long Pooler { get; private set; }
        public long NonEmbedding { get; private set; }
        /// <summary>The count the catalog publishes or the weight file holds; null when only the architecture is known.</summary>
        public long? Stated { get; private set; }
        /// <summary>Where <see cref="Stated"/> comes from.</summary>
        public string? StatedSource { get; private set; }
        /// <summary>12·L·d² + V·d, null when L, d or V is unknown.</summary>
        public long? QuickEstimate { get; private set; }
        /// <summary>(QuickEstimate − Total) / Total.</summary>
        public double? QuickEstimateError { get; private set; }
        public int Layers { get; private set; }
        public int HiddenSize { get; private set; }
        public long VocabSize { get; private set; }
        public ParameterBreakdown Breakdown { get; private set; } = new ParameterBreakdown();

        public static ParameterReport For(ModelSpec model)
        {
            var b = ParameterCounter.Count(model.Architecture);
            var r = FromBreakdown(model.Id, model.Architecture, b);
            if (model.ParametersSource != null && model.ParametersSource != "architecture")
            {
                r.Stated = model.Parameters;
                r.StatedSource = model.ParametersSource;
            }
            return r;
        }

        /// <summary>The seed's quick estimate alone, from -Layers -HiddenSize -VocabularySize.</summary>
        public static ParameterReport Quick(int layers, int hiddenSize, long vocab)
        {
            if (layers <= 0 || hiddenSize <= 0 || vocab < 0) throw new ArgumentOutOfRangeException(nameof(layers), "Layers and hidden size must be positive and the vocabulary non-negative.");
            return new ParameterReport
            {
                ModelId = "quick-estimate",
                Layers = layers, HiddenSize = hiddenSize, VocabSize = vocab,
                QuickEstimate = ParameterCounter.QuickEstimate(layers, hiddenSize, vocab),
            };
        }

        private static ParameterReport FromBreakdown(string id, ModelArchitecture a, ParameterBreakdown b)
        {
            long? quick = a.NumLayers > 0 && a.HiddenSize > 0 && a.VocabSize > 0 ? ParameterCounter.QuickEstimate(a.NumLayers, a.HiddenSize, a.VocabSize) : (long?)null;
            return new ParameterReport
            {
                ModelId = id, ModelType = a.ModelType, Breakdown = b,
                Total = b.Total, Active = b.Active, Embeddings = b.Embeddings, PositionEmbeddings = b.PositionEmbeddings,
                Attention = b.Attention, Mlp = b.Mlp, RoutedExperts = b.RoutedExperts, SharedExperts = b.SharedExperts,
                Router = b.Router, Norms = b.Norms, LmHead = b.LmHead, Pooler = b.Pooler, NonEmbedding = b.NonEmbedding,
                Layers = a.NumLayers, HiddenSize = a.HiddenSize, VocabSize = a.VocabSize,
                QuickEstimate = quick,
                QuickEstimateError = quick.HasValue && b.Total > 0 ? (quick.Value - b.Total) / (double)b.Total : (double?)null,
            };
        }
    }
}
