using System.Collections.Generic;
using LlmSize.Core.Hardware;

namespace LlmSize.Core.Throughput
{
    /// <summary>What a training (or fine-tuning) run asks of the hardware.</summary>
    public sealed class TrainingWorkload
    {
        /// <summary>Parameters each token passes through (MoE: active parameters). For LoRA pass the full model's count:
        /// the backward pass still runs through the frozen weights.</summary>
        public long Parameters { get; set; }
        /// <summary>Training tokens D (all epochs).</summary>
        public double Tokens { get; set; }
        /// <summary>Full activation recomputation: the forward pass runs twice, 8·P·D instead of 6·P·D (Korthikanti et al. 2022, arXiv 2205.05198 §5).</summary>
        public bool FullRecomputation { get; set; }
        /// <summary>Precision of the matmuls. Default bf16 (mixed-precision training).</summary>
        public ComputePrecision Precision { get; set; } = ComputePrecision.Bf16;
    }

    /// <summary>Overrides of the training estimate's defaults.</summary>
    public sealed class TrainingOptions
    {
        /// <summary>Utilization of the dense peak, (0, 1]. Default <see cref="ThroughputDefaults.TrainingMfu"/>.</summary>
        public double? Mfu { get; set; }
        /// <summary>Power usage effectiveness of the facility, ≥ 1 (energy = GPU energy × PUE). Default 1.</summary>
        public double Pue { get; set; } = 1;
        /// <summary>USD per GPU-hour. Default: the catalog's lowest on-demand price (<see cref="GpuSpec.CloudUsdPerHour"/>).</summary>
        public double? UsdPerGpuHour { get; set; }
    }

    /// <summary>Time, GPU-hours, energy and cost of a training run (see <see cref="TrainingThroughput"/>).</summary>
    public sealed class TrainingSpeed
    {
        /// <summary>The model this answer is for (set by the caller, for grouping and filtering in pipelines).</summary>
        public string ModelId { get; set; } = "";
        public string GpuId { get; internal set; } = "";
        public int GpuCount { get; internal set; }
        public long Parameters { get; internal set; }
        public double Tokens { get; internal set; }
        public bool FullRecomputation { get; internal set; }
        /// <summary>6, or 8 with full recomputation.</summary>
        public int FlopsPerParameterPerToken { get; internal set; }
        public double Flops { get; internal set; }
        public PeakCompute Peak { get; internal set; } = null!;
        public double? PeakTflopsPerGpu => Peak.TflopsPerGpu;
        public double Mfu { get; internal set; }
        public double? Seconds { get; internal set; }
        public double? Hours => Seconds / 3600;
        public double? Days => Seconds / 86400;
        /// <summary>GPUs × hours.</summary>
        public double? GpuHours { get; internal set; }
        public double? TokensPerSecond { get; internal set; }
        public double? PowerWattsPerGpu { get; internal set; }
        public double Pue { get; internal set; }
        /// <summary>PowerWatts × GPUs × hours × PUE / 1000; null when the catalog has no power figure.</summary>
        public double? EnergyKWh { get; internal set; }
        public double? UsdPerGpuHour { get; internal set; }
        /// <summary>GPU-hours × USD per GPU-hour; null without a price.</summary>
        public double? CostUsd { get; internal set; }
        public IReadOnlyList<string> Notes { get; internal set; } = new string[0];
    }

    /// <summary>
    /// Training compute (DESIGN.md §9): FLOPs = 6·P·D — 2 for the forward and 4 for the backward pass per parameter and
    /// token (Kaplan et al. 2020, arXiv 2001.08361 §2.1; Hoffmann et al. 2022 "Chinchilla", arXiv 2203.15556) — or 8·P·D
    /// with full activation recomputation (one more forward pass; Korthikanti et al. 2022, arXiv 2205.05198).
    /// Time = FLOPs / (GPUs × peak × MFU). With recomputation the 8·P·D are hardware FLOPs, so the utilization given then
    /// plays the role of Korthikanti's hardware FLOPs utilization (HFU), not MFU.
    /// Energy = power × GPUs × hours × PUE; cost = GPU-hours × USD per GPU-hour.
    /// </summary>
    public static class TrainingThroughput
    {
        /// <summary>6·P·D, or 8·P·D with full recomputation.</summary>
        public static double Flops(double parameters, double tokens, bool fullRecomputation = false)
        {
            Guard.Positive(parameters, nameof(parameters));
            Guard.Positive(tokens, nameof(tokens));
            return (fullRecomputation ? 8.0 : 6.0) * parameters * tokens;
        }

        public static TrainingSpeed Estimate(TrainingWorkload workload, GpuSpec gpu, int gpuCount = 1, TrainingOptions? options = null)
        {
            Guard.NotNull(workload, nameof(workload));
            Guard.NotNull(gpu, nameof(gpu));
            Guard.AtLeast(gpuCount, 1, nameof(gpuCount));
            options ??= new TrainingOptions();
            double mfu = options.Mfu is double u ? Guard.Fraction(u, "Mfu") : ThroughputDefaults.TrainingMfu;
            double pue = Guard.Pue(options.Pue, "Pue");
            double? price = options.UsdPerGpuHour is double given ? Guard.NonNegative(given, "UsdPerGpuHour") : gpu.CloudUsdPerHour;

            double flops = Flops(workload.Parameters, workload.Tokens, workload.FullRecomputation);
            var notes = new List<string>();
            var peak = PeakCompute.For(gpu, workload.Precision);
            if (peak.Note != null) notes.Add(peak.Note);

            double? seconds = peak.TflopsPerGpu is double tf ? flops / (gpuCount * tf * 1e12 * mfu) : (double?)null;
            double? gpuHours = seconds / 3600 * gpuCount;
            double? energy = gpu.PowerWatts is double w ? w * gpuHours * pue / 1000 : null;
            if (gpu.PowerWatts == null) notes.Add(gpu.Id + ": the catalog has no power figure; energy is unknown.");
            if (price == null) notes.Add(gpu.Id + ": no price given and none in the catalog; cost is unknown.");

            return new TrainingSpeed
            {
                GpuId = gpu.Id,
                GpuCount = gpuCount,
                Parameters = workload.Parameters,
                Tokens = workload.Tokens,
                FullRecomputation = workload.FullRecomputation,
                FlopsPerParameterPerToken = workload.FullRecomputation ? 8 : 6,
                Flops = flops,
                Peak = peak,
                Mfu = mfu,
                Seconds = seconds,
                GpuHours = gpuHours,
                TokensPerSecond = workload.Tokens / seconds,
                PowerWattsPerGpu = gpu.PowerWatts,
                Pue = pue,
                EnergyKWh = energy,
                UsdPerGpuHour = price,
                CostUsd = gpuHours * price,
                Notes = notes,
            };
        }
    }
}
