using System;
using System.Collections.Generic;
using LlmSize.Core.Fit;
using LlmSize.Core.Hardware;
using LlmSize.Core.Inference;
using LlmSize.Core.Models;
using LlmSize.Core.Tests.Inference;
using LlmSize.Core.Units;
using Xunit;

namespace LlmSize.Core.Tests.Fit
{
    public class GpuFitTests
    {
        private static InferenceEstimate Estimate(string model, string weights, long context, InferenceEngine engine,
            int batch = 1, int tp = 1) =>
            InferenceEstimator.Estimate(new InferenceRequest(TestCatalog.Model(model), DataTypes.Get(weights), context)
            {
                Engine = engine, BatchSize = batch, TensorParallel = tp,
            });

        /// <summary>Re-estimates at a batch / context and compares with what the fit says one GPU offers.</summary>
        private static bool FitsWhenReestimated(InferenceEstimate e, FitResult fit, int batch, long context)
        {
            InferenceRequest r = e.Request.Clone();
            r.BatchSize = batch;
            r.ContextLength = context;
            r.TensorParallel = fit.GpusUsed;
            r.Profile = ((InferenceEstimate)fit.Estimate).Profile; // the profile the fit used (vLLM: per-GPU defaults)
            return InferenceEstimator.Estimate(r).PerGpu <= fit.Available;
        }

        [Theory]
        [InlineData("llama-3.1-8b", "bf16", 4096, InferenceEngine.Transformers, "rtx-4090-24gb", 1)]
        [InlineData("llama-3.1-8b", "bf16", 8192, InferenceEngine.Vllm, "h100-sxm-80gb", 1)]
        [InlineData("llama-3.1-8b", "awq", 8192, InferenceEngine.Vllm, "rtx-4090-24gb", 1)]
        [InlineData("qwen2.5-7b", "Q4_K_M", 32768, InferenceEngine.LlamaCpp, "rtx-4090-24gb", 1)]
        [InlineData("mistral-7b-v0.1", "bf16", 8192, InferenceEngine.Generic, "a100-sxm4-80gb", 1)]
        [InlineData("llama-3.1-70b", "bf16", 8192, InferenceEngine.Vllm, "h100-sxm-80gb", 4)]
        public void Max_batch_fits_and_one_more_does_not(string model, string weights, long context, InferenceEngine engine, string gpuId, int count)
        {
            InferenceEstimate e = Estimate(model, weights, context, engine, tp: count);
            FitResult fit = GpuFit.Test(e, TestCatalog.Gpu(gpuId), count);
            int max = fit.MaxBatchSize!.Value;
            Assert.True(max >= 1);
            Assert.True(FitsWhenReestimated(e, fit, max, context));
            Assert.False(FitsWhenReestimated(e, fit, max + 1, context));
        }

        [Theory]
        [InlineData("llama-3.1-8b", "bf16", 4, InferenceEngine.Transformers, "rtx-4090-24gb")]
        [InlineData("llama-3.1-8b", "bf16", 16, InferenceEngine.Vllm, "h100-sxm-80gb")]
        [InlineData("qwen2.5-7b", "Q4_K_M", 2, InferenceEngine.LlamaCpp, "rtx-4060-ti-16gb")]
        [InlineData("gemma-2-9b", "bf16", 32, InferenceEngine.Vllm, "a100-sxm4-80gb")] // past the 4096 window: only global layers grow
        public void Max_context_fits_and_one_more_token_does_not(string model, string weights, int batch, InferenceEngine engine, string gpuId)
        {
            InferenceEstimate e = Estimate(model, weights, 1024, engine, batch);
            FitResult fit = GpuFit.Test(e, TestCatalog.Gpu(gpuId));
            long max = fit.MaxContextLength!.Value;
            Assert.InRange(max, 1, e.Model.MaxContextLength - 1); // below the model's maximum for these cases
            Assert.True(FitsWhenReestimated(e, fit, batch, max));
            Assert.False(FitsWhenReestimated(e, fit, batch, max + 1));
        }

        [Fact]
        public void Sliding_windows_let_the_context_grow_past_what_full_layers_allow()
        {
            // Gemma-2-9B, 32 sequences, vLLM on an A100 80GB: past 4096 tokens only the 21 global layers grow, so the
            // longest context passes the window, and 32 such sequences hold more tokens than the pool would at the
            // every-layer rate (KvCacheTokenCapacity).
            InferenceEstimate e = Estimate("gemma-2-9b", "bf16", 1024, InferenceEngine.Vllm, 32);
            GpuSpec a100 = TestCatalog.Gpu("a100-sxm4-80gb");
            long max = GpuFit.MaxContextLength(e, a100);
            Assert.InRange(max, 4097, 8191);
            Assert.True(GpuFit.KvCacheTokenCapacity(e, a100) < 32L * max);
        }

        [Fact]
        public void Max_context_stops_at_the_model_maximum()
        {
            // TinyLlama (2048 tokens) on an H100 would hold far more.
            FitResult fit = GpuFit.Test(Estimate("tinyllama-1.1b", "bf16", 1024, InferenceEngine.Generic), TestCatalog.Gpu("h100-sxm-80gb"));
            Assert.Equal(2048, fit.MaxContextLength);
            Assert.Contains(fit.Notes, n => n.Contains("maximum context"));
        }

        [Fact]
        public void Kv_token_capacity_is_the_pool_over_bytes_per_token()
        {
            // Transformers, Llama-3.1-8B bf16 on an RTX 4090 at 4096 tokens: pool = 25,386,352,640 − weights − activations −
            // overhead; tokens = pool / 131,072 B (no blocks in transformers).
            InferenceEstimate e = Estimate("llama-3.1-8b", "bf16", 4096, InferenceEngine.Transformers);
            FitResult fit = GpuFit.Test(e, TestCatalog.Gpu("rtx-4090-24gb"));
            long pool = 25_386_352_640L - e.Weights.Bytes - e.Activations.Bytes - e.Overhead.Bytes;
            Assert.Equal(pool, fit.KvCachePool!.Value.Bytes);
            Assert.Equal(pool / 131_072, fit.KvCacheTokenCapacity);
            // Consistency with the batch solver: max batch · 4096 tokens ≤ capacity.
            Assert.True(fit.MaxBatchSize!.Value * 4096L <= fit.KvCacheTokenCapacity);
        }

        [Fact]
        public void Too_big_gives_zeros_and_the_gpus_needed()
        {
            // Llama-3.1-70B bf16 (141 GB of weights) on one H100 under vLLM (0.9 × 79.2 GiB).
            InferenceEstimate e = Estimate("llama-3.1-70b", "bf16", 8192, InferenceEngine.Vllm);
            FitResult fit = GpuFit.Test(e, TestCatalog.Gpu("h100-sxm-80gb"));
            Assert.False(fit.Fits);
            Assert.True(fit.Headroom.Bytes < 0);
            Assert.True(fit.Utilization > 1);
            Assert.Equal(0, fit.MaxBatchSize);
            Assert.Equal(0, fit.MaxContextLength);
            Assert.Equal(0, fit.KvCacheTokenCapacity);
            // Two GPUs (64 heads and 8 KV heads divide by 2): weights 70,553,706,496 · 2 B / 2 = 65.71 GiB, KV 8192 tokens ·
            // 80 layers · 2 · 4 heads · 128 · 2 B = 1.25 GiB, activations 1024 · 128256 · 14 B + 8192 · 8192 · 2 B = 1.84 GiB,
            // overhead 0.25 + 1.8 GiB: 70.85 GiB ≤ 0.9 · 79.21 = 71.28 GiB.
            Assert.Equal(2, fit.GpusNeeded);
            Assert.True(GpuFit.Test(e, TestCatalog.Gpu("h100-sxm-80gb"), 2).Fits);
        }

        [Fact]
        public void Falcon_71_heads_cannot_be_split_two_ways()
        {
            // Falcon-7B bf16: 6,921,720,704 × 2 B = 13.8 GB does not fit an RTX 3080 (10 GB); half of it would, but tensor
            // parallel must divide 71 heads: only 1 or 71 GPUs, and 71 is beyond the search.
            InferenceEstimate e = Estimate("falcon-7b", "bf16", 2048, InferenceEngine.Generic);
            GpuSpec gpu = TestCatalog.Gpu("rtx-3080-10gb");
            FitResult fit = GpuFit.Test(e, gpu, 2);
            Assert.Equal(1, fit.GpusUsed);
            Assert.False(fit.Fits);
            Assert.Contains(fit.Notes, n => n.Contains("Cannot split over 2 GPUs"));
            Assert.Null(fit.GpusNeeded);
            Assert.Contains(fit.Notes, n => n.Contains("71 attention heads"));

            // transformers splits whole layers (device_map): two GPUs do.
            FitResult layers = GpuFit.Test(Estimate("falcon-7b", "bf16", 2048, InferenceEngine.Transformers), gpu, 2);
            Assert.Equal(2, layers.GpusUsed);
            Assert.True(layers.Fits);
            Assert.Equal(2, layers.GpusNeeded);
        }

        [Fact]
        public void Fit_at_another_count_re_estimates()
        {
            // An estimate made for one GPU, tested on two: weights and KV split, NCCL added.
            InferenceEstimate one = Estimate("llama-3.1-8b", "bf16", 8192, InferenceEngine.Generic);
            FitResult fit = GpuFit.Test(one, TestCatalog.Gpu("rtx-4090-24gb"), 2);
            var two = (InferenceEstimate)fit.Estimate;
            Assert.Equal(2, two.TensorParallel);
            Assert.Equal(InferenceEstimator.Estimate(new InferenceRequest(one.Model, DataTypes.Bf16, 8192) { TensorParallel = 2 }).PerGpu,
                fit.Required);
            Assert.Equal(1, one.TensorParallel); // the original is unchanged
        }

        [Fact]
        public void Vllm_available_is_utilization_times_cuda_total()
        {
            // H100 SXM: CUDA totalGlobalMem 85,045,477,376 B × 0.9 = 76,540,929,638.4 → 76,540,929,638 B.
            FitResult fit = GpuFit.Test(Estimate("llama-3.1-8b", "bf16", 8192, InferenceEngine.Vllm), TestCatalog.Gpu("h100-sxm-80gb"));
            Assert.Equal(76_540_929_638L, fit.Available.Bytes);
            Assert.True(fit.Fits);
        }

        [Fact]
        public void Vllm_uses_its_smaller_batch_defaults_on_smaller_gpus()
        {
            // On an RTX 4090 vLLM profiles 2048 tokens / 256 sequences: sampler phase 256 · 128256 · 14 B + 2048 · 4096 · 2 B
            // = 459,669,504 + 16,777,216 = 476,446,720 B, instead of 1,905,786,880 B on an H100.
            InferenceEstimate e = Estimate("llama-3.1-8b", "awq", 8192, InferenceEngine.Vllm);
            FitResult fit = GpuFit.Test(e, TestCatalog.Gpu("rtx-4090-24gb"));
            Assert.Equal(1_905_786_880L, e.Activations.Bytes);
            Assert.Equal(476_446_720L, ((InferenceEstimate)fit.Estimate).Activations.Bytes);
            Assert.Equal(e.PerGpu.Bytes - 1_905_786_880L + 476_446_720L, fit.Required.Bytes);
            Assert.Contains(fit.Notes, n => n.Contains("256 sequences"));
            // A100 80GB is excluded by name from the large defaults (vLLM PR #17885).
            Assert.Equal(476_446_720L, ((InferenceEstimate)GpuFit.Test(e, TestCatalog.Gpu("a100-sxm4-80gb")).Estimate).Activations.Bytes);
        }

        [Fact]
        public void Apple_offers_only_the_gpu_wired_share()
        {
            // M2 Max with 96 GB: above 36 GB Metal's working set is about 3/4 of RAM (UsableMemoryRule) = 72 GB.
            GpuSpec mac = TestCatalog.Gpu("apple-m2-max");
            FitResult fit = GpuFit.Test(Estimate("llama-3.1-8b", "Q4_K_M", 8192, InferenceEngine.LlamaCpp), mac);
            Assert.Equal(UsableMemoryRule.AppleGpuShare(mac.Memory), fit.Available);
            Assert.Equal(72_000_000_000L, fit.Available.Bytes);
            Assert.True(fit.Fits);
        }

        [Fact]
        public void Generic_estimates_split_evenly()
        {
            var estimate = new FixedEstimate(total: ByteSize.FromGB(150), gpus: 1);
            FitResult one = GpuFit.Test(estimate, TestCatalog.Gpu("h100-sxm-80gb"));
            Assert.False(one.Fits);
            Assert.Equal(2, one.GpusNeeded); // 75 GB ≤ 85.0 GB
            Assert.Null(one.MaxBatchSize);
            FitResult two = GpuFit.Test(estimate, TestCatalog.Gpu("h100-sxm-80gb"), 2);
            Assert.True(two.Fits);
            Assert.Equal(ByteSize.FromGB(75), two.Required);
            Assert.Contains(two.Notes, n => n.Contains("split evenly"));
        }

        [Fact]
        public void Gpu_count_below_one_is_an_error()
        {
            Assert.Throws<EstimateInputException>(() =>
                GpuFit.Test(Estimate("llama-3.1-8b", "bf16", 8192, InferenceEngine.Generic), TestCatalog.Gpu("h100-sxm-80gb"), 0));
        }

        [Fact]
        public void Breakdown_summary_reads_at_a_glance()
        {
            FitResult fit = GpuFit.Test(Estimate("llama-2-7b", "fp16", 2048, InferenceEngine.Generic), TestCatalog.Gpu("rtx-4090-24gb"));
            Assert.Equal("Weights 12.6 GiB + KvCache 1.0 GiB + Activations 161.0 MiB + Overhead 563.2 MiB", fit.BreakdownSummary);
        }

        private sealed class FixedEstimate : IMemoryEstimate
        {
            public FixedEstimate(ByteSize total, int gpus) { Total = total; GpuCount = gpus; PerGpu = new ByteSize(total.Bytes / gpus); }
            public string ModelId => "fixed";
            public ByteSize Total { get; }
            public ByteSize PerGpu { get; }
            public int GpuCount { get; }
            public double MemoryUtilization => 1.0;
            public IReadOnlyList<MemoryComponent> Breakdown => new[] { new MemoryComponent("Everything", PerGpu, Total) };
        }
    }
}
