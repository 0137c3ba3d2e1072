using LlmSize.Core.Inference;
using LlmSize.Core.Models;
using LlmSize.Core.Units;
using Xunit;

namespace LlmSize.Core.Tests.Inference
{
    /// <summary>KV-cache bytes per DESIGN.md §7, derived by hand per architecture.</summary>
    public class KvCacheTests
    {
        private static InferenceEstimate Estimate(string model, long context, InferenceEngine engine = InferenceEngine.Generic,
            int batch = 1, int tp = 1, string weights = "bf16", string? kv = null) =>
            InferenceEstimator.Estimate(new InferenceRequest(TestCatalog.Model(model), DataTypes.Get(weights), context)
            {
                Engine = engine, BatchSize = batch, TensorParallel = tp, KvCachePrecision = kv == null ? null : DataTypes.Get(kv),
            });

        [Fact]
        public void Gqa_keeps_a_quarter_of_mha()
        {
            // Llama-2-7B, MHA: 2 · 32 layers · 32 KV heads · 128 · 2 B = 524,288 B per token.
            // Llama-3-8B, GQA: 2 · 32 · 8 · 128 · 2 B = 131,072 B per token (32 query heads share 8 KV heads).
            InferenceEstimate mha = Estimate("llama-2-7b", 4096);
            InferenceEstimate gqa = Estimate("llama-3-8b", 4096);
            Assert.Equal(524_288L, mha.KvBytesPerToken);
            Assert.Equal(131_072L, gqa.KvBytesPerToken);
            Assert.Equal(4096L * 524_288, mha.KvCache.Bytes);
            Assert.Equal(4096L * 131_072, gqa.KvCache.Bytes);
            Assert.Equal("GQA 8 KV heads × 128", gqa.KvCacheLayout);
        }

        [Fact]
        public void Mqa_falcon_caches_one_head()
        {
            // Falcon-7B multi_query: 2 · 32 layers · 1 · 64 (4544 / 71) · 2 B = 8,192 B per token.
            InferenceEstimate e = Estimate("falcon-7b", 2048);
            Assert.Equal(8_192L, e.KvBytesPerToken);
            Assert.Equal("MQA 1 KV head × 64", e.KvCacheLayout);
        }

        [Fact]
        public void Batch_multiplies_the_cache()
        {
            // 8 sequences × 4096 tokens × 131,072 B = 4 GiB.
            Assert.Equal(4L * ByteSize.GiBBytes, Estimate("llama-3-8b", 4096, batch: 8).KvCache.Bytes);
        }

        [Fact]
        public void Mla_caches_the_576_value_latent_in_vllm_and_llama_cpp()
        {
            // DeepSeek-V3: kv_lora_rank 512 + qk_rope_head_dim 64 = 576 values per token per layer, no factor 2;
            // 61 layers · 576 · 2 B = 70,272 B per token.
            InferenceEstimate vllm = Estimate("deepseek-v3", 4096, InferenceEngine.Vllm);
            Assert.Equal(61L * 576 * 2, vllm.KvBytesPerToken);
            Assert.Equal("MLA latent 512+64 (vLLM layout)", vllm.KvCacheLayout);
            Assert.Equal(4096L * 70_272, vllm.KvCache.Bytes); // 4096 is a whole number of 16-token blocks

            InferenceEstimate cpp = Estimate("deepseek-v3", 4096, InferenceEngine.LlamaCpp, weights: "Q4_K");
            Assert.Equal(70_272L, cpp.KvBytesPerToken);
            Assert.Equal("MLA latent 512+64 (llama.cpp layout)", cpp.KvCacheLayout);
        }

        [Fact]
        public void Mla_in_transformers_caches_decompressed_k_and_v()
        {
            // modeling_deepseek_v3 caches K (128 heads × (128 nope + 64 rope)) and V (128 heads × 128) after kv_b_proj:
            // 128 · 320 = 40,960 values per token per layer, 71× the latent; 61 · 40,960 · 2 B = 4,997,120 B per token.
            InferenceEstimate e = Estimate("deepseek-v3", 4096, InferenceEngine.Transformers);
            Assert.Equal(61L * 40_960 * 2, e.KvBytesPerToken);
            Assert.Equal("MLA decompressed K/V 128 heads × (128+64 K, 128 V) (transformers layout)", e.KvCacheLayout);
        }

        [Fact]
        public void Mla_latent_is_replicated_under_tensor_parallel()
        {
            // The latent has no head axis: every one of 8 GPUs keeps the full 4096 × 70,272 B.
            InferenceEstimate one = Estimate("deepseek-v3", 4096, InferenceEngine.Vllm);
            InferenceEstimate eight = Estimate("deepseek-v3", 4096, InferenceEngine.Vllm, tp: 8);
            Assert.Equal(one.KvCachePerGpu, eight.KvCachePerGpu);
            Assert.Equal(8 * one.KvCache.Bytes, eight.KvCache.Bytes);
            Assert.Contains(eight.Warnings, w => w.Contains("MLA latent"));
        }

        [Fact]
        public void Mistral_v01_window_caps_every_layer_at_4096_tokens()
        {
            // Mistral-7B-v0.1: sliding_window 4096 on all 32 layers. At 8192 tokens each layer holds 4096:
            // 32 · 4096 · (2 · 8 · 128 · 2 B) = 536,870,912 B (512 MiB), half of v0.3 (no window) at 1 GiB.
            InferenceEstimate v01 = Estimate("mistral-7b-v0.1", 8192);
            InferenceEstimate v03 = Estimate("mistral-7b-v0.3", 8192);
            Assert.Equal(536_870_912L, v01.KvCache.Bytes);
            Assert.Equal(1_073_741_824L, v03.KvCache.Bytes);
            Assert.Equal("GQA 8 KV heads × 128; sliding window 4096 on all 32 layers", v01.KvCacheLayout);
            // Within the window the two agree.
            Assert.Equal(Estimate("mistral-7b-v0.3", 4096).KvCache, Estimate("mistral-7b-v0.1", 4096).KvCache);
        }

        [Fact]
        public void Gemma2_alternates_sliding_and_global_layers()
        {
            // Gemma-2-9B: 42 layers, even ones slide over 4096 tokens; 8 KV heads × 256 → 2·8·256·2 = 8,192 B per token-layer.
            // 8192 tokens: 21 global × 8192 + 21 sliding × 4096 = 258,048 token-layers × 8,192 B = 2,113,929,216 B.
            InferenceEstimate e = Estimate("gemma-2-9b", 8192);
            Assert.Equal(2_113_929_216L, e.KvCache.Bytes);
            Assert.Equal("GQA 8 KV heads × 256; sliding window 4096 on 21 of 42 layers", e.KvCacheLayout);
            // KvBytesPerToken is the rate while the context is inside the window: 42 · 8,192.
            Assert.Equal(42L * 8_192, e.KvBytesPerToken);
        }

        [Fact]
        public void Gemma3_keeps_one_global_layer_in_six()
        {
            // Gemma-3-1B: 26 layers, sliding_window_pattern 6 → layers 5, 11, 17, 23 global, 22 sliding over 512 tokens;
            // 1 KV head × 256 → 2·1·256·2 = 1,024 B per token-layer. 32768 tokens: 4 · 32768 + 22 · 512 = 142,336
            // token-layers × 1,024 B = 145,752,064 B.
            InferenceEstimate e = Estimate("gemma-3-1b", 32768);
            Assert.Equal(145_752_064L, e.KvCache.Bytes);
            Assert.Equal("MQA 1 KV head × 256; sliding window 512 on 22 of 26 layers", e.KvCacheLayout);
        }

        [Fact]
        public void Vllm_rounds_each_sequence_up_to_16_token_blocks()
        {
            // 100 tokens → 7 blocks = 112 tokens per sequence; 3 sequences · 112 · 131,072 B = 44,040,192 B.
            Assert.Equal(3L * 112 * 131_072, Estimate("llama-3-8b", 100, InferenceEngine.Vllm, batch: 3).KvCache.Bytes);
            // Gemma-2 sliding layers round too: 42 layers × 112 tokens × 8,192 B.
            Assert.Equal(42L * 112 * 8_192, Estimate("gemma-2-9b", 100, InferenceEngine.Vllm).KvCache.Bytes);
        }

        [Fact]
        public void Fp8_kv_halves_the_cache()
        {
            Assert.Equal(4096L * 65_536, Estimate("llama-3-8b", 4096, InferenceEngine.Vllm, kv: "fp8").KvCache.Bytes);
        }

        [Fact]
        public void Default_kv_precision_follows_the_compute_dtype()
        {
            Assert.Equal("bf16", Estimate("llama-3-8b", 128, InferenceEngine.Vllm, weights: "awq").KvCachePrecision);
            Assert.Equal("fp16", Estimate("llama-3-8b", 128, InferenceEngine.Vllm, weights: "fp16").KvCachePrecision);
            Assert.Equal("fp32", Estimate("llama-3-8b", 128, InferenceEngine.Vllm, weights: "fp32").KvCachePrecision);
            Assert.Equal("fp16", Estimate("llama-3-8b", 128, InferenceEngine.LlamaCpp, weights: "Q4_K_M").KvCachePrecision);
        }

        [Fact]
        public void Kv_heads_replicate_when_fewer_than_gpus()
        {
            // Llama-3.1-8B has 8 KV heads. Over 2 GPUs each holds 4: half the cache. Over 16 GPUs each still holds one
            // head (a replica): an eighth, not a sixteenth. 8192 tokens: total 1 GiB.
            Assert.Equal(ByteSize.GiBBytes / 2, Estimate("llama-3.1-8b", 8192, tp: 2).KvCachePerGpu.Bytes);
            InferenceEstimate sixteen = Estimate("llama-3.1-8b", 8192, tp: 16);
            Assert.Equal(ByteSize.GiBBytes / 8, sixteen.KvCachePerGpu.Bytes);
            Assert.Contains(sixteen.Warnings, w => w.Contains("replica"));
        }
    }
}
