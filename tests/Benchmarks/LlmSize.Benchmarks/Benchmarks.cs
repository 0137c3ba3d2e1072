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
    /// The shipped YAML catalogs (102 models, 58 accelerators): a cold parse (every file read and mapped, as on the first
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

namespace LlmSize.Benchmarks
{
    using LlmSize.Core.Cost;
    using LlmSize.Core.Fit;
    using LlmSize.Core.Hardware;
    using LlmSize.Core.Inference;
    using LlmSize.Core.Training;

    /// <summary>Catalog entries the estimate benchmarks share (the shipped catalog, loaded once per process).</summary>
    internal static class Shipped
    {
        private static LlmSize.Data.Catalog.Catalog? s_catalog;
        private static LlmSize.Data.Catalog.Catalog Catalog => s_catalog ??= CatalogLoader.Load(Repo.ShippedLayers);
        public static ModelSpec Model(string id) => Catalog.Models.Single(m => m.Id == id);
        public static GpuSpec Gpu(string id) => Catalog.Gpus.Single(g => g.Id == id);
        public static IReadOnlyList<GpuSpec> Gpus => Catalog.Gpus;
    }

    /// <summary>
    /// The Core estimate of issue 8: one inference estimate (Generic engine, bf16, 8k context, batch 1, one GPU) of a dense
    /// GQA model, a Qwen MoE and DeepSeek-V3 (MLA). The target is ≤ 100 ns and nothing allocated but the result object
    /// (Program reports that object's size next to the row).
    /// </summary>
    [MemoryDiagnoser]
    public class InferenceEstimatorBenchmarks
    {
        private InferenceRequest _request = null!;

        [Params("llama-3.1-8b", "qwen3-30b-a3b", "deepseek-v3")]
        public string Model { get; set; } = "";

        [GlobalSetup]
        public void Setup() => _request = new InferenceRequest(Shipped.Model(Model), DataTypes.Get("bf16"), 8192);

        [Benchmark]
        public InferenceEstimate Estimate() => InferenceEstimator.Estimate(_request);
    }

    /// <summary>The fit check of one estimate on an H100 SXM, as a sweep filtering on Fits uses it: the solvers (largest
    /// batch, longest context, KV capacity, GPUs needed) are lazy and not read here.</summary>
    [MemoryDiagnoser]
    public class GpuFitBenchmarks
    {
        private InferenceEstimate _estimate = null!;
        private GpuSpec _gpu = null!;

        [GlobalSetup]
        public void Setup()
        {
            _estimate = InferenceEstimator.Estimate(new InferenceRequest(Shipped.Model("llama-3.1-8b"), DataTypes.Get("int4"), 32768));
            _gpu = Shipped.Gpu("h100-sxm-80gb");
        }

        [Benchmark]
        public FitResult Test() => GpuFit.Test(_estimate, _gpu);
    }

    /// <summary>One training estimate: full fine-tune of llama-3.1-8b, mixed precision, AdamW, 2048 tokens, one GPU.</summary>
    [MemoryDiagnoser]
    public class TrainingEstimatorBenchmarks
    {
        private TrainingRequest _request = null!;

        [GlobalSetup]
        public void Setup() => _request = new TrainingRequest(Shipped.Model("llama-3.1-8b"));

        [Benchmark]
        public TrainingEstimate Estimate() => TrainingEstimator.Estimate(_request);
    }

    /// <summary>
    /// What Find-LlmHardware does for one estimate: every accelerator of the catalog × 1, 2, 4, 8 GPUs × rented or bought,
    /// memory re-estimated per GPU count (HardwarePlanner.InferencePerGpu), speed and cost per option, sorted.
    /// llama-3.1-8b at bf16, 8k context, 128 output tokens (Find-LlmHardware's default).
    /// </summary>
    [MemoryDiagnoser]
    public class HardwareSweepBenchmarks
    {
        private InferenceEstimate _estimate = null!;
        private IReadOnlyList<GpuSpec> _gpus = null!;

        [GlobalSetup]
        public void Setup()
        {
            _estimate = InferenceEstimator.Estimate(new InferenceRequest(Shipped.Model("llama-3.1-8b"), DataTypes.Get("bf16"), 8192));
            _gpus = Shipped.Gpus;
        }

        [Benchmark]
        public int Run()
        {
            var e = _estimate;
            var request = new SweepRequest
            {
                Inference = HardwarePlanner.Workload(e, 128),
                RequiredBytesPerGpu = n => HardwarePlanner.InferencePerGpu(e, n),
            };
            return HardwareSweep.Run(_gpus, request).Options.Count;
        }
    }
}
