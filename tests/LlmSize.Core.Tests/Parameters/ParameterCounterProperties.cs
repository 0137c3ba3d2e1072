using FsCheck.Xunit;
using LlmSize.Core.Models;
using LlmSize.Core.Parameters;

namespace LlmSize.Core.Tests.Parameters
{
    /// <summary>Laws the counter must obey for any architecture, checked over generated shapes.</summary>
    public class ParameterCounterProperties
    {
        // Small generated sizes mapped into valid ranges: heads = kvHeads · group, every field ≥ 1.
        private static ModelArchitecture Decoder(byte layers, byte kvHeads, byte group, byte headDim, byte inner, ushort vocab) =>
            new ModelArchitecture
            {
                ModelType = "llama",
                NumLayers = 1 + layers % 8,
                NumKeyValueHeads = 1 + kvHeads % 8,
                NumAttentionHeads = (1 + kvHeads % 8) * (1 + group % 4),
                HeadDim = 8 * (1 + headDim % 16),
                HiddenSize = 8 * (1 + headDim % 16) * (1 + kvHeads % 8) * (1 + group % 4),
                IntermediateSize = 16 * (1 + inner % 64),
                VocabSize = 1 + vocab,
                GatedMlp = true,
            };

        [Property]
        public bool Tying_embeddings_lowers_the_count_by_vocab_times_hidden(byte layers, byte kv, byte group, byte headDim, byte inner, ushort vocab)
        {
            ModelArchitecture untied = Decoder(layers, kv, group, headDim, inner, vocab);
            ModelArchitecture tied = Decoder(layers, kv, group, headDim, inner, vocab);
            tied.TieWordEmbeddings = true;
            return ParameterCounter.Count(untied).Total - ParameterCounter.Count(tied).Total == untied.VocabSize * untied.HiddenSize;
        }

        [Property]
        public bool Gqa_with_as_many_kv_heads_as_heads_is_mha(byte layers, byte kv, byte group, byte headDim, byte inner, ushort vocab)
        {
            ModelArchitecture gqa = Decoder(layers, kv, group, headDim, inner, vocab);
            gqa.NumKeyValueHeads = gqa.NumAttentionHeads;
            // Multi-head attention: four d×d projections per layer (Vaswani et al. 2017), d = heads · head_dim here.
            long d = gqa.HiddenSize;
            return ParameterCounter.Count(gqa).Attention == gqa.NumLayers * 4L * d * d;
        }

        [Property]
        public bool Fewer_kv_heads_never_add_parameters(byte layers, byte kv, byte group, byte headDim, byte inner, ushort vocab)
        {
            ModelArchitecture gqa = Decoder(layers, kv, group, headDim, inner, vocab);
            ModelArchitecture mha = Decoder(layers, kv, group, headDim, inner, vocab);
            mha.NumKeyValueHeads = mha.NumAttentionHeads;
            return ParameterCounter.Count(gqa).Total <= ParameterCounter.Count(mha).Total;
        }

        [Property]
        public bool Moe_active_never_exceeds_total(byte layers, byte kv, byte group, byte headDim, byte inner, ushort vocab,
            byte experts, byte topK, byte shared, byte firstDense)
        {
            ModelArchitecture a = Decoder(layers, kv, group, headDim, inner, vocab);
            a.NumExperts = 1 + experts % 64;
            a.NumExpertsPerToken = 1 + topK % a.NumExperts;
            a.MoeIntermediateSize = 8 * (1 + inner % 32);
            a.SharedExpertIntermediateSize = (shared % 3) * a.MoeIntermediateSize;
            a.NumSharedExperts = shared % 3;
            a.FirstDenseLayers = firstDense % 3;
            ParameterBreakdown count = ParameterCounter.Count(a);
            bool allActive = a.NumExpertsPerToken == a.NumExperts || count.RoutedExperts == 0;
            return count.Active <= count.Total && (count.Active == count.Total) == allActive;
        }

        [Property]
        public bool Total_is_the_sum_of_its_parts(byte layers, byte kv, byte group, byte headDim, byte inner, ushort vocab, bool tied)
        {
            ModelArchitecture a = Decoder(layers, kv, group, headDim, inner, vocab);
            a.TieWordEmbeddings = tied;
            ParameterBreakdown c = ParameterCounter.Count(a);
            long layerSum = 0;
            foreach (LayerParameters layer in c.Layers) layerSum += layer.Total;
            return c.Total == c.Embeddings + c.PositionEmbeddings + c.Attention + c.Mlp + c.RoutedExperts + c.SharedExperts
                              + c.Router + c.Norms + c.LmHead + c.Pooler
                   && layerSum == c.Attention + c.Mlp + c.RoutedExperts + c.SharedExperts + c.Router + c.Norms - a.HiddenSize;
        }
    }
}
