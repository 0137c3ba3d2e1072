using System;
using System.Diagnostics;
using System.Linq;
using LlmSize.Core.Cost;
using LlmSize.Core.Hardware;
using LlmSize.Core.Tests.Throughput;
using LlmSize.Core.Throughput;
using LlmSize.Core.Units;
using Xunit;
using Xunit.Abstractions;

namespace LlmSize.Core.Tests.Cost
{
    public class HardwareSweepTests
    {
        private readonly ITestOutputHelper _out;
        public HardwareSweepTests(ITestOutputHelper output) => _out = output;

        // The question: Llama-3.1-70B in fp8, 32k context, 20 concurrent users.
        // Weights 70.55e9 B (1 byte each); KV (fp16) per token 2 · 80 layers · 8 KV heads · 128 · 2 B = 327,680 B;
        // 32,768 tokens · 20 sequences → 214.75 GB. Per GPU: (weights + KV) / count + 1 GiB runtime overhead — a stand-in
        // for the inference memory estimator the cmdlet plugs in.
        private const double Weights70B = 70_553_706_496;
        private const double Kv70B = 327_680.0 * 32_768 * 20;
        private static ByteSize Llama70BPerGpu(int count) => ByteSize.FromBytes((Weights70B + Kv70B) / count) + ByteSize.FromGiB(1);

        private static InferenceWorkload Llama70BFp8 => new InferenceWorkload
        {
            ActiveParameters = 70_553_706_496 - 128_256L * 8192,   // embedding table gathered, not multiplied
            ActiveWeightBytes = Weights70B - 128_256.0 * 8192,
            KvBytesPerToken = 327_680,
            Layers = 80,
            HiddenSize = 8192,
            WeightType = DataTypes.Get("fp8"),
            PromptTokens = 32_000,
            OutputTokens = 512,
            BatchSize = 20,
        };

        private static SweepRequest Inference(Action<SweepRequest>? tweak = null)
        {
            var r = new SweepRequest { RequiredBytesPerGpu = Llama70BPerGpu, Inference = Llama70BFp8 };
            tweak?.Invoke(r);
            return r;
        }

        [Fact]
        public void Llama_70B_fp8_32k_for_20_users_ranks_fitting_options_by_cost_per_million_tokens()
        {
            var result = HardwareSweep.Run(ShippedCatalog.Gpus, Inference());
            Assert.NotEmpty(result.Options);
            Assert.Null(result.ClosestMiss);
            Assert.Null(result.Message);
            foreach (var o in result.Options)
            {
                Assert.True(o.Fits);
                Assert.Contains(o.GpuCount, new[] { 1, 2, 4, 8 });
                Assert.True(o.HeadroomPerGpu.Bytes >= 0);
                Assert.Equal("fp8", o.Precision);
                Assert.NotNull(o.Inference);
            }
            // Ascending cost per million tokens, unknown costs last.
            var costs = result.Options.Select(o => o.CostPerMillionTokens).ToList();
            int firstNull = costs.FindIndex(c => c == null);
            var known = (firstNull < 0 ? costs : costs.Take(firstNull)).Select(c => c!.Value).ToList();
            Assert.Equal(known.OrderBy(c => c), known);
            if (firstNull >= 0) Assert.All(costs.Skip(firstNull), c => Assert.Null(c));
            // 285 GB does not fit one 80 GB H100, it fits 8 (36.8 GB each).
            Assert.DoesNotContain(result.Options, o => o.GpuId == "h100-sxm-80gb" && o.GpuCount < 4);
            Assert.Contains(result.Options, o => o.GpuId == "h100-sxm-80gb" && o.GpuCount == 8 && o.Deployment == DeploymentClass.Cloud);
            foreach (var o in result.Options.Take(5))
                _out.WriteLine(o + ": " + o.CostPerMillionTokens?.ToString("0.000") + " USD/Mtok, " + o.TokensPerSecond?.ToString("0") + " tok/s, " + o.CostPerHour?.ToString("0.00") + " USD/h, headroom " + o.HeadroomPerGpu);
        }

        [Fact]
        public void A_cloud_option_costs_gpus_times_the_cheapest_listed_price_and_prices_the_tokens()
        {
            var result = HardwareSweep.Run(ShippedCatalog.Gpus, Inference(r => r.Deployments = new[] { DeploymentClass.Cloud }));
            Assert.All(result.Options, o => Assert.Equal(DeploymentClass.Cloud, o.Deployment));
            var h100x8 = result.Options.Single(o => o.GpuId == "h100-sxm-80gb" && o.GpuCount == 8);
            double price = ShippedCatalog.Gpu("h100-sxm-80gb").CloudUsdPerHour!.Value;
            Assert.Equal(8 * price, h100x8.CostPerHour!.Value, 10);
            Assert.Equal(h100x8.CostPerHour!.Value / (h100x8.TokensPerSecond!.Value * 3600) * 1e6, h100x8.CostPerMillionTokens!.Value, 10);
            Assert.Equal(8 * 700.0, h100x8.PowerWatts);
            Assert.Equal(8 * 30000.0, h100x8.PurchaseUsd);
        }

        [Fact]
        public void A_bought_option_costs_amortization_plus_power()
        {
            var result = HardwareSweep.Run(ShippedCatalog.Gpus, Inference(r =>
            {
                r.Deployments = new[] { DeploymentClass.LocalServer };
                r.ElectricityUsdPerKWh = 0.10;
                r.Utilization = 0.5;
            }));
            var h100x8 = result.Options.Single(o => o.GpuId == "h100-sxm-80gb" && o.GpuCount == 8);
            // 240,000 USD / (36 · 730 h) / 0.5 + 5.6 kW · 0.10 = 18.2648 + 0.56 = 18.8248 USD per working hour.
            Assert.Equal(240000 / (36 * 730.0) / 0.5 + 0.56, h100x8.CostPerHour!.Value, 10);
            Assert.True(h100x8.CostIncludesPower);
        }

        [Fact]
        public void Edge_devices_are_tried_alone_and_unknown_power_is_flagged()
        {
            // A 7B model at 4 bits fits Macs and Jetsons; they are never ganged.
            var r = new SweepRequest
            {
                RequiredBytesPerGpu = n => ByteSize.FromGB(6.0 / n + 0.5),
                Inference = new InferenceWorkload { ActiveParameters = 7_000_000_000, ActiveWeightBytes = 3.9e9, KvBytesPerToken = 131072, Layers = 32, HiddenSize = 4096, WeightType = DataTypes.Get("Q4_K_M") },
                Deployments = new[] { DeploymentClass.Edge },
            };
            var result = HardwareSweep.Run(ShippedCatalog.Gpus, r);
            Assert.NotEmpty(result.Options);
            Assert.All(result.Options, o => Assert.Equal(1, o.GpuCount));
            var mac = result.Options.First(o => o.Gpu.Category == GpuCategory.Apple);
            Assert.False(mac.CostIncludesPower);
            Assert.Contains(mac.Notes, n => n.Contains("leaves electricity out"));
        }

        [Fact]
        public void Nothing_fits_returns_the_closest_miss_not_an_exception()
        {
            // 10 TB of weights: nothing up to 8 GPUs holds it.
            var r = new SweepRequest { RequiredBytesPerGpu = n => ByteSize.FromGB(10_000.0 / n), Inference = Llama70BFp8 };
            var result = HardwareSweep.Run(ShippedCatalog.Gpus, r);
            Assert.Empty(result.Options);
            Assert.Equal(0, result.Fitting);
            var miss = Assert.IsType<HardwareOption>(result.ClosestMiss);
            Assert.False(miss.Fits);
            Assert.True(miss.ShortfallPerGpu.Bytes > 0);
            Assert.Equal(8, miss.GpuCount);
            // The smallest shortfall of all: 1.25 TB per GPU against the largest usable memory among multi-GPU parts.
            double best = ShippedCatalog.Gpus.Where(g => !Deployment.IsSingleDevice(g)).Max(g => g.UsableMemory.Bytes);
            Assert.Equal(best, miss.UsablePerGpu.Bytes);
            Assert.Contains("Nothing fits", result.Message);
            Assert.Contains(miss.ShortfallPerGpu.ToString(), result.Message);
            _out.WriteLine(result.Message);
        }

        [Fact]
        public void Cost_and_speed_filters_drop_options_and_unknown_values()
        {
            var cheap = HardwareSweep.Run(ShippedCatalog.Gpus, Inference(r => r.MaxCostPerHour = 10));
            Assert.NotEmpty(cheap.Options);
            Assert.All(cheap.Options, o => Assert.True(o.CostPerHour <= 10));
            var fast = HardwareSweep.Run(ShippedCatalog.Gpus, Inference(r => r.MinTokensPerSecond = 500));
            Assert.All(fast.Options, o => Assert.True(o.TokensPerSecond >= 500));
            var impossible = HardwareSweep.Run(ShippedCatalog.Gpus, Inference(r => r.MaxCostPerHour = 0.01));
            Assert.Empty(impossible.Options);
            Assert.Null(impossible.ClosestMiss);
            Assert.True(impossible.Fitting > 0);
            Assert.Contains("none passes", impossible.Message);
        }

        [Theory]
        [InlineData(SweepSortKey.TokensPerSecond, true)]
        [InlineData(SweepSortKey.Headroom, true)]
        [InlineData(SweepSortKey.CostPerHour, false)]
        [InlineData(SweepSortKey.PurchaseCost, false)]
        [InlineData(SweepSortKey.Power, false)]
        [InlineData(SweepSortKey.GpuCount, false)]
        public void Sort_keys_order_known_values_and_put_unknown_ones_last(SweepSortKey key, bool descending)
        {
            var result = HardwareSweep.Run(ShippedCatalog.Gpus, Inference(r => r.SortBy = key));
            Func<HardwareOption, double?> value = key switch
            {
                SweepSortKey.TokensPerSecond => o => o.TokensPerSecond,
                SweepSortKey.Headroom => o => o.HeadroomPerGpu.Bytes,
                SweepSortKey.CostPerHour => o => o.CostPerHour,
                SweepSortKey.PurchaseCost => o => o.PurchaseUsd,
                SweepSortKey.Power => o => o.PowerWatts,
                _ => o => o.GpuCount,
            };
            var values = result.Options.Select(value).ToList();
            var known = values.TakeWhile(v => v != null).Select(v => v!.Value).ToList();
            Assert.All(values.Skip(known.Count), v => Assert.Null(v));
            Assert.Equal(descending ? known.OrderByDescending(v => v) : known.OrderBy(v => v), known);
        }

        [Fact]
        public void Training_sweep_goes_multi_node_and_ranks_by_total_cost()
        {
            // 7B full fine-tune, mixed precision AdamW: 16 B per parameter = 112 GB of states, split by ZeRO-3 over the
            // GPUs, + 20 GB activations per GPU. 1e11 tokens.
            var r = new SweepRequest
            {
                RequiredBytesPerGpu = n => ByteSize.FromGB(112.0 / n + 20),
                Training = new TrainingWorkload { Parameters = 7_000_000_000, Tokens = 1e11 },
            };
            var result = HardwareSweep.Run(ShippedCatalog.Gpus, r);
            Assert.Contains(result.Options, o => o.GpuCount == 64);
            var totals = result.Options.Select(o => o.TotalCost).TakeWhile(t => t != null).Select(t => t!.Value).ToList();
            Assert.Equal(totals.OrderBy(t => t), totals);
            foreach (var o in result.Options.Where(o => o.TotalCost != null))
                Assert.Equal(o.CostPerHour!.Value * o.Training!.Hours!.Value, o.TotalCost!.Value, 6);
            var h100x64 = result.Options.First(o => o.GpuId == "h100-sxm-80gb" && o.GpuCount == 64 && o.Deployment == DeploymentClass.Cloud);
            // 6 · 7e9 · 1e11 = 4.2e21 FLOPs / (64 · 989e12 · 0.40) = 165,887 s = 46.08 h.
            Assert.Equal(46.08, h100x64.TrainingHours!.Value, 2);
            Assert.Equal("bf16", h100x64.Precision);
        }

        [Fact]
        public void Progress_is_reported_once_per_gpu()
        {
            int calls = 0, total = 0;
            HardwareSweep.Run(ShippedCatalog.Gpus, Inference(r => r.Progress = (done, all) => { calls++; total = all; Assert.Equal(calls, done); }));
            Assert.Equal(ShippedCatalog.Gpus.Count, calls);
            Assert.Equal(ShippedCatalog.Gpus.Count, total);
        }

        [Fact]
        public void The_memory_function_is_called_once_per_count()
        {
            int calls = 0;
            HardwareSweep.Run(ShippedCatalog.Gpus, Inference(r => r.RequiredBytesPerGpu = n => { calls++; return Llama70BPerGpu(n); }));
            Assert.Equal(4, calls);
        }

        [Fact]
        public void A_sweep_of_every_catalog_gpu_and_seven_counts_takes_well_under_a_millisecond_per_option()
        {
            var request = new SweepRequest
            {
                RequiredBytesPerGpu = n => ByteSize.FromGB(112.0 / n + 20),
                Inference = Llama70BFp8,
                GpuCounts = HardwareSweep.TrainingCounts,
            };
            HardwareSweep.Run(ShippedCatalog.Gpus, request);                    // JIT warm-up
            const int runs = 20;
            var watch = Stopwatch.StartNew();
            int considered = 0;
            for (int i = 0; i < runs; i++) considered += HardwareSweep.Run(ShippedCatalog.Gpus, request).Considered;
            watch.Stop();
            double perOption = watch.Elapsed.TotalMilliseconds / considered;
            _out.WriteLine(considered / runs + " options per sweep, " + perOption.ToString("0.0000") + " ms per option");
            Assert.True(ShippedCatalog.Gpus.Count >= 58);
            Assert.True(perOption < 0.1, perOption + " ms per option");
        }

        [Fact]
        public void Bad_requests_are_refused()
        {
            Assert.Throws<ArgumentException>(() => HardwareSweep.Run(ShippedCatalog.Gpus,
                new SweepRequest { RequiredBytesPerGpu = Llama70BPerGpu }));
            Assert.Throws<ArgumentException>(() => HardwareSweep.Run(ShippedCatalog.Gpus,
                new SweepRequest { RequiredBytesPerGpu = Llama70BPerGpu, Inference = Llama70BFp8, Training = new TrainingWorkload { Parameters = 1, Tokens = 1 } }));
            Assert.Throws<ArgumentNullException>(() => HardwareSweep.Run(ShippedCatalog.Gpus, new SweepRequest { Inference = Llama70BFp8 }));
            Assert.Equal("Utilization", Assert.Throws<ArgumentOutOfRangeException>(() => HardwareSweep.Run(ShippedCatalog.Gpus, Inference(r => r.Utilization = 0))).ParamName);
            Assert.Equal("MaxCostPerHour", Assert.Throws<ArgumentOutOfRangeException>(() => HardwareSweep.Run(ShippedCatalog.Gpus, Inference(r => r.MaxCostPerHour = -1))).ParamName);
            Assert.Equal("GpuCounts", Assert.Throws<ArgumentOutOfRangeException>(() => HardwareSweep.Run(ShippedCatalog.Gpus, Inference(r => r.GpuCounts = new[] { 0 }))).ParamName);
        }
    }
}
