using System;
using LlmSize.Core.Hardware;

namespace LlmSize.Core.Cost
{
    /// <summary>Assumptions of a rent-vs-buy comparison; null prices come from the catalog.</summary>
    public sealed class ComparisonOptions
    {
        /// <summary>Share of the time the hardware works, (0, 1].</summary>
        public double Utilization { get; set; } = CostDefaults.Utilization;
        public double ElectricityUsdPerKWh { get; set; } = CostDefaults.ElectricityUsdPerKWh;
        public double AmortizationMonths { get; set; } = CostDefaults.AmortizationMonths;
        public double Pue { get; set; } = 1;
        /// <summary>Your cloud price per GPU-hour (else the catalog's cheapest on-demand price).</summary>
        public double? CloudUsdPerGpuHour { get; set; }
        /// <summary>Your purchase price per GPU (else the catalog's first listed price).</summary>
        public double? PurchaseUsdPerGpu { get; set; }
    }

    /// <summary>
    /// Renting vs buying N accelerators: hourly cost both ways, the months after which buying has paid off
    /// (DESIGN.md §9: purchase / (monthly cloud spend − monthly power cost)), and the host each deployment needs.
    /// </summary>
    public sealed class DeploymentComparison
    {
        public string GpuId { get; private set; } = "";
        public string GpuName { get; private set; } = "";
        public int GpuCount { get; private set; }
        /// <summary>Where bought hardware runs: LocalServer, Workstation or Edge.</summary>
        public DeploymentClass OwnedDeployment { get; private set; }
        public double Utilization { get; private set; }
        public double ElectricityUsdPerKWh { get; private set; }
        public double? CloudUsdPerHour { get; private set; }
        public double? PurchaseUsd { get; private set; }
        public double? PowerWatts { get; private set; }
        /// <summary>Owning, per hour of use (amortization + electricity); null when no purchase price is known.</summary>
        public LocalHourlyCost? Owned { get; private set; }
        /// <summary>Null when a cloud or purchase price, or the power draw, is unknown.</summary>
        public BreakEven? BreakEven { get; private set; }
        public double? BreakEvenMonths => BreakEven?.Months;
        /// <summary>The cheaper option over the amortization period at this utilization: Rent, Buy, or null when unknown.</summary>
        public Acquisition? Cheaper { get; private set; }
        public HostProfile? Host { get; set; }
        public string? Note { get; private set; }

        public static DeploymentComparison Compare(GpuSpec gpu, int count, ComparisonOptions options)
        {
            if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "Count must be at least 1.");
            double? cloudPerGpu = options.CloudUsdPerGpuHour ?? gpu.CloudUsdPerHour;
            double? purchasePerGpu = options.PurchaseUsdPerGpu ?? gpu.PurchaseUsd;
            var c = new DeploymentComparison
            {
                GpuId = gpu.Id, GpuName = gpu.Name, GpuCount = count,
                OwnedDeployment = Deployment.Classify(gpu, Acquisition.Buy),
                Utilization = options.Utilization, ElectricityUsdPerKWh = options.ElectricityUsdPerKWh,
                CloudUsdPerHour = cloudPerGpu.HasValue ? DeploymentCost.CloudUsdPerHour(cloudPerGpu.Value, count) : (double?)null,
                PurchaseUsd = purchasePerGpu * count,
                PowerWatts = gpu.PowerWatts * count,
            };
            if (c.PurchaseUsd is double buy)
                c.Owned = DeploymentCost.LocalUsdPerHour(buy, c.PowerWatts, options.ElectricityUsdPerKWh, options.AmortizationMonths, options.Utilization, options.Pue);
            if (c.PurchaseUsd is double p && c.CloudUsdPerHour is double rent && c.PowerWatts is double w)
            {
                c.BreakEven = DeploymentCost.BreakEvenMonths(p, rent, w, options.ElectricityUsdPerKWh, options.Utilization, options.Pue);
                c.Cheaper = c.BreakEven.Months is double months && months <= options.AmortizationMonths ? Acquisition.Buy : Acquisition.Rent;
            }
            else
            {
                c.Note = "No break-even: the catalog lacks " + (c.CloudUsdPerHour == null ? "a cloud price" : c.PurchaseUsd == null ? "a purchase price" : "the power draw")
                    + " for " + gpu.Id + "; give -CloudUsdPerHour / -PurchaseUsd or add it to a user catalog.";
            }
            return c;
        }
    }
}
