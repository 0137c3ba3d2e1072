using System.Collections.Generic;
using LlmSize.Core.Units;

namespace LlmSize.Core.Fit
{
    /// <summary>
    /// Any memory estimate a fit check can take (inference now, training later): how much memory the deployment needs
    /// in total and on each GPU, and what it is made of.
    /// </summary>
    public interface IMemoryEstimate
    {
        string ModelId { get; }
        /// <summary>Sum over all <see cref="GpuCount"/> GPUs.</summary>
        ByteSize Total { get; }
        /// <summary>What one GPU must hold (the largest share when shares differ).</summary>
        ByteSize PerGpu { get; }
        /// <summary>GPUs the estimate assumes (tensor parallel degree, data-parallel ranks ...).</summary>
        int GpuCount { get; }
        /// <summary>Share of a GPU's usable memory the runtime allows itself (vLLM gpu_memory_utilization); 1 = all.</summary>
        double MemoryUtilization { get; }
        /// <summary>Components of <see cref="PerGpu"/>, in display order.</summary>
        IReadOnlyList<MemoryComponent> Breakdown { get; }
    }

    /// <summary>One term of an estimate (Weights, KvCache, Activations, Overhead ...).</summary>
    public sealed class MemoryComponent
    {
        public MemoryComponent(string name, ByteSize perGpu, ByteSize total, string? note = null)
        {
            Name = name; PerGpu = perGpu; Total = total; Note = note;
        }

        public string Name { get; }
        public ByteSize PerGpu { get; }
        /// <summary>Summed over all GPUs.</summary>
        public ByteSize Total { get; }
        public string? Note { get; }

        public override string ToString() => Name + " " + PerGpu;
    }
}
