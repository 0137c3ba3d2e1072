using System.Collections.Generic;
using LlmSize.Core.Models;

namespace LlmSize.Core.Training
{
    /// <summary>
    /// One weight matrix d_in × d_out that appears <see cref="Count"/> times in a block (experts: E times), with the
    /// LoRA role that targets it. The shapes follow the Hugging Face modeling files the parameter counter follows
    /// (separate q/k/v/o and gate/up/down projections; fused layouts hold the same numbers).
    /// </summary>
    public readonly struct LinearModule
    {
        public LinearModule(string name, long inFeatures, long outFeatures, long count, LoraTargets role)
        {
            Name = name; InFeatures = inFeatures; OutFeatures = outFeatures; Count = count; Role = role;
        }

        public string Name { get; }
        public long InFeatures { get; }
        public long OutFeatures { get; }
        public long Count { get; }
        /// <summary>LoRA roles that adapt this matrix; None for routers.</summary>
        public LoraTargets Role { get; }
        /// <summary>Weight elements of one copy (biases not included).</summary>
        public long Elements => InFeatures * OutFeatures;

        public override string ToString() => Name + " " + InFeatures + "×" + OutFeatures + (Count > 1 ? " ×" + Count : "");
    }

    /// <summary>The weight matrices of a block, by role: one place for the shapes LoRA, Adafactor, QLoRA and ZeRO-3 use.</summary>
    public static class LinearModules
    {
        /// <summary>Weight matrices of block <paramref name="layer"/> (0-based).</summary>
        public static IReadOnlyList<LinearModule> ForLayer(ModelArchitecture a, int layer)
        {
            long d = a.HiddenSize;
            var list = new List<LinearModule>(12);
            if (a.IsMla)
            {
                // modeling_deepseek_v2/_v3: q_proj, or q_a_proj + q_b_proj; kv_a_proj_with_mqa + kv_b_proj; o_proj.
                long heads = a.NumAttentionHeads;
                long qHead = (long)a.QkNopeHeadDim + a.QkRopeHeadDim;
                if (a.QLoraRank is int rank && rank > 0)
                {
                    list.Add(new LinearModule("q_a_proj", d, rank, 1, LoraTargets.Q));
                    list.Add(new LinearModule("q_b_proj", rank, heads * qHead, 1, LoraTargets.Q));
                }
                else
                {
                    list.Add(new LinearModule("q_proj", d, heads * qHead, 1, LoraTargets.Q));
                }
                list.Add(new LinearModule("kv_a_proj_with_mqa", d, (long)a.KvLoraRank + a.QkRopeHeadDim, 1, LoraTargets.K | LoraTargets.V));
                list.Add(new LinearModule("kv_b_proj", a.KvLoraRank, heads * ((long)a.QkNopeHeadDim + a.VHeadDim), 1, LoraTargets.K | LoraTargets.V));
                list.Add(new LinearModule("o_proj", heads * a.VHeadDim, d, 1, LoraTargets.O));
            }
            else
            {
                long q = (long)a.NumAttentionHeads * a.HeadDim;
                long kv = (long)a.NumKeyValueHeads * a.HeadDim;
                list.Add(new LinearModule("q_proj", d, q, 1, LoraTargets.Q));
                list.Add(new LinearModule("k_proj", d, kv, 1, LoraTargets.K));
                list.Add(new LinearModule("v_proj", d, kv, 1, LoraTargets.V));
                list.Add(new LinearModule("o_proj", q, d, 1, LoraTargets.O));
            }

            if (a.IsMoeLayer(layer))
            {
                AddMlp(list, "experts.", d, a.MoeIntermediateSize, a.GatedMlp, a.NumExperts);
                if (a.SharedExpertIntermediateSize > 0)
                    AddMlp(list, "shared_experts.", d, a.SharedExpertIntermediateSize, a.GatedMlp, 1);
                list.Add(new LinearModule("router", d, a.NumExperts, 1, LoraTargets.None));
            }
            else
            {
                AddMlp(list, "", d, a.IntermediateSize, a.GatedMlp, 1);
            }
            return list;
        }

        /// <summary>Gated MLP: gate and up d→i, down i→d. Plain MLP: up d→i, down i→d.</summary>
        private static void AddMlp(List<LinearModule> list, string prefix, long d, long inner, bool gated, long count)
        {
            if (gated) list.Add(new LinearModule(prefix + "gate_proj", d, inner, count, LoraTargets.Gate));
            list.Add(new LinearModule(prefix + "up_proj", d, inner, count, LoraTargets.Up));
            list.Add(new LinearModule(prefix + "down_proj", inner, d, count, LoraTargets.Down));
        }

        /// <summary>LoRA roles this architecture has in at least one block.</summary>
        public static LoraTargets AvailableRoles(ModelArchitecture a)
        {
            LoraTargets roles = LoraTargets.None;
            bool sawDense = false, sawMoe = false;
            for (int i = 0; i < a.NumLayers; i++)
            {
                bool moe = a.IsMoeLayer(i);
                if ((moe && sawMoe) || (!moe && sawDense)) continue;
                if (moe) sawMoe = true; else sawDense = true;
                foreach (LinearModule m in ForLayer(a, i)) roles |= m.Role;
            }
            return roles;
        }
    }
}
