namespace LlmSize.Core.Inference
{
    /// <summary>The runtime whose memory behaviour an inference estimate follows; each has an <see cref="EngineProfile"/>.</summary>
    public enum InferenceEngine
    {
        /// <summary>Engine-neutral textbook profile: whole prompt in one forward pass, flash attention, tensor parallel.</summary>
        Generic,
        /// <summary>Hugging Face transformers <c>generate()</c> on PyTorch (SDPA attention, DynamicCache, device_map).</summary>
        Transformers,
        /// <summary>vLLM V1 (paged KV cache, chunked prefill, gpu_memory_utilization budget).</summary>
        Vllm,
        /// <summary>llama.cpp / ggml (GGUF weights, micro-batches, padded KV cache).</summary>
        LlamaCpp,
    }

    /// <summary>How an engine allocates KV-cache memory.</summary>
    public enum KvAllocation
    {
        /// <summary>Exactly the tokens held (transformers DynamicCache grows by one token per step).</summary>
        PerToken,
        /// <summary>Each sequence in fixed-size blocks (vLLM PagedAttention): tokens round up per sequence.</summary>
        PagedBlocks,
        /// <summary>One cache for all sequences, its size padded (llama.cpp n_ctx padding).</summary>
        PaddedContext,
    }

    /// <summary>How an engine spreads one model over several GPUs.</summary>
    public enum MultiGpuSplit
    {
        /// <summary>Megatron-style tensor parallel: heads and MLP columns split; needs collective buffers (NCCL).</summary>
        TensorParallel,
        /// <summary>Whole layers per GPU (llama.cpp -sm layer, transformers device_map="auto"): no head constraint.</summary>
        Layers,
    }

    /// <summary>What an engine caches for multi-head latent attention (DeepSeek V2/V3).</summary>
    public enum MlaCacheLayout
    {
        /// <summary>The compressed latent plus the rope key: kv_lora_rank + qk_rope_head_dim values per token per layer.</summary>
        Latent,
        /// <summary>Decompressed per-head K (nope + rope) and V: n_heads·(qk_nope + qk_rope + v_head_dim) values.</summary>
        Decompressed,
    }
}
