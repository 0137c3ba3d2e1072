using System;
using LlmSize.Core.Hardware;
using LlmSize.Core.Throughput;
using LlmSize.Core.Units;
using Xunit;

namespace LlmSize.Core.Tests.Throughput
{
    /// <summary>Hand-derived checks of every roofline formula of <see cref="InferenceThroughput"/>.</summary>
    public class InferenceThroughputTests
    {
        // Llama-2-7B: 6,738,415,616 parameters (HF config), 32 layers, d = 4096, 32 KV heads × 128.
        private const long Llama2Params = 6_738_415_616;
        // fp16 KV per token: 2 (K and V) · 32 layers · 32 heads · 128 dims · 2 bytes = 524,288 B (DESIGN.md §7).
        private const double Llama2KvPerToken = 2.0 * 32 * 32 * 128 * 2;

        private static InferenceWorkload Llama2Fp16(int prompt = 0, int output = 1, int batch = 1) => new InferenceWorkload
        {
            ActiveParameters = Llama2Params,
            ActiveWeightBytes = Llama2Params * 2.0,   // 13,476,831,232 B = 13.48 GB
            KvBytesPerToken = Llama2KvPerToken,
            Layers = 32,
            HiddenSize = 4096,
            WeightType = DataTypes.Fp16,
            PromptTokens = prompt,
            OutputTokens = output,
            BatchSize = batch,
        };

        private static readonly InferenceOptions Ideal = new InferenceOptions { MemoryEfficiency = 1, ComputeEfficiency = 1 };

        private static GpuSpec Rtx4090 => ShippedCatalog.Gpu("rtx-4090-24gb");

        [Fact]
        public void Llama2_7B_fp16_decode_on_RTX_4090_is_at_most_74_8_tokens_per_second()
        {
            // Context 0 (prompt 0, one token): bytes per step = 13,476,831,232.
            // 1008 GB/s / 13.4768 GB = 74.795 tok/s at efficiency 1: the roofline's ceiling.
            var s = InferenceThroughput.Estimate(Llama2Fp16(), Rtx4090, 1, Ideal);
            Assert.Equal(13_476_831_232, s.DecodeBytesPerStep, 0);
            Assert.Equal(74.795, s.TokensPerSecondPerSequence!.Value, 3);
            Assert.Equal(DecodeBound.Memory, s.DecodeBound);
            Assert.Equal(1008, s.BandwidthGBps);
        }

        [Fact]
        public void Kv_cache_of_the_context_is_read_every_step()
        {
            // Prompt 2048, one output token: context 2048. KV = 524,288 B · 2048 = 1 GiB = 1,073,741,824 B.
            // Bytes = 13,476,831,232 + 1,073,741,824 = 14,550,573,056 → 1008e9 / 14.5506e9 = 69.276 tok/s.
            var s = InferenceThroughput.Estimate(Llama2Fp16(prompt: 2048), Rtx4090, 1, Ideal);
            Assert.Equal(2048, s.DecodeContextTokens);
            Assert.Equal(14_550_573_056, s.DecodeBytesPerStep, 0);
            Assert.Equal(69.276, s.TokensPerSecondPerSequence!.Value, 3);
        }

        [Fact]
        public void Decode_is_evaluated_at_the_mean_context_of_the_generated_tokens()
        {
            // llama-bench tg128: prompt 0, 128 tokens at contexts 0..127, mean 63.5 = 0 + (128 − 1)/2.
            var s = InferenceThroughput.Estimate(Llama2Fp16(prompt: 0, output: 128), Rtx4090, 1, Ideal);
            Assert.Equal(63.5, s.DecodeContextTokens);
            // Prompt 1000, 201 tokens: 1000 + 100 = 1100.
            Assert.Equal(1100, InferenceThroughput.Estimate(Llama2Fp16(prompt: 1000, output: 201), Rtx4090, 1, Ideal).DecodeContextTokens);
        }

        [Fact]
        public void Default_memory_efficiency_scales_the_bandwidth()
        {
            // fp16 default 0.78: 74.795 · 0.78 = 58.34 tok/s (llama.cpp measured 61.03 on a 4090, PR #4766).
            var s = InferenceThroughput.Estimate(Llama2Fp16(), Rtx4090);
            Assert.Equal(0.78, s.MemoryEfficiency);
            Assert.Equal(74.795 * 0.78, s.TokensPerSecondPerSequence!.Value, 2);
        }

        [Fact]
        public void Prefill_is_2_P_tokens_batch_flops_over_the_fp16_peak()
        {
            // 2 · 6,738,415,616 · 512 = 6.90014e12 FLOPs. RTX 4090 fp16 (fp32 accumulate) 165.2 TFLOPS:
            // 6.90014e12 / 165.2e12 = 41.768 ms at efficiency 1; with the default 0.776: 41.768 / 0.776 = 53.825 ms.
            var w = Llama2Fp16(prompt: 512);
            var ideal = InferenceThroughput.Estimate(w, Rtx4090, 1, Ideal);
            Assert.Equal(6.900137590784e12, ideal.PrefillFlops, 0);
            Assert.Equal(0.041768, ideal.TimeToFirstTokenSeconds!.Value, 6);
            var real = InferenceThroughput.Estimate(w, Rtx4090);
            Assert.Equal(0.776, real.ComputeEfficiency);
            Assert.Equal(0.053825, real.TimeToFirstTokenSeconds!.Value, 6);
            // Batch 4 of the same prompt: 4× the FLOPs.
            Assert.Equal(4 * ideal.PrefillFlops, InferenceThroughput.Estimate(Llama2Fp16(prompt: 512, batch: 4), Rtx4090, 1, Ideal).PrefillFlops, 0);
        }

        [Fact]
        public void Large_batches_become_compute_bound_at_the_ridge_point()
        {
            // Weights only (KV 0): memory time is 2P / 1008e9 = 13.370 ms whatever the batch; compute time is
            // 2·P·B / 165.2e12. Equal when 2P / 1008e9 = 2P·B / 165.2e12, i.e. B* = 165.2e12 / 1008e9 = 163.89
            // (the ridge point of 2-byte weights). B = 163 is memory-bound, 164 compute-bound.
            InferenceWorkload W(int b) { var w = Llama2Fp16(batch: b); w.KvBytesPerToken = 0; return w; }
            var below = InferenceThroughput.Estimate(W(163), Rtx4090, 1, Ideal);
            var above = InferenceThroughput.Estimate(W(164), Rtx4090, 1, Ideal);
            Assert.Equal(DecodeBound.Memory, below.DecodeBound);
            Assert.Equal(DecodeBound.Compute, above.DecodeBound);
            // At B = 512: 2 · 6.7384e9 · 512 / 165.2e12 = 41.768 ms per step → 512 / 0.041768 = 12,258 tok/s aggregate,
            // 23.94 tok/s per sequence.
            var big = InferenceThroughput.Estimate(W(512), Rtx4090, 1, Ideal);
            Assert.Equal(0.041768, big.DecodeStepSeconds!.Value, 6);
            Assert.Equal(12258, big.TokensPerSecond!.Value, 0);
            Assert.Equal(23.94, big.TokensPerSecondPerSequence!.Value, 2);
        }

        [Fact]
        public void Aggregate_throughput_is_batch_over_step_time()
        {
            // Batch 8, prompt 0, one token: bytes = weights (KV of context 0 is 0) → same 13.370 ms step as batch 1,
            // 8 × 74.795 = 598.36 tok/s aggregate (decode is memory-bound: batching is nearly free).
            var s = InferenceThroughput.Estimate(Llama2Fp16(batch: 8), Rtx4090, 1, Ideal);
            Assert.Equal(74.795, s.TokensPerSecondPerSequence!.Value, 3);
            Assert.Equal(598.36, s.TokensPerSecond!.Value, 2);
        }

        [Fact]
        public void Tensor_parallel_splits_the_bytes_and_adds_two_all_reduces_per_layer_over_nvlink()
        {
            // 2 × A100 SXM4 80GB: 2039 GB/s each, NVLink 600 GB/s both ways → 300 GB/s per direction.
            // Memory: 13,476,831,232 / (2 · 2039e9) = 3.30476 ms.
            // All-reduce of one token's activations: 4096 · 2 B = 8192 B; ring over 2 GPUs moves 2·(2−1)/2 · 8192 = 8192 B
            // per GPU → 8192 / 300e9 = 27.307 ns; 32 layers × 2 = 64 of them = 1.74763 µs.
            var a100 = ShippedCatalog.Gpu("a100-sxm4-80gb");
            var s = InferenceThroughput.Estimate(Llama2Fp16(), a100, 2, Ideal);
            Assert.Equal(InterconnectKind.NvLink, s.Interconnect.Kind);
            Assert.Equal(300, s.Interconnect.GBpsPerDirection);
            Assert.Equal(13_476_831_232 / (2 * 2039e9), s.DecodeMemorySeconds!.Value, 9);
            Assert.Equal(64 * 8192 / 300e9, s.DecodeCommunicationSeconds, 12);
            Assert.Equal(s.DecodeMemorySeconds!.Value + s.DecodeCommunicationSeconds, s.DecodeStepSeconds!.Value, 12);
        }

        [Fact]
        public void Without_nvlink_the_catalog_pcie_generation_is_used_and_an_unknown_one_is_flagged()
        {
            // L40S: "Gen4 x16 (64 GB/s bidir)" → 16 GT/s · 16 lanes · 128/130 / 8 = 31.508 GB/s per direction.
            var l40s = InferenceThroughput.Estimate(Llama2Fp16(prompt: 512), ShippedCatalog.Gpu("l40s-48gb"), 4, Ideal);
            Assert.Equal(InterconnectKind.Pcie, l40s.Interconnect.Kind);
            Assert.Equal(31.508, l40s.Interconnect.GBpsPerDirection, 3);
            // Prefill over 4 GPUs: message 512 · 4096 · 2 = 4,194,304 B; each GPU moves 2·3/4 of it = 6,291,456 B
            // → 199.68 µs per all-reduce; × 64 = 12.780 ms.
            Assert.Equal(64 * 6_291_456 / (Interconnect.PcieGen4x16GBps * 1e9), l40s.PrefillCommunicationSeconds, 9);
            Assert.Equal(0.012780, l40s.PrefillCommunicationSeconds, 6);
            // RTX 4090: the catalog names no PCIe generation → PCIe 4.0 x16 assumed and said so.
            var rtx = InferenceThroughput.Estimate(Llama2Fp16(), Rtx4090, 2, Ideal);
            Assert.Equal(InterconnectKind.PcieAssumed, rtx.Interconnect.Kind);
            Assert.Contains(rtx.Notes, n => n.Contains("assumed PCIe 4.0 x16"));
            // One GPU: no link, no communication.
            var one = InferenceThroughput.Estimate(Llama2Fp16(), Rtx4090, 1, Ideal);
            Assert.Equal(InterconnectKind.None, one.Interconnect.Kind);
            Assert.Equal(0, one.DecodeCommunicationSeconds);
        }

        [Fact]
        public void Given_interconnect_bandwidth_overrides_the_catalog()
        {
            var s = InferenceThroughput.Estimate(Llama2Fp16(), Rtx4090, 2,
                new InferenceOptions { MemoryEfficiency = 1, ComputeEfficiency = 1, InterconnectGBps = 8192 / 1e-6 / 1e9 });
            // 8192 B per all-reduce at 8.192 TB/s = 1 µs each; 64 → 64 µs.
            Assert.Equal(InterconnectKind.Given, s.Interconnect.Kind);
            Assert.Equal(64e-6, s.DecodeCommunicationSeconds, 12);
        }

        [Fact]
        public void Moe_models_compute_with_active_parameters()
        {
            // Mixtral-8x7B: 46.7 B total, 12.9 B active per token (2 of 8 experts). Prefill of 1000 tokens:
            // 2 · 12.9e9 · 1000 = 2.58e13 FLOPs — the total count never enters the formula.
            var w = new InferenceWorkload
            {
                ActiveParameters = 12_900_000_000, ActiveWeightBytes = 12.9e9 * 2, KvBytesPerToken = 131072,
                Layers = 32, HiddenSize = 4096, WeightType = DataTypes.Bf16, PromptTokens = 1000, OutputTokens = 1,
            };
            var s = InferenceThroughput.Estimate(w, ShippedCatalog.Gpu("h100-sxm-80gb"), 1, Ideal);
            Assert.Equal(2.58e13, s.PrefillFlops, 0);
            Assert.Equal(2.58e13 / 989e12, s.TimeToFirstTokenSeconds!.Value, 9);
        }

        [Fact]
        public void Missing_catalog_figures_give_null_terms_and_notes_never_invented_numbers()
        {
            var w = Llama2Fp16(prompt: 128);
            // Jetson Orin Nano: no dense fp16/bf16/fp32 figure (only a derived sparse-halved int8): prefill unknown,
            // decode still bandwidth-bound (102 GB/s).
            var nano = InferenceThroughput.Estimate(w, ShippedCatalog.Gpu("jetson-orin-nano-8gb"));
            Assert.True(nano.Peak.IsMissing);
            Assert.Null(nano.TimeToFirstTokenSeconds);
            Assert.NotNull(nano.TokensPerSecond);
            Assert.Contains(nano.Notes, n => n.Contains("no fp16 peak nor any fallback"));
            // Jetson AGX Thor: bandwidth unverified (null) → decode unknown.
            var thor = InferenceThroughput.Estimate(w, ShippedCatalog.Gpu("jetson-agx-thor-t5000"));
            Assert.Null(thor.TokensPerSecond);
            Assert.Null(thor.EndToEndSeconds);
            Assert.Contains(thor.Notes, n => n.Contains("no memory bandwidth"));
        }

        [Theory]
        [InlineData(0.0, "MemoryEfficiency")]
        [InlineData(1.01, "MemoryEfficiency")]
        [InlineData(-0.5, "MemoryEfficiency")]
        public void Efficiency_outside_zero_one_is_refused_with_the_parameter_named(double value, string name)
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
                InferenceThroughput.Estimate(Llama2Fp16(), Rtx4090, 1, new InferenceOptions { MemoryEfficiency = value }));
            Assert.Equal(name, e.ParamName);
            Assert.Contains("greater than 0 and at most 1", e.Message);
            e = Assert.Throws<ArgumentOutOfRangeException>(() =>
                InferenceThroughput.Estimate(Llama2Fp16(), Rtx4090, 1, new InferenceOptions { ComputeEfficiency = value }));
            Assert.Equal("ComputeEfficiency", e.ParamName);
        }

        [Fact]
        public void Bad_workloads_are_refused_with_the_parameter_named()
        {
            void Refuses(string name, Action<InferenceWorkload> spoil)
            {
                var w = Llama2Fp16(); spoil(w);
                var e = Assert.Throws<ArgumentOutOfRangeException>(() => InferenceThroughput.Estimate(w, Rtx4090));
                Assert.Equal(name, e.ParamName);
            }
            Refuses("ActiveParameters", w => w.ActiveParameters = 0);
            Refuses("ActiveWeightBytes", w => w.ActiveWeightBytes = -1);
            Refuses("KvBytesPerToken", w => w.KvBytesPerToken = double.NaN);
            Refuses("BatchSize", w => w.BatchSize = 0);
            Refuses("OutputTokens", w => w.OutputTokens = 0);
            Refuses("PromptTokens", w => w.PromptTokens = -1);
            Refuses("Layers", w => w.Layers = 0);
            Assert.Equal("gpuCount", Assert.Throws<ArgumentOutOfRangeException>(() => InferenceThroughput.Estimate(Llama2Fp16(), Rtx4090, 0)).ParamName);
        }
    }
}
