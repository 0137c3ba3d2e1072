using System;
using System.Linq;
using LlmSize.Core.Units;
using Xunit;

namespace LlmSize.Core.Tests.Units
{
    public class DataTypeTests
    {
        [Theory]
        // DESIGN.md §5, each derived from the block layout named in DataTypes' sources.
        [InlineData("fp32", 32.0)]
        [InlineData("tf32", 32.0)]          // compute mode, stored as fp32
        [InlineData("bf16", 16.0)]
        [InlineData("fp8", 8.0)]
        [InlineData("int4", 4.0)]
        [InlineData("nf4", 4.5)]            // 4 + 32/64 (fp32 absmax per 64 values)
        [InlineData("nf4-dq", 4.126953125)] // 4 + 8/64 + 32/(64·256)
        [InlineData("mxfp4", 4.25)]         // 4 + 8/32
        [InlineData("nvfp4", 4.5)]          // 4 + 8/16
        [InlineData("gptq-4bit-g128", 4.15625)] // 4 + (16 + 4)/128
        [InlineData("awq-4bit-g64", 4.3125)]    // 4 + 20/64
        [InlineData("Q8_0", 8.5)]           // 34 B / 32
        [InlineData("Q4_0", 4.5)]           // 18 B / 32
        [InlineData("Q4_1", 5.0)]           // 20 B / 32
        [InlineData("Q5_0", 5.5)]           // 22 B / 32
        [InlineData("Q5_1", 6.0)]           // 24 B / 32
        [InlineData("Q2_K", 2.625)]         // 84 B / 256
        [InlineData("Q3_K", 3.4375)]        // 110 B / 256
        [InlineData("Q4_K", 4.5)]           // 144 B / 256
        [InlineData("Q5_K", 5.5)]           // 176 B / 256
        [InlineData("Q6_K", 6.5625)]        // 210 B / 256
        public void BitsPerValue(string name, double bits) => Assert.Equal(bits, DataTypes.Get(name).BitsPerValue, 12);

        [Fact]
        public void NamesAndAliasesAreCaseInsensitive()
        {
            Assert.Same(DataTypes.Get("bf16"), DataTypes.Get("BFloat16"));
            Assert.Same(DataTypes.Get("Q4_K"), DataTypes.Get("q4_k"));
            Assert.Same(DataTypes.Get("fp8"), DataTypes.Get("e4m3"));
        }

        [Fact]
        public void AnyGptqGroupSize()
        {
            Assert.True(DataTypes.TryGet("gptq-3bit-g64", out var t));
            Assert.Equal(3 + 19.0 / 64, t.BitsPerValue, 12);
            Assert.False(DataTypes.TryGet("gptq-4bit-g0", out _));
        }

        [Fact]
        public void EveryTypeHasASourceAndUniqueNames()
        {
            Assert.All(DataTypes.All, t => Assert.False(string.IsNullOrWhiteSpace(t.Source)));
            var names = DataTypes.All.SelectMany(t => new[] { t.Name }.Concat(t.Aliases)).Select(n => n.ToLowerInvariant()).ToList();
            Assert.Equal(names.Count, names.Distinct().Count());
        }

        [Fact]
        public void UnknownTypeListsValidOnes()
        {
            var e = Assert.Throws<ArgumentException>(() => DataTypes.Get("fp7"));
            Assert.Contains("bf16", e.Message);
        }
    }
}
