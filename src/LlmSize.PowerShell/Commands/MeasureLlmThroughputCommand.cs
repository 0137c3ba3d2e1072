using System;
using System.Management.Automation;
using LlmSize.Core.Cost;
using LlmSize.Core.Fit;
using LlmSize.Core.Inference;
using LlmSize.Core.Throughput;
using LlmSize.Core.Training;
using LlmSize.Core.Units;
using LlmSize.PowerShell.Infrastructure;

namespace LlmSize.PowerShell.Commands
{
    /// <summary>
    /// How fast: for inference, time to first token and decode tokens/s (per sequence and aggregate) from a roofline
    /// over the GPU's compute and memory bandwidth; for training, time, GPU-hours, energy and cost of 6·P·D FLOPs.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Measure, "LlmThroughput", DefaultParameterSetName = EstimateSet)]
    [OutputType(typeof(InferenceSpeed), typeof(TrainingSpeed))]
    public sealed class MeasureLlmThroughputCommand : SpeedInputCmdlet
    {
        [Parameter(Mandatory = true, Position = 1)]
        [ArgumentCompleter(typeof(GpuNameCompleter))]
        [ValidateNotNullOrEmpty]
        public GpuArgument[]? Gpu { get; set; }

        /// <summary>GPUs of that kind (default: the estimate's GPU count).</summary>
        [Parameter]
        [ValidateRange(1, 4096)]
        public int? Count { get; set; }

        /// <summary>Prompt tokens (default: the context length minus the output tokens).</summary>
        [Parameter]
        [QuantityTransformation(QuantityKind.Tokens)]
        public long? PromptTokens { get; set; }

        /// <summary>Achieved share of peak memory bandwidth in decode, (0, 1].</summary>
        [Parameter]
        public double? MemoryEfficiency { get; set; }

        /// <summary>Achieved share of peak compute in prefill, (0, 1].</summary>
        [Parameter]
        public double? ComputeEfficiency { get; set; }

        /// <summary>Price per GPU-hour for the training cost (default: the catalog's cheapest cloud price).</summary>
        [Parameter]
        public double? UsdPerGpuHour { get; set; }

        protected override void ProcessRecord()
        {
            var gpus = ResolveGpus(Gpu!);
            foreach (var estimate in CurrentMemoryEstimates(TrainingTokens))
            {
                if (!HasTokensFor(estimate)) continue;
                foreach (var gpu in gpus)
                {
                    try
                    {
                        int count = Count ?? estimate.GpuCount;
                        switch (estimate)
                        {
                            case InferenceEstimate e:
                                var workload = HardwarePlanner.Workload(e, OutputTokens, PromptTokens.HasValue ? (int?)checked((int)PromptTokens.Value) : null);
                                var speed = InferenceThroughput.Estimate(workload, gpu, count, new InferenceOptions { MemoryEfficiency = MemoryEfficiency, ComputeEfficiency = ComputeEfficiency });
                                speed.ModelId = e.ModelId;
                                WriteObject(speed);
                                break;
                            case TrainingEstimate t:
                                var training = TrainingThroughput.Estimate(HardwarePlanner.Workload(t, TrainingTokens!.Value), gpu, count,
                                    new TrainingOptions { Mfu = Mfu, Pue = Pue, UsdPerGpuHour = UsdPerGpuHour });
                                training.ModelId = t.ModelId;
                                WriteObject(training);
                                break;
                        }
                    }
                    catch (ArgumentException ex)
                    {
                        WriteError(ErrorIds.Record("InvalidThroughputParameter", ErrorIds.FirstLine(ex.Message), estimate.ModelId));
                    }
                }
            }
        }

    }
}
