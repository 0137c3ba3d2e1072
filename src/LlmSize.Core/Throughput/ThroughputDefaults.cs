using System;
using LlmSize.Core.Hardware;
using LlmSize.Core.Units;

namespace LlmSize.Core.Throughput
{
    /// <summary>
    /// Default efficiencies of the roofline estimates. Each is an input the caller may override; these are the values
    /// used when it does not, with where they come from.
    /// </summary>
    public static class ThroughputDefaults
    {
        // ---- Memory-bandwidth efficiency of single-stream decode (achieved bytes/s ÷ peak bytes/s) ----
        // Measured fractions of llama.cpp token generation, one row per (GPU, model, format) in
        // tests/LlmSize.Core.Tests/Throughput/measured-speed.yaml (llama.cpp discussions #4167 and #15013, PRs #4766 and
        // #4812, XiongjieDai/GPU-Benchmarks-on-LLM-Inference). The fraction falls with the storage width because
        // block-quantized kernels dequantize in the inner loop and read per-block scales: 16-bit rows reach 0.68-0.85,
        // 8-bit rows 0.59-0.71, 4-bit rows 0.45-0.74. Each default is the median of its group, rounded to two decimals
        // (MeasuredSpeedTests checks that the constants still equal the medians of the data file). For comparison,
        // llmfit uses one decode efficiency of 0.55 for every format (https://github.com/AlexsJones/llmfit).

        /// <summary>Weights stored in 16 bits or more (fp16, bf16, fp32): median measured fraction 0.78.</summary>
        public const double MemoryEfficiency16Bit = 0.78;
        /// <summary>Weights stored in 8 to 16 bits (fp8, int8, Q8_0 at 8.5 bits): median measured fraction 0.70.</summary>
        public const double MemoryEfficiency8Bit = 0.70;
        /// <summary>Weights stored in fewer than 8 bits (Q4_0, Q4_K_M, GPTQ/AWQ int4, NF4): median measured fraction 0.58.</summary>
        public const double MemoryEfficiencyBelow8Bit = 0.58;

        // ---- Compute efficiency (achieved matmul FLOPS ÷ dense peak) ----

        /// <summary>
        /// Used when the catalog has no MAMF measurement for the GPU: the median of the eleven "maximum achievable matmul
        /// FLOPS" fractions of hardware-notes.md §3 (ml-engineering, compute/accelerator/README.md): 51.4% (MI300X) ...
        /// 96.9% (Gaudi 2), median 77.6% (B200).
        /// </summary>
        public const double ComputeEfficiency = 0.776;

        // ---- Training ----

        /// <summary>
        /// Model FLOPs utilization of large training runs: Llama 3 405B reports 38-43% BF16 MFU on 8K-16K H100s
        /// (Llama 3 Herd of Models, arXiv 2407.21783, Table 4); PaLM 540B reports 46.2% (arXiv 2204.02311).
        /// DESIGN.md §9. 0.40 sits inside Llama 3's range; small runs on one node often do better, multi-node MoE runs worse.
        /// </summary>
        public const double TrainingMfu = 0.40;

        /// <summary>The decode memory efficiency for weights stored as <paramref name="weights"/> (see the constants above).</summary>
        public static double MemoryEfficiencyFor(DataType weights)
        {
            Guard.NotNull(weights, nameof(weights));
            if (weights.BitsPerValue >= 16) return MemoryEfficiency16Bit;
            if (weights.BitsPerValue >= 8) return MemoryEfficiency8Bit;
            return MemoryEfficiencyBelow8Bit;
        }

        /// <summary>
        /// The GPU's measured MAMF bf16 fraction (<see cref="GpuSpec.MamfBf16Tflops"/> ÷ <see cref="GpuSpec.Bf16Tflops"/>,
        /// e.g. H100 SXM 794.5 / 989 = 0.803) when the catalog has both, else <see cref="ComputeEfficiency"/>.
        /// </summary>
        public static double ComputeEfficiencyFor(GpuSpec gpu)
        {
            Guard.NotNull(gpu, nameof(gpu));
            if (gpu.MamfBf16Tflops is double mamf && gpu.Bf16Tflops is double peak && mamf > 0 && peak > 0)
                return Math.Min(1.0, mamf / peak);
            return ComputeEfficiency;
        }
    }
}
