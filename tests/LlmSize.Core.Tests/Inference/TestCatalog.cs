using System;
using System.IO;
using LlmSize.Core.Hardware;
using LlmSize.Core.Models;
using LlmSize.Data.Catalog;

namespace LlmSize.Core.Tests.Inference
{
    /// <summary>The shipped catalog (module/data), found by walking up from the test binaries to the repository root.</summary>
    internal static class TestCatalog
    {
        private static readonly Lazy<LlmSize.Data.Catalog.Catalog> s_catalog = new Lazy<LlmSize.Data.Catalog.Catalog>(() =>
            CatalogLoader.Load(new[] { (System.Collections.Generic.IReadOnlyList<string>)new[] { DataFolder() } }));

        public static ModelSpec Model(string id) =>
            s_catalog.Value.ResolveModel(id).Match ?? throw new ArgumentException("No catalog model " + id);

        public static GpuSpec Gpu(string id) =>
            s_catalog.Value.ResolveGpu(id).Match ?? throw new ArgumentException("No catalog GPU " + id);

        private static string DataFolder()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "module", "data");
                if (Directory.Exists(Path.Combine(candidate, "models"))) return candidate;
            }
            throw new DirectoryNotFoundException("No module/data folder above " + AppContext.BaseDirectory);
        }
    }
}
