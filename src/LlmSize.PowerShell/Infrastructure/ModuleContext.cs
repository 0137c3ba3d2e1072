using System.Collections.Generic;
using System.IO;
using LlmSize.Data.Catalog;

namespace LlmSize.PowerShell.Infrastructure
{
    /// <summary>Where the module lives and how cmdlets reach the (lazily loaded, cached) catalogs.</summary>
    internal static class ModuleContext
    {
        public static readonly string ModuleBase = Path.GetDirectoryName(typeof(ModuleContext).Assembly.Location)!;

        /// <summary>The catalogs shipped in the module's data/ folder.</summary>
        public static readonly string DataFolder = Path.Combine(ModuleBase, "data");

        /// <summary>Shipped catalog overridden by the user's (well-known folder and LLMSIZE_CATALOG_PATH). Parsed on first use.</summary>
        public static Catalog DefaultCatalog() => CatalogLoader.LoadDefault(DataFolder);

        /// <summary>A catalog made only of the given files or folders (the -Path parameter).</summary>
        public static Catalog CatalogFromPaths(IReadOnlyList<string> paths) => CatalogLoader.Load(new[] { paths });
    }
}
