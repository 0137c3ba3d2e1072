using System;
using System.Collections.Generic;
using LlmSize.Core.Models;
using LlmSize.Core.Parameters;
using LlmSize.Core.Units;

namespace LlmSize.Core.Training
{
    /// <summary>What a training checkpoint holds and how it is sharded (input of <see cref="CheckpointEstimator.Estimate"/>).</summary>
    public sealed class CheckpointRequest
    {
        public CheckpointRequest(ModelSpec model)
        {
            Model = model ?? throw new ArgumentNullException(nameof(model));
        }

        public ModelSpec Model { get; }
        public TrainingMethod Method { get; set; } = TrainingMethod.Full;
        public PrecisionRegime Regime { get; set; } = PrecisionRegime.Mixed;
        public OptimizerKind Optimizer { get; set; } = OptimizerKind.AdamW;
        /// <summary>Save optimizer states (and the fp32 master) to resume training; false = weights only.</summary>
        public bool IncludeOptimizer { get; set; } = true;
        /// <summary>Precision the weights are written in; null = the regime's weight dtype (16-bit for Mixed/Bf16, fp32 for Fp32/Amp).</summary>
        public DataType? SavePrecision { get; set; }
        public int ZeroStage { get; set; }
        public int DataParallel { get; set; } = 1;
        public int TensorParallel { get; set; } = 1;
        public int PipelineParallel { get; set; } = 1;
        public int LoraRank { get; set; } = TrainingRequest.DefaultLoraRank;
        public LoraTargets LoraTargets { get; set; } = TrainingRequest.DefaultLoraTargets;

        public int Ranks => checked(DataParallel * TensorParallel * PipelineParallel);

        public void Validate()
        {
            if (ZeroStage < 0 || ZeroStage > 3) throw new ArgumentOutOfRangeException(nameof(ZeroStage), ZeroStage, "ZeRO stage must be 0, 1, 2 or 3.");
            if (DataParallel < 1) throw new ArgumentOutOfRangeException(nameof(DataParallel), DataParallel, "must be ≥ 1.");
            if (TensorParallel < 1) throw new ArgumentOutOfRangeException(nameof(TensorParallel), TensorParallel, "must be ≥ 1.");
            if (PipelineParallel < 1) throw new ArgumentOutOfRangeException(nameof(PipelineParallel), PipelineParallel, "must be ≥ 1.");
            if (Method != TrainingMethod.Full && LoraRank < 1) throw new ArgumentOutOfRangeException(nameof(LoraRank), LoraRank, "must be ≥ 1.");
        }
    }

    /// <summary>Size of a training checkpoint on disk, whole and for the largest rank's files.</summary>
    public sealed class CheckpointEstimate
    {
        public string ModelId { get; internal set; } = "";
        public TrainingMethod Method { get; internal set; }
        public PrecisionRegime Regime { get; internal set; }
        public OptimizerKind Optimizer { get; internal set; }
        public bool IncludeOptimizer { get; internal set; }
        /// <summary>Data type the weights are written in.</summary>
        public string SavePrecision { get; internal set; } = "";
        public int ZeroStage { get; internal set; }
        public int DataParallel { get; internal set; }
        public int TensorParallel { get; internal set; }
        public int PipelineParallel { get; internal set; }
        public int LoraRank { get; internal set; }
        public LoraTargets LoraTargets { get; internal set; }

        public long Parameters { get; internal set; }
        public long TrainableParameters { get; internal set; }
        /// <summary>Model weights at the save precision: the whole model, or only the adapters for LoRA/QLoRA.</summary>
        public ByteSize Weights { get; internal set; }
        /// <summary>fp32 master weights (Mixed regime), saved with the optimizer.</summary>
        public ByteSize MasterWeights { get; internal set; }
        /// <summary>Optimizer states (Adam m and v, ...).</summary>
        public ByteSize OptimizerStates { get; internal set; }
        /// <summary>Scheduler, RNG states, step counters: <see cref="CheckpointEstimator.TrainingStatePerRank"/> per saving rank.</summary>
        public ByteSize TrainingState { get; internal set; }
        public ByteSize Total { get; internal set; }
        /// <summary>Files of the rank that writes the most (DeepSpeed: data-parallel rank 0 of each model-parallel group
        /// writes the model file; every rank writes its optimizer partition).</summary>
        public ByteSize PerRank { get; internal set; }
        /// <summary>Ranks that write files.</summary>
        public int Ranks { get; internal set; }
        /// <summary>LoRA/QLoRA: adapter weights alone (what peft's save_pretrained writes); 0 for full training.</summary>
        public ByteSize AdapterOnly { get; internal set; }
        public IReadOnlyList<TrainingWarning> Warnings { get; internal set; } = Array.Empty<TrainingWarning>();

        public override string ToString() => ModelId + " checkpoint: " + Total.ToString("D", null);
    }

    /// <summary>
    /// Checkpoint size ≈ weights at the save precision + optimizer states (+ fp32 master) + small training state
    /// (DESIGN.md §8). 7B, mixed-precision AdamW: 7e9 × (2 + 12) = 98 GB. Sharding follows DeepSpeed's layout
    /// (mp_rank_XX_model_states.pt per model-parallel rank, zero_pp_rank_N_..._optim_states.pt per data-parallel rank;
    /// at stage 3 the weights are partitioned too).
    /// </summary>
    public static class CheckpointEstimator
    {
        /// <summary>
        /// Training state per saving rank: 16 KiB. Hugging Face Trainer writes rng_state_&lt;rank&gt;.pth (Python, NumPy,
        /// CPU and CUDA generator states; torch's CPU generator state alone is 5,056 bytes), scheduler.pt and
        /// trainer_state.json, each a few KiB; Megatron and DeepSpeed store similar RNG and iteration records.
        /// </summary>
        public static readonly ByteSize TrainingStatePerRank = ByteSize.FromKiB(16);

        /// <summary>Weights at <paramref name="saveBytesPerWeight"/> plus master and optimizer states of all parameters.</summary>
        public static double FullCheckpointBytes(ParameterShapes parameters, double saveBytesPerWeight, PrecisionRegime regime,
            OptimizerKind optimizer) =>
            parameters.Total * saveBytesPerWeight + ModelStates.OptimizerBytes(optimizer, regime, parameters);

        public static CheckpointEstimate Estimate(CheckpointRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            request.Validate();
            ModelArchitecture a = request.Model.Architecture;
            ParameterBreakdown counts = ParameterCounter.Count(a);
            bool lora = request.Method != TrainingMethod.Full;
            var warnings = new List<TrainingWarning>();
            StageParameters whole = ModelLayout.Stage(a, counts, 0, a.NumLayers, true, true, false,
                lora ? request.LoraRank : 0, lora ? request.LoraTargets : LoraTargets.None);
            if (lora)
            {
                LoraTargets missing = request.LoraTargets & ~LinearModules.AvailableRoles(a);
                if (missing != LoraTargets.None)
                    warnings.Add(new TrainingWarning(TrainingWarningIds.LoraTargetMissing,
                        "LoRA targets " + missing + " do not exist in this model; they add no adapters."));
            }
            if (request.ZeroStage > 0 && request.DataParallel == 1)
                warnings.Add(new TrainingWarning(TrainingWarningIds.ZeroWithoutDataParallel,
                    "ZeRO stage " + request.ZeroStage + " with DataParallel 1: the checkpoint is not sharded."));

            DataType save = request.SavePrecision
                            ?? (ModelStates.WeightBytes(request.Regime) == 4 ? DataTypes.Fp32 : DataTypes.Bf16);
            ParameterShapes trainable = lora ? whole.Adapters : whole.Base;
            double weights = trainable.Total * save.BytesPerValue;
            double master = request.IncludeOptimizer ? ModelStates.MasterBytes(request.Regime) * (double)trainable.Total : 0;
            double states = request.IncludeOptimizer ? ModelStates.OptimizerStateBytes(request.Optimizer, request.Regime, trainable) : 0;

            int ranks = request.Ranks;
            double modelParallel = (double)request.TensorParallel * request.PipelineParallel;
            double d = request.DataParallel;
            // Who writes what: optimizer partitions per data-parallel rank from stage 1; weights too at stage 3.
            double optimizerShard = request.ZeroStage >= 1 ? (master + states) / (modelParallel * d) : (master + states) / modelParallel;
            double weightShard = request.ZeroStage == 3 ? weights / (modelParallel * d) : weights / modelParallel;
            int writers = request.ZeroStage >= 1 ? ranks : (int)modelParallel;
            double state = TrainingStatePerRank.Bytes * (double)writers;

            var estimate = new CheckpointEstimate
            {
                ModelId = request.Model.Id,
                Method = request.Method,
                Regime = request.Regime,
                Optimizer = request.Optimizer,
                IncludeOptimizer = request.IncludeOptimizer,
                SavePrecision = save.Name,
                ZeroStage = request.ZeroStage,
                DataParallel = request.DataParallel,
                TensorParallel = request.TensorParallel,
                PipelineParallel = request.PipelineParallel,
                LoraRank = lora ? request.LoraRank : 0,
                LoraTargets = lora ? request.LoraTargets : LoraTargets.None,
                Parameters = whole.Base.Total,
                TrainableParameters = trainable.Total,
                Weights = ByteSize.FromBytes(weights),
                MasterWeights = ByteSize.FromBytes(master),
                OptimizerStates = ByteSize.FromBytes(states),
                TrainingState = ByteSize.FromBytes(state),
                Ranks = writers,
                PerRank = ByteSize.FromBytes(weightShard + optimizerShard + TrainingStatePerRank.Bytes),
                AdapterOnly = lora ? ByteSize.FromBytes(weights) : ByteSize.Zero,
                Warnings = warnings,
            };
            estimate.Total = estimate.Weights + estimate.MasterWeights + estimate.OptimizerStates + estimate.TrainingState;
            return estimate;
        }
    }
}
