using System;
using LlmSize.Core.Models;
using LlmSize.Core.Training;
using LlmSize.Core.Units;
using Xunit;

namespace LlmSize.Core.Tests.Training
{
    public class CheckpointEstimatorTests
    {
        private static CheckpointEstimate Estimate(ModelSpec model, Action<CheckpointRequest>? configure = null)
        {
            var request = new CheckpointRequest(model);
            configure?.Invoke(request);
            return CheckpointEstimator.Estimate(request);
        }

        [Fact]
        public void Seven_billion_mixed_adamw_is_98_gb()
        {
            // DESIGN.md §8: 16-bit weights 2 bytes + fp32 master, m, v 12 bytes: 7e9 × 14 = 98 GB.
            Assert.Equal(98e9, CheckpointEstimator.FullCheckpointBytes(ParameterShapes.FromCount(7_000_000_000), 2,
                PrecisionRegime.Mixed, OptimizerKind.AdamW));
        }

        [Fact]
        public void Llama_2_7b_full_checkpoint()
        {
            const double psi = 6_738_415_616;
            CheckpointEstimate e = Estimate(TrainingTestModels.Reference("llama-2-7b.json"));
            Assert.Equal("bf16", e.SavePrecision);
            Assert.Equal(ByteSize.FromBytes(2 * psi), e.Weights);
            Assert.Equal(ByteSize.FromBytes(4 * psi), e.MasterWeights);
            Assert.Equal(ByteSize.FromBytes(8 * psi), e.OptimizerStates);
            Assert.Equal(CheckpointEstimator.TrainingStatePerRank, e.TrainingState);
            Assert.Equal(e.Weights + e.MasterWeights + e.OptimizerStates + e.TrainingState, e.Total);
            Assert.Equal(94.34, Math.Round(e.Total.GB, 2)); // 6.738e9 × 14 = 94.34 GB
            Assert.Equal(e.Total, e.PerRank);

            CheckpointEstimate weightsOnly = Estimate(TrainingTestModels.Reference("llama-2-7b.json"), r => r.IncludeOptimizer = false);
            Assert.Equal(ByteSize.FromBytes(2 * psi) + CheckpointEstimator.TrainingStatePerRank, weightsOnly.Total);
        }

        [Fact]
        public void Zero_sharded_checkpoints_per_rank()
        {
            const double psi = 6_738_415_616;
            ModelSpec llama = TrainingTestModels.Reference("llama-2-7b.json");
            // Stage 2 over 8: rank 0 writes the 16-bit model file (2Ψ) and its optimizer partition (12Ψ/8).
            CheckpointEstimate z2 = Estimate(llama, r => { r.ZeroStage = 2; r.DataParallel = 8; });
            Assert.Equal(ByteSize.FromBytes(2 * psi + 12 * psi / 8) + CheckpointEstimator.TrainingStatePerRank, z2.PerRank);
            Assert.Equal(8, z2.Ranks);
            Assert.Equal(ByteSize.FromBytes(14 * psi) + CheckpointEstimator.TrainingStatePerRank * 8, z2.Total);
            // Stage 3: every rank writes its parameter and optimizer partitions, 14Ψ/8.
            CheckpointEstimate z3 = Estimate(llama, r => { r.ZeroStage = 3; r.DataParallel = 8; });
            Assert.Equal(ByteSize.FromBytes(14 * psi / 8) + CheckpointEstimator.TrainingStatePerRank, z3.PerRank);
        }

        [Fact]
        public void Lora_adapter_only_size()
        {
            // Llama-2-7B, r = 8 on q_proj and v_proj: 4,194,304 adapter parameters; fp32 adapters (Amp, peft's default
            // dtype) write 16,777,216 bytes = 16 MiB, 16-bit ones 8 MiB.
            ModelSpec llama = TrainingTestModels.Reference("llama-2-7b.json");
            CheckpointEstimate amp = Estimate(llama, r => { r.Method = TrainingMethod.LoRA; r.Regime = PrecisionRegime.Amp; });
            Assert.Equal(4_194_304L, amp.TrainableParameters);
            Assert.Equal(16L * 1024 * 1024, amp.AdapterOnly.Bytes);
            Assert.Equal(ByteSize.FromBytes(8.0 * 4_194_304), amp.OptimizerStates);
            Assert.Equal(ByteSize.Zero, amp.MasterWeights);
            CheckpointEstimate mixed = Estimate(llama, r => r.Method = TrainingMethod.LoRA);
            Assert.Equal(8L * 1024 * 1024, mixed.AdapterOnly.Bytes);
            Assert.Equal(ByteSize.Zero, Estimate(llama).AdapterOnly);
        }

        [Fact]
        public void Save_precision_can_be_chosen()
        {
            const double psi = 6_738_415_616;
            CheckpointEstimate fp32 = Estimate(TrainingTestModels.Reference("llama-2-7b.json"), r => { r.SavePrecision = DataTypes.Fp32; r.IncludeOptimizer = false; });
            Assert.Equal(ByteSize.FromBytes(4 * psi), fp32.Weights);
            Assert.Equal("fp32", fp32.SavePrecision);
        }
    }
}
