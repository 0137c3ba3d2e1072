using System.Management.Automation;
using LlmSize.Core.Fit;
using LlmSize.Core.Training;
using LlmSize.Core.Units;

namespace LlmSize.PowerShell.Infrastructure
{
    /// <summary>
    /// Base of the cmdlets that put speed and cost on estimates (Measure-LlmThroughput, Find-LlmHardware): the
    /// workload parameters they share, and the one rule that training questions need a token count.
    /// </summary>
    public abstract class SpeedInputCmdlet : EstimateInputCmdlet
    {
        /// <summary>Tokens generated per request. Default 128.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int OutputTokens { get; set; } = 128;

        /// <summary>Training tokens D ('1T', 15e12): makes -Model a training question; required for piped training estimates.</summary>
        [Parameter]
        [QuantityTransformation(QuantityKind.Parameters)]
        public double? TrainingTokens { get; set; }

        /// <summary>Model FLOPs utilization of training, (0, 1]. Default 0.40.</summary>
        [Parameter]
        public double? Mfu { get; set; }

        /// <summary>Power usage effectiveness of the facility, ≥ 1. Default 1.</summary>
        [Parameter]
        public double Pue { get; set; } = 1;

        /// <summary>False, with a TrainingTokensRequired error, for a training estimate when -TrainingTokens is missing.</summary>
        protected bool HasTokensFor(IMemoryEstimate estimate)
        {
            if (!(estimate is TrainingEstimate) || TrainingTokens != null) return true;
            WriteError(ErrorIds.Record("TrainingTokensRequired",
                "Training speed and cost need -TrainingTokens (the dataset size in tokens, e.g. '1T').", estimate.ModelId));
            return false;
        }
    }
}
