using System;
using LlmSize.Core.Throughput;
using Xunit;

namespace LlmSize.Core.Tests.Throughput
{
    public class TrainingThroughputTests
    {
        private static TrainingWorkload SevenBOnOneTrillion(bool recompute = false) =>
            new TrainingWorkload { Parameters = 7_000_000_000, Tokens = 1e12, FullRecomputation = recompute };

        [Fact]
        public void Seven_billion_parameters_on_one_trillion_tokens_is_4_2e22_flops()
        {
            // 6 · 7e9 · 1e12 = 4.2e22 (Kaplan 2020); with full recomputation 8 · 7e9 · 1e12 = 5.6e22.
            Assert.Equal(4.2e22, TrainingThroughput.Flops(7e9, 1e12), 0);
            Assert.Equal(5.6e22, TrainingThroughput.Flops(7e9, 1e12, fullRecomputation: true), 0);
        }

        [Fact]
        public void Time_gpu_hours_energy_and_cost_on_8_H100()
        {
            // 8 × H100 SXM, bf16 989 TFLOPS, MFU 0.40: 8 · 989e12 · 0.4 = 3.1648e15 FLOP/s.
            // 4.2e22 / 3.1648e15 = 13,270,980.8 s = 3686.38 h = 153.60 days.
            // GPU-hours = 8 · 3686.38 = 29,491.07; energy = 700 W · 29,491.07 h / 1000 = 20,643.75 kWh (PUE 1);
            // cost at 2.00 USD/GPU-h = 58,982.14 USD.
            var s = TrainingThroughput.Estimate(SevenBOnOneTrillion(), ShippedCatalog.Gpu("h100-sxm-80gb"), 8,
                new TrainingOptions { UsdPerGpuHour = 2.00 });
            Assert.Equal(0.40, s.Mfu);
            Assert.Equal(4.2e22 / 3.1648e15, s.Seconds!.Value, 3);
            Assert.Equal(3686.38, s.Hours!.Value, 2);
            Assert.Equal(153.60, s.Days!.Value, 2);
            Assert.Equal(29491.07, s.GpuHours!.Value, 2);
            Assert.Equal(20643.75, s.EnergyKWh!.Value, 2);
            Assert.Equal(58982.14, s.CostUsd!.Value, 2);
            Assert.Equal(1e12 / s.Seconds!.Value, s.TokensPerSecond!.Value, 6);
        }

        [Fact]
        public void Pue_scales_energy_and_recomputation_scales_time()
        {
            var h100 = ShippedCatalog.Gpu("h100-sxm-80gb");
            var plain = TrainingThroughput.Estimate(SevenBOnOneTrillion(), h100, 8);
            var pue = TrainingThroughput.Estimate(SevenBOnOneTrillion(), h100, 8, new TrainingOptions { Pue = 1.2 });
            Assert.Equal(plain.EnergyKWh!.Value * 1.2, pue.EnergyKWh!.Value, 6);
            var recompute = TrainingThroughput.Estimate(SevenBOnOneTrillion(recompute: true), h100, 8);
            Assert.Equal(8, recompute.FlopsPerParameterPerToken);
            Assert.Equal(plain.Seconds!.Value * 8 / 6, recompute.Seconds!.Value, 3);
        }

        [Fact]
        public void The_catalog_price_is_the_default()
        {
            // H100 SXM: lowest listed on-demand price in the catalog.
            var h100 = ShippedCatalog.Gpu("h100-sxm-80gb");
            var s = TrainingThroughput.Estimate(SevenBOnOneTrillion(), h100, 8);
            Assert.Equal(h100.CloudUsdPerHour, s.UsdPerGpuHour);
            Assert.Equal(s.GpuHours!.Value * h100.CloudUsdPerHour!.Value, s.CostUsd!.Value, 6);
        }

        [Fact]
        public void Unknown_power_or_price_is_null_with_a_note()
        {
            // Apple parts have no TDP in the catalog, TPU v5e no power; B100 no price.
            var m2 = TrainingThroughput.Estimate(SevenBOnOneTrillion(), ShippedCatalog.Gpu("apple-m2-ultra"), 1);
            Assert.Null(m2.EnergyKWh);
            Assert.Null(m2.CostUsd);
            Assert.Contains(m2.Notes, n => n.Contains("no power figure"));
            Assert.Contains(m2.Notes, n => n.Contains("cost is unknown"));
        }

        [Theory]
        [InlineData(0.0)]
        [InlineData(1.0001)]
        [InlineData(-0.3)]
        [InlineData(double.NaN)]
        public void Mfu_outside_zero_one_is_refused(double mfu)
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
                TrainingThroughput.Estimate(SevenBOnOneTrillion(), ShippedCatalog.Gpu("h100-sxm-80gb"), 8, new TrainingOptions { Mfu = mfu }));
            Assert.Equal("Mfu", e.ParamName);
            Assert.Contains("at most 1", e.Message);
        }

        [Fact]
        public void Mfu_of_exactly_one_is_allowed() =>
            Assert.NotNull(TrainingThroughput.Estimate(SevenBOnOneTrillion(), ShippedCatalog.Gpu("h100-sxm-80gb"), 8, new TrainingOptions { Mfu = 1 }).Seconds);

        [Fact]
        public void Negative_price_pue_below_one_and_bad_counts_are_refused()
        {
            var h100 = ShippedCatalog.Gpu("h100-sxm-80gb");
            Assert.Equal("UsdPerGpuHour", Assert.Throws<ArgumentOutOfRangeException>(() =>
                TrainingThroughput.Estimate(SevenBOnOneTrillion(), h100, 8, new TrainingOptions { UsdPerGpuHour = -1 })).ParamName);
            Assert.Equal("Pue", Assert.Throws<ArgumentOutOfRangeException>(() =>
                TrainingThroughput.Estimate(SevenBOnOneTrillion(), h100, 8, new TrainingOptions { Pue = 0.9 })).ParamName);
            Assert.Equal("gpuCount", Assert.Throws<ArgumentOutOfRangeException>(() =>
                TrainingThroughput.Estimate(SevenBOnOneTrillion(), h100, 0)).ParamName);
            Assert.Equal("parameters", Assert.Throws<ArgumentOutOfRangeException>(() =>
                TrainingThroughput.Estimate(new TrainingWorkload { Parameters = 0, Tokens = 1 }, h100, 1)).ParamName);
            Assert.Equal("tokens", Assert.Throws<ArgumentOutOfRangeException>(() =>
                TrainingThroughput.Estimate(new TrainingWorkload { Parameters = 1, Tokens = 0 }, h100, 1)).ParamName);
        }
    }
}
