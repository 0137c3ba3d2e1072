using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LlmSize.Core.Fit;
using LlmSize.Core.Training;

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

        private static readonly string[] s_inferenceParameters =
            { nameof(Precision), nameof(KvCachePrecision), nameof(ContextLength), nameof(BatchSize), nameof(TensorParallel), nameof(Engine), nameof(Overhead), nameof(GpuMemoryUtilization), nameof(QuantizeEmbeddings) };

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            // The serving parameters build estimates from -Model; with ready-made estimates they would silently do nothing.
            if (ParameterSetName != EstimateSet) return;
            var ignored = s_inferenceParameters.Where(MyInvocation.BoundParameters.ContainsKey).ToList();
            if (ignored.Count > 0)
                WriteWarning("-" + string.Join(", -", ignored) + " apply when estimates are built from -Model; the piped estimates keep their own settings. Set them on Get-LlmInferenceMemory instead.");
        }

        /// <summary>
        /// The estimates of the current pipeline item: the piped ones; or, from -Model, training estimates with default
        /// settings when <paramref name="trainingTokens"/> says the question is about training, else inference estimates.
        /// </summary>
        protected IReadOnlyList<IMemoryEstimate> CurrentMemoryEstimates(double? trainingTokens = null)
        {
            if (ParameterSetName == EstimateSet) return Estimate!;
            if (trainingTokens == null) return CurrentEstimates().Cast<IMemoryEstimate>().ToList();
            return CurrentModels().Select(m => (IMemoryEstimate)TrainingEstimator.Estimate(new TrainingRequest(m))).ToList();
        }
    }
}
