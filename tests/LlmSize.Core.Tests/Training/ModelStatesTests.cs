using LlmSize.Core.Training;
using LlmSize.Core.Units;
using Xunit;

namespace LlmSize.Core.Tests.Training
{
    /// <summary>Bytes per parameter (DESIGN.md §8), ZeRO partitioning and DeepSpeed's own estimates.</summary>
    public class ModelStatesTests
    {
        private static double PerParameter(PrecisionRegime regime, OptimizerKind optimizer, bool fp32Grads = false)
        {
            const long n = 1_000_000;
            return ModelStates.Full(ParameterShapes.FromCount(n), regime, optimizer, fp32Grads).Total / n;
        }

        [Fact]
        public void Bytes_per_parameter_by_regime()
        {
            Assert.Equal(16, PerParameter(PrecisionRegime.Fp32, OptimizerKind.AdamW));   // 4 + 4 + 8 (m, v)
            Assert.Equal(16, PerParameter(PrecisionRegime.Mixed, OptimizerKind.AdamW));  // 2 + 2 + 12 (master, m, v): ZeRO's K = 12
            Assert.Equal(18, PerParameter(PrecisionRegime.Mixed, OptimizerKind.AdamW, fp32Grads: true)); // Megatron: 2 + 4 + 12
            Assert.Equal(8, PerParameter(PrecisionRegime.Bf16, OptimizerKind.AdamW));    // 2 + 2 + 4 (bf16 m, v)
            Assert.Equal(16, PerParameter(PrecisionRegime.Amp, OptimizerKind.AdamW));    // 4 + 4 + 8, cast copies aside
            Assert.Equal(12, PerParameter(PrecisionRegime.Mixed, OptimizerKind.SgdMomentum)); // 2 + 2 + 4 master + 4
            Assert.Equal(12, PerParameter(PrecisionRegime.Mixed, OptimizerKind.Lion));
            Assert.Equal(8, PerParameter(PrecisionRegime.Mixed, OptimizerKind.Sgd));     // 2 + 2 + master 4
            // 8-bit Adam: two uint8 states + two fp32 absmax per 256 values; + 4 master in mixed precision.
            Assert.Equal(2 + 2 + 4 + 2 + 8.0 / 256, PerParameter(PrecisionRegime.Mixed, OptimizerKind.Adam8bit), 9);
        }

        [Fact]
        public void Amp_adds_16_bit_copies_of_the_matmul_weights()
        {
            // Hugging Face: "6 bytes * number of parameters for mixed precision training (a model in fp32 and one in fp16)".
            ModelStateBytes amp = ModelStates.Full(ParameterShapes.FromCount(1000), PrecisionRegime.Amp, OptimizerKind.AdamW, castCopyElements: 1000);
            Assert.Equal(6000, amp.Weights);
            Assert.Equal(4000, amp.Gradients);
            Assert.Equal(8000, amp.Optimizer);
        }

        [Fact]
        public void Adafactor_factors_matrices_and_keeps_vectors_whole()
        {
            // One 4096 × 1024 matrix and 5120 bias/norm elements: state = (4096 + 1024) + 5120 floats.
            var shapes = new ParameterShapes(4096L * 1024 + 5120, 4096L * 1024, 4096 + 1024);
            Assert.Equal(4.0 * (5120 + 5120), ModelStates.OptimizerStateBytes(OptimizerKind.Adafactor, PrecisionRegime.Fp32, shapes));
            // 8-bit Adam keeps 32-bit states for the small vectors.
            Assert.Equal(4096.0 * 1024 * (2 + 8.0 / 256) + 5120 * 8.0,
                ModelStates.OptimizerStateBytes(OptimizerKind.Adam8bit, PrecisionRegime.Fp32, shapes));
        }

        [Fact]
        public void Zero_paper_figure_1()
        {
            // Rajbhandari et al. 2019, Figure 1: Ψ = 7.5 B, N_d = 64, K = 12 (mixed-precision Adam), per device.
            // Baseline (2 + 2 + K)Ψ = 16 · 7.5e9 = 120 GB.
            // P_os:     2Ψ + 2Ψ + KΨ/N_d = 15e9 + 15e9 + 90e9/64 = 31.40625 GB → 31.4.
            // P_os+g:   2Ψ + (2 + K)Ψ/N_d = 15e9 + 105e9/64 = 16.640625 GB → 16.6.
            // P_os+g+p: (2 + 2 + K)Ψ/N_d = 120e9/64 = 1.875 GB → 1.9.
            ModelStateBytes states = ModelStates.Full(ParameterShapes.FromCount(7_500_000_000), PrecisionRegime.Mixed, OptimizerKind.AdamW);
            Assert.Equal(120e9, ZeroSharding.PerGpu(states, 0, 64).Total);
            Assert.Equal(31.40625e9, ZeroSharding.PerGpu(states, 1, 64).Total);
            Assert.Equal(16.640625e9, ZeroSharding.PerGpu(states, 2, 64).Total);
            Assert.Equal(1.875e9, ZeroSharding.PerGpu(states, 3, 64).Total);
            Assert.Equal(31.4, System.Math.Round(ZeroSharding.PerGpu(states, 1, 64).Total / 1e9, 1));
            Assert.Equal(16.6, System.Math.Round(ZeroSharding.PerGpu(states, 2, 64).Total / 1e9, 1));
            Assert.Equal(1.9, System.Math.Round(ZeroSharding.PerGpu(states, 3, 64).Total / 1e9, 1));
        }

        [Fact]
        public void Seed_example_7b_fp32_adam_is_28_28_56_gb()
        {
            // DESIGN.md §10: 7B in fp32 with Adam: weights 4 · 7e9 = 28 GB, gradients 28 GB, m and v 8 · 7e9 = 56 GB; 112 GB.
            ModelStateBytes states = ModelStates.Full(ParameterShapes.FromCount(7_000_000_000), PrecisionRegime.Fp32, OptimizerKind.AdamW);
            Assert.Equal(28e9, states.Weights);
            Assert.Equal(28e9, states.Gradients);
            Assert.Equal(56e9, states.Optimizer);
            Assert.Equal(112e9, states.Total);
            Assert.Equal("26.08 GiB", ByteSize.FromBytes(states.Weights).ToString());
        }

        [Fact]
        public void DeepSpeed_zero3_reproduces_its_published_t5_small_table()
        {
            // estimate_zero3_model_states_mem_needs_all_live(t5-small, 1 GPU, 1 node) printed (GB there = 2^30 bytes):
            //   1.52 | 0.06 | offload_param=cpu, offload_optimizer=cpu, zero_init=1
            //   1.35 | 0.17 | offload_param=none, offload_optimizer=cpu, zero_init=1
            //   0.09 | 1.08 | offload_param=none, offload_optimizer=none, zero_init=1
            //   0.34 | 1.08 | offload_param=none, offload_optimizer=none, zero_init=0
            // (https://blog.csdn.net/u012327567/article/details/132278598). t5-small (T5Model): 60,506,624 parameters; largest
            // module the shared 32128 × 512 embedding, 16,449,536.
            const long total = 60_506_624, largest = 16_449_536;
            AssertGiB(1.52, 0.06, DeepSpeedModelStates.Zero3(total, largest, 1, 1, cpuOffload: true, cpuOffloadParameters: true));
            AssertGiB(1.35, 0.17, DeepSpeedModelStates.Zero3(total, largest, 1, 1, cpuOffload: true, cpuOffloadParameters: false));
            AssertGiB(0.09, 1.08, DeepSpeedModelStates.Zero3(total, largest, 1, 1, cpuOffload: false, cpuOffloadParameters: false));
            AssertGiB(0.34, 1.08, DeepSpeedModelStates.Zero3(total, largest, 1, 1, cpuOffload: false, cpuOffloadParameters: false, zeroInit: false));
        }

        [Fact]
        public void DeepSpeed_zero2_forms()
        {
            // Offload: GPU 2Ψ; CPU Ψ · max(4 · N, 16) · 1.5. Without: GPU 4Ψ + 16Ψ/N; CPU 4Ψ · GPUs per node · 1.5.
            const long psi = 1_000_000_000;
            DeepSpeedModelStates offload = DeepSpeedModelStates.Zero2(psi, 8, 1, cpuOffload: true);
            Assert.Equal(2e9, offload.GpuPerRank.Bytes);
            Assert.Equal(48e9, offload.CpuPerNode.Bytes);           // max(32, 16) · 1.5 = 48 bytes per parameter
            DeepSpeedModelStates none = DeepSpeedModelStates.Zero2(psi, 8, 1, cpuOffload: false);
            Assert.Equal(6e9, none.GpuPerRank.Bytes);                // 4 + 16/8
            Assert.Equal(48e9, none.CpuPerNode.Bytes);               // 4 · 8 · 1.5
            Assert.Equal(1.5, none.AdditionalBufferFactor);
            Assert.Equal(24e9, DeepSpeedModelStates.Zero2(psi, 1, 1, cpuOffload: true).CpuPerNode.Bytes); // max(4, 16) · 1.5
        }

        private static void AssertGiB(double cpu, double gpu, DeepSpeedModelStates estimate)
        {
            Assert.Equal(cpu, System.Math.Round(estimate.CpuPerNode.GiB, 2));
            Assert.Equal(gpu, System.Math.Round(estimate.GpuPerRank.GiB, 2));
        }
    }
}
