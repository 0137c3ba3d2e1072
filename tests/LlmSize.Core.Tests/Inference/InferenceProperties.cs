using System;
using System.Linq;
using FsCheck.Xunit;
using LlmSize.Core.Fit;
using LlmSize.Core.Hardware;
using LlmSize.Core.Inference;
using LlmSize.Core.Models;
using LlmSize.Core.Units;

namespace LlmSize.Core.Tests.Inference
{
    /// <summary>Laws the estimator and the solvers obey for any shape, engine and size, checked over generated inputs.</summary>
    public class InferenceProperties
    {
        // Generated shapes: GQA (heads = kvHeads · group), optional sliding window on all or alternate layers, optional MLA.
        private static ModelSpec Model(byte layers, byte kvHeads, byte group, byte headDim, byte window, bool mla)
        {
            int kv = 1 + kvHeads % 8;
            int heads = kv * (1 + group % 4);
            int dh = 8 * (1 + headDim % 16);
            var a = new ModelArchitecture
            {
                ModelType = "llama",
                NumLayers = 1 + layers % 12,
                NumKeyValueHeads = kv,
                NumAttentionHeads = heads,
                HeadDim = dh,
                HiddenSize = heads * dh,
                IntermediateSize = 4 * heads * dh,
                VocabSize = 1000 + 37 * headDim,
                MaxPositionEmbeddings = 4096,
                GatedMlp = true,
            };
            if (window % 3 != 0) a.SlidingWindow = 16 * (1 + window % 64);
            if (window % 3 == 2)
                a.LayerTypes = Enumerable.Range(0, a.NumLayers)
                    .Select(i => i % 2 == 0 ? AttentionLayerKind.Sliding : AttentionLayerKind.Full).ToArray();
            if (mla)
            {
                a.KvLoraRank = 16 * (1 + headDim % 8);
                a.QkRopeHeadDim = 16;
                a.QkNopeHeadDim = dh;
                a.VHeadDim = dh;
            }
            return new ModelSpec("generated", "generated", a);
        }

        private static InferenceEstimate Estimate(ModelSpec model, byte engine, int batch, long context, int tp = 1,
            EngineProfile? profile = null) =>
            InferenceEstimator.Estimate(new InferenceRequest(model, DataTypes.Fp16, context)
            {
                Engine = (InferenceEngine)(engine % 4), BatchSize = batch, TensorParallel = tp, Profile = profile,
            });

        [Property]
        public bool Kv_cache_never_shrinks_with_more_tokens(byte layers, byte kv, byte group, byte headDim, byte window, bool mla,
            byte engine, ushort s1, ushort s2, byte batch)
        {
            ModelSpec m = Model(layers, kv, group, headDim, window, mla);
            long low = 1 + Math.Min(s1, s2), high = 1 + Math.Max(s1, s2);
            int b = 1 + batch % 16;
            return Estimate(m, engine, b, low).KvCache <= Estimate(m, engine, b, high).KvCache;
        }

        [Property]
        public bool Kv_cache_never_shrinks_with_more_sequences(byte layers, byte kv, byte group, byte headDim, byte window, bool mla,
            byte engine, ushort context, byte b1, byte b2)
        {
            ModelSpec m = Model(layers, kv, group, headDim, window, mla);
            int low = 1 + Math.Min(b1, b2), high = 1 + Math.Max(b1, b2);
            return Estimate(m, engine, low, 1 + context).KvCache <= Estimate(m, engine, high, 1 + context).KvCache;
        }

        [Property]
        public bool More_gpus_never_add_weights_per_gpu(byte layers, byte kv, byte group, byte headDim, bool mla, byte engine,
            byte t1, byte t2)
        {
            ModelSpec m = Model(layers, kv, group, headDim, 0, mla);
            int low = 1 + Math.Min(t1, t2) % 16, high = 1 + Math.Max(t1, t2) % 16;
            if (low > high) (low, high) = (high, low);
            return Estimate(m, engine, 1, 512, high).WeightsPerGpu <= Estimate(m, engine, 1, 512, low).WeightsPerGpu;
        }

        [Property]
        public bool Per_gpu_terms_add_up(byte layers, byte kv, byte group, byte headDim, byte window, bool mla, byte engine,
            ushort context, byte batch, byte tp)
        {
            InferenceEstimate e = Estimate(Model(layers, kv, group, headDim, window, mla), engine, 1 + batch % 32, 1 + context, 1 + tp % 8);
            return e.PerGpu == e.WeightsPerGpu + e.KvCachePerGpu + e.ActivationsPerGpu + e.OverheadPerGpu
                   && e.Total.Bytes == e.PerGpu.Bytes * e.TensorParallel;
        }

        [Property(MaxTest = 50)]
        public bool Max_batch_fits_and_one_more_does_not(byte layers, byte kv, byte group, byte headDim, byte window, bool mla,
            byte engine, ushort context, byte memory)
        {
            ModelSpec m = Model(layers, kv, group, headDim, window, mla);
            var gpu = new GpuSpec("synthetic", "synthetic", "test", GpuCategory.Datacenter, ByteSize.FromGB(80))
            {
                CudaTotalMemory = ByteSize.FromMiB(1024 + 128 * (memory % 64)),
            };
            InferenceEstimate e = Estimate(m, engine, 1, 1 + context % 4096);
            FitResult fit = GpuFit.Test(e, gpu);
            int max = fit.MaxBatchSize!.Value;
            // The fit may swap vLLM's batch defaults for this GPU's: re-estimate under the profile it used.
            EngineProfile used = ((InferenceEstimate)fit.Estimate).Profile;
            bool atMax = max == 0 || Estimate(m, engine, max, e.ContextLength, 1, used).PerGpu <= fit.Available;
            bool beyond = Estimate(m, engine, max + 1, e.ContextLength, 1, used).PerGpu > fit.Available;
            return atMax && beyond;
        }
    }
}
