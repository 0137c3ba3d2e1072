using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LlmSize.Core.Models;
using LlmSize.Data.Catalog;
using LlmSize.PowerShell.Infrastructure;

namespace LlmSize.PowerShell.Commands
{
    /// <summary>Lists models of the catalog: architecture, exact parameter count, source.</summary>
    [Cmdlet(VerbsCommon.Get, "LlmModel")]
    [OutputType(typeof(ModelSpec))]
    public sealed class GetLlmModelCommand : CatalogCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "Model", "ModelId")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ModelNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Family { get; set; }

        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        protected override string[]? CatalogPath => Path;

        protected override void ProcessRecord()
        {
            IEnumerable<ModelSpec> found = Name == null
                ? Catalog.Models
                : Name.SelectMany(n => NameMatcher.Match(this, n, Catalog.Models, Catalog.NamesOf, Catalog.ResolveModel, m => m.Id,
                    "ModelNotFound", "AmbiguousModelName", "model", "Get-LlmModel")).Distinct();
            if (Family != null) found = Wildcards.Filter(found, Family, m => new[] { m.Family, m.ModelType });
            foreach (var m in found) WriteObject(m);
        }
    }
}
