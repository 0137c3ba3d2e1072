using LlmSize.Core.Units;

namespace LlmSize.Core.Hardware
{
    /// <summary>
    /// How much of a device's memory software can allocate, before runtime overheads (CUDA context, engine reserves),
    /// which the estimators add as their own Overhead term. Source: shared/reference/hardware-notes.md §2.
    /// </summary>
    public static class UsableMemoryRule
    {
        /// <summary>Apple silicon at ≤ 36 GB: Metal's recommendedMaxWorkingSetSize is about 2/3 of RAM
        /// (llama.cpp PR #2011: 21845.34 MB of 32 GB).</summary>
        public const double AppleSmallShare = 2.0 / 3.0;
        /// <summary>Apple silicon above 36 GB: about 3/4 of RAM (gpustack #1375 "75% of total RAM"; 64 GB Macs report ~47–49 GB).</summary>
        public const double AppleLargeShare = 0.75;
        public static readonly ByteSize AppleShareThreshold = ByteSize.FromGB(36);

        public static ByteSize Usable(GpuSpec gpu)
        {
            if (gpu.Category == GpuCategory.Apple) return AppleGpuShare(gpu.Memory);
            // What CUDA can allocate is totalGlobalMem (a few hundred MiB below nvidia-smi's total), when known.
            if (gpu.CudaTotalMemory is ByteSize cuda) return cuda;
            if (gpu.ReportedMemory is ByteSize reported) return reported;
            return gpu.Memory;
        }

        /// <summary>GPU-wired share of Apple unified memory when recommendedMaxWorkingSetSize is not known.</summary>
        public static ByteSize AppleGpuShare(ByteSize ram) =>
            ram * (ram <= AppleShareThreshold ? AppleSmallShare : AppleLargeShare);
    }
}
