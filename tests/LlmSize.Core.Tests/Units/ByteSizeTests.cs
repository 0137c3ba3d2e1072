using System.Globalization;
using LlmSize.Core.Units;
using Xunit;

namespace LlmSize.Core.Tests.Units
{
    public class ByteSizeTests
    {
        [Fact]
        public void SevenBillionFp32IsTwentyEightGBAndTwentySixGiB()
        {
            // DESIGN.md §10: 7e9 parameters × 4 B = 28.0e9 B = 28.0 GB = 28e9 / 2^30 = 26.077 GiB (the seed wrote "26 GB").
            var size = new ByteSize(7_000_000_000L * 4);
            Assert.Equal(28.0, size.GB, 9);
            Assert.Equal(26.08, size.GiB, 2);
            Assert.Equal("26.08 GiB", size.ToString());
            Assert.Equal("28.00 GB", size.ToString("D", CultureInfo.InvariantCulture));
        }

        [Theory]
        [InlineData(0L, "0 B")]
        [InlineData(1023L, "1023 B")]
        [InlineData(1024L, "1.00 KiB")]
        [InlineData(16L * 1024 * 1024, "16.00 MiB")]   // the seed's "16 MB" of inference activations is 16 MiB
        [InlineData(1L << 30, "1.00 GiB")]
        [InlineData(1L << 40, "1.00 TiB")]
        public void PrintsBinaryUnits(long bytes, string expected) => Assert.Equal(expected, new ByteSize(bytes).ToString());

        [Fact]
        public void ForcedUnitsAndDigits()
        {
            var h100 = new ByteSize(81559L * 1024 * 1024); // nvidia-smi total of an H100 80GB
            Assert.Equal("79.65 GiB", h100.ToString("GiB", null));
            Assert.Equal("85.5 GB", h100.ToString("GB1", null));
            Assert.Equal("81559 MiB", h100.ToString("MiB0", null));
        }

        [Fact]
        public void PrintsTheSameUnderGermanCulture()
        {
            var previous = CultureInfo.CurrentCulture;
            try
            {
                CultureInfo.CurrentCulture = new CultureInfo("de-DE");
                Assert.Equal("1.50 GiB", ByteSize.FromGiB(1.5).ToString());
            }
            finally { CultureInfo.CurrentCulture = previous; }
        }

        [Fact]
        public void ArithmeticAndComparison()
        {
            var a = ByteSize.FromGiB(1);
            var b = ByteSize.FromMiB(512);
            Assert.Equal(ByteSize.FromMiB(1536), a + b);
            Assert.Equal(ByteSize.FromMiB(512), a - b);
            Assert.Equal(ByteSize.FromGiB(2), a * 2);
            Assert.Equal(2.0, a / b);
            Assert.True(b < a);
            Assert.Equal(a, ByteSize.Max(a, b));
            Assert.Equal(-1, b.CompareTo(a));
        }

        [Fact]
        public void FractionalBytesRoundToNearest()
        {
            Assert.Equal(3L, ByteSize.FromBytes(2.5).Bytes);
            Assert.Equal(2L, ByteSize.FromBytes(2.4).Bytes);
        }
    }
}
