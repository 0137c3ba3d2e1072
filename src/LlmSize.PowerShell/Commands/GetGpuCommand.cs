using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LlmSize.Core.Hardware;
using LlmSize.Core.Units;
using LlmSize.Data.Catalog;
using LlmSize.PowerShell.Infrastructure;

namespace LlmSize.PowerShell.Commands
{
    /// <summary>Lists accelerators of the catalog: memory, bandwidth, dense TFLOPS per precision, power, prices.</summary>
    [Cmdlet(VerbsCommon.Get, "Gpu")]
    [OutputType(typeof(GpuSpec))]
    public sealed class GetGpuCommand : CatalogCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "Gpu", "GpuId")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(GpuNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        [Parameter]
        public GpuCategory[]? Category { get; set; }

        /// <summary>Only accelerators sold with at least this much memory (80GB, 24GiB, or bytes).</summary>
        [Parameter]
        [QuantityTransformation(QuantityKind.Bytes)]
        public ByteSize? MinimumMemory { get; set; }

        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        protected override string[]? CatalogPath => Path;

        protected override void ProcessRecord()
        {
            IEnumerable<GpuSpec> found = Name == null
                ? Catalog.Gpus
                : Name.SelectMany(n => NameMatcher.Match(this, n, Catalog.Gpus, Catalog.NamesOf, Catalog.ResolveGpu, g => g.Id,
                    "GpuNotFound", "AmbiguousGpuName", "accelerator", "Get-Gpu")).Distinct();
            if (Category != null) found = found.Where(g => Category.Contains(g.Category));
            if (MinimumMemory is ByteSize min) found = found.Where(g => g.Memory >= min);
            foreach (var g in found) WriteObject(g);
        }
    }
}
