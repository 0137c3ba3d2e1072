using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LlmSize.Core.Cost;
using LlmSize.Core.Fit;
using LlmSize.Core.Hardware;
using LlmSize.Core.Inference;
using LlmSize.Core.Throughput;
using LlmSize.Core.Training;
using LlmSize.Core.Units;
using LlmSize.PowerShell.Infrastructure;

namespace LlmSize.PowerShell.Commands
{
    /// <summary>
    /// Ranks hardware for a workload: catalog accelerators × counts (× rent or buy) that fit, with speed, cost per hour,
    /// cost per million tokens or total training cost, purchase price, power and deployment class.
    /// </summary>
    [Cmdlet(VerbsCommon.Find, "LlmHardware", DefaultParameterSetName = EstimateSet)]
    [OutputType(typeof(HardwareOption))]
    public sealed class FindLlmHardwareCommand : SpeedInputCmdlet
    {
        /// <summary>Only these deployment classes: Cloud, LocalServer, Workstation, Edge.</summary>
        [Parameter]
        public DeploymentClass[]? Deployment { get; set; }

        /// <summary>Only these accelerators (names or GpuSpec objects); default the whole catalog.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(GpuNameCompleter))]
        public GpuArgument[]? Gpu { get; set; }

        [Parameter]
        public GpuCategory[]? Category { get; set; }

        /// <summary>GPU counts to try (default 1, 2, 4, 8; training also 16, 32, 64).</summary>
        [Parameter]
        [ValidateRange(1, 4096)]
        public int[]? GpuCount { get; set; }

        [Parameter]
        public double? MaxCostPerHour { get; set; }

        [Parameter]
        public double? MinTokensPerSecond { get; set; }

        [Parameter]
        public SweepSortKey SortBy { get; set; } = SweepSortKey.Default;

        /// <summary>Share of the time bought hardware works, (0, 1]. Default 1.</summary>
        [Parameter]
        public double Utilization { get; set; } = CostDefaults.Utilization;

        [Parameter]
        public double ElectricityUsdPerKWh { get; set; } = CostDefaults.ElectricityUsdPerKWh;

        [Parameter]
        public double AmortizationMonths { get; set; } = CostDefaults.AmortizationMonths;

        protected override void ProcessRecord()
        {
            var candidates = (Gpu != null ? ResolveGpus(Gpu) : Catalog.Gpus.ToList())
                .Where(g => Category == null || Category.Contains(g.Category)).ToList();
            foreach (var estimate in CurrentMemoryEstimates(TrainingTokens))
            {
                var request = new SweepRequest
                {
                    GpuCounts = GpuCount, Deployments = Deployment, MaxCostPerHour = MaxCostPerHour, MinTokensPerSecond = MinTokensPerSecond,
                    SortBy = SortBy, Utilization = Utilization, ElectricityUsdPerKWh = ElectricityUsdPerKWh, AmortizationMonths = AmortizationMonths,
                    Pue = Pue, MemoryUtilization = estimate.MemoryUtilization,
                };
                switch (estimate)
                {
                    case InferenceEstimate e:
                        request.Inference = HardwarePlanner.Workload(e, OutputTokens);
                        request.RequiredBytesPerGpu = n => HardwarePlanner.InferencePerGpu(e, n);
                        break;
                    case TrainingEstimate t:
                        if (!HasTokensFor(t)) continue;
                        request.Training = HardwarePlanner.Workload(t, TrainingTokens!.Value);
                        request.TrainingOptions = new TrainingOptions { Mfu = Mfu };
                        request.RequiredBytesPerGpu = n => HardwarePlanner.TrainingPerGpu(t, n);
                        break;
                    default:
                        continue;
                }
                var progress = new ProgressRecord(2, "Find-LlmHardware", "Trying accelerators for " + estimate.ModelId);
                request.Progress = (done, total) =>
                {
                    progress.PercentComplete = total > 0 ? 100 * done / total : 100;
                    WriteProgress(progress);
                };
                SweepResult result;
                try { result = HardwareSweep.Run(candidates, request); }
                catch (ArgumentException ex)
                {
                    WriteError(ErrorIds.Record("InvalidThroughputParameter", ErrorIds.FirstLine(ex.Message), estimate.ModelId));
                    continue;
                }
                finally
                {
                    progress.RecordType = ProgressRecordType.Completed;
                    WriteProgress(progress);
                }
                if (result.Options.Count == 0) WriteWarning(estimate.ModelId + ": " + result.Message);
                foreach (var option in result.Options)
                {
                    option.ModelId = estimate.ModelId;
                    WriteObject(option);
                }
            }
        }
    }
}
