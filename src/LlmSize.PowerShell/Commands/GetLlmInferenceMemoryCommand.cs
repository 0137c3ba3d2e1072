using System.Management.Automation;
using LlmSize.Core.Inference;
using LlmSize.PowerShell.Infrastructure;

namespace LlmSize.PowerShell.Commands
{
    /// <summary>
    /// GPU memory to serve a model: weights (by tensor class), KV cache (GQA, MLA, sliding windows, KV quantization,
    /// paged blocks), activation peak and runtime overhead, in total and per GPU under tensor parallelism.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "LlmInferenceMemory", DefaultParameterSetName = ByName)]
    [OutputType(typeof(InferenceEstimate))]
    public sealed class GetLlmInferenceMemoryCommand : InferenceInputCmdlet
    {
        protected override void ProcessRecord()
        {
            WriteCurrentEstimates();
        }
    }
}
