using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using LlmSize.Core.Models;
using LlmSize.Core.Parameters;
using LlmSize.Core.Units;
using LlmSize.Data.Catalog;

namespace LlmSize.Benchmarks
{
    /// <summary>Finds module/data of the repository from the benchmark's working folder or binary folder.</summary>
    internal static class Repo
    {
        public static string ShippedData
        {
            get
            {
                foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
                    for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                        if (File.Exists(Path.Combine(dir.FullName, "LlmSize.sln")))
                            return Path.Combine(dir.FullName, "module", "data");
                throw new DirectoryNotFoundException("LlmSize.sln not found above " + Environment.CurrentDirectory + " or " + AppContext.BaseDirectory);
            }
        }

        public static IReadOnlyList<IReadOnlyList<string>> ShippedLayers =>
            new[] { (IReadOnlyList<string>)new[] { ShippedData } };

        public static ModelArchitecture Architecture(string id) =>
            CatalogLoader.Load(ShippedLayers).Models.Single(m => m.Id == id).Architecture;
    }

    /// <summary>
    /// The exact counter on three shapes of the shipped catalog: a dense GQA model (32 layers), a Qwen MoE (48 layers,
    /// 128 experts) and DeepSeek-V3 (61 layers, MLA, 256 experts, 3 dense layers first). Until the inference estimator
    /// lands this is the "Core estimate" of the summary.
    /// </summary>
    [MemoryDiagnoser]
    public class ParameterCounterBenchmarks
    {
        private ModelArchitecture _a = null!;

        [Params("llama-3.1-8b", "qwen3-30b-a3b", "deepseek-v3")]
        public string Model { get; set; } = "";

        [GlobalSetup]
        public void Setup() => _a = Repo.Architecture(Model);

        [Benchmark]
        public long Count() => ParameterCounter.Count(_a).Total;
    }

    /// <summary>The seed's 12·L·d² + V·d: a pure function, the lower bound of any Core estimate.</summary>
    [MemoryDiagnoser]
    public class QuickEstimateBenchmarks
    {
        private int _layers = 32;
        private long _d = 4096, _v = 128256;

        [Benchmark]
        public long QuickEstimate() => ParameterCounter.QuickEstimate(_layers, _d, _v);
    }

    /// <summary>
    /// The shipped YAML catalogs (56 models, 58 accelerators): a cold parse (every file read and mapped, as on the first
    /// call of a session) and a cached load (what every later cmdlet call pays: enumerate and stat the files, hit the cache).
    /// </summary>
    [MemoryDiagnoser]
    public class CatalogBenchmarks
    {
        private IReadOnlyList<IReadOnlyList<string>> _layers = null!;

        [GlobalSetup]
        public void Setup()
        {
            _layers = Repo.ShippedLayers;
            var catalog = CatalogLoader.Load(_layers);
            if (catalog.Problems.Count > 0 || catalog.Models.Count == 0)
                throw new InvalidOperationException("The shipped catalog does not load cleanly: " + string.Join("; ", catalog.Problems.Select(p => p.Message)));
        }

        [Benchmark]
        public int ParseCold() => CatalogLoader.LoadUncached(_layers).Models.Count;

        [Benchmark]
        public int LoadCached() => CatalogLoader.Load(_layers).Models.Count;
    }

    /// <summary>Data-type lookup by name, by alias, and the gptq-Nbit-gG pattern that falls back to a regex.</summary>
    [MemoryDiagnoser]
    public class DataTypeBenchmarks
    {
        [Params("bf16", "Q4_K_M", "awq", "gptq-4bit-g96")]
        public string Name { get; set; } = "";

        [Benchmark]
        public double TryGet() => DataTypes.TryGet(Name, out var t) ? t.BitsPerValue : 0;
    }

    /// <summary>What people type for sizes, parameter counts and token counts.</summary>
    [MemoryDiagnoser]
    public class QuantityBenchmarks
    {
        private string _parameters = "7B", _bytes = "80GB", _tokens = "128k";

        [Benchmark]
        public double ParseParameters() => Quantity.ParseParameters(_parameters);

        [Benchmark]
        public long ParseBytes() => Quantity.ParseBytes(_bytes).Bytes;

        [Benchmark]
        public long ParseTokens() => Quantity.ParseTokens(_tokens);
    }
}
