using System.Management.Automation;
using LlmSize.Core.Parameters;
using LlmSize.PowerShell.Infrastructure;

namespace LlmSize.PowerShell.Commands
{
    /// <summary>
    /// Exact parameter breakdown from the architecture (Hugging Face num_parameters() rules), with the seed's quick
    /// estimate 12·L·d² + V·d beside it; or the quick estimate alone from -Layers -HiddenSize -VocabularySize.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "LlmParameterCount", DefaultParameterSetName = ByName)]
    [OutputType(typeof(ParameterReport))]
    public sealed class GetLlmParameterCountCommand : ModelInputCmdlet
    {
        private const string Quick = "Quick";

        [Parameter(Mandatory = true, ParameterSetName = Quick, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 100000)]
        public int Layers { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = Quick, ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 10000000)]
        public int HiddenSize { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = Quick, ValueFromPipelineByPropertyName = true)]
        [Alias("VocabSize")]
        [ValidateRange(0L, long.MaxValue)]
        public long VocabularySize { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == Quick)
            {
                WriteObject(ParameterReport.Quick(Layers, HiddenSize, VocabularySize));
                return;
            }
            foreach (var m in CurrentModels()) WriteObject(ParameterReport.For(m));
        }
    }
}
