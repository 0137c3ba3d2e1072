using System;
using System.Management.Automation;
using LlmSize.Core.Cost;
using LlmSize.Core.Fit;
using LlmSize.Core.Inference;
using LlmSize.Core.Training;
using LlmSize.Core.Units;
using LlmSize.PowerShell.Infrastructure;

namespace LlmSize.PowerShell.Commands
{
    /// <summary>
    /// Rent or buy: hourly cost in the cloud and owned, the break-even months at a utilization and electricity price,
    /// and the host (CPU cores, RAM, NVMe) the workload of an optional estimate needs.
    /// </summary>
    [Cmdlet(VerbsData.Compare, "LlmDeployment")]
    [OutputType(typeof(DeploymentComparison))]
    public sealed class CompareLlmDeploymentCommand : CatalogCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("GpuId")]
        [ArgumentCompleter(typeof(GpuNameCompleter))]
        [ValidateNotNullOrEmpty]
        public GpuArgument[]? Gpu { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("GpuCount")]
        [ValidateRange(1, 4096)]
        public int Count { get; set; } = 1;

        /// <summary>Share of the time the hardware works, (0, 1]. Default 1.</summary>
        [Parameter]
        public double Utilization { get; set; } = CostDefaults.Utilization;

        [Parameter]
        public double ElectricityUsdPerKWh { get; set; } = CostDefaults.ElectricityUsdPerKWh;

        [Parameter]
        public double AmortizationMonths { get; set; } = CostDefaults.AmortizationMonths;

        [Parameter]
        public double Pue { get; set; } = 1;

        /// <summary>Your cloud price per GPU-hour (default: the catalog's cheapest on-demand price).</summary>
        [Parameter]
        public double? CloudUsdPerHour { get; set; }

        /// <summary>Your purchase price per GPU (default: the catalog's first listed price).</summary>
        [Parameter]
        public double? PurchaseUsd { get; set; }

        /// <summary>An inference or training estimate: adds the host profile (CPU cores, system RAM, NVMe) it needs.</summary>
        [Parameter]
        public IMemoryEstimate? Estimate { get; set; }

        /// <summary>Training dataset size on disk, for the NVMe of a training host ('2TB').</summary>
        [Parameter]
        [QuantityTransformation(QuantityKind.Bytes)]
        public ByteSize? DatasetSize { get; set; }

        protected override string[]? CatalogPath => null;

        protected override void ProcessRecord()
        {
            var options = new ComparisonOptions
            {
                Utilization = Utilization, ElectricityUsdPerKWh = ElectricityUsdPerKWh, AmortizationMonths = AmortizationMonths,
                Pue = Pue, CloudUsdPerGpuHour = CloudUsdPerHour, PurchaseUsdPerGpu = PurchaseUsd,
            };
            foreach (var gpu in ResolveGpus(Gpu!))
            {
                try
                {
                    var comparison = DeploymentComparison.Compare(gpu, Count, options);
                    comparison.Host = HostFor();
                    WriteObject(comparison);
                }
                catch (ArgumentException ex)
                {
                    WriteError(ErrorIds.Record("InvalidThroughputParameter", ErrorIds.FirstLine(ex.Message), gpu.Id));
                }
            }
        }

        private HostProfile? HostFor()
        {
            switch (Estimate)
            {
                case InferenceEstimate e:
                    return HostProfiles.ForInference(e.Weights, Count);
                case TrainingEstimate t:
                    var checkpoint = CheckpointEstimator.Estimate(new CheckpointRequest(t.Request.Model)
                    {
                        Method = t.Method, Regime = t.Regime, Optimizer = t.Optimizer, LoraRank = t.LoraRank, LoraTargets = t.LoraTargets,
                    }).Total;
                    return HostProfiles.ForTraining(t.Weights * t.GpuCount, Count, DatasetSize ?? ByteSize.Zero, checkpoint,
                        cpuOffload: t.Offload == OffloadMode.None ? (ByteSize?)null : t.HostMemory);
                default:
                    return null;
            }
        }
    }
}
