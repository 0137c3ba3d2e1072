using System.Linq;
using LlmSize.Core.Inference;
using LlmSize.Core.Models;
using LlmSize.Core.Units;
using Xunit;

namespace LlmSize.Core.Tests.Inference
{
    /// <summary>Weights by tensor class, per-engine activations and overheads, tensor parallel, and input errors.</summary>
    public class EngineTests
    {
        private static readonly ModelSpec Llama2 = TestCatalog.Model("llama-2-7b");
        private static readonly ModelSpec Llama31 = TestCatalog.Model("llama-3.1-8b");

        // ---- llama.cpp log (shared/reference/measured.md §2) ----
        // llama-2-7b-chat.Q4_K_M.gguf, -c 4096, n_ubatch 512, f16 KV, CPU (no flash attention in that build):
        // "KV self size = 2048.00 MiB, K (f16): 1024.00 MiB, V (f16): 1024.00 MiB", "CPU buffer size = 3891.24 MiB",
        // "CPU compute buffer size = 296.01 MiB".

        private static InferenceRequest LlamaCppLog(EngineProfile? profile = null) =>
            new InferenceRequest(Llama2, DataTypes.Get("Q4_K_M"), 4096) { Engine = InferenceEngine.LlamaCpp, Profile = profile };

        [Fact]
        public void Llama_cpp_kv_self_size_is_exactly_2048_mib()
        {
            // 2 · 32 layers · 4096 cells · 4096 (32 heads × 128) · 2 B = 2,147,483,648 B; K and V 1024 MiB each.
            InferenceEstimate e = InferenceEstimator.Estimate(LlamaCppLog());
            Assert.Equal(2048.0, e.KvCache.MiB);
            Assert.Equal(2_147_483_648L, e.KvCache.Bytes);
            Assert.Equal("fp16", e.KvCachePrecision);
        }

        [Fact]
        public void Llama_cpp_weights_at_the_q4_k_m_file_average()
        {
            // 6,738,415,616 × 4.84 bits / 8 = 4,076,741,448 B = 3887.9 MiB vs the logged buffer 3891.24 MiB (−0.09 %); the
            // 4.84 figure is that file's own average, so only the rounding of 4.84 separates them.
            InferenceEstimate e = InferenceEstimator.Estimate(LlamaCppLog());
            Assert.Equal(4_076_741_448L, e.Weights.Bytes);
            Assert.InRange(e.Weights.MiB / 3891.24 - 1, -0.005, 0.005);
        }

        [Fact]
        public void Llama_cpp_compute_buffer_without_flash_attention()
        {
            // f32 graph, n_ubatch 512, attention over all 4096 cells (n_ctx padded to 32 without flash attention):
            //   KQ scores 512 · 32 heads · 4096 · 4 B = 268,435,456
            //   KQ mask   512 · 4096 · 4 B           =   8,388,608
            //   residual, q, k, v 512 · (4096 + 3·4096) · 4 B = 33,554,432
            // = 310,378,496 B = 296.00 MiB (logged 296.01 MiB). The MLP phase, 512 · (2·4096 + 3·11008) · 4 B = 80.5 MiB, is smaller.
            EngineProfile noFlash = EngineProfile.For(InferenceEngine.LlamaCpp);
            noFlash.FlashAttention = false;
            noFlash.AttentionMaskBytes = 4;
            noFlash.KvBlockTokens = 32;
            InferenceEstimate e = InferenceEstimator.Estimate(LlamaCppLog(noFlash));
            Assert.Equal(310_378_496L, e.Activations.Bytes);
            Assert.InRange(e.Activations.MiB / 296.01 - 1, -0.0001, 0.0001);
            Assert.Equal(2048.0, e.KvCache.MiB);
        }

        [Fact]
        public void Llama_cpp_default_flash_attention_leaves_the_mlp_phase()
        {
            // With flash attention: no scores, f16 mask 512·4096·2 B; the MLP phase 512 · (8192 + 33024) · 4 B = 84,410,368 B wins.
            Assert.Equal(84_410_368L, InferenceEstimator.Estimate(LlamaCppLog()).Activations.Bytes);
        }

        [Fact]
        public void Llama_cpp_quantized_kv_counts_block_scales_and_pads_the_context()
        {
            // q8_0: 34 B per 32 values = 8.5 bits → 2048 MiB × 8.5 / 16 = 1088 MiB.
            InferenceRequest q8 = LlamaCppLog();
            q8.KvCachePrecision = DataTypes.Get("Q8_0");
            Assert.Equal(1088.0, InferenceEstimator.Estimate(q8).KvCache.MiB);
            // q4_0: 18 B per 32 = 4.5 bits → 576 MiB.
            q8.KvCachePrecision = DataTypes.Get("Q4_0");
            Assert.Equal(576.0, InferenceEstimator.Estimate(q8).KvCache.MiB);
            // n_ctx 1000 pads to 1024 with flash attention: 1024 · 524,288 B = 512 MiB.
            InferenceRequest padded = LlamaCppLog();
            padded.ContextLength = 1000;
            Assert.Equal(512.0, InferenceEstimator.Estimate(padded).KvCache.MiB);
        }

        // ---- Weights by tensor class ----

        [Fact]
        public void Quantized_linear_layers_keep_embeddings_and_norms_at_16_bit()
        {
            // Llama-3.1-8B: 8,030,261,248 parameters; embeddings and lm_head 128256 · 4096 = 525,336,576 each, norms
            // 65 · 4096 = 266,240 → 1,050,939,392 at 16 bit. int4: 6,979,321,856 · 0.5 + 1,050,939,392 · 2 = 5,591,539,712 B.
            InferenceRequest r = new InferenceRequest(Llama31, DataTypes.Get("int4"), 4096);
            Assert.Equal(5_591_539_712L, InferenceEstimator.Estimate(r).Weights.Bytes);
            r.KeepEmbeddingsIn16Bit = false; // everything at 4 bits: 8,030,261,248 / 2
            Assert.Equal(4_015_130_624L, InferenceEstimator.Estimate(r).Weights.Bytes);
        }

        [Fact]
        public void Gguf_types_cover_every_tensor()
        {
            // Q4_0 (4.5 bits) on all 8,030,261,248 parameters, as in a GGUF file: 8,030,261,248 · 9 / 16 B.
            var r = new InferenceRequest(Llama31, DataTypes.Get("Q4_0"), 4096) { Engine = InferenceEngine.LlamaCpp };
            Assert.Equal(8_030_261_248L * 9 / 16, InferenceEstimator.Estimate(r).Weights.Bytes);
        }

        [Fact]
        public void Fp8_runtime_quantization_matches_vllm_weights()
        {
            // measured.md §1 row 5: vLLM --quantization fp8 logs 8.49 GiB. 6,979,321,856 · 1 + 1,050,939,392 · 2 =
            // 9,081,200,640 B = 8.458 GiB (+ 0.031 GiB RoPE cache in vLLM's figure).
            var r = new InferenceRequest(Llama31, DataTypes.Get("fp8"), 8192) { Engine = InferenceEngine.Vllm };
            Assert.Equal(9_081_200_640L, InferenceEstimator.Estimate(r).Weights.Bytes);
        }

        [Fact]
        public void Moe_memory_counts_every_expert()
        {
            // Mixtral-8x7B: 46,702,792,704 parameters (12.9 B active) × 2 B = 93,405,585,408 B.
            var r = new InferenceRequest(TestCatalog.Model("mixtral-8x7b"), DataTypes.Bf16, 4096);
            Assert.Equal(93_405_585_408L, InferenceEstimator.Estimate(r).Weights.Bytes);
        }

        [Fact]
        public void Exact_weight_bytes_from_files_replace_the_computation()
        {
            var r = new InferenceRequest(Llama2, DataTypes.Get("Q4_K_M"), 4096)
            {
                Engine = InferenceEngine.LlamaCpp,
                ExactWeightBytes = ByteSize.FromMiB(3891.24),
            };
            Assert.Equal(ByteSize.FromMiB(3891.24), InferenceEstimator.Estimate(r).Weights);
        }

        // ---- Tensor parallel ----

        [Fact]
        public void Tensor_parallel_splits_weights_and_kv_but_not_overhead()
        {
            // Generic, Llama-3.1-8B bf16, 8192 tokens, TP 2. Weights 16,060,522,496 B; norms 266,240 · 2 B = 532,480 B stay
            // on both GPUs: (16,060,522,496 − 532,480) / 2 + 532,480 = 8,030,527,488 B per GPU. KV 1 GiB → 512 MiB per GPU.
            // Overhead per GPU: 0.5 GiB context + 0.05 GiB workspaces + 1 GiB NCCL.
            var r = new InferenceRequest(Llama31, DataTypes.Bf16, 8192) { TensorParallel = 2 };
            InferenceEstimate e = InferenceEstimator.Estimate(r);
            Assert.Equal(8_030_527_488L, e.WeightsPerGpu.Bytes);
            Assert.Equal(ByteSize.GiBBytes / 2, e.KvCachePerGpu.Bytes);
            Assert.Equal(ByteSize.FromGiB(0.5) + ByteSize.FromGiB(0.05) + ByteSize.FromGiB(1), e.OverheadPerGpu);
            Assert.Equal(2 * e.OverheadPerGpu.Bytes, e.Overhead.Bytes);
            Assert.Equal(2 * e.PerGpu.Bytes, e.Total.Bytes);
            Assert.Equal(e.WeightsPerGpu + e.KvCachePerGpu + e.ActivationsPerGpu + e.OverheadPerGpu, e.PerGpu);
            Assert.Equal(e.Weights + e.KvCache + e.Activations + e.Overhead, e.Total);
            Assert.Equal(2, e.TensorParallel);
            Assert.Empty(e.Warnings);
        }

        [Fact]
        public void Indivisible_tensor_parallel_is_a_warning()
        {
            var r = new InferenceRequest(Llama31, DataTypes.Bf16, 8192) { TensorParallel = 3 };
            Assert.Contains(InferenceEstimator.Estimate(r).Warnings, w => w.Contains("32 attention heads"));
            // transformers splits whole layers (device_map), so 3 GPUs are fine there, with no NCCL term.
            r.Engine = InferenceEngine.Transformers;
            InferenceEstimate layers = InferenceEstimator.Estimate(r);
            Assert.Empty(layers.Warnings);
            Assert.Equal(ByteSize.FromGiB(0.55), layers.OverheadPerGpu);
            Assert.Equal((ByteSize.GiBBytes + 2) / 3, layers.KvCachePerGpu.Bytes);
        }

        // ---- transformers activations ----

        [Fact]
        public void Transformers_keeps_only_last_token_logits_unless_told_otherwise()
        {
            // Llama-3-8B, b 1, s 4096, bf16. Default (logits_to_keep = 1): MLP phase 4096 · (2·4096 + 3·14336) · 2 B
            // = 419,430,400 B. Legacy all-position fp32 logits: 4096 · 128256 · (2 + 4) B + 4096 · 4096 · 2 B
            // = 3,152,019,456 + 33,554,432 = 3,185,573,888 B (2.97 GiB).
            var r = new InferenceRequest(TestCatalog.Model("llama-3-8b"), DataTypes.Bf16, 4096) { Engine = InferenceEngine.Transformers };
            Assert.Equal(419_430_400L, InferenceEstimator.Estimate(r).Activations.Bytes);
            EngineProfile legacy = EngineProfile.For(InferenceEngine.Transformers);
            legacy.LogitsForAllPromptPositions = true;
            r.Profile = legacy;
            Assert.Equal(3_185_573_888L, InferenceEstimator.Estimate(r).Activations.Bytes);
        }

        [Fact]
        public void Eager_attention_materializes_the_score_matrix()
        {
            // Eager: b · heads · s² scores in bf16 plus their fp32 softmax (2 + 4 B): 32 · 4096² · 6 = 3,221,225,472 B,
            // plus the attention phase's own 4096 · (4096 + 4096 + 2·1024) · 2 = 83,886,080 B.
            EngineProfile eager = EngineProfile.For(InferenceEngine.Transformers);
            eager.FlashAttention = false;
            var r = new InferenceRequest(TestCatalog.Model("llama-3-8b"), DataTypes.Bf16, 4096) { Profile = eager };
            InferenceEstimate e = InferenceEstimator.Estimate(r);
            Assert.Equal(3_305_111_552L, e.Activations.Bytes);
            Assert.Equal(InferenceEngine.Transformers, e.Engine); // the profile's engine is echoed
        }

        // ---- Echo and warnings ----

        [Fact]
        public void Inputs_are_echoed()
        {
            var r = new InferenceRequest(Llama31, DataTypes.Get("awq"), 32768)
            {
                Engine = InferenceEngine.Vllm, BatchSize = 4, TensorParallel = 2, KvCachePrecision = DataTypes.Get("fp8"),
            };
            InferenceEstimate e = InferenceEstimator.Estimate(r);
            Assert.Equal("llama-3.1-8b", e.ModelId);
            Assert.Equal("awq-4bit-g128", e.Precision);
            Assert.Equal("fp8", e.KvCachePrecision);
            Assert.Equal(32768, e.ContextLength);
            Assert.Equal(4, e.BatchSize);
            Assert.Equal(2, e.TensorParallel);
            Assert.Equal(InferenceEngine.Vllm, e.Engine);
            Assert.Equal(0.9, e.GpuMemoryUtilization);
            Assert.Equal(new[] { "Weights", "KvCache", "Activations", "Overhead" }, e.Breakdown.Select(c => c.Name));
            Assert.Same(r, e.Request);
        }

        [Fact]
        public void Context_beyond_the_model_maximum_warns_and_does_not_clamp()
        {
            // Llama-2-7B's maximum is 4096; 8192 tokens are estimated as asked: 8192 · 524,288 B = 4 GiB.
            InferenceEstimate e = InferenceEstimator.Estimate(new InferenceRequest(Llama2, DataTypes.Fp16, 8192));
            Assert.Equal(4L * ByteSize.GiBBytes, e.KvCache.Bytes);
            Assert.Contains(e.Warnings, w => w.Contains("exceeds the model's maximum of 4096"));
        }

        [Fact]
        public void Changing_a_request_afterwards_leaves_the_estimate_alone()
        {
            var r = new InferenceRequest(Llama2, DataTypes.Fp16, 2048);
            InferenceEstimate e = InferenceEstimator.Estimate(r);
            r.ContextLength = 4096;
            r.WeightPrecision = DataTypes.Fp32;
            Assert.Equal(2048, e.ContextLength);
            Assert.Equal("fp16", e.Precision);
            Assert.Equal(ByteSize.GiBBytes, e.KvCache.Bytes);
        }

        // ---- Errors ----

        [Theory]
        [InlineData(0, 1, 1, EstimateInputException.InvalidContextLength)]
        [InlineData(-5, 1, 1, EstimateInputException.InvalidContextLength)]
        [InlineData(2048, 0, 1, EstimateInputException.InvalidBatchSize)]
        [InlineData(2048, 1, 0, EstimateInputException.InvalidTensorParallel)]
        public void Non_positive_sizes_are_errors(long context, int batch, int tp, string errorId)
        {
            var r = new InferenceRequest(Llama2, DataTypes.Fp16, context) { BatchSize = batch, TensorParallel = tp };
            var ex = Assert.Throws<EstimateInputException>(() => InferenceEstimator.Estimate(r));
            Assert.Equal(errorId, ex.ErrorId);
        }

        [Fact]
        public void Bad_utilization_and_negative_overrides_are_errors()
        {
            var r = new InferenceRequest(Llama2, DataTypes.Fp16, 2048) { GpuMemoryUtilization = 1.5 };
            Assert.Equal(EstimateInputException.InvalidMemoryUtilization,
                Assert.Throws<EstimateInputException>(() => InferenceEstimator.Estimate(r)).ErrorId);
            r.GpuMemoryUtilization = null;
            r.OverheadOverride = new ByteSize(-1);
            Assert.Equal(EstimateInputException.InvalidOverride,
                Assert.Throws<EstimateInputException>(() => InferenceEstimator.Estimate(r)).ErrorId);
        }

        [Fact]
        public void Unsupported_kv_precision_names_the_supported_ones()
        {
            var r = new InferenceRequest(Llama2, DataTypes.Get("Q4_K_M"), 4096)
            {
                Engine = InferenceEngine.LlamaCpp, KvCachePrecision = DataTypes.Get("fp8"),
            };
            var ex = Assert.Throws<EstimateInputException>(() => InferenceEstimator.Estimate(r));
            Assert.Equal(EstimateInputException.UnsupportedKvCachePrecision, ex.ErrorId);
            Assert.Equal(new[] { "fp32", "fp16", "bf16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1" }, ex.Supported);
            Assert.Contains("Q8_0", ex.Message);

            r.Engine = InferenceEngine.Vllm;
            r.WeightPrecision = DataTypes.Bf16;
            r.KvCachePrecision = DataTypes.Get("Q8_0");
            ex = Assert.Throws<EstimateInputException>(() => InferenceEstimator.Estimate(r));
            Assert.Equal(new[] { "fp32", "fp16", "bf16", "fp8" }, ex.Supported);
        }

        [Fact]
        public void Unsupported_weight_precision_names_the_supported_ones()
        {
            var r = new InferenceRequest(Llama2, DataTypes.Get("gptq"), 4096) { Engine = InferenceEngine.LlamaCpp };
            var ex = Assert.Throws<EstimateInputException>(() => InferenceEstimator.Estimate(r));
            Assert.Equal(EstimateInputException.UnsupportedWeightPrecision, ex.ErrorId);
            Assert.Contains("Q4_K_M", ex.Supported);
            Assert.DoesNotContain("gptq-4bit-g128", ex.Supported);

            r.Engine = InferenceEngine.Transformers; // GGUF is dequantized by transformers, not run
            r.WeightPrecision = DataTypes.Get("Q4_K_M");
            Assert.Equal(EstimateInputException.UnsupportedWeightPrecision,
                Assert.Throws<EstimateInputException>(() => InferenceEstimator.Estimate(r)).ErrorId);

            r.Engine = InferenceEngine.Vllm; // experimental there: a warning
            Assert.Contains(InferenceEstimator.Estimate(r).Warnings, w => w.Contains("experimentally"));
        }

        [Fact]
        public void Profiles_are_copies()
        {
            EngineProfile a = EngineProfile.For(InferenceEngine.Vllm);
            a.GpuMemoryUtilization = 0.5;
            Assert.Equal(0.9, EngineProfile.For(InferenceEngine.Vllm).GpuMemoryUtilization);
            var r = new InferenceRequest(Llama31, DataTypes.Bf16, 1024) { Engine = InferenceEngine.Vllm };
            InferenceEstimate e = InferenceEstimator.Estimate(r);
            e.Profile.FlashAttention = false;
            Assert.True(EngineProfile.For(InferenceEngine.Vllm).FlashAttention);
        }
    }
}
