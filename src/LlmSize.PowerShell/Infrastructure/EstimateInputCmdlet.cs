using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LlmSize.Core.Fit;

namespace LlmSize.PowerShell.Infrastructure
{
    /// <summary>
    /// Base of cmdlets that take memory estimates (Test-GpuFit, Measure-LlmThroughput, Find-LlmHardware): from the
    /// pipeline or -Estimate (inference or training), or built from -Model and the inference parameters.
    /// </summary>
    public abstract class EstimateInputCmdlet : InferenceInputCmdlet
    {
        protected const string EstimateSet = "Estimate";

        /// <summary>Estimates from Get-LlmInferenceMemory or Get-LlmTrainingMemory.</summary>
        [Parameter(Mandatory = true, ParameterSetName = EstimateSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public IMemoryEstimate[]? Estimate { get; set; }

        /// <summary>The estimates of the current pipeline item.</summary>
        protected IReadOnlyList<IMemoryEstimate> CurrentMemoryEstimates() =>
            ParameterSetName == EstimateSet ? Estimate! : CurrentEstimates().Cast<IMemoryEstimate>().ToList();
    }
}
