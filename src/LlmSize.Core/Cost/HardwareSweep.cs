using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LlmSize.Core.Hardware;
using LlmSize.Core.Throughput;
using LlmSize.Core.Units;

namespace LlmSize.Core.Cost
{
    /// <summary>How sweep results are ordered. Nulls (unknown cost or speed) always sort last.</summary>
    public enum SweepSortKey
    {
        /// <summary>Inference: cost per million tokens; training: total cost.</summary>
        Default,
        CostPerMillionTokens,
        TotalCost,
        CostPerHour,
        /// <summary>Fastest first (aggregate tokens/s; training tokens/s).</summary>
        TokensPerSecond,
        /// <summary>Shortest training run first.</summary>
        TrainingTime,
        PurchaseCost,
        Power,
        /// <summary>Most spare memory per GPU first.</summary>
        Headroom,
        GpuCount,
    }

    /// <summary>A workload to place on hardware, with filters and cost assumptions.</summary>
    public sealed class SweepRequest
    {
        /// <summary>
        /// Bytes each GPU must hold when the workload is split over a given number of GPUs (count → bytes per GPU): plug in
        /// the inference or training memory estimator. Called once per count.
        /// </summary>
        public Func<int, ByteSize>? RequiredBytesPerGpu { get; set; }
        /// <summary>Set this for an inference sweep (tokens/s, cost per million tokens) ...</summary>
        public InferenceWorkload? Inference { get; set; }
        /// <summary>... or this for a training sweep (time, total cost). Exactly one of the two.</summary>
        public TrainingWorkload? Training { get; set; }
        public InferenceOptions? InferenceOptions { get; set; }
        /// <summary>MFU and PUE of the training estimate; its UsdPerGpuHour, when set, replaces the catalog's cloud price.</summary>
        public TrainingOptions? TrainingOptions { get; set; }
        /// <summary>GPU counts to try. Default: 1, 2, 4, 8 (inference); 1, 2, 4, 8, 16, 32, 64 (training: multi-node).
        /// Apple, Jetson and DGX Spark are only tried alone (<see cref="Deployment.IsSingleDevice"/>).</summary>
        public IReadOnlyList<int>? GpuCounts { get; set; }
        /// <summary>Keep only these deployment classes (null: all).</summary>
        public IReadOnlyCollection<DeploymentClass>? Deployments { get; set; }
        /// <summary>Keep options whose known cost per hour is at most this (options of unknown cost are dropped).</summary>
        public double? MaxCostPerHour { get; set; }
        /// <summary>Keep options whose known speed is at least this (inference: aggregate tokens/s; training: tokens/s).</summary>
        public double? MinTokensPerSecond { get; set; }
        public SweepSortKey SortBy { get; set; }
        /// <summary>Share of the time bought hardware works, (0, 1]: amortization is spread over the working hours.</summary>
        public double Utilization { get; set; } = CostDefaults.Utilization;
        public double ElectricityUsdPerKWh { get; set; } = CostDefaults.ElectricityUsdPerKWh;
        public double AmortizationMonths { get; set; } = CostDefaults.AmortizationMonths;
        /// <summary>Power usage effectiveness of owned hardware, ≥ 1 (cloud prices already include the facility).</summary>
        public double Pue { get; set; } = 1;
        /// <summary>Share of a GPU's usable memory the runtime allows itself (vLLM's gpu_memory_utilization), (0, 1].</summary>
        public double MemoryUtilization { get; set; } = 1;
        /// <summary>Called after each GPU with (GPUs done, GPUs total), for a progress bar.</summary>
        public Action<int, int>? Progress { get; set; }

        internal bool IsTraining => Training != null;
    }

    /// <summary>One hardware configuration: a GPU model × count × rented or bought.</summary>
    public sealed class HardwareOption
    {
        /// <summary>The model this answer is for (set by the caller, for grouping and filtering in pipelines).</summary>
        public string ModelId { get; set; } = "";
        public GpuSpec Gpu { get; internal set; } = null!;
        public string GpuId => Gpu.Id;
        public string GpuName => Gpu.Name;
        public int GpuCount { get; internal set; }
        public Acquisition Acquisition { get; internal set; }
        public DeploymentClass Deployment { get; internal set; }
        /// <summary>Weight type (inference) or compute precision (training).</summary>
        public string Precision { get; internal set; } = "";

        public ByteSize RequiredPerGpu { get; internal set; }
        public ByteSize UsablePerGpu { get; internal set; }
        /// <summary>Usable − required per GPU; negative when it does not fit.</summary>
        public ByteSize HeadroomPerGpu => UsablePerGpu - RequiredPerGpu;
        /// <summary>Required ÷ usable.</summary>
        public double MemoryUse => RequiredPerGpu.Bytes / (double)UsablePerGpu.Bytes;
        public bool Fits => RequiredPerGpu <= UsablePerGpu;
        /// <summary>How much more each GPU would need to hold (zero when it fits).</summary>
        public ByteSize ShortfallPerGpu => Fits ? ByteSize.Zero : RequiredPerGpu - UsablePerGpu;

        public InferenceSpeed? Inference { get; internal set; }
        public TrainingSpeed? Training { get; internal set; }
        /// <summary>Inference: aggregate tokens/s of the batch; training: training tokens/s.</summary>
        public double? TokensPerSecond { get; internal set; }
        public double? TimeToFirstTokenSeconds => Inference?.TimeToFirstTokenSeconds;
        public double? TrainingHours => Training?.Hours;

        /// <summary>Rented: GPUs × cheapest listed on-demand price. Bought: amortized purchase + electricity per hour of use.</summary>
        public double? CostPerHour { get; internal set; }
        /// <summary>False when a bought device's power draw is unknown and electricity is left out of <see cref="CostPerHour"/>.</summary>
        public bool CostIncludesPower { get; internal set; }
        public double? CostPerMillionTokens { get; internal set; }
        /// <summary>Training: cost per hour × hours.</summary>
        public double? TotalCost { get; internal set; }
        /// <summary>GPUs × the catalog's purchase price (shown for rented options too, for comparison).</summary>
        public double? PurchaseUsd { get; internal set; }
        /// <summary>GPUs × board power, W.</summary>
        public double? PowerWatts { get; internal set; }
        public IReadOnlyList<string> Notes { get; internal set; } = new string[0];

        public override string ToString() =>
            GpuCount.ToString(CultureInfo.InvariantCulture) + " x " + GpuId + " (" + Deployment + ")";
    }

    /// <summary>What a sweep found.</summary>
    public sealed class SweepResult
    {
        internal SweepResult(IReadOnlyList<HardwareOption> options, HardwareOption? closestMiss, int considered, int fitting, string? message)
        {
            Options = options; ClosestMiss = closestMiss; Considered = considered; Fitting = fitting; Message = message;
        }
        /// <summary>Options that fit and pass the filters, sorted.</summary>
        public IReadOnlyList<HardwareOption> Options { get; }
        /// <summary>When nothing fits: the configuration that came closest, with <see cref="HardwareOption.ShortfallPerGpu"/>.</summary>
        public HardwareOption? ClosestMiss { get; }
        /// <summary>Configurations looked at (after the deployment filter).</summary>
        public int Considered { get; }
        /// <summary>Configurations that fit (before the cost and speed filters).</summary>
        public int Fitting { get; }
        /// <summary>Why the list is empty, in words; null when it is not.</summary>
        public string? Message { get; }
    }

    /// <summary>
    /// Enumerates catalog GPUs × counts × (rent, buy), keeps what fits, attaches speed (<see cref="InferenceThroughput"/> or
    /// <see cref="TrainingThroughput"/>) and cost (<see cref="DeploymentCost"/>), filters and sorts. An empty result is
    /// not an error: <see cref="SweepResult.ClosestMiss"/> says how far the nearest configuration missed.
    /// </summary>
    public static class HardwareSweep
    {
        public static readonly IReadOnlyList<int> InferenceCounts = new[] { 1, 2, 4, 8 };
        public static readonly IReadOnlyList<int> TrainingCounts = new[] { 1, 2, 4, 8, 16, 32, 64 };

        public static SweepResult Run(IEnumerable<GpuSpec> gpus, SweepRequest request)
        {
            Guard.NotNull(gpus, nameof(gpus));
            Guard.NotNull(request, nameof(request));
            var required = request.RequiredBytesPerGpu ?? throw new ArgumentNullException("RequiredBytesPerGpu", "RequiredBytesPerGpu (count → bytes per GPU) is required.");
            if ((request.Inference == null) == (request.Training == null))
                throw new ArgumentException("Set exactly one of Inference and Training.", nameof(request));
            Guard.Fraction(request.Utilization, "Utilization");
            Guard.NonNegative(request.ElectricityUsdPerKWh, "ElectricityUsdPerKWh");
            Guard.Positive(request.AmortizationMonths, "AmortizationMonths");
            Guard.Pue(request.Pue, "Pue");
            if (request.MaxCostPerHour is double maxCost) Guard.NonNegative(maxCost, "MaxCostPerHour");
            if (request.MinTokensPerSecond is double minTps) Guard.NonNegative(minTps, "MinTokensPerSecond");
            var counts = request.GpuCounts ?? (request.IsTraining ? TrainingCounts : InferenceCounts);
            foreach (int c in counts) Guard.AtLeast(c, 1, "GpuCounts");

            var perCount = new Dictionary<int, ByteSize>();
            ByteSize Required(int count)
            {
                if (!perCount.TryGetValue(count, out var bytes)) perCount[count] = bytes = required(count);
                return bytes;
            }

            var list = gpus.ToList();
            var fitting = new List<HardwareOption>();
            HardwareOption? closest = null;
            int considered = 0;
            for (int i = 0; i < list.Count; i++)
            {
                var gpu = list[i] ?? throw new ArgumentException("The GPU list contains null.", nameof(gpus));
                foreach (int count in counts)
                {
                    if (count > 1 && Deployment.IsSingleDevice(gpu)) continue;
                    foreach (var acquisition in Acquisitions(gpu))
                    {
                        var deployment = Deployment.Classify(gpu, acquisition);
                        if (request.Deployments != null && !request.Deployments.Contains(deployment)) continue;
                        considered++;
                        var option = new HardwareOption
                        {
                            Gpu = gpu, GpuCount = count, Acquisition = acquisition, Deployment = deployment,
                            RequiredPerGpu = Required(count), UsablePerGpu = LlmSize.Core.Fit.GpuFit.Available(gpu, request.MemoryUtilization),
                        };
                        if (!option.Fits)
                        {
                            if (closest == null || IsCloser(option, closest)) closest = option;
                            continue;
                        }
                        Price(option, request);
                        fitting.Add(option);
                    }
                }
                request.Progress?.Invoke(i + 1, list.Count);
            }

            var kept = fitting.Where(o => Passes(o, request)).ToList();
            kept.Sort(Comparer(request));
            string? message = null;
            if (kept.Count == 0)
            {
                if (fitting.Count > 0)
                    message = fitting.Count.ToString(CultureInfo.InvariantCulture) + " configuration(s) fit, but none passes the cost-per-hour and tokens-per-second filters.";
                else if (closest != null)
                    message = "Nothing fits: of " + considered.ToString(CultureInfo.InvariantCulture) + " configurations the closest is " + closest
                        + ", which needs " + closest.RequiredPerGpu + " per GPU but can use " + closest.UsablePerGpu + " (" + closest.ShortfallPerGpu + " short).";
                else
                    message = "No configuration was considered (check the deployment filter and the GPU list).";
            }
            return new SweepResult(kept, kept.Count == 0 && fitting.Count == 0 ? closest : null, considered, fitting.Count, message);
        }

        /// <summary>Rent when the catalog lists a cloud price; buy unless it is a TPU (Google sells TPUs only as a cloud service).</summary>
        private static IEnumerable<Acquisition> Acquisitions(GpuSpec gpu)
        {
            if (gpu.CloudUsdPerHour != null) yield return Acquisition.Rent;
            if (gpu.Category != GpuCategory.Tpu) yield return Acquisition.Buy;
        }

        private static bool IsCloser(HardwareOption a, HardwareOption b)
        {
            if (a.ShortfallPerGpu != b.ShortfallPerGpu) return a.ShortfallPerGpu < b.ShortfallPerGpu;
            return a.GpuCount < b.GpuCount;
        }

        private static void Price(HardwareOption o, SweepRequest r)
        {
            var gpu = o.Gpu;
            var notes = new List<string>();
            o.PurchaseUsd = gpu.PurchaseUsd * o.GpuCount;
            o.PowerWatts = gpu.PowerWatts * o.GpuCount;
            if (o.Acquisition == Acquisition.Rent)
            {
                double price = r.TrainingOptions?.UsdPerGpuHour ?? gpu.CloudUsdPerHour!.Value;
                o.CostPerHour = DeploymentCost.CloudUsdPerHour(price, o.GpuCount);
                o.CostIncludesPower = true;
            }
            else if (o.PurchaseUsd is double purchase)
            {
                var local = DeploymentCost.LocalUsdPerHour(purchase, o.PowerWatts, r.ElectricityUsdPerKWh, r.AmortizationMonths, r.Utilization, r.Pue);
                o.CostPerHour = local.UsdPerHour;
                o.CostIncludesPower = local.IncludesPower;
                if (!local.IncludesPower) notes.Add(gpu.Id + ": no power figure in the catalog; the cost per hour leaves electricity out.");
            }
            else notes.Add(gpu.Id + ": no purchase price in the catalog; cost unknown.");

            if (r.Inference != null)
            {
                var speed = InferenceThroughput.Estimate(r.Inference, gpu, o.GpuCount, r.InferenceOptions);
                o.Inference = speed;
                o.Precision = r.Inference.WeightType.Name;
                o.TokensPerSecond = speed.TokensPerSecond;
                if (o.CostPerHour is double cost && speed.TokensPerSecond is double tps && tps > 0)
                    o.CostPerMillionTokens = DeploymentCost.UsdPerMillionTokens(cost, tps);
                notes.AddRange(speed.Notes);
            }
            else
            {
                var options = r.TrainingOptions == null ? null : new TrainingOptions { Mfu = r.TrainingOptions.Mfu, Pue = r.TrainingOptions.Pue };
                var speed = TrainingThroughput.Estimate(r.Training!, gpu, o.GpuCount, options);
                o.Training = speed;
                o.Precision = r.Training!.Precision.ToString().ToLowerInvariant();
                o.TokensPerSecond = speed.TokensPerSecond;
                o.TotalCost = o.CostPerHour * speed.Hours;
                notes.AddRange(speed.Notes.Where(n => !n.Contains("cost is unknown")));
            }
            o.Notes = notes;
        }

        private static bool Passes(HardwareOption o, SweepRequest r)
        {
            if (r.MaxCostPerHour is double max && !(o.CostPerHour is double c && c <= max)) return false;
            if (r.MinTokensPerSecond is double min && !(o.TokensPerSecond is double t && t >= min)) return false;
            return true;
        }

        private static IComparer<HardwareOption> Comparer(SweepRequest r)
        {
            var key = r.SortBy == SweepSortKey.Default
                ? (r.IsTraining ? SweepSortKey.TotalCost : SweepSortKey.CostPerMillionTokens)
                : r.SortBy;
            Func<HardwareOption, double?> value;
            bool descending = false;
            switch (key)
            {
                case SweepSortKey.CostPerMillionTokens: value = o => o.CostPerMillionTokens; break;
                case SweepSortKey.TotalCost: value = o => o.TotalCost; break;
                case SweepSortKey.CostPerHour: value = o => o.CostPerHour; break;
                case SweepSortKey.TokensPerSecond: value = o => o.TokensPerSecond; descending = true; break;
                case SweepSortKey.TrainingTime: value = o => o.TrainingHours; break;
                case SweepSortKey.PurchaseCost: value = o => o.PurchaseUsd; break;
                case SweepSortKey.Power: value = o => o.PowerWatts; break;
                case SweepSortKey.Headroom: value = o => o.HeadroomPerGpu.Bytes; descending = true; break;
                case SweepSortKey.GpuCount: value = o => o.GpuCount; break;
                default: throw new ArgumentOutOfRangeException("SortBy", r.SortBy, "Unknown sort key.");
            }
            return Comparer<HardwareOption>.Create((a, b) =>
            {
                int c = CompareNullsLast(value(a), value(b), descending);
                if (c != 0) return c;
                c = a.GpuCount.CompareTo(b.GpuCount);
                if (c != 0) return c;
                c = CompareNullsLast(a.CostPerHour, b.CostPerHour, false);
                if (c != 0) return c;
                c = string.CompareOrdinal(a.GpuId, b.GpuId);
                return c != 0 ? c : a.Acquisition.CompareTo(b.Acquisition);
            });
        }

        private static int CompareNullsLast(double? a, double? b, bool descending)
        {
            if (a == null) return b == null ? 0 : 1;
            if (b == null) return -1;
            return descending ? b.Value.CompareTo(a.Value) : a.Value.CompareTo(b.Value);
        }
    }
}
