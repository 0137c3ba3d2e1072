using System;
using System.Collections.Generic;
using LlmSize.Core.Models;
using LlmSize.Core.Parameters;

namespace LlmSize.Core.Training
{
    /// <summary>
    /// Parameters one pipeline stage holds (before tensor-parallel split), by the classes the training math needs:
    /// shapes for the optimizer, elements autocast copies to 16 bit, elements QLoRA quantizes, LoRA adapters, and the
    /// largest single module (ZeRO-3 gathers one at a time).
    /// </summary>
    internal sealed class StageParameters
    {
        public int FirstLayer;
        public int LayerCount;
        public bool HasEmbedding;
        public bool HasHead;
        public ParameterShapes Base;
        /// <summary>Weights (and biases) that matmuls read: every block parameter except norms, the LM head, the pooler.</summary>
        public long CastCopyElements;
        /// <summary>Weight matrices inside the blocks: what bitsandbytes replaces with 4-bit Linear layers.</summary>
        public long QuantizableElements;
        public ParameterShapes Adapters;
        public long LargestModule;
    }

    /// <summary>Splits a model into pipeline stages and classifies each stage's parameters.</summary>
    internal static class ModelLayout
    {
        /// <summary>Layers of the first stage (ceil(L/p)), and of the last stage (what remains).</summary>
        public static int LayersPerStage(int layers, int pipeline) => (layers + pipeline - 1) / pipeline;

        public static StageParameters Stage(ModelArchitecture a, ParameterBreakdown counts, int firstLayer, int layerCount,
            bool hasEmbedding, bool hasHead, bool pipelined, int loraRank, LoraTargets loraTargets)
        {
            checked
            {
                var s = new StageParameters { FirstLayer = firstLayer, LayerCount = layerCount, HasEmbedding = hasEmbedding, HasHead = hasHead };
                long d = a.HiddenSize;
                long e = a.EmbeddingDim > 0 ? a.EmbeddingDim : d;
                long vocab = a.VocabSize;
                long total = 0, matrices = 0, factored = 0, cast = 0, quantizable = 0, largest = 0;
                long adapterTotal = 0, adapterFactored = 0;

                long layerNorms = 0;
                foreach (LayerParameters layer in counts.Layers) layerNorms += layer.Norms;
                long outerNorms = counts.Norms - layerNorms;               // final + embedding norm
                long finalNorm = a.FinalNorm ? (a.EmbeddingNorm ? outerNorms / 2 : outerNorms) : 0;
                long embeddingNorm = outerNorms - finalNorm;

                if (hasEmbedding)
                {
                    // Token (+ token-type, + OPT projections) and position embeddings are matrices; the embedding norm a vector.
                    total += counts.Embeddings + counts.PositionEmbeddings + embeddingNorm;
                    matrices += counts.Embeddings + counts.PositionEmbeddings;
                    factored += vocab + e;
                    if (e != d) factored += 2 * (e + d);
                    if (a.TypeVocabSize > 0) factored += a.TypeVocabSize + d;
                    if (a.LearnedPositionEmbeddings > 0) factored += a.LearnedPositionEmbeddings + d;
                    largest = Math.Max(largest, vocab * e);
                }

                // Dense blocks share one module list, MoE blocks another: build each once per stage.
                IReadOnlyList<LinearModule>? denseModules = null, moeModules = null;
                for (int i = firstLayer; i < firstLayer + layerCount; i++)
                {
                    LayerParameters layer = counts.Layers[i];
                    total += layer.Total;
                    cast += layer.Total - layer.Norms;
                    IReadOnlyList<LinearModule> modules = a.IsMoeLayer(i)
                        ? moeModules ??= LinearModules.ForLayer(a, i)
                        : denseModules ??= LinearModules.ForLayer(a, i);
                    foreach (LinearModule m in modules)
                    {
                        long elements = m.Elements * m.Count;
                        matrices += elements;
                        quantizable += elements;
                        factored += (m.InFeatures + m.OutFeatures) * m.Count;
                        largest = Math.Max(largest, m.Elements);
                        if (loraRank > 0 && (m.Role & loraTargets) != 0)
                        {
                            // LoRA: A is r × d_in, B is d_out × r (Hu et al. 2021 §4.1), one pair per adapted matrix.
                            adapterTotal += (long)loraRank * (m.InFeatures + m.OutFeatures) * m.Count;
                            adapterFactored += (2L * loraRank + m.InFeatures + m.OutFeatures) * m.Count;
                        }
                    }
                }

                if (hasHead)
                {
                    total += finalNorm + counts.Pooler;
                    // The LM head: its own matrix when untied; a tied head reuses the embedding, except on a separate
                    // last pipeline stage, which keeps a copy of it (Megatron shares it across stages by all-reduce).
                    long headMatrix = a.HasLmHead && (!a.TieWordEmbeddings || pipelined) ? vocab * e : 0;
                    long headBias = a.HasLmHead && a.LmHeadBias ? vocab : 0;
                    total += headMatrix + headBias;
                    matrices += headMatrix;
                    if (headMatrix > 0) factored += vocab + e;
                    if (a.HasLmHead) { cast += vocab * e + headBias; largest = Math.Max(largest, vocab * e); }
                    if (counts.Pooler > 0) { matrices += d * d; factored += 2 * d; cast += counts.Pooler; largest = Math.Max(largest, d * d); }
                }

                s.Base = new ParameterShapes(total, matrices, factored);
                s.CastCopyElements = cast;
                s.QuantizableElements = quantizable;
                s.Adapters = new ParameterShapes(adapterTotal, adapterTotal, adapterFactored);
                s.LargestModule = largest;
                return s;
            }
        }
    }
}
