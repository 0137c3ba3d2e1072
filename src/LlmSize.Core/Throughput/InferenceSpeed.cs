using System.Collections.Generic;

namespace LlmSize.Core.Throughput
{
    /// <summary>Which roof limits a decode step.</summary>
    public enum DecodeBound { Memory, Compute }

    /// <summary>
    /// Roofline estimate of one inference run on <see cref="GpuCount"/> tensor-parallel GPUs (see
    /// <see cref="InferenceThroughput"/> for the formulas). Times are seconds; null means a catalog figure the term needs
    /// is missing (see <see cref="Notes"/>), never zero.
    /// </summary>
    public sealed class InferenceSpeed
    {
        /// <summary>The model this answer is for (set by the caller, for grouping and filtering in pipelines).</summary>
        public string ModelId { get; set; } = "";
        // ---- Inputs, echoed ----
        public string GpuId { get; internal set; } = "";
        public int GpuCount { get; internal set; }
        public int BatchSize { get; internal set; }
        public int PromptTokens { get; internal set; }
        public int OutputTokens { get; internal set; }
        public long ActiveParameters { get; internal set; }
        public string WeightType { get; internal set; } = "";

        // ---- Hardware figures and efficiencies used ----
        public PeakCompute Peak { get; internal set; } = null!;
        public ComputePrecision ComputePrecision => Peak.Requested;
        /// <summary>Dense peak of one GPU for the compute precision (after any fallback); null when the catalog has none.</summary>
        public double? PeakTflopsPerGpu => Peak.TflopsPerGpu;
        public double ComputeEfficiency { get; internal set; }
        public double MemoryEfficiency { get; internal set; }
        /// <summary>Peak memory bandwidth of one GPU, GB/s; null when the catalog has none.</summary>
        public double? BandwidthGBps { get; internal set; }
        public InterconnectLink Interconnect { get; internal set; } = null!;

        // ---- Prefill ----
        /// <summary>2 · ActiveParameters · PromptTokens · BatchSize.</summary>
        public double PrefillFlops { get; internal set; }
        public double? PrefillComputeSeconds { get; internal set; }
        public double PrefillCommunicationSeconds { get; internal set; }
        /// <summary>Time to first token: prefill compute + its all-reduces.</summary>
        public double? TimeToFirstTokenSeconds { get; internal set; }

        // ---- Decode (one step = one token for every sequence of the batch) ----
        /// <summary>Context length at which the decode step is evaluated: prompt + (output − 1)/2, the mean over the generated tokens.</summary>
        public double DecodeContextTokens { get; internal set; }
        /// <summary>Active weight bytes + KV bytes per token · context · batch.</summary>
        public double DecodeBytesPerStep { get; internal set; }
        /// <summary>2 · ActiveParameters · BatchSize.</summary>
        public double DecodeFlopsPerStep { get; internal set; }
        public double? DecodeMemorySeconds { get; internal set; }
        public double? DecodeComputeSeconds { get; internal set; }
        public double DecodeCommunicationSeconds { get; internal set; }
        /// <summary>max(memory, compute) + communication.</summary>
        public double? DecodeStepSeconds { get; internal set; }
        public DecodeBound? DecodeBound { get; internal set; }
        /// <summary>Tokens per second one sequence sees: 1 / step.</summary>
        public double? TokensPerSecondPerSequence { get; internal set; }
        /// <summary>Tokens per second of the whole batch: BatchSize / step.</summary>
        public double? TokensPerSecond { get; internal set; }

        /// <summary>Time to first token + (OutputTokens − 1) decode steps.</summary>
        public double? EndToEndSeconds { get; internal set; }

        /// <summary>Fallbacks and missing figures, in words.</summary>
        public IReadOnlyList<string> Notes { get; internal set; } = new string[0];

        public override string ToString() =>
            GpuCount + "x " + GpuId + ": " + (TokensPerSecond?.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) ?? "?") + " tok/s";
    }
}
