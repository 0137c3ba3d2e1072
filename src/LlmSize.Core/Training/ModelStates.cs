using System;

namespace LlmSize.Core.Training
{
    /// <summary>
    /// Parameters, by the shape classes that decide optimizer-state sizes: matrices (factored by Adafactor, quantized
    /// by 8-bit Adam) and vectors (biases, norms: full states). A bare count (<see cref="FromCount"/>) is all matrices.
    /// </summary>
    public readonly struct ParameterShapes
    {
        public ParameterShapes(long total, long matrixElements, long factoredElements)
        {
            if (matrixElements > total) throw new ArgumentOutOfRangeException(nameof(matrixElements), matrixElements, "more matrix elements than parameters");
            Total = total; MatrixElements = matrixElements; FactoredElements = factoredElements;
        }

        public long Total { get; }
        /// <summary>Elements of 2-D weight matrices.</summary>
        public long MatrixElements { get; }
        /// <summary>Σ (rows + columns) over the matrices: Adafactor's factored second moment.</summary>
        public long FactoredElements { get; }
        /// <summary>Biases, norms and other 1-D parameters.</summary>
        public long VectorElements => Total - MatrixElements;

        /// <summary>A count without shapes, taken as matrices (Adafactor's factored state then counts as 0).</summary>
        public static ParameterShapes FromCount(long parameters) => new ParameterShapes(parameters, parameters, 0);

        public static ParameterShapes operator +(ParameterShapes a, ParameterShapes b) =>
            new ParameterShapes(checked(a.Total + b.Total), checked(a.MatrixElements + b.MatrixElements), checked(a.FactoredElements + b.FactoredElements));
    }

    /// <summary>Weights, gradients and optimizer states (master weights included) in bytes.</summary>
    public readonly struct ModelStateBytes
    {
        public ModelStateBytes(double weights, double gradients, double optimizer)
        {
            Weights = weights; Gradients = gradients; Optimizer = optimizer;
        }

        public double Weights { get; }
        public double Gradients { get; }
        /// <summary>Optimizer states plus the fp32 master copy where the regime keeps one.</summary>
        public double Optimizer { get; }
        public double Total => Weights + Gradients + Optimizer;
    }

    /// <summary>
    /// Bytes per parameter of weights, gradients and optimizer states (DESIGN.md §8). One place for these numbers.
    /// Sources: ZeRO (Rajbhandari et al. 2019, arXiv 1910.02054 §3: mixed precision Adam = 2 + 2 + K·Ψ, K = 12);
    /// Megatron-LM distributed optimizer notes (bf16 params, fp32 main_grad, fp32 master + Adam: 18 bytes);
    /// Hugging Face "Efficient Training on a Single GPU" (fp32 4 + 4 + 8; autocast keeps 16-bit weight copies).
    /// </summary>
    public static class ModelStates
    {
        /// <summary>bitsandbytes 8-bit optimizers keep 32-bit states for tensors under min_8bit_size = 4096 elements.</summary>
        public const int Adam8bitMinSize = 4096;
        /// <summary>bitsandbytes block-wise state quantization: one fp32 absmax per 256 values per state
        /// (bitsandbytes/optim/optimizer.py Optimizer2State.init_state; releases before 0.4x used 2048).</summary>
        public const int Adam8bitBlockSize = 256;

        /// <summary>Bytes of a trained weight: fp32 for Fp32 and Amp (autocast trains fp32 weights), 16-bit otherwise.</summary>
        public static int WeightBytes(PrecisionRegime regime) =>
            regime == PrecisionRegime.Fp32 || regime == PrecisionRegime.Amp ? 4 : 2;

        /// <summary>Bytes of a gradient: the weight's dtype, or fp32 where gradients accumulate in fp32 (Megatron main_grad).</summary>
        public static int GradientBytes(PrecisionRegime regime, bool fp32Accumulation) =>
            fp32Accumulation || regime == PrecisionRegime.Fp32 || regime == PrecisionRegime.Amp ? 4 : 2;

        /// <summary>fp32 master copy kept by the optimizer: only in the Mixed regime (4 bytes).</summary>
        public static int MasterBytes(PrecisionRegime regime) => regime == PrecisionRegime.Mixed ? 4 : 0;

        /// <summary>Bytes of one optimizer-state element: the dtype of what the optimizer updates (fp32 master or
        /// fp32 weights; bf16 for pure bf16, as torch.optim creates states like the parameter).</summary>
        public static int StateElementBytes(PrecisionRegime regime) => regime == PrecisionRegime.Bf16 ? 2 : 4;

        /// <summary>Optimizer states only (no master copy) for the trainable parameters <paramref name="p"/>.</summary>
        public static double OptimizerStateBytes(OptimizerKind optimizer, PrecisionRegime regime, ParameterShapes p)
        {
            double e = StateElementBytes(regime);
            switch (optimizer)
            {
                case OptimizerKind.AdamW:
                    return 2 * e * p.Total;                                   // m and v
                case OptimizerKind.Adam8bit:
                    // Two uint8 states + two fp32 absmax per 256-value block for matrices; vectors (< 4096 elements)
                    // keep two fp32 states (bitsandbytes min_8bit_size).
                    return p.MatrixElements * (2 + 2 * 4.0 / Adam8bitBlockSize) + p.VectorElements * 2 * 4.0;
                case OptimizerKind.Sgd:
                    return 0;
                case OptimizerKind.SgdMomentum:
                case OptimizerKind.Lion:
                    return e * p.Total;                                       // one momentum buffer
                case OptimizerKind.Adafactor:
                    // Shazeer & Stern 2018: second moment factored into row and column statistics for matrices, full for
                    // vectors; no first moment (transformers Adafactor with beta1=None, the Trainer's optim="adafactor").
                    return e * (p.FactoredElements + p.VectorElements);
                default:
                    throw new ArgumentOutOfRangeException(nameof(optimizer), optimizer, null);
            }
        }

        /// <summary>Optimizer memory: fp32 master copy (Mixed) plus the states.</summary>
        public static double OptimizerBytes(OptimizerKind optimizer, PrecisionRegime regime, ParameterShapes trainable) =>
            MasterBytes(regime) * (double)trainable.Total + OptimizerStateBytes(optimizer, regime, trainable);

        /// <summary>
        /// Unsharded model states of fully trained parameters. Amp adds the 16-bit copies autocast caches of the
        /// weights that matmuls read (<paramref name="castCopyElements"/>; embeddings and norms are not cast).
        /// </summary>
        public static ModelStateBytes Full(ParameterShapes parameters, PrecisionRegime regime, OptimizerKind optimizer,
            bool fp32GradientAccumulation = false, long castCopyElements = 0)
        {
            double weights = WeightBytes(regime) * (double)parameters.Total
                             + (regime == PrecisionRegime.Amp ? 2.0 * castCopyElements : 0);
            double gradients = GradientBytes(regime, fp32GradientAccumulation) * (double)parameters.Total;
            return new ModelStateBytes(weights, gradients, OptimizerBytes(optimizer, regime, parameters));
        }
    }

    /// <summary>
    /// ZeRO partitioning over d data-parallel ranks (Rajbhandari et al. 2019, arXiv 1910.02054 §5, Figure 1):
    /// stage 1 (P_os) shards optimizer states, stage 2 (P_os+g) also gradients, stage 3 (P_os+g+p) also parameters.
    /// With Ψ parameters, mixed-precision Adam (K = 12): stage 0 (2 + 2 + K)Ψ; 1: 2Ψ + 2Ψ + KΨ/d; 2: 2Ψ + (2 + K)Ψ/d;
    /// 3: (2 + 2 + K)Ψ/d.
    /// </summary>
    public static class ZeroSharding
    {
        public static ModelStateBytes PerGpu(ModelStateBytes states, int stage, int dataParallel)
        {
            if (stage < 0 || stage > 3) throw new ArgumentOutOfRangeException(nameof(stage), stage, "ZeRO stage must be 0..3");
            if (dataParallel < 1) throw new ArgumentOutOfRangeException(nameof(dataParallel), dataParallel, "must be ≥ 1");
            double d = dataParallel;
            return new ModelStateBytes(
                stage >= 3 ? states.Weights / d : states.Weights,
                stage >= 2 ? states.Gradients / d : states.Gradients,
                stage >= 1 ? states.Optimizer / d : states.Optimizer);
        }
    }
}
