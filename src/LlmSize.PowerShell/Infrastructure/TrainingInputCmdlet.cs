using System.Management.Automation;
using LlmSize.Core.Training;

namespace LlmSize.PowerShell.Infrastructure
{
    /// <summary>
    /// Base of cmdlets that describe a training setup (Get-LlmTrainingMemory, Get-LlmCheckpointSize): method,
    /// precision regime, optimizer, parallel layout and LoRA settings. Every parameter also binds by property name.
    /// </summary>
    public abstract class TrainingInputCmdlet : ModelInputCmdlet
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public TrainingMethod Method { get; set; } = TrainingMethod.Full;

        /// <summary>Fp32, Mixed (16-bit weights and gradients + fp32 master), Bf16 (pure bf16), Amp (autocast).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Regime")]
        public PrecisionRegime Precision { get; set; } = PrecisionRegime.Mixed;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public OptimizerKind Optimizer { get; set; } = OptimizerKind.AdamW;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(0, 3)]
        public int ZeroStage { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("DP")]
        public int DataParallel { get; set; } = 1;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("TP")]
        public int TensorParallel { get; set; } = 1;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("PP")]
        public int PipelineParallel { get; set; } = 1;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public int LoraRank { get; set; } = TrainingRequest.DefaultLoraRank;

        /// <summary>Modules LoRA adapts: Q, K, V, O, Gate, Up, Down (or Attention, Mlp, All). Default Q, V.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public LoraTargets LoraTargets { get; set; } = TrainingRequest.DefaultLoraTargets;
    }
}
