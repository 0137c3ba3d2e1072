using LlmSize.Core.Throughput;
using Xunit;

namespace LlmSize.Core.Tests.Throughput
{
    public class InterconnectTests
    {
        [Theory]
        // x16 · GT/s · 128/130 encoding / 8 bits per byte.
        [InlineData("Gen3 (per public nvidia-smi/lspci log)", 15.754)]
        [InlineData("Gen3 x16", 15.754)]
        [InlineData("Gen4 x16 (32+32 GB/s)", 31.508)]
        [InlineData("Gen5 x16 (128 GB/s bidir)", 63.015)]
        [InlineData("Gen5 (up to 4x x16)", 63.015)]
        public void Pcie_generation_gives_x16_bandwidth_per_direction(string pcie, double gbps) =>
            Assert.Equal(gbps, Interconnect.PcieGBps(pcie)!.Value, 3);

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("x16")]
        public void No_generation_is_unknown(string? pcie) => Assert.Null(Interconnect.PcieGBps(pcie));

        [Fact]
        public void Ring_all_reduce_moves_two_t_minus_one_over_t_of_the_message()
        {
            // 1 GB over 4 GPUs at 100 GB/s: 2 · 3/4 · 1e9 / 1e11 = 15 ms (nccl-tests PERFORMANCE.md: t = S/B · 2(n−1)/n).
            Assert.Equal(0.015, Interconnect.AllReduceSeconds(1e9, 4, 100), 12);
            // Two GPUs: exactly S/B.
            Assert.Equal(0.01, Interconnect.AllReduceSeconds(1e9, 2, 100), 12);
            Assert.Equal(0, Interconnect.AllReduceSeconds(1e9, 1, 100));
        }

        [Fact]
        public void Nvlink_is_halved_to_one_direction()
        {
            // H100 SXM: 900 GB/s both ways → 450 one way; B200 1800 → 900.
            Assert.Equal(450, Interconnect.For(ShippedCatalog.Gpu("h100-sxm-80gb"), 8).GBpsPerDirection);
            Assert.Equal(900, Interconnect.For(ShippedCatalog.Gpu("b200-sxm-180gb"), 8).GBpsPerDirection);
        }
    }
}
