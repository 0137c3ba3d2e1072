using System.Collections.Generic;
using System.Management.Automation;
using LlmSize.Core.Hardware;
using LlmSize.Data.Catalog;

namespace LlmSize.PowerShell.Infrastructure
{
    /// <summary>
    /// Base of cmdlets that read catalogs: loads the catalog once per invocation (it is cached across invocations),
    /// honours -Path, and reports bad catalog entries as non-terminating errors so the good ones still flow.
    /// </summary>
    public abstract class CatalogCmdlet : PSCmdlet
    {
        private Catalog? _catalog;

        /// <summary>Catalog files or folders to read instead of the shipped and user catalogs. Wildcards allowed.</summary>
        protected abstract string[]? CatalogPath { get; }

        protected Catalog Catalog => _catalog ??= LoadCatalog();

        /// <summary>GpuSpecs of -Gpu values: objects as given, names resolved (unknown ones are non-terminating GpuNotFound).</summary>
        protected List<GpuSpec> ResolveGpus(IEnumerable<GpuArgument> arguments)
        {
            var list = new List<GpuSpec>();
            foreach (var a in arguments)
            {
                if (a.Gpu != null) { list.Add(a.Gpu); continue; }
                list.AddRange(NameMatcher.Match(this, a.Name, Catalog.Gpus, Catalog.NamesOf, Catalog.ResolveGpu, g => g.Id,
                    "GpuNotFound", "AmbiguousGpuName", "accelerator", "Get-Gpu"));
            }
            return list;
        }

        private Catalog LoadCatalog()
        {
            Catalog catalog;
            if (CatalogPath is { Length: > 0 })
            {
                var files = new List<string>();
                foreach (var p in CatalogPath)
                {
                    try { files.AddRange(GetResolvedProviderPathFromPSPath(p, out _)); }
                    catch (ItemNotFoundException)
                    {
                        WriteError(ErrorIds.Record("CatalogPathNotFound", "Catalog path '" + p + "' does not exist.", p));
                    }
                }
                catalog = ModuleContext.CatalogFromPaths(files);
            }
            else catalog = ModuleContext.DefaultCatalog();
            foreach (var problem in catalog.Problems) WriteError(ErrorIds.Record(problem));
            return catalog;
        }
    }
}
