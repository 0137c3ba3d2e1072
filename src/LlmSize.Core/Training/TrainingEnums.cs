using System;

namespace LlmSize.Core.Training
{
    /// <summary>What is trained: every weight, or low-rank adapters on a frozen base (16-bit or 4-bit).</summary>
    public enum TrainingMethod
    {
        /// <summary>All parameters are trainable.</summary>
        Full,
        /// <summary>LoRA (Hu et al. 2021, arXiv 2106.09685): frozen 16-bit base, trainable rank-r adapters.</summary>
        LoRA,
        /// <summary>QLoRA (Dettmers et al. 2023, arXiv 2305.14314): base linears quantized (NF4), trainable adapters.</summary>
        QLoRA,
    }

    /// <summary>
    /// Where weights, gradients and optimizer states live in which precision (DESIGN.md §8 table).
    /// </summary>
    public enum PrecisionRegime
    {
        /// <summary>Everything in fp32: weights 4, gradients 4, optimizer states fp32; activations fp32.</summary>
        Fp32,
        /// <summary>
        /// Mixed precision as in the ZeRO paper and DeepSpeed / Megatron: 16-bit weights and gradients, an fp32 master
        /// copy kept by the optimizer (2 + 2 + 4 + states); activations 16-bit.
        /// </summary>
        Mixed,
        /// <summary>Pure bf16: weights, gradients and optimizer states in bf16, no master copy; activations 16-bit.</summary>
        Bf16,
        /// <summary>
        /// PyTorch automatic mixed precision (torch.autocast + GradScaler; Hugging Face Trainer fp16=True / bf16=True):
        /// fp32 weights and gradients, fp32 optimizer states, no separate master, plus 16-bit copies of the matmul
        /// weights cached for the forward and held by the graph until backward. Matmul inputs are saved in 16 bit,
        /// the residual stream, norms and softmax stay fp32 (autocast's fp32 op list).
        /// </summary>
        Amp,
    }

    /// <summary>Optimizer, which decides the state kept per trainable parameter.</summary>
    public enum OptimizerKind
    {
        /// <summary>Adam / AdamW: first and second moments (2 states).</summary>
        AdamW,
        /// <summary>bitsandbytes 8-bit Adam (Dettmers et al. 2021, arXiv 2110.02861): 2 one-byte states, block-wise scales.</summary>
        Adam8bit,
        /// <summary>Plain SGD: no state.</summary>
        Sgd,
        /// <summary>SGD with momentum: 1 state.</summary>
        SgdMomentum,
        /// <summary>Adafactor (Shazeer and Stern 2018, arXiv 1804.04235) without momentum: factored second moment.</summary>
        Adafactor,
        /// <summary>Lion (Chen et al. 2023, arXiv 2302.06675): 1 state (momentum).</summary>
        Lion,
    }

    /// <summary>Activation recomputation (Korthikanti et al. 2022, arXiv 2205.05198 §4–5).</summary>
    public enum RecomputeMode
    {
        /// <summary>Keep every tensor backward needs.</summary>
        None,
        /// <summary>Recompute the core attention (softmax, its dropout, attention over values): drops the a·s² terms.</summary>
        Selective,
        /// <summary>Gradient checkpointing per layer: keep each layer's input, recompute the layer in backward.</summary>
        Full,
    }

    /// <summary>DeepSpeed ZeRO-Offload / ZeRO-Infinity CPU offload (arXiv 2101.06840).</summary>
    public enum OffloadMode
    {
        None,
        /// <summary>Optimizer states, fp32 master and fp32 gradient partitions live in host memory.</summary>
        Optimizer,
        /// <summary>Also the 16-bit parameters (ZeRO stage 3 only).</summary>
        OptimizerAndParameters,
    }

    /// <summary>
    /// Projections that receive LoRA adapters, by role: q, k, v, o of attention; gate, up, down of the MLP (and of
    /// every expert of an MoE layer). Default q,v (peft's default target_modules for Llama and BERT).
    /// Multi-head latent attention maps q to q_proj / q_a_proj + q_b_proj and k, v to kv_a_proj_with_mqa + kv_b_proj.
    /// A plain (non-gated) MLP names its first matrix up (BERT intermediate.dense, GPT-2 c_fc) and its second down.
    /// </summary>
    [Flags]
    public enum LoraTargets
    {
        None = 0,
        Q = 1,
        K = 2,
        V = 4,
        O = 8,
        Gate = 16,
        Up = 32,
        Down = 64,
        Attention = Q | K | V | O,
        Mlp = Gate | Up | Down,
        All = Attention | Mlp,
    }
}
