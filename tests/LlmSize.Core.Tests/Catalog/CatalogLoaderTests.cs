using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using LlmSize.Core.Hardware;
using LlmSize.Core.Parameters;
using LlmSize.Data.Catalog;
using Xunit;
using CatalogT = LlmSize.Data.Catalog.Catalog;

namespace LlmSize.Core.Tests.Catalog
{
    public sealed class CatalogLoaderTests : IDisposable
    {
        private readonly string _temp = Path.Combine(Path.GetTempPath(), "llmsize-cat-" + Guid.NewGuid().ToString("n"));

        public CatalogLoaderTests() => Directory.CreateDirectory(_temp);
        public void Dispose() => Directory.Delete(_temp, recursive: true);

        private static CatalogT Shipped() => CatalogLoader.Load(new[] { (IReadOnlyList<string>)new[] { RepoPaths.ShippedData } });

        private string Write(string name, string yaml)
        {
            string path = Path.Combine(_temp, name);
            File.WriteAllText(path, yaml);
            return path;
        }

        [Fact]
        public void ShippedCatalogLoadsWithoutProblems()
        {
            var c = Shipped();
            Assert.Empty(c.Problems.Select(p => p.Message));
            Assert.True(c.Models.Count >= 56, "models: " + c.Models.Count);
            Assert.True(c.Gpus.Count >= 40, "accelerators: " + c.Gpus.Count);
            foreach (GpuCategory cat in Enum.GetValues(typeof(GpuCategory)))
                Assert.Contains(c.Gpus, g => g.Category == cat);
        }

        [Fact]
        public void EveryReferenceModelIsCatalogedWithItsExactCount()
        {
            // index.json of shared/reference/hf-configs: the exact Hugging Face num_parameters() of 21 models.
            var c = Shipped();
            using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedPaths.HfConfigs, "index.json")));
            foreach (var entry in index.RootElement.EnumerateArray())
            {
                string hfId = entry.GetProperty("hf_id").GetString()!;
                long total = entry.GetProperty("total_params").GetInt64();
                var model = c.Models.SingleOrDefault(m => string.Equals(m.HuggingFaceId, hfId, StringComparison.OrdinalIgnoreCase));
                Assert.True(model != null, hfId + " is not in the catalog");
                Assert.Equal(total, model!.Parameters);
                // The architecture count of the cataloged config agrees with the published one.
                Assert.Equal(total, ParameterCounter.Count(model.Architecture).Total);
            }
        }

        [Fact]
        public void CatalogedCountsAgreeWithTheArchitecture()
        {
            // Where an entry states an exact count, the config it carries must reproduce it: catches copy errors.
            foreach (var m in Shipped().Models.Where(m => m.ParametersSource != "architecture"))
                Assert.True(ParameterCounter.Count(m.Architecture).Total == m.Parameters, m.Id);
        }

        [Theory]
        [InlineData("4090", "rtx-4090-24gb")]
        [InlineData("RTX 4090", "rtx-4090-24gb")]
        [InlineData("GeForce RTX 4090", "rtx-4090-24gb")]
        [InlineData("H100", "h100-sxm-80gb")]
        [InlineData("h100-sxm-80gb", "h100-sxm-80gb")]
        [InlineData("M2 Ultra", "apple-m2-ultra")]
        public void ResolvesGpuAliases(string name, string id) => Assert.Equal(id, Shipped().ResolveGpu(name).Match?.Id);

        [Theory]
        [InlineData("llama-3.1-8b", "llama-3.1-8b")]
        [InlineData("Llama-3.1-8B", "llama-3.1-8b")]
        [InlineData("meta-llama/Llama-3.1-8B", "llama-3.1-8b")]
        [InlineData("gpt2", "gpt-2")]
        public void ResolvesModelNames(string name, string id) => Assert.Equal(id, Shipped().ResolveModel(name).Match?.Id);

        [Fact]
        public void UsableMemoryFollowsHardwareNotes()
        {
            var c = Shipped();
            // CUDA totalGlobalMem of an RTX 4090 in hardware.yaml: 25,386,352,640 B.
            Assert.Equal(25386352640L, c.ResolveGpu("rtx-4090-24gb").Match!.UsableMemory.Bytes);
            // Apple above 36 GB: 3/4 of unified memory (hardware-notes.md §2). M2 Ultra 192 GB → 144 GB.
            Assert.Equal(144e9, c.ResolveGpu("apple-m2-ultra").Match!.UsableMemory.Bytes, 0);
        }

        [Fact]
        public void BadEntriesAreReportedWithFileLineFieldAndTheRestLoads()
        {
            string file = Write("gpus.yaml",
                "- id: ok-card\n  name: OK\n  vendor: T\n  category: consumer\n  memory: { size_gb_vendor: 8 }\n  sources: [https://example.org/a]\n" +
                "- id: Bad Id\n  name: X\n  vendor: T\n  category: consumer\n  memory: { size_gb_vendor: 8 }\n  sources: [https://example.org/a]\n" +
                "- id: wrong-category\n  name: X\n  vendor: T\n  category: phone\n  memory: { size_gb_vendor: 8 }\n  sources: [https://example.org/a]\n" +
                "- id: no-source\n  name: X\n  vendor: T\n  category: consumer\n  memory: { size_gb_vendor: 8 }\n");
            var c = CatalogLoader.Load(new[] { (IReadOnlyList<string>)new[] { file } });
            Assert.Equal(new[] { "ok-card" }, c.Gpus.Select(g => g.Id));
            Assert.Collection(c.Problems,
                p => { Assert.Equal("InvalidFieldValue", p.ErrorId); Assert.Equal(7, p.Line); Assert.Equal("id", p.Field); },
                p => { Assert.Equal("InvalidFieldValue", p.ErrorId); Assert.Equal(16, p.Line); Assert.Contains("datacenter", p.Message); },
                p => { Assert.Equal("MissingSource", p.ErrorId); Assert.Equal(19, p.Line); });
            Assert.All(c.Problems, p => Assert.Contains(file + ":", p.Message));
        }

        [Fact]
        public void ALaterLayerReplacesEntriesById()
        {
            string shipped = Write("a.yaml", "- id: card\n  name: Shipped\n  vendor: T\n  category: consumer\n  memory: { size_gb_vendor: 8 }\n  sources: [https://example.org/a]\n");
            string user = Write("b.yaml", "- id: card\n  name: Mine\n  vendor: T\n  category: consumer\n  memory: { size_gb_vendor: 16 }\n  sources: [https://example.org/b]\n");
            var c = CatalogLoader.Load(new[] { (IReadOnlyList<string>)new[] { shipped }, new[] { user } });
            Assert.Empty(c.Problems);
            Assert.Equal("Mine", Assert.Single(c.Gpus).Name);
        }

        [Fact]
        public void AnOverrideCanBeJustAnIdAndAPrice()
        {
            string shipped = Write("a.yaml", "- id: card\n  name: Shipped\n  vendor: T\n  category: consumer\n  aliases: [my-card]\n  memory: { size_gb_vendor: 8 }\n" +
                "  price:\n    cloud_on_demand: [{ provider: A, usd_per_gpu_hour: 2.5, date: 2026-01, source: https://example.org/a }]\n  sources: [https://example.org/a]\n");
            string user = Write("b.yaml", "- id: card\n  price:\n    cloud_on_demand: [{ provider: Ours, usd_per_gpu_hour: 1.25, date: 2026-11, source: https://example.org/contract }]\n");
            var c = CatalogLoader.Load(new[] { (IReadOnlyList<string>)new[] { shipped }, new[] { user } });
            Assert.Empty(c.Problems);
            var card = Assert.Single(c.Gpus);
            Assert.Equal(1.25, card.CloudUsdPerHour);      // the override's price
            Assert.Equal("Shipped", card.Name);           // the shipped rest is kept
            Assert.Equal(8e9, card.Memory.Bytes, 0);
            Assert.Same(card, c.ResolveGpu("my-card").Match);
            Assert.Equal(user, card.DefinitionFile);
        }

        [Fact]
        public void LoadsAreCachedUntilAFileChanges()
        {
            string file = Write("c.yaml", "- id: card\n  name: One\n  vendor: T\n  category: consumer\n  memory: { size_gb_vendor: 8 }\n  sources: [https://example.org/a]\n");
            var layers = new[] { (IReadOnlyList<string>)new[] { _temp } };
            var first = CatalogLoader.Load(layers);
            Assert.Same(first, CatalogLoader.Load(layers));
            File.WriteAllText(file, File.ReadAllText(file).Replace("One", "Two, longer"));
            Assert.Equal("Two, longer", CatalogLoader.Load(layers).Gpus.Single().Name);
        }

        [Fact]
        public void MalformedYamlSkipsTheFileOnly()
        {
            Write("bad.yaml", "- id: x\n  name: [unclosed\n");
            Write("good.yaml", "- id: card\n  name: One\n  vendor: T\n  category: consumer\n  memory: { size_gb_vendor: 8 }\n  sources: [https://example.org/a]\n");
            var c = CatalogLoader.Load(new[] { (IReadOnlyList<string>)new[] { _temp } });
            Assert.Equal("card", Assert.Single(c.Gpus).Id);
            Assert.Equal("MalformedYaml", Assert.Single(c.Problems).ErrorId);
        }
    }
}
