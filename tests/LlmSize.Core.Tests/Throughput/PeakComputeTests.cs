using LlmSize.Core.Throughput;
using LlmSize.Core.Units;
using Xunit;

namespace LlmSize.Core.Tests.Throughput
{
    public class PeakComputeTests
    {
        [Theory]
        [InlineData("fp32", ComputePrecision.Fp32)]
        [InlineData("tf32", ComputePrecision.Tf32)]
        [InlineData("fp16", ComputePrecision.Fp16)]
        [InlineData("bf16", ComputePrecision.Bf16)]
        [InlineData("fp8", ComputePrecision.Fp8)]
        [InlineData("nvfp4", ComputePrecision.Fp4)]
        [InlineData("mxfp4", ComputePrecision.Fp4)]
        // Weight-only formats dequantize to 16 bit before the matmul.
        [InlineData("int8", ComputePrecision.Fp16)]
        [InlineData("int4", ComputePrecision.Fp16)]
        [InlineData("nf4", ComputePrecision.Fp16)]
        [InlineData("awq", ComputePrecision.Fp16)]
        [InlineData("gptq-4bit-g128", ComputePrecision.Fp16)]
        [InlineData("Q4_0", ComputePrecision.Fp16)]
        [InlineData("Q4_K_M", ComputePrecision.Fp16)]
        public void Weight_format_picks_the_compute_precision(string weights, ComputePrecision expected) =>
            Assert.Equal(expected, PeakCompute.ForWeights(DataTypes.Get(weights)));

        [Fact]
        public void The_catalog_figure_of_the_precision_is_used_when_present()
        {
            var h100 = ShippedCatalog.Gpu("h100-sxm-80gb");
            var fp8 = PeakCompute.For(h100, ComputePrecision.Fp8);
            Assert.Equal(1979, fp8.TflopsPerGpu);
            Assert.False(fp8.IsFallback);
            Assert.Null(fp8.Note);
            Assert.Equal(989, PeakCompute.For(h100, ComputePrecision.Bf16).TflopsPerGpu);
            Assert.Equal(1979, PeakCompute.For(h100, ComputePrecision.Int8).TflopsPerGpu);
        }

        [Fact]
        public void A_missing_figure_falls_back_in_a_documented_order_and_says_so()
        {
            // A100 has no FP8 units: FP8 checkpoints run weight-only on the bf16 tensor cores (312).
            var a100 = PeakCompute.For(ShippedCatalog.Gpu("a100-sxm4-80gb"), ComputePrecision.Fp8);
            Assert.Equal(312, a100.TflopsPerGpu);
            Assert.Equal(ComputePrecision.Bf16, a100.Used);
            Assert.True(a100.IsFallback);
            Assert.Contains("no fp8 peak", a100.Note);
            // Volta: no bf16 path → fp16 (125), hardware-notes.md §3.
            var v100 = PeakCompute.For(ShippedCatalog.Gpu("v100-sxm2-16gb"), ComputePrecision.Bf16);
            Assert.Equal(125, v100.TflopsPerGpu);
            Assert.Equal(ComputePrecision.Fp16, v100.Used);
            // Apple publishes only the fp32 shader rate: M2 Ultra 27.2, flagged as such.
            var m2 = PeakCompute.For(ShippedCatalog.Gpu("apple-m2-ultra"), ComputePrecision.Fp16);
            Assert.Equal(27.2, m2.TflopsPerGpu);
            Assert.Equal(ComputePrecision.Fp32, m2.Used);
            Assert.Contains("shader rate", m2.Note);
            // B200 runs FP4 natively (9000 dense).
            Assert.Equal(9000, PeakCompute.For(ShippedCatalog.Gpu("b200-sxm-180gb"), ComputePrecision.Fp4).TflopsPerGpu);
            // H100 has no FP4: MXFP4 weights run on bf16 (989), not on the FP8 units.
            Assert.Equal(ComputePrecision.Bf16, PeakCompute.For(ShippedCatalog.Gpu("h100-sxm-80gb"), ComputePrecision.Fp4).Used);
        }

        [Fact]
        public void No_figure_at_all_is_missing_not_zero()
        {
            var nano = PeakCompute.For(ShippedCatalog.Gpu("jetson-orin-nano-8gb"), ComputePrecision.Bf16);
            Assert.True(nano.IsMissing);
            Assert.Null(nano.TflopsPerGpu);
            Assert.Null(nano.Used);
        }

        [Fact]
        public void Every_catalog_gpu_resolves_without_throwing()
        {
            foreach (var gpu in ShippedCatalog.Gpus)
                foreach (ComputePrecision p in System.Enum.GetValues(typeof(ComputePrecision)))
                {
                    var peak = PeakCompute.For(gpu, p);
                    Assert.True(peak.IsMissing || peak.TflopsPerGpu > 0);
                }
        }
    }

    public class ThroughputDefaultsTests
    {
        [Theory]
        [InlineData("fp32", 0.78)]
        [InlineData("bf16", 0.78)]
        [InlineData("fp16", 0.78)]
        [InlineData("fp8", 0.70)]
        [InlineData("int8", 0.70)]
        [InlineData("Q8_0", 0.70)]     // 8.5 bits
        [InlineData("Q6_K", 0.58)]     // 6.5625 bits
        [InlineData("Q4_K_M", 0.58)]
        [InlineData("Q4_0", 0.58)]
        [InlineData("nf4", 0.58)]
        public void Memory_efficiency_depends_on_storage_width(string weights, double expected) =>
            Assert.Equal(expected, ThroughputDefaults.MemoryEfficiencyFor(DataTypes.Get(weights)));

        [Fact]
        public void Compute_efficiency_is_the_catalog_mamf_fraction_else_the_median()
        {
            // H100 SXM: MAMF 794.5 / 989 = 0.80334 (hardware-notes.md §3: 80.3%).
            Assert.Equal(794.5 / 989, ThroughputDefaults.ComputeEfficiencyFor(ShippedCatalog.Gpu("h100-sxm-80gb")), 10);
            // MI300X: 668.4 / 1307.4 = 0.5112.
            Assert.Equal(0.5112, ThroughputDefaults.ComputeEfficiencyFor(ShippedCatalog.Gpu("mi300x-192gb")), 4);
            // No MAMF for the RTX 4090: the median of the eleven MAMF fractions.
            Assert.Equal(0.776, ThroughputDefaults.ComputeEfficiencyFor(ShippedCatalog.Gpu("rtx-4090-24gb")));
        }

        [Fact]
        public void Compute_efficiency_default_is_the_median_of_the_catalog_mamf_fractions()
        {
            var fractions = new System.Collections.Generic.List<double>();
            foreach (var g in ShippedCatalog.Gpus)
                if (g.MamfBf16Tflops is double m && g.Bf16Tflops is double p) fractions.Add(m / p);
            fractions.Sort();
            Assert.Equal(11, fractions.Count);
            Assert.Equal(ThroughputDefaults.ComputeEfficiency, fractions[5], 3);   // B200: 1745 / 2250 = 0.7756
        }
    }
}
