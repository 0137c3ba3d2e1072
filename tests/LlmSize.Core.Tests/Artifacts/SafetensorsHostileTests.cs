using System;
using System.IO;
using System.Linq;
using System.Text;
using LlmSize.Data.Artifacts;
using Xunit;
using T = LlmSize.Core.Tests.Artifacts.SafetensorsTestWriter.Tensor;

namespace LlmSize.Core.Tests.Artifacts
{
    /// <summary>Malformed and hostile safetensors headers: each must fail with its stable ArtifactFormatException id.</summary>
    public class SafetensorsHostileTests
    {
        private static ArtifactFormatException ReadFails(byte[] bytes) =>
            Assert.Throws<ArtifactFormatException>(() => SafetensorsReader.Read(new MemoryStream(bytes), "hostile.safetensors"));

        private static string Entry(string name, string dtype, string shape, string offsets) =>
            $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{shape}],\"data_offsets\":[{offsets}]}}";

        [Theory]
        [InlineData(0)]
        [InlineData(5)]
        public void TooShortForTheLengthField(int length)
        {
            var ex = ReadFails(new byte[length]);
            Assert.Equal(ArtifactErrorIds.TruncatedFile, ex.ErrorId);
            Assert.Equal(0, ex.Offset);
        }

        [Fact]
        public void HeaderLengthAboveTheCap()
        {
            var ex = ReadFails(SafetensorsTestWriter.BuildWithLength(100_000_001, Encoding.ASCII.GetBytes("{}")));
            Assert.Equal(ArtifactErrorIds.HeaderTooLarge, ex.ErrorId);
            Assert.Equal(ArtifactErrorIds.HeaderTooLarge, ReadFails(SafetensorsTestWriter.BuildWithLength(ulong.MaxValue, new byte[8])).ErrorId);
        }

        [Fact]
        public void HeaderLengthBeyondTheFile()
        {
            var ex = ReadFails(SafetensorsTestWriter.BuildWithLength(1000, Encoding.ASCII.GetBytes("{\"a\":1}")));
            Assert.Equal(ArtifactErrorIds.LengthBeyondFile, ex.ErrorId);
            Assert.Contains("1000", ex.Message);
        }

        [Fact]
        public void TruncatedData()
        {
            byte[] full = SafetensorsTestWriter.Build(new[] { new T("a", "F32", 10), new T("b", "BF16", 10) });
            var ex = ReadFails(full.Take(full.Length - 3).ToArray());
            Assert.Equal(ArtifactErrorIds.TruncatedFile, ex.ErrorId);
            Assert.Contains("\"b\"", ex.Message);
        }

        [Fact]
        public void EveryTruncationFailsCleanly()
        {
            byte[] full = SafetensorsTestWriter.Build(new[] { new T("a", "F32", 10), new T("b", "BF16", 3, 3) });
            for (int cut = 0; cut < full.Length; cut++)
                ReadFails(full.Take(cut).ToArray());
        }

        [Theory]
        [InlineData("4294967296,4294967296")]     // product overflows
        [InlineData("99999999999999999999")]      // a dimension above 2^63
        [InlineData("2305843009213693952")]       // 2^61 F32 elements: 2^63 bytes overflow
        public void ElementCountOverflow(string shape)
        {
            var ex = ReadFails(SafetensorsTestWriter.BuildRaw("{" + Entry("w", "F32", shape, "0,4") + "}", 4));
            Assert.Equal(ArtifactErrorIds.ElementCountOverflow, ex.ErrorId);
            Assert.Equal(8 + 5, ex.Offset); // the tensor's entry in the JSON
        }

        [Theory]
        [InlineData("-4,0")]          // negative
        [InlineData("0,3")]           // 3 bytes for one F32
        [InlineData("4,0")]           // end before begin
        [InlineData("0")]             // not a pair
        [InlineData("0.0,4")]         // not integers
        [InlineData("0,99999999999999999999")]
        public void InvalidOffsets(string offsets)
        {
            var ex = ReadFails(SafetensorsTestWriter.BuildRaw("{" + Entry("w", "F32", "1", offsets) + "}", 4));
            Assert.Equal(ArtifactErrorIds.InvalidTensorOffsets, ex.ErrorId);
        }

        [Theory]
        [InlineData("0,4", "0,4", 8)]   // overlap
        [InlineData("0,4", "8,12", 12)] // hole
        [InlineData("4,8", "8,12", 12)] // buffer does not start at 0
        [InlineData("0,4", "4,8", 12)]  // 4 bytes after the last tensor
        public void OffsetsMustTileTheBuffer(string a, string b, int dataBytes)
        {
            var ex = ReadFails(SafetensorsTestWriter.BuildRaw("{" + Entry("a", "F32", "1", a) + "," + Entry("b", "F32", "1", b) + "}", dataBytes));
            Assert.Equal(ArtifactErrorIds.InvalidTensorOffsets, ex.ErrorId);
        }

        [Fact]
        public void OffsetsBeyondTheFile()
        {
            var ex = ReadFails(SafetensorsTestWriter.BuildRaw("{" + Entry("w", "F32", "100", "0,400") + "}", 100));
            Assert.Equal(ArtifactErrorIds.TruncatedFile, ex.ErrorId);
        }

        [Theory]
        [InlineData("{\"w\": ")]                                           // truncated JSON
        [InlineData("[1, 2]")]                                             // not an object
        [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0,4]},}")] // trailing comma
        [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}")] // duplicate key
        [InlineData("{\"w\": {\"dtype\": \"F31\", \"shape\": [1], \"data_offsets\": [0,4]}}")] // unknown dtype
        [InlineData("{\"w\": {\"dtype\": \"f32\", \"shape\": [1], \"data_offsets\": [0,4]}}")] // dtype names are case-sensitive
        [InlineData("{\"w\": {\"shape\": [1], \"data_offsets\": [0,4]}}")] // no dtype
        [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0,4]}}")] // negative dimension
        [InlineData("{\"w\": {\"dtype\": \"F32\", \"shape\": 1, \"data_offsets\": [0,4]}}")] // shape not an array
        [InlineData("{\"w\": 5}")]
        [InlineData("{\"__metadata__\": {\"n\": 5}}")]                     // metadata values are strings
        [InlineData("{\"__metadata__\": [1]}")]
        [InlineData("{\"w\\x\": 1}")]                                     // invalid escape
        [InlineData("{} x")]                                              // content after the object
        public void InvalidHeaderJson(string json)
        {
            var ex = ReadFails(SafetensorsTestWriter.BuildRaw(json, 8));
            Assert.Equal(ArtifactErrorIds.InvalidSafetensorsHeader, ex.ErrorId);
        }

        [Fact]
        public void InvalidUtf8InHeader()
        {
            byte[] bytes = SafetensorsTestWriter.BuildRaw("{\"w\u00e9\": 1}", 0);
            int i = Array.IndexOf(bytes, (byte)0xC3);
            bytes[i + 1] = 0x28; // break the two-byte sequence
            Assert.Equal(ArtifactErrorIds.InvalidSafetensorsHeader, ReadFails(bytes).ErrorId);
        }

        [Fact]
        public void DeepNesting()
        {
            string json = "{\"__x\": " + new string('[', 500) + new string(']', 500) + "}";
            Assert.Equal(ArtifactErrorIds.InvalidSafetensorsHeader, ReadFails(SafetensorsTestWriter.BuildRaw(json, 0)).ErrorId);
        }

        [Fact]
        public void SubByteTensorNotWholeBytes()
        {
            var ex = ReadFails(SafetensorsTestWriter.BuildRaw("{" + Entry("w", "F4", "3", "0,2") + "}", 2));
            Assert.Equal(ArtifactErrorIds.InvalidTensorShape, ex.ErrorId);
        }

        [Fact]
        public void RandomCorruptionOnlyEverThrowsArtifactFormatException()
        {
            byte[] original = SafetensorsTestWriter.Build(new[] { new T("a.weight", "BF16", 16, 4), new T("b.bias", "F32", 4), new T("c", "F4", 2, 8) },
                new System.Collections.Generic.Dictionary<string, string> { ["format"] = "pt" });
            int headerEnd = 8 + (int)BitConverter.ToUInt64(original, 0);
            var random = new Random(4242);
            for (int round = 0; round < 400; round++)
            {
                byte[] bytes = (byte[])original.Clone();
                int flips = 1 + random.Next(3);
                for (int f = 0; f < flips; f++) bytes[random.Next(headerEnd)] = (byte)random.Next(256);
                try { SafetensorsReader.Read(new MemoryStream(bytes), "fuzz.safetensors"); }
                catch (ArtifactFormatException) { }
            }
        }

        [Fact]
        public void MessageNamesFileOffsetAndReason()
        {
            using var dir = new TempDir();
            string path = dir.Write("bad.safetensors", SafetensorsTestWriter.BuildRaw("{" + Entry("w", "F32", "1", "-4,0") + "}", 4));
            var ex = Assert.Throws<ArtifactFormatException>(() => SafetensorsReader.Read(path));
            Assert.Equal(path, ex.File);
            Assert.Equal(8 + 5, ex.Offset);
            Assert.StartsWith(path + ": at byte offset 13: tensor \"w\": ", ex.Message);
        }
    }
}
