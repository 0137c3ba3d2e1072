using System;
using LlmSize.Core.Models;
using LlmSize.Core.Units;

namespace LlmSize.Core.Training
{
    /// <summary>
    /// Everything <see cref="TrainingEstimator.Estimate"/> needs: the model, what is trained, in which precision with
    /// which optimizer, the batch shape, and the parallel layout. Every property has a documented default, so a
    /// cmdlet can bind only what the user gave. <see cref="Validate"/> throws <see cref="ArgumentOutOfRangeException"/>
    /// (ParamName = the property) for values no estimate can answer.
    /// </summary>
    public sealed class TrainingRequest
    {
        /// <summary>peft LoraConfig's default rank r = 8 (https://huggingface.co/docs/peft/package_reference/lora).</summary>
        public const int DefaultLoraRank = 8;
        /// <summary>peft's default target_modules for Llama (q_proj, v_proj) and BERT (query, value).</summary>
        public const LoraTargets DefaultLoraTargets = LoraTargets.Q | LoraTargets.V;
        /// <summary>DGX / HGX nodes carry 8 GPUs; DeepSpeed's host-memory forms are per node.</summary>
        public const int DefaultGpusPerNode = 8;

        public TrainingRequest(ModelSpec model)
        {
            Model = model ?? throw new ArgumentNullException(nameof(model));
        }

        public ModelSpec Model { get; }
        public TrainingMethod Method { get; set; } = TrainingMethod.Full;
        public PrecisionRegime Regime { get; set; } = PrecisionRegime.Mixed;
        /// <summary>Keep gradients in fp32 (Megatron's main_grad buffers): 4 bytes per gradient instead of 2 under Mixed/Bf16.</summary>
        public bool Fp32GradientAccumulation { get; set; }
        public OptimizerKind Optimizer { get; set; } = OptimizerKind.AdamW;
        /// <summary>Sequences per GPU per forward/backward (b).</summary>
        public int MicroBatchSize { get; set; } = 1;
        /// <summary>Tokens per sequence (s).</summary>
        public int SequenceLength { get; set; } = 2048;
        /// <summary>Micro-batches per optimizer step; with pipeline parallelism, the micro-batches in a pipeline flush.</summary>
        public int GradientAccumulation { get; set; } = 1;
        /// <summary>
        /// Activation recomputation; null = the method's usual recipe: Full for QLoRA (peft's
        /// prepare_model_for_kbit_training turns gradient checkpointing on by default), None otherwise.
        /// </summary>
        public RecomputeMode? Recompute { get; set; }

        /// <summary>The recomputation the estimate uses: <see cref="Recompute"/>, or the method's default.</summary>
        public RecomputeMode EffectiveRecompute =>
            Recompute ?? (Method == TrainingMethod.QLoRA ? RecomputeMode.Full : RecomputeMode.None);
        /// <summary>FlashAttention / memory-efficient SDPA: the s×s score matrices are never stored.</summary>
        public bool FlashAttention { get; set; }
        /// <summary>ZeRO stage 0 (plain data parallel) to 3.</summary>
        public int ZeroStage { get; set; }
        public int DataParallel { get; set; } = 1;
        public int TensorParallel { get; set; } = 1;
        /// <summary>Megatron sequence parallelism: norms and dropouts split along the sequence over the TP group.</summary>
        public bool SequenceParallel { get; set; }
        public int PipelineParallel { get; set; } = 1;
        public OffloadMode Offload { get; set; } = OffloadMode.None;
        public int LoraRank { get; set; } = DefaultLoraRank;
        public LoraTargets LoraTargets { get; set; } = DefaultLoraTargets;
        /// <summary>Storage of the quantized base linears for QLoRA: nf4 (4.5 bits) or nf4-dq (≈ 4.127 bits).</summary>
        public DataType QLoraBaseType { get; set; } = DataTypes.Get("nf4");
        /// <summary>
        /// Whether the model applies dropout (attention and hidden). Null: read it from the config (any of
        /// attention_probs_dropout_prob, hidden_dropout_prob, attention_dropout, hidden_dropout, resid_pdrop,
        /// attn_pdrop, dropout above 0); absent fields mean no dropout, as in current LLM configs.
        /// </summary>
        public bool? Dropout { get; set; }
        /// <summary>
        /// Whether softmax keeps its input for backward as well as its output. PyTorch up to 1.10 did (its backward
        /// formula referenced self; pytorch/pytorch#64000, fixed by #65242 / #66018 for 1.11). Default false.
        /// </summary>
        public bool SoftmaxSavesInput { get; set; }
        /// <summary>Per-GPU overhead (CUDA context, library workspaces); null = <see cref="TrainingEstimator.DefaultOverhead"/>.</summary>
        public ByteSize? Overhead { get; set; }
        /// <summary>GPUs per node, for DeepSpeed's per-node host-memory forms.</summary>
        public int GpusPerNode { get; set; } = DefaultGpusPerNode;

        /// <summary>GPUs of the job: data × tensor × pipeline parallel.</summary>
        public int GpuCount => checked(DataParallel * TensorParallel * PipelineParallel);

        /// <summary>Throws for values no estimate can answer; soft problems become warnings in the estimate.</summary>
        public void Validate()
        {
            Positive(MicroBatchSize, nameof(MicroBatchSize));
            Positive(SequenceLength, nameof(SequenceLength));
            Positive(GradientAccumulation, nameof(GradientAccumulation));
            Positive(DataParallel, nameof(DataParallel));
            Positive(TensorParallel, nameof(TensorParallel));
            Positive(PipelineParallel, nameof(PipelineParallel));
            Positive(GpusPerNode, nameof(GpusPerNode));
            if (ZeroStage < 0 || ZeroStage > 3)
                throw new ArgumentOutOfRangeException(nameof(ZeroStage), ZeroStage, "ZeRO stage must be 0, 1, 2 or 3.");
            if (Method != TrainingMethod.Full) Positive(LoraRank, nameof(LoraRank));
            if (Method == TrainingMethod.QLoRA && QLoraBaseType == null)
                throw new ArgumentOutOfRangeException(nameof(QLoraBaseType), null, "QLoRA needs a base data type (nf4 or nf4-dq).");
            if (Overhead is ByteSize o && o.Bytes < 0)
                throw new ArgumentOutOfRangeException(nameof(Overhead), o, "Overhead must be ≥ 0.");
            if (PipelineParallel > Model.Architecture.NumLayers && Model.Architecture.NumLayers > 0)
                throw new ArgumentOutOfRangeException(nameof(PipelineParallel), PipelineParallel,
                    "More pipeline stages than the model's " + Model.Architecture.NumLayers + " layers.");
        }

        private static void Positive(int value, string name)
        {
            if (value < 1) throw new ArgumentOutOfRangeException(name, value, name + " must be ≥ 1.");
        }
    }
}
