using System;
using System.Collections.Generic;
using System.Globalization;
using LlmSize.Core.Models;
using LlmSize.Core.Parameters;

namespace LlmSize.Core.Artifacts
{
    /// <summary>
    /// Explains why the values stored in a weight file differ from the architecture's parameter count. Known causes
    /// (shared/reference/hf-configs/index.json notes): a tied lm_head stored a second time (Falcon), causal-mask and
    /// rotary buffers saved with the weights (GPT-2's attn.bias / masked_bias), FP8 block scales (DeepSeek-V3
    /// weight_scale_inv), multi-token-prediction layers (DeepSeek-V3 layer 61) that transformers does not instantiate.
    /// </summary>
    public static class WeightFileReconciliation
    {
        public static string Explain(ModelArchitecture a, ParameterBreakdown counted, WeightFileInfo file)
        {
            long diff = file.TotalElements - counted.Total;
            if (diff == 0) return "The file holds exactly the architecture's parameters.";
            long explained = 0;
            var parts = new List<string>();
            long scales = 0, buffers = 0, mtp = 0;
            foreach (var t in file.Tensors)
            {
                string n = t.Name;
                if (n.EndsWith("weight_scale_inv", StringComparison.Ordinal) || n.EndsWith(".weight_scale", StringComparison.Ordinal) || n.EndsWith(".input_scale", StringComparison.Ordinal))
                    scales += t.Elements;
                else if (n.EndsWith(".attn.bias", StringComparison.Ordinal) || n.EndsWith(".attn.masked_bias", StringComparison.Ordinal) || n.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal))
                    buffers += t.Elements;
                else if (a.NumLayers > 0 && n.StartsWith("model.layers." + a.NumLayers.ToString(CultureInfo.InvariantCulture) + ".", StringComparison.Ordinal))
                    mtp += t.Elements;
            }
            if (scales > 0) { parts.Add(N(scales) + " quantization scales"); explained += scales; }
            if (buffers > 0) { parts.Add(N(buffers) + " non-parameter buffers (causal mask, rotary frequencies)"); explained += buffers; }
            if (mtp > 0) { parts.Add(N(mtp) + " in layers beyond num_hidden_layers (e.g. a multi-token-prediction module)"); explained += mtp; }
            long tied = a.TieWordEmbeddings ? a.VocabSize * (a.EmbeddingDim > 0 ? a.EmbeddingDim : a.HiddenSize) : 0;
            if (tied > 0 && diff - explained == tied) { parts.Add(N(tied) + " for the tied lm_head stored a second time (V·d)"); explained += tied; }
            string head = (diff > 0 ? "The file holds " + N(diff) + " more values" : "The file holds " + N(-diff) + " fewer values") + " than the architecture count";
            if (parts.Count == 0) return head + "; no known cause matches (quantized or pruned tensors, or a config that does not match the weights).";
            string rest = diff - explained == 0 ? "" : "; " + N(diff - explained) + " remain unexplained";
            return head + ": " + string.Join(", ", parts) + rest + ".";
        }

        private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
    }
}
