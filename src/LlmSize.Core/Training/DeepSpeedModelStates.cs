using System;
using LlmSize.Core.Units;

namespace LlmSize.Core.Training
{
    /// <summary>
    /// DeepSpeed's own model-states estimate (documented at https://deepspeed.readthedocs.io/en/latest/memory.html;
    /// deepspeed/runtime/zero/stage_1_and_2.py estimate_zero2_model_states_mem_needs and stage3.py
    /// estimate_zero3_model_states_mem_needs). GPU per rank and CPU per node, for the whole model over data-parallel
    /// ranks only; the CPU figure carries DeepSpeed's additional_buffer_factor (1.5) for pinned and temporary buffers.
    /// </summary>
    public sealed class DeepSpeedModelStates
    {
        /// <summary>DeepSpeed's default additional_buffer_factor on host memory.</summary>
        public const double DefaultAdditionalBufferFactor = 1.5;

        private DeepSpeedModelStates(string function, long totalParameters, long largestLayerParameters, int gpusPerNode,
            int nodes, bool cpuOffload, bool cpuOffloadParameters, bool zeroInit, double bufferFactor, double gpuBytes,
            double cpuBytes)
        {
            Function = function; TotalParameters = totalParameters; LargestLayerParameters = largestLayerParameters;
            GpusPerNode = gpusPerNode; Nodes = nodes; CpuOffload = cpuOffload; CpuOffloadParameters = cpuOffloadParameters;
            ZeroInit = zeroInit; AdditionalBufferFactor = bufferFactor;
            GpuPerRank = ByteSize.FromBytes(gpuBytes);
            CpuPerNode = ByteSize.FromBytes(cpuBytes);
        }

        /// <summary>The DeepSpeed function this reproduces.</summary>
        public string Function { get; }
        public long TotalParameters { get; }
        /// <summary>Parameters of the largest single module (ZeRO-3 gathers one module at a time).</summary>
        public long LargestLayerParameters { get; }
        public int GpusPerNode { get; }
        public int Nodes { get; }
        public bool CpuOffload { get; }
        public bool CpuOffloadParameters { get; }
        /// <summary>ZeRO-3 zero.Init: parameters are partitioned as they are created, so no process holds a full fp32 copy.</summary>
        public bool ZeroInit { get; }
        public double AdditionalBufferFactor { get; }
        public ByteSize GpuPerRank { get; }
        public ByteSize CpuPerNode { get; }

        /// <summary>
        /// ZeRO stages 1 and 2. Offload: the GPU keeps the 16-bit parameters (2Ψ); the host keeps fp32 master, Adam m
        /// and v and fp32 gradients (16Ψ, or 4Ψ per GPU while loading if that is more), × buffer factor.
        /// Without offload: GPU 4Ψ (16-bit parameters and gradients) + 16Ψ/N (states sharded over all N GPUs); host 4Ψ
        /// per GPU of the node (each process loads an fp32 copy), × buffer factor.
        /// </summary>
        public static DeepSpeedModelStates Zero2(long totalParameters, int gpusPerNode, int nodes, bool cpuOffload,
            double additionalBufferFactor = DefaultAdditionalBufferFactor)
        {
            Check(totalParameters, gpusPerNode, nodes);
            double psi = totalParameters;
            int totalGpus = gpusPerNode * nodes;
            double gpu, cpu;
            if (cpuOffload)
            {
                gpu = 2 * psi;
                cpu = psi * Math.Max(4.0 * totalGpus, 16) * additionalBufferFactor;
            }
            else
            {
                gpu = 4 * psi + Math.Floor(16 * psi / totalGpus);
                cpu = psi * 4 * gpusPerNode * additionalBufferFactor;
            }
            return new DeepSpeedModelStates("estimate_zero2_model_states_mem_needs", totalParameters, 0, gpusPerNode, nodes,
                cpuOffload, false, false, additionalBufferFactor, Math.Floor(gpu), Math.Floor(cpu));
        }

        /// <summary>
        /// ZeRO stage 3. The GPU always holds the largest module's 16-bit parameters and gradients (4 bytes each) while
        /// it is gathered. Parameter offload: nothing else on the GPU; host 18Ψ per node share (16-bit parameters +
        /// fp32 master, m, v) × buffer factor. Optimizer offload only: + 2Ψ/N parameters on the GPU, host 16Ψ.
        /// No offload: GPU + 18Ψ/N; host only the largest layer per GPU with zero.Init (else a full fp32 copy per GPU).
        /// </summary>
        public static DeepSpeedModelStates Zero3(long totalParameters, long largestLayerParameters, int gpusPerNode, int nodes,
            bool cpuOffload, bool cpuOffloadParameters, bool zeroInit = true,
            double additionalBufferFactor = DefaultAdditionalBufferFactor)
        {
            Check(totalParameters, gpusPerNode, nodes);
            if (largestLayerParameters < 0) throw new ArgumentOutOfRangeException(nameof(largestLayerParameters));
            double psi = totalParameters;
            int totalGpus = gpusPerNode * nodes;
            double perNodeShare = 1.0 / nodes;
            double largestLayer = 4.0 * largestLayerParameters;
            double gpu, cpu;
            if (cpuOffload && cpuOffloadParameters)
            {
                gpu = largestLayer;
                cpu = zeroInit
                    ? psi * 18 * perNodeShare * additionalBufferFactor
                    : psi * Math.Max(4.0 * gpusPerNode, 18 * perNodeShare) * additionalBufferFactor;
            }
            else if (cpuOffload)
            {
                gpu = largestLayer + Math.Floor(2 * psi / totalGpus);
                cpu = zeroInit
                    ? psi * 16 * perNodeShare * additionalBufferFactor
                    : psi * Math.Max(4.0 * gpusPerNode, 16 * perNodeShare) * additionalBufferFactor;
            }
            else
            {
                gpu = largestLayer + Math.Floor(18 * psi / totalGpus);
                cpu = zeroInit
                    ? largestLayerParameters * 4.0 * gpusPerNode * additionalBufferFactor
                    : psi * 4 * gpusPerNode * additionalBufferFactor;
            }
            return new DeepSpeedModelStates("estimate_zero3_model_states_mem_needs", totalParameters, largestLayerParameters,
                gpusPerNode, nodes, cpuOffload, cpuOffload && cpuOffloadParameters, zeroInit, additionalBufferFactor,
                Math.Floor(gpu), Math.Floor(cpu));
        }

        private static void Check(long totalParameters, int gpusPerNode, int nodes)
        {
            if (totalParameters < 0) throw new ArgumentOutOfRangeException(nameof(totalParameters));
            if (gpusPerNode < 1) throw new ArgumentOutOfRangeException(nameof(gpusPerNode));
            if (nodes < 1) throw new ArgumentOutOfRangeException(nameof(nodes));
        }

        public override string ToString() => Function + ": GPU " + GpuPerRank + " per rank, CPU " + CpuPerNode + " per node";
    }
}
