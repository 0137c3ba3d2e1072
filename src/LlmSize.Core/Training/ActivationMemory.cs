using System;
using LlmSize.Core.Models;

namespace LlmSize.Core.Training
{
    /// <summary>
    /// Bytes per element of the tensors a block keeps for backward, by role. Dropout masks are always 1 byte
    /// (PyTorch stores them as bool / uint8; Korthikanti et al. 2022 count them so).
    /// </summary>
    public readonly struct ActivationPrecision
    {
        public ActivationPrecision(int matmulBytes, int residualBytes, int softmaxBytes, bool castCopies)
        {
            MatmulBytes = matmulBytes; ResidualBytes = residualBytes; SoftmaxBytes = softmaxBytes; CastCopies = castCopies;
        }

        /// <summary>Inputs and outputs of matrix multiplies (projection inputs, Q, K, V, MLP inner tensors).</summary>
        public int MatmulBytes { get; }
        /// <summary>The residual stream: norm inputs and each block's input.</summary>
        public int ResidualBytes { get; }
        /// <summary>Softmax output (and input, where it is kept).</summary>
        public int SoftmaxBytes { get; }
        /// <summary>
        /// torch.autocast: a linear that reads an fp32 tensor saves its own 16-bit copy of it, so q, k and v (and gate
        /// and up) each keep one; the fp32 softmax output is cast again before it multiplies V.
        /// </summary>
        public bool CastCopies { get; }

        /// <summary>Mask bytes per element (bool).</summary>
        public const int MaskBytes = 1;

        /// <summary>
        /// Fp32: everything 4 bytes. Mixed and Bf16 (Megatron-style): everything 16-bit, which is what Korthikanti's
        /// 34 + 5as/h assumes. Amp: matmul inputs 16-bit; residual stream, norms and softmax fp32 because the weights
        /// and embeddings are fp32 and layer_norm / softmax are on autocast's fp32 list
        /// (https://pytorch.org/docs/stable/amp.html#cuda-ops-that-can-autocast-to-float32).
        /// </summary>
        public static ActivationPrecision For(PrecisionRegime regime)
        {
            switch (regime)
            {
                case PrecisionRegime.Fp32: return new ActivationPrecision(4, 4, 4, false);
                case PrecisionRegime.Amp: return new ActivationPrecision(2, 4, 4, true);
                default: return new ActivationPrecision(2, 2, 2, false);
            }
        }
    }

    /// <summary>Shape and layout of the activations of one micro-batch on one GPU.</summary>
    public sealed class ActivationOptions
    {
        public int MicroBatchSize { get; set; } = 1;
        public int SequenceLength { get; set; } = 2048;
        public int TensorParallel { get; set; } = 1;
        public bool SequenceParallel { get; set; }
        public bool FlashAttention { get; set; }
        public bool Dropout { get; set; }
        public bool SoftmaxSavesInput { get; set; }
        public ActivationPrecision Precision { get; set; } = ActivationPrecision.For(PrecisionRegime.Mixed);
    }

    /// <summary>
    /// Bytes one block keeps for backward for one micro-batch on one GPU (tensor/sequence parallel already applied),
    /// split the way Korthikanti et al. 2022 Table 2 splits them.
    /// </summary>
    public readonly struct LayerActivations
    {
        public LayerActivations(double replicated, double split, double scores, double input)
        {
            Replicated = replicated; Split = split; Scores = scores; Input = input;
        }

        /// <summary>Norm inputs, projection inputs and the dropout masks after the projections: the "10" of
        /// sbh(10 + 24/t + 5as/(ht)), divided by t only under sequence parallelism.</summary>
        public double Replicated { get; }
        /// <summary>Q, K, V, attention output, MLP inner tensors: the "24/t".</summary>
        public double Split { get; }
        /// <summary>The a·s² terms (softmax, its dropout mask, dropout output): "5as/(ht)"; 0 with flash attention.</summary>
        public double Scores { get; }
        /// <summary>The block's input, all that full recomputation keeps ("2sbh").</summary>
        public double Input { get; }
        /// <summary>Everything without recomputation.</summary>
        public double Total => Replicated + Split + Scores;

        /// <summary>What stays in memory between forward and backward under <paramref name="mode"/>.</summary>
        public double Kept(RecomputeMode mode)
        {
            switch (mode)
            {
                case RecomputeMode.Selective: return Replicated + Split;
                case RecomputeMode.Full: return Input;
                default: return Total;
            }
        }
    }

    /// <summary>
    /// Activation memory derived from the tensors each block keeps for backward (Korthikanti et al. 2022,
    /// "Reducing Activation Recomputation in Large Transformer Models", arXiv 2205.05198, §4.1 and Table 2), written
    /// per tensor so the architecture decides the sizes. For the paper's GPT block (LayerNorm, 4h MLP, dropout, MHA,
    /// 16-bit) the sum is exactly s·b·h·(34 + 5·a·s/h):
    /// <list type="bullet">
    /// <item>attention 11sbh + 5as²b: QKV input 2, Q and K 4, V 2, output-projection input 2, output dropout mask 1;
    /// softmax output 2as²b, its dropout mask as²b, dropout output 2as²b;</item>
    /// <item>MLP 19sbh: input 2, GeLU input 8, second-linear input 8, dropout mask 1 (4h wide: 2·i per 16-bit tensor);</item>
    /// <item>norms 4sbh: two LayerNorm inputs.</item>
    /// </list>
    /// Generalized: q/k/v widths from heads × head_dim (GQA: K and V are n_kv·d_h with flash attention; eager
    /// attention expands them to every head first, as Hugging Face repeat_kv and Megatron's unfused path do); a gated
    /// MLP keeps 4·i (gate output = SiLU input, SiLU output, up output, product = down input; Megatron's fused SwiGLU
    /// keeps 3·i); no dropout drops the masks and lets ×V reuse the softmax output; RMSNorm and LayerNorm both keep
    /// their input (per-token statistics, s·b floats, are left out as the paper does).
    /// </summary>
    public static class ActivationMemory
    {
        /// <summary>Bytes block <paramref name="layer"/> keeps for one micro-batch on one GPU.</summary>
        public static LayerActivations Layer(ModelArchitecture a, int layer, ActivationOptions o)
        {
            if (a == null) throw new ArgumentNullException(nameof(a));
            if (o == null) throw new ArgumentNullException(nameof(o));
            ActivationPrecision p = o.Precision;
            double t = o.TensorParallel;
            double tokens = (double)o.SequenceLength * o.MicroBatchSize;
            double h = a.HiddenSize;
            double mm = p.MatmulBytes, res = p.ResidualBytes, soft = p.SoftmaxBytes;
            double mask = o.Dropout ? ActivationPrecision.MaskBytes : 0;
            bool gated = a.GatedMlp;

            // Heads on this GPU. K/V heads replicate when there are fewer than t of them.
            double heads = a.NumAttentionHeads / t;
            double kvHeads = Math.Max(a.NumKeyValueHeads / t, 1.0);

            // ---- per-token elements (bytes) of each class ----
            double replicated = 0, split = 0, scores = 0;

            // Norm inputs: every norm keeps its input (pre- or post-norm alike; Gemma 2 has 4 per block).
            replicated += a.NormsPerLayer * h * res;

            // Attention.
            double qWidth, kWidth, vWidth, outWidth;
            int projectionsReadingInput;
            if (a.IsMla)
            {
                // DeepSeek MLA: per head q and k are nope + rope wide, v is v_head_dim; the low-rank latents are kept
                // as inputs of their norm and of the up-projection (2 tensors each).
                double qk = (double)a.QkNopeHeadDim + a.QkRopeHeadDim;
                qWidth = heads * qk; kWidth = heads * qk; vWidth = heads * a.VHeadDim; outWidth = heads * a.VHeadDim;
                double qLatent = a.QLoraRank is int r && r > 0 ? r : 0;
                replicated += 2 * (qLatent + a.KvLoraRank) * mm;
                projectionsReadingInput = 2; // q_a_proj (or q_proj) and kv_a_proj_with_mqa
            }
            else
            {
                double kvForMatmul = o.FlashAttention ? kvHeads : heads;
                qWidth = heads * a.HeadDim; kWidth = kvForMatmul * a.HeadDim; vWidth = kWidth; outWidth = heads * a.HeadDim;
                projectionsReadingInput = 3;
            }
            // QKV input (the norm output); under autocast each projection saves its own 16-bit copy.
            replicated += h * mm * (p.CastCopies ? projectionsReadingInput : 1);
            split += (qWidth + kWidth + vWidth) * mm;      // Q, K (for QKᵀ), V (for ×V)
            if (a.QkNorm) split += (qWidth + kWidth) * res; // q/k norms keep their inputs (Qwen3, OLMo 2, Gemma 3)
            split += outWidth * mm;                         // output-projection input
            replicated += h * mask;                         // dropout mask after the output projection

            if (o.FlashAttention)
            {
                // FlashAttention keeps Q, K, V, its output (the projection input above) and the row log-sum-exp
                // (fp32, one per head and token); dropout is regenerated from the RNG state, no mask.
                split += heads * 4;
            }
            else
            {
                double s = o.SequenceLength;
                double perHeadToken = soft;                               // softmax output
                if (o.SoftmaxSavesInput) perHeadToken += soft;            // PyTorch ≤ 1.10 also kept the input
                if (o.Dropout) perHeadToken += ActivationPrecision.MaskBytes + mm;   // dropout mask + dropout output (×V input)
                else if (p.CastCopies || soft != mm) perHeadToken += mm;  // ×V reads a 16-bit copy of the fp32 softmax
                scores += heads * s * perHeadToken;
            }

            // MLP (the pre-MLP norm output; parallel blocks — one norm per block — feed attention and MLP the same tensor).
            bool parallelBlock = a.NormsPerLayer == 1;
            if (a.IsMoeLayer(layer))
            {
                replicated += h * mm;                                           // router / expert input
                replicated += a.NumExperts * 4.0;                               // router probabilities (fp32)
                split += a.NumExpertsPerToken * (h + Inner(a.MoeIntermediateSize, gated)) * mm / t; // dispatched copies
                if (a.SharedExpertIntermediateSize > 0) split += Inner(a.SharedExpertIntermediateSize, gated) * mm / t;
            }
            else
            {
                int mlpInputs = p.CastCopies ? (gated ? 2 : 1) : (parallelBlock ? 0 : 1);
                replicated += h * mm * mlpInputs;
                split += Inner(a.IntermediateSize, gated) * mm / t;
            }
            replicated += h * mask; // dropout mask after the MLP

            double sp = o.SequenceParallel ? t : 1;
            return new LayerActivations(
                replicated * tokens / sp,
                split * tokens,
                scores * tokens,
                h * res * tokens / sp);
        }

        /// <summary>Elements of the inner tensors an MLP keeps per token: gated 4·i, plain 2·i (activation input, second-linear input).</summary>
        private static double Inner(double inner, bool gated) => (gated ? 4 : 2) * inner;

        /// <summary>
        /// Kept on the first pipeline stage besides the blocks: the embedding norm's input (BERT, BLOOM) and the
        /// embedding dropout mask.
        /// </summary>
        public static double Embedding(ModelArchitecture a, ActivationOptions o)
        {
            double perToken = (a.EmbeddingNorm ? a.HiddenSize * (double)o.Precision.ResidualBytes : 0)
                              + (o.Dropout ? a.HiddenSize * (double)ActivationPrecision.MaskBytes : 0);
            return perToken * o.SequenceLength * o.MicroBatchSize / (o.SequenceParallel ? o.TensorParallel : 1);
        }

        /// <summary>Kept on the last stage before the loss: the final norm's input and the output projection's input.</summary>
        public static double Head(ModelArchitecture a, ActivationOptions o)
        {
            double perToken = (a.FinalNorm ? a.HiddenSize * (double)o.Precision.ResidualBytes : 0)
                              + (a.HasLmHead ? a.HiddenSize * (double)o.Precision.MatmulBytes : 0);
            return perToken * o.SequenceLength * o.MicroBatchSize / (o.SequenceParallel ? o.TensorParallel : 1);
        }

        /// <summary>
        /// The loss buffers: fp32 logits the cross-entropy keeps (b·s·V·4) and their gradient (b·s·V·4) at the start of
        /// backward, vocabulary-parallel over t. These dominate for 128k–256k vocabularies. 0 without an LM head.
        /// </summary>
        public static double Logits(ModelArchitecture a, int microBatchSize, int sequenceLength, int tensorParallel)
        {
            if (!a.HasLmHead) return 0;
            return 2.0 * microBatchSize * sequenceLength * a.VocabSize * 4 / tensorParallel;
        }
    }
}
