using System;
using System.Globalization;
using LlmSize.Core.Units;
using Xunit;

namespace LlmSize.Core.Tests.Units
{
    public class QuantityTests
    {
        [Theory]
        [InlineData("7B", 7e9)]
        [InlineData("1.5T", 1.5e12)]
        [InlineData("125M", 125e6)]
        [InlineData("70e9", 70e9)]
        [InlineData("350k", 350e3)]
        [InlineData("6738415616", 6738415616)]
        [InlineData(" 8 b ", 8e9)]
        public void Parameters(string text, double expected) => Assert.Equal(expected, Quantity.ParseParameters(text));

        [Theory]
        [InlineData("80GB", 80_000_000_000L)]
        [InlineData("24GiB", 24L << 30)]
        [InlineData("512MiB", 512L << 20)]
        [InlineData("1.5TB", 1_500_000_000_000L)]
        [InlineData("16 KiB", 16384L)]
        [InlineData("4096", 4096L)]
        [InlineData("0.5GiB", 1L << 29)]
        public void Bytes(string text, long expected) => Assert.Equal(expected, Quantity.ParseBytes(text).Bytes);

        [Theory]
        [InlineData("8k", 8192L)]
        [InlineData("128k", 131072L)]
        [InlineData("32K", 32768L)]
        [InlineData("1M", 1048576L)]
        [InlineData("4096", 4096L)]
        public void Tokens(string text, long expected) => Assert.Equal(expected, Quantity.ParseTokens(text));

        [Theory]
        [InlineData("80G")]     // ambiguous: GB or GiB? refuse rather than guess
        [InlineData("abc")]
        [InlineData("-5GB")]
        [InlineData("")]
        [InlineData("1,5GB")]   // ',' is never a decimal separator
        public void InvalidBytesNameWhatIsValid(string text)
        {
            var e = Assert.Throws<FormatException>(() => Quantity.ParseBytes(text));
            Assert.Contains("GiB", e.Message);
        }

        [Fact]
        public void TokensMustBeWhole()
        {
            Assert.Throws<FormatException>(() => Quantity.ParseTokens("1.5"));
            Assert.Throws<FormatException>(() => Quantity.ParseTokens("8GB"));
        }

        [Fact]
        public void GermanCultureStillReadsDotAsDecimalSeparator()
        {
            var previous = CultureInfo.CurrentCulture;
            try
            {
                CultureInfo.CurrentCulture = new CultureInfo("de-DE");
                Assert.Equal(1.5e9, Quantity.ParseParameters("1.5B"));
                Assert.Equal(1_500_000_000L, Quantity.ParseBytes("1.5GB").Bytes);
            }
            finally { CultureInfo.CurrentCulture = previous; }
        }
    }
}
