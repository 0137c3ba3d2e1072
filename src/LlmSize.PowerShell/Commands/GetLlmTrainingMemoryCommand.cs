using System;
using System.Management.Automation;
using LlmSize.Core.Training;
using LlmSize.Core.Units;
using LlmSize.PowerShell.Infrastructure;

namespace LlmSize.PowerShell.Commands
{
    /// <summary>
    /// Per-GPU memory of training or fine-tuning (full, LoRA, QLoRA) for an optimizer, precision regime and
    /// parallel layout (ZeRO 0–3, tensor / sequence / pipeline parallel, offload), with host memory. Math: Core.Training.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "LlmTrainingMemory", DefaultParameterSetName = ByName)]
    [OutputType(typeof(TrainingEstimate))]
    public sealed class GetLlmTrainingMemoryCommand : TrainingInputCmdlet
    {
        [Parameter]
        public SwitchParameter Fp32GradientAccumulation { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("BatchSize")]
        public int MicroBatchSize { get; set; } = 1;

        /// <summary>Tokens per sequence: 2048, 4k, 8k.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("ContextLength")]
        [QuantityTransformation(QuantityKind.Tokens)]
        public long SequenceLength { get; set; } = 2048;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public int GradientAccumulation { get; set; } = 1;

        /// <summary>Activation recomputation; default None (Full for QLoRA, as peft enables gradient checkpointing).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public RecomputeMode? Recompute { get; set; }

        [Parameter]
        public SwitchParameter FlashAttention { get; set; }

        [Parameter]
        public SwitchParameter SequenceParallel { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public OffloadMode Offload { get; set; } = OffloadMode.None;

        /// <summary>Frozen base type for QLoRA: nf4 (default) or nf4-dq (double quantization).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PrecisionCompleter))]
        public string QLoraBase { get; set; } = "nf4";

        /// <summary>Replaces the default overhead (CUDA context, workspaces): '1.5GiB'.</summary>
        [Parameter]
        [QuantityTransformation(QuantityKind.Bytes)]
        public ByteSize? Overhead { get; set; }

        protected override void ProcessRecord()
        {
            if (!DataTypes.TryGet(QLoraBase, out var qloraBase))
            {
                WriteError(ErrorIds.Record("PrecisionNotFound", "-QLoraBase '" + QLoraBase + "' is not a known data type; use nf4 or nf4-dq.", QLoraBase));
                return;
            }
            foreach (var model in CurrentModels())
            {
                var request = new TrainingRequest(model)
                {
                    Method = Method, Regime = Precision, Fp32GradientAccumulation = Fp32GradientAccumulation, Optimizer = Optimizer,
                    MicroBatchSize = MicroBatchSize, SequenceLength = checked((int)SequenceLength), GradientAccumulation = GradientAccumulation,
                    Recompute = Recompute, FlashAttention = FlashAttention, ZeroStage = ZeroStage, DataParallel = DataParallel,
                    TensorParallel = TensorParallel, SequenceParallel = SequenceParallel, PipelineParallel = PipelineParallel,
                    Offload = Offload, LoraRank = LoraRank, LoraTargets = LoraTargets, QLoraBaseType = qloraBase, Overhead = Overhead,
                };
                try
                {
                    var estimate = TrainingEstimator.Estimate(request);
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
