using System;
using System.Management.Automation;
using LlmSize.Core.Training;
using LlmSize.Core.Units;
using LlmSize.PowerShell.Infrastructure;

namespace LlmSize.PowerShell.Commands
{
    /// <summary>
    /// Size of a training checkpoint on disk: weights at the save precision, optimizer states and fp32 master copy,
    /// training state; in total and per rank for sharded (ZeRO) checkpoints; the adapter-only size for LoRA.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "LlmCheckpointSize", DefaultParameterSetName = ByName)]
    [OutputType(typeof(CheckpointEstimate))]
    public sealed class GetLlmCheckpointSizeCommand : TrainingInputCmdlet
    {
        /// <summary>Save only the weights (an inference export), without optimizer states and master weights.</summary>
        [Parameter]
        public SwitchParameter WeightsOnly { get; set; }

        /// <summary>Data type of the saved weights (default: the training regime's weight type).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PrecisionCompleter))]
        public string? SavePrecision { get; set; }

        protected override void ProcessRecord()
        {
            DataType? save = null;
            if (SavePrecision != null && !DataTypes.TryGet(SavePrecision, out save))
            {
                WriteError(ErrorIds.Record("PrecisionNotFound", "-SavePrecision '" + SavePrecision + "' is not a known data type.", SavePrecision));
                return;
            }
            foreach (var model in CurrentModels())
            {
                var request = new CheckpointRequest(model)
                {
                    Method = Method, Regime = Precision, Optimizer = Optimizer, IncludeOptimizer = !WeightsOnly, SavePrecision = save,
                    ZeroStage = ZeroStage, DataParallel = DataParallel, TensorParallel = TensorParallel, PipelineParallel = PipelineParallel,
                    LoraRank = LoraRank, LoraTargets = LoraTargets,
                };
                try
                {
                    var estimate = CheckpointEstimator.Estimate(request);
                    foreach (var w in estimate.Warnings) WriteWarning(model.Id + " [" + w.Id + "]: " + w.Message);
                    WriteObject(estimate);
                }
                catch (Exception e) when (e is ArgumentOutOfRangeException || e is ArgumentException || e is OverflowException)
                {
                    WriteError(ErrorIds.Record("InvalidTrainingParameter", model.Id + ": " + ErrorIds.FirstLine(e.Message), model.Id));
                }
            }
        }
    }
}
