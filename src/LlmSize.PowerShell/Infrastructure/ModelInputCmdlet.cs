using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LlmSize.Core.Models;
using LlmSize.Data.Catalog;

namespace LlmSize.PowerShell.Infrastructure
{
    /// <summary>
    /// Base of cmdlets that take a model: by catalog name (-Model, also from the pipeline or a Model/ModelId property)
    /// or as a ModelSpec object (-InputObject, e.g. from Get-LlmModel or Import-LlmModel). Unknown names are
    /// non-terminating ModelNotFound errors so the rest of the pipeline goes on.
    /// </summary>
    public abstract class ModelInputCmdlet : CatalogCmdlet
    {
        protected const string ByName = "ByName";
        protected const string ByObject = "ByObject";

        /// <summary>Catalog id, name, alias or Hugging Face id of the model. Wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ModelId")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ModelNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Model { get; set; }

        /// <summary>A model object from Get-LlmModel or Import-LlmModel.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByObject, ValueFromPipeline = true)]
        [ValidateNotNull]
        public ModelSpec? InputObject { get; set; }

        protected override string[]? CatalogPath => null;

        /// <summary>The models of the current pipeline item.</summary>
        protected IEnumerable<ModelSpec> CurrentModels()
        {
            if (InputObject != null) return new[] { InputObject };
            if (Model == null) return Enumerable.Empty<ModelSpec>();
            return Model.SelectMany(n => NameMatcher.Match(this, n, Catalog.Models, Catalog.NamesOf, Catalog.ResolveModel, m => m.Id,
                "ModelNotFound", "AmbiguousModelName", "model", "Get-LlmModel")).Distinct().ToList();
        }
    }
}
