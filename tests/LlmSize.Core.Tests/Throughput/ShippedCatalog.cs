using System;
using System.Collections.Generic;
using System.Linq;
using LlmSize.Core.Hardware;
using LlmSize.Core.Models;
using LlmSize.Data.Catalog;
using CatalogT = LlmSize.Data.Catalog.Catalog;

namespace LlmSize.Core.Tests.Throughput
{
    /// <summary>The shipped catalog, loaded once for the throughput and cost tests.</summary>
    internal static class ShippedCatalog
    {
        private static readonly Lazy<CatalogT> s_catalog = new Lazy<CatalogT>(() =>
            CatalogLoader.Load(new[] { (IReadOnlyList<string>)new[] { RepoPaths.ShippedData } }));

        public static IReadOnlyList<GpuSpec> Gpus => s_catalog.Value.Gpus;

        public static GpuSpec Gpu(string id) =>
            s_catalog.Value.Gpus.SingleOrDefault(g => g.Id == id) ?? throw new ArgumentException("No GPU '" + id + "' in the shipped catalog.");

        public static ModelSpec Model(string id) =>
            s_catalog.Value.Models.SingleOrDefault(m => m.Id == id) ?? throw new ArgumentException("No model '" + id + "' in the shipped catalog.");
    }
}
