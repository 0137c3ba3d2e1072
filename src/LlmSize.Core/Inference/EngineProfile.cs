using System;
using System.Collections.Generic;
using LlmSize.Core.Units;

namespace LlmSize.Core.Inference
{
    /// <summary>
    /// The memory behaviour of one inference engine: fixed overheads, how a forward pass is chunked, which transient
    /// tensors exist, how the KV cache is allocated and which precisions the engine runs. Every default cites its source.
    /// <see cref="For"/> returns a fresh copy to adjust (e.g. flash attention off) and pass as
    /// <see cref="InferenceRequest.Profile"/>.
    /// </summary>
    public sealed class EngineProfile
    {
        // ---- Sources shared by several profiles (shared/reference/hardware-notes.md §6) ----

        /// <summary>
        /// CUDA context with lazy module loading: hardware-notes.md §6 suggests 0.5 GiB (ptrblck in pytorch#107667:
        /// about 300 MB per process with CUDA_MODULE_LOADING=LAZY; ml-engineering: 0.47 GiB of kernels, PyTorch 2.1.1).
        /// </summary>
        public static readonly ByteSize CudaContext = ByteSize.FromGiB(0.5);

        /// <summary>
        /// cuBLAS/cuBLASLt workspaces: hardware-notes.md §6 suggests 0.05 GiB (PyTorch PR #120925: 32 MiB cuBLASLt
        /// workspace on Hopper; a fixed 8.125 MiB cuBLAS block on the first matmul).
        /// </summary>
        public static readonly ByteSize BlasWorkspaces = ByteSize.FromGiB(0.05);

        /// <summary>
        /// NCCL buffers per GPU when a model spans GPUs: hardware-notes.md §6 rule of thumb 1 GiB (NCCL_BUFFSIZE 4 MiB per
        /// channel per peer, NVIDIA/nccl#285; one communicator with an allreduce about 1.6 GB, NVIDIA/nccl#864).
        /// </summary>
        public static readonly ByteSize NcclBuffers = ByteSize.FromGiB(1.0);

        private HashSet<string>? _weightNames;
        private HashSet<string>? _weightFamilies;
        private HashSet<string>? _kvNames;

        public EngineProfile(InferenceEngine engine) { Engine = engine; }

        public InferenceEngine Engine { get; }
        /// <summary>One line on what the profile assumes.</summary>
        public string Description { get; set; } = "";

        /// <summary>Per GPU, per process, counted in every estimate (CUDA context and library workspaces).</summary>
        public ByteSize FixedOverhead { get; set; }
        /// <summary>Added per GPU when the model spans more than one GPU (NCCL and all-reduce buffers).</summary>
        public ByteSize MultiGpuOverhead { get; set; }
        /// <summary>Share of a GPU's usable memory the engine lets itself use (vLLM gpu_memory_utilization); null = all.</summary>
        public double? GpuMemoryUtilization { get; set; }
        public MultiGpuSplit MultiGpuSplit { get; set; } = MultiGpuSplit.TensorParallel;

        /// <summary>Tokens one forward pass processes at most (vLLM max_num_batched_tokens, llama.cpp n_ubatch); null = the
        /// whole batch of prompts at once (transformers generate()).</summary>
        public int? PrefillChunkTokens { get; set; }
        /// <summary>
        /// True when the activation term is what the engine's start-up profiling run reserves (vLLM: a dummy forward of
        /// <see cref="PrefillChunkTokens"/> tokens and a sampler pass over <see cref="MaxNumSequences"/> rows), which does not
        /// depend on the request's batch or context.
        /// </summary>
        public bool ActivationsFromStartupProfile { get; set; }
        /// <summary>Sequences scheduled at once (vLLM max_num_seqs); rows of the profiling sampler pass.</summary>
        public int? MaxNumSequences { get; set; }
        /// <summary>Bytes per element of activations; null = the compute dtype (4 for fp32 weights, else 2).</summary>
        public int? ActivationBytes { get; set; }

        /// <summary>Fused attention (FlashAttention, SDPA, ggml flash-attn): no score matrix is materialized.</summary>
        public bool FlashAttention { get; set; } = true;
        /// <summary>Bytes per attention-score element without flash attention; null = compute dtype + 4 (eager attention
        /// keeps the scores and their fp32 softmax: transformers eager_attention_forward).</summary>
        public double? AttentionScoreBytes { get; set; }
        /// <summary>Bytes per (query × key) element of a materialized attention mask; 0 = none.</summary>
        public double AttentionMaskBytes { get; set; }

        /// <summary>Logits for every prompt position (legacy transformers) rather than one row per sequence.</summary>
        public bool LogitsForAllPromptPositions { get; set; }
        /// <summary>Bytes per logit element beyond the logits themselves (fp32 copies, probabilities, sampling noise).</summary>
        public double SamplerBytesPerLogit { get; set; }

        public KvAllocation KvAllocation { get; set; } = KvAllocation.PerToken;
        /// <summary>KV allocation granularity in tokens (vLLM block_size, llama.cpp n_ctx padding); 1 = none.</summary>
        public int KvBlockTokens { get; set; } = 1;
        public MlaCacheLayout MlaCacheLayout { get; set; } = MlaCacheLayout.Latent;
        /// <summary>KV precision when the request names none; null = the compute dtype (vLLM kv_cache_dtype "auto").</summary>
        public DataType? DefaultKvCachePrecision { get; set; }

        /// <summary>Weight data types by name (null with <see cref="WeightFamilies"/> null = any).</summary>
        public IReadOnlyCollection<string>? WeightPrecisions
        {
            get => _weightNames;
            set => _weightNames = value == null ? null : new HashSet<string>(value, StringComparer.OrdinalIgnoreCase);
        }
        /// <summary>Weight data-type families accepted whole (GGUF, GPTQ, AWQ, BitsAndBytes, Microscaling).</summary>
        public IReadOnlyCollection<string>? WeightFamilies
        {
            get => _weightFamilies;
            set => _weightFamilies = value == null ? null : new HashSet<string>(value, StringComparer.OrdinalIgnoreCase);
        }
        /// <summary>KV-cache data types by name; null = any.</summary>
        public IReadOnlyCollection<string>? KvCachePrecisions
        {
            get => _kvNames;
            set => _kvNames = value == null ? null : new HashSet<string>(value, StringComparer.OrdinalIgnoreCase);
        }
        /// <summary>Weight families the engine loads only experimentally (a warning, not an error).</summary>
        public string? ExperimentalWeightFamily { get; set; }

        public bool SupportsWeightPrecision(DataType type)
        {
            if (type == null) throw new ArgumentNullException(nameof(type));
            if (_weightNames == null && _weightFamilies == null) return true;
            return (_weightNames != null && _weightNames.Contains(type.Name))
                   || (_weightFamilies != null && _weightFamilies.Contains(type.Family));
        }

        public bool SupportsKvCachePrecision(DataType type)
        {
            if (type == null) throw new ArgumentNullException(nameof(type));
            return _kvNames == null || _kvNames.Contains(type.Name);
        }

        /// <summary>Names of the supported weight types in the data-type table (for error messages and completion).</summary>
        public IReadOnlyList<string> SupportedWeightPrecisionNames()
        {
            var names = new List<string>();
            foreach (DataType t in DataTypes.All) if (SupportsWeightPrecision(t)) names.Add(t.Name);
            if (_weightFamilies != null)
            {
                if (_weightFamilies.Contains("GPTQ")) names.Add("gptq-Nbit-gG");
                if (_weightFamilies.Contains("AWQ")) names.Add("awq-Nbit-gG");
            }
            return names;
        }

        /// <summary>Names of the supported KV-cache types in the data-type table.</summary>
        public IReadOnlyList<string> SupportedKvCachePrecisionNames()
        {
            var names = new List<string>();
            foreach (DataType t in DataTypes.All) if (SupportsKvCachePrecision(t)) names.Add(t.Name);
            return names;
        }

        /// <summary>A copy to adjust without touching the defaults.</summary>
        public EngineProfile Clone()
        {
            var copy = (EngineProfile)MemberwiseClone();
            copy._weightNames = _weightNames == null ? null : new HashSet<string>(_weightNames, StringComparer.OrdinalIgnoreCase);
            copy._weightFamilies = _weightFamilies == null ? null : new HashSet<string>(_weightFamilies, StringComparer.OrdinalIgnoreCase);
            copy._kvNames = _kvNames == null ? null : new HashSet<string>(_kvNames, StringComparer.OrdinalIgnoreCase);
            return copy;
        }

        public override string ToString() => Engine.ToString();

        /// <summary>A fresh copy of the default profile of <paramref name="engine"/>.</summary>
        public static EngineProfile For(InferenceEngine engine) => Default(engine).Clone();

        /// <summary>The shared default instances; never handed out (callers get clones).</summary>
        internal static EngineProfile Default(InferenceEngine engine)
        {
            switch (engine)
            {
                case InferenceEngine.Transformers: return s_transformers;
                case InferenceEngine.Vllm: return s_vllm;
                case InferenceEngine.LlamaCpp: return s_llamaCpp;
                case InferenceEngine.Generic: return s_generic;
                default: throw new ArgumentOutOfRangeException(nameof(engine), engine, "Unknown inference engine.");
            }
        }

        private static readonly EngineProfile s_generic = CreateGeneric();
        private static readonly EngineProfile s_transformers = CreateTransformers();
        private static readonly EngineProfile s_vllm = CreateVllm();
        private static readonly EngineProfile s_llamaCpp = CreateLlamaCpp();

        /// <summary>
        /// Engine-neutral: CUDA context + BLAS workspaces, NCCL when split, whole prompt in one forward pass with fused
        /// attention, last-token logits in fp32, exact-size KV cache, any precision.
        /// </summary>
        private static EngineProfile CreateGeneric() => new EngineProfile(InferenceEngine.Generic)
        {
            Description = "Engine-neutral: one forward pass over all prompts, fused attention, last-token fp32 logits, tensor parallel",
            FixedOverhead = CudaContext + BlasWorkspaces,
            MultiGpuOverhead = NcclBuffers,
            SamplerBytesPerLogit = 4, // the fp32 copy of the last-token logits
        };

        /// <summary>Hugging Face transformers generate() on PyTorch.</summary>
        private static EngineProfile CreateTransformers() => new EngineProfile(InferenceEngine.Transformers)
        {
            Description = "transformers generate(): whole prompt at once, SDPA, last-token logits (logits_to_keep=1), DynamicCache, device_map split",
            // PyTorch CUDA context + cuBLAS workspaces (hardware-notes.md §6).
            FixedOverhead = CudaContext + BlasWorkspaces,
            // device_map="auto" (accelerate big-model inference) places whole layers on each GPU and runs them in turn:
            // no collectives, so no NCCL buffers.
            MultiGpuSplit = MultiGpuSplit.Layers,
            MultiGpuOverhead = ByteSize.Zero,
            // generate() sets logits_to_keep = 1 when the model supports it, so prefill computes only the last position's
            // logits (generation/utils.py; huggingface/transformers PR #31292, issue #30860); the decoding loop then copies
            // them to fp32 (outputs.logits[:, -1, :].to(dtype=torch.float32)). Before that change Llama-family forward()
            // upcast all b·s·V logits to fp32: set LogitsForAllPromptPositions for such versions.
            LogitsForAllPromptPositions = false,
            SamplerBytesPerLogit = 4,
            // attn_implementation defaults to "sdpa" when available (PyTorch scaled_dot_product_attention: fused
            // flash / memory-efficient kernels, no s² score tensor). For "eager", set FlashAttention = false.
            FlashAttention = true,
            // DynamicCache appends one token at a time, no blocks; DeepseekV3Attention caches key_states and value_states
            // after kv_b_proj, i.e. decompressed per-head K and V (modeling_deepseek_v3.py).
            KvAllocation = KvAllocation.PerToken,
            MlaCacheLayout = MlaCacheLayout.Decompressed,
            // Weights: torch dtypes, bitsandbytes (LLM.int8, NF4/FP4), GPTQ, AWQ, fp8 and MXFP4 quantizers
            // (transformers docs, "Quantization overview"). GGUF files are dequantized on load, so not listed.
            WeightPrecisions = new[] { "fp32", "tf32", "fp16", "bf16", "fp8", "int8", "int4", "mxfp4" },
            WeightFamilies = new[] { "BitsAndBytes", "GPTQ", "AWQ" },
            // KV: model dtype, or QuantizedCache (quanto nbits 2/4; HQQ 1, 2, 3, 4, 8: QuantizedCacheConfig docs).
            KvCachePrecisions = new[] { "fp32", "fp16", "bf16", "int8", "int4" },
        };

        /// <summary>vLLM V1 serving (vllm serve).</summary>
        private static EngineProfile CreateVllm() => new EngineProfile(InferenceEngine.Vllm)
        {
            Description = "vLLM V1: KV pool = utilization × memory − weights − profiled activations − non-torch; 16-token blocks",
            // vLLM computes the KV pool as gpu_memory_utilization × total − (weights + torch activation peak + non-torch
            // increase) (vllm/v1/worker/gpu_worker.py determine_available_memory). The CUDA context exists before the
            // baseline snapshot, so it sits in the 1 − utilization reserve (with CUDA graphs, reported apart); what counts
            // inside the budget is the non-torch increase: 0.24–0.25 GiB at TP = 1 (shared/reference/measured.md §1,
            // vLLM v0.19.0 on H100, rows 1–5, 9, 11).
            FixedOverhead = ByteSize.FromGiB(0.25),
            // NCCL and custom all-reduce buffers at TP > 1: non-torch 2.07 / 2.13 GiB at TP 2 / 4 (measured.md §1 rows
            // 6, 7, 10) minus 0.25; vllm-project/vllm PR #10511 logs 3.58 − 1.79 = 1.79 GiB at TP 2. About 1.8 GiB.
            MultiGpuOverhead = ByteSize.FromGiB(1.8),
            // CacheConfig.gpu_memory_utilization default 0.9 (newer docs give 0.92; hardware-notes.md §6).
            GpuMemoryUtilization = 0.9,
            // The profiling run: a dummy forward over max_num_batched_tokens tokens, then the sampler over
            // min(max_num_seqs, tokens) rows (vllm/v1/worker/gpu_model_runner.py profile_run, _dummy_sampler_run).
            // Defaults for `vllm serve` on GPUs with ≥ 70 GiB other than A100: 8192 tokens, 1024 sequences; 2048 / 256 on
            // smaller GPUs and A100; 16384 / 1024 for the offline LLM class (vllm/engine/arg_utils.py get_batch_defaults,
            // see vLLM PR #17885 for the A100 exception). See ForVllmGpu for the smaller-GPU values.
            ActivationsFromStartupProfile = true,
            PrefillChunkTokens = 8192,
            MaxNumSequences = 1024,
            // Logits only for the last token of each sequence (logits_indices); the sampler converts them to fp32, builds
            // softmax probabilities and exponential noise for the random sampler (vllm/v1/sample/sampler.py,
            // ops/topk_topp_sampler.py random_sample): 3 fp32 tensors of rows × vocab beyond the model-dtype logits.
            SamplerBytesPerLogit = 12,
            // FlashAttention / FlashInfer backends: no score matrix.
            FlashAttention = true,
            // PagedAttention with CacheConfig.block_size 16 on CUDA.
            KvAllocation = KvAllocation.PagedBlocks,
            KvBlockTokens = 16,
            // MLA backends cache kv_c_normed + k_pe (kv_lora_rank + qk_rope_head_dim) as one entry per token, and every
            // tensor-parallel rank holds the whole latent (vllm/attention MLA common).
            MlaCacheLayout = MlaCacheLayout.Latent,
            // vLLM quantization methods: fp8, int8 (w8a8), int4 (w4a16 compressed-tensors), bitsandbytes, GPTQ, AWQ,
            // MXFP4, NVFP4; GGUF loads experimentally (vLLM docs, "Supported Hardware for Quantization Kernels", "GGUF").
            WeightPrecisions = new[] { "fp32", "fp16", "bf16", "fp8", "int8", "int4", "mxfp4", "nvfp4" },
            WeightFamilies = new[] { "BitsAndBytes", "GPTQ", "AWQ", "GGUF" },
            ExperimentalWeightFamily = "GGUF",
            // --kv-cache-dtype: auto (= model dtype: fp32, fp16 or bf16), bfloat16, fp8 / fp8_e4m3 / fp8_e5m2.
            KvCachePrecisions = new[] { "fp32", "fp16", "bf16", "fp8" },
        };

        /// <summary>llama.cpp (llama-server / llama-cli) on a CUDA GPU.</summary>
        private static EngineProfile CreateLlamaCpp() => new EngineProfile(InferenceEngine.LlamaCpp)
        {
            Description = "llama.cpp: n_ubatch 512 micro-batches, f32 compute buffer, flash-attn auto, n_ctx padded to 256, layer split",
            // CUDA context + cuBLAS workspace of the ggml-cuda backend (hardware-notes.md §6 figures).
            FixedOverhead = CudaContext + BlasWorkspaces,
            // -sm layer (default split mode) places whole layers per GPU and copies activations between them.
            MultiGpuSplit = MultiGpuSplit.Layers,
            MultiGpuOverhead = ByteSize.Zero,
            // n_ubatch default 512 (common/common.h); graph tensors are f32.
            PrefillChunkTokens = 512,
            ActivationBytes = 4,
            // --flash-attn defaults to auto (on where the backend supports it; ggml-org/llama.cpp#27086 calls -fa auto the
            // default); with it the KQ mask is f16. Without: f32 KQ scores and f32 mask (296.01 MiB compute buffer for
            // Llama-2-7B at n_ctx 4096, measured.md §2, is reproduced with FlashAttention = false).
            FlashAttention = true,
            AttentionScoreBytes = 4,
            AttentionMaskBytes = 2,
            // Logits only for the last token of each sequence, f32 output buffer (0.12 MiB for 32000 × 1, measured.md §2).
            SamplerBytesPerLogit = 0,
            // One KV cache for all sequences, n_ctx padded to 256 with flash attention, 32 without
            // (src/llama-kv-cache.cpp get_padding).
            KvAllocation = KvAllocation.PaddedContext,
            KvBlockTokens = 256,
            // DeepSeek MLA: K rows of kv_lora_rank + n_rot (576), no V tensor (src/llama-kv-cache.cpp, MLA cache).
            MlaCacheLayout = MlaCacheLayout.Latent,
            DefaultKvCachePrecision = DataTypes.Fp16, // cache_type_k / cache_type_v default f16 (common/common.h)
            // GGUF tensor types, plus F32/F16/BF16 and MXFP4 (ggml type MXFP4).
            WeightPrecisions = new[] { "fp32", "fp16", "bf16", "mxfp4" },
            WeightFamilies = new[] { "GGUF" },
            // --cache-type-k/-v: f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1 (common/arg.cpp kv_cache_types).
            KvCachePrecisions = new[] { "fp32", "fp16", "bf16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1" },
        };

        /// <summary>
        /// The vLLM profile with the batch defaults vLLM picks for a GPU of <paramref name="gpuMemory"/>: ≥ 70 GiB and not
        /// an A100 → 8192 tokens / 1024 sequences; otherwise 2048 / 256 (vllm/engine/arg_utils.py get_batch_defaults,
        /// `vllm serve`).
        /// </summary>
        public static EngineProfile ForVllmGpu(ByteSize gpuMemory, string? gpuName) =>
            (IsLargeVllmGpu(gpuMemory, gpuName) ? s_vllm : s_vllmSmallGpu).Clone();

        /// <summary>For the fit check: the default vLLM profile swapped for the one vLLM would pick on this GPU; any other
        /// profile (including a caller's own) unchanged.</summary>
        internal static EngineProfile ResolveForGpu(EngineProfile profile, ByteSize gpuMemory, string? gpuName)
        {
            if (!ReferenceEquals(profile, s_vllm)) return profile;
            return IsLargeVllmGpu(gpuMemory, gpuName) ? s_vllm : s_vllmSmallGpu;
        }

        private static bool IsLargeVllmGpu(ByteSize gpuMemory, string? gpuName) =>
            gpuMemory >= ByteSize.FromGiB(70) && (gpuName == null || gpuName.IndexOf("a100", StringComparison.OrdinalIgnoreCase) < 0);

        private static readonly EngineProfile s_vllmSmallGpu = CreateVllmSmallGpu();

        private static EngineProfile CreateVllmSmallGpu()
        {
            EngineProfile p = CreateVllm();
            p.Description = "vLLM V1 on a GPU under 70 GiB or an A100: batch defaults 2048 tokens / 256 sequences";
            p.PrefillChunkTokens = 2048;
            p.MaxNumSequences = 256;
            return p;
        }
    }
}
