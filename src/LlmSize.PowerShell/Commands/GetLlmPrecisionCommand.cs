using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LlmSize.Core.Units;
using LlmSize.PowerShell.Infrastructure;

namespace LlmSize.PowerShell.Commands
{
    /// <summary>Lists data types and quantization formats with their bits per value and source.</summary>
    [Cmdlet(VerbsCommon.Get, "LlmPrecision")]
    [OutputType(typeof(DataType))]
    public sealed class GetLlmPrecisionCommand : PSCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Precision", "DataType")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(PrecisionCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>Standard, BitsAndBytes, Microscaling, GPTQ, AWQ or GGUF.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Family { get; set; }

        protected override void ProcessRecord()
        {
            IEnumerable<DataType> found = Name == null ? DataTypes.All : Name.SelectMany(Match).Distinct();
            if (Family != null) found = Wildcards.Filter(found, Family, t => new[] { t.Family });
            foreach (var t in found) WriteObject(t);
        }

        private IEnumerable<DataType> Match(string name)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
                return Wildcards.Filter(DataTypes.All, new[] { name }, t => t.Aliases.Concat(new[] { t.Name }));
            if (DataTypes.TryGet(name, out var type)) return new[] { type };
            WriteError(ErrorIds.Record("PrecisionNotFound",
                "'" + name + "' is not a known data type. Valid: " + string.Join(", ", DataTypes.All.Select(t => t.Name)) + " (and gptq-Nbit-gG / awq-Nbit-gG for any group size).", name));
            return new DataType[0];
        }
    }
}
