using System;
using System.IO;
using System.Linq;
using LlmSize.Data.Artifacts;
using Xunit;

namespace LlmSize.Core.Tests.Artifacts
{
    /// <summary>Malformed and hostile GGUF headers: each must fail with its stable ArtifactFormatException id.</summary>
    public class GgufHostileTests
    {
        private static ArtifactFormatException ReadFails(byte[] bytes, string name = "hostile.gguf") =>
            Assert.Throws<ArtifactFormatException>(() => GgufReader.Read(new MemoryStream(bytes), name));

        private static byte[] Header(uint version, ulong tensors, ulong kvs, Action<BinaryWriter> rest) =>
            GgufTestWriter.Bytes(w => { GgufTestWriter.WriteHeader(w, version, tensors, kvs); rest(w); });

        [Fact]
        public void WrongMagic()
        {
            var ex = ReadFails(System.Text.Encoding.ASCII.GetBytes("GGML this is not gguf"));
            Assert.Equal(ArtifactErrorIds.NotAGgufFile, ex.ErrorId);
            Assert.Equal(0, ex.Offset);
        }

        [Fact]
        public void SafetensorsFileIsNotGguf() =>
            Assert.Equal(ArtifactErrorIds.NotAGgufFile,
                ReadFails(SafetensorsTestWriter.Build(new[] { new SafetensorsTestWriter.Tensor("w", "F32", 2) })).ErrorId);

        [Theory]
        [InlineData(1u)]            // v1: 32-bit counts
        [InlineData(4u)]            // newer than we know
        [InlineData(0x03000000u)]   // version 3 written big-endian
        public void UnsupportedVersions(uint version)
        {
            var ex = ReadFails(Header(version, 0, 0, _ => { }));
            Assert.Equal(ArtifactErrorIds.UnsupportedGgufVersion, ex.ErrorId);
            Assert.Equal(4, ex.Offset);
        }

        [Fact]
        public void TruncatedInsideMetadata()
        {
            // Cut in the middle of the float32 value of llama.rope.freq_base: a fixed-size field runs past the end.
            // (A cut inside a length-prefixed field reports LengthBeyondFile: the length no longer fits.)
            byte[] full = GgufReaderTests.TinyLlama().Build();
            byte[] key = System.Text.Encoding.ASCII.GetBytes("llama.rope.freq_base");
            int keyAt = Enumerable.Range(0, full.Length - key.Length).First(i => full.Skip(i).Take(key.Length).SequenceEqual(key));
            int cut = keyAt + key.Length + 4 + 2;
            var ex = ReadFails(full.Take(cut).ToArray());
            Assert.Equal(ArtifactErrorIds.TruncatedFile, ex.ErrorId);
            Assert.Equal(cut - 2, ex.Offset);
            Assert.Contains("llama.rope.freq_base", ex.Message);
        }

        [Fact]
        public void TruncatedInsideTensorInfos()
        {
            // Cut inside n_dims of the last tensor info.
            byte[] full = GgufReaderTests.TinyLlama().Build();
            byte[] name = System.Text.Encoding.ASCII.GetBytes("output_norm.weight");
            int nameAt = Enumerable.Range(0, full.Length - name.Length).Last(i => full.Skip(i).Take(name.Length).SequenceEqual(name));
            var ex = ReadFails(full.Take(nameAt + name.Length + 2).ToArray());
            Assert.Equal(ArtifactErrorIds.TruncatedFile, ex.ErrorId);
            Assert.Equal(nameAt + name.Length, ex.Offset);
        }

        [Fact]
        public void EveryTruncationFailsCleanly()
        {
            // Cutting a valid file anywhere inside its header must give TruncatedFile, never another exception.
            byte[] full = GgufReaderTests.TinyLlama().Build();
            int headerEnd = full.Length - (int)GgufReader.Read(new MemoryStream(full), "x").TotalBytes;
            for (int cut = 0; cut < headerEnd; cut += 7)
            {
                var ex = ReadFails(full.Take(cut).ToArray());
                Assert.True(ex.ErrorId == ArtifactErrorIds.TruncatedFile || ex.ErrorId == ArtifactErrorIds.LengthBeyondFile,
                    $"cut at {cut}: {ex.ErrorId} {ex.Message}");
            }
        }

        [Fact]
        public void RandomCorruptionOnlyEverThrowsArtifactFormatException()
        {
            byte[] original = GgufReaderTests.TinyLlama().Build();
            int headerEnd = original.Length - (int)GgufReader.Read(new MemoryStream(original), "x").TotalBytes;
            var random = new Random(12345);
            for (int round = 0; round < 400; round++)
            {
                byte[] bytes = (byte[])original.Clone();
                int flips = 1 + random.Next(4);
                for (int f = 0; f < flips; f++) bytes[random.Next(headerEnd)] = (byte)random.Next(256);
                try { GgufReader.Read(new MemoryStream(bytes), "fuzz.gguf"); }
                catch (ArtifactFormatException) { }
            }
        }

        [Fact]
        public void UnknownValueType()
        {
            var ex = ReadFails(Header(3, 0, 1, w => { GgufTestWriter.WriteString(w, "general.x"); w.Write(13u); w.Write(0u); }));
            Assert.Equal(ArtifactErrorIds.UnknownGgufValueType, ex.ErrorId);
            Assert.Equal(24 + 8 + 9, ex.Offset); // header, key length, key bytes
            Assert.Contains("13", ex.Message);
        }

        [Fact]
        public void UnknownArrayElementType()
        {
            var ex = ReadFails(Header(3, 0, 1, w => { GgufTestWriter.WriteString(w, "k"); w.Write(GgufTestWriter.Arr); w.Write(99u); w.Write(0UL); }));
            Assert.Equal(ArtifactErrorIds.UnknownGgufValueType, ex.ErrorId);
        }

        [Theory]
        [InlineData(4u)]    // Q4_2: removed from ggml
        [InlineData(31u)]   // Q4_0_4_4: removed from GGUF files
        [InlineData(200u)]
        public void UnknownGgmlType(uint typeId)
        {
            var w = new GgufTestWriter();
            w.AddTensor("t", typeId, new long[] { 256 }, 256);
            var ex = ReadFails(w.Build());
            Assert.Equal(ArtifactErrorIds.UnknownGgmlType, ex.ErrorId);
            Assert.Contains("\"t\"", ex.Message);
        }

        [Fact]
        public void KeyLengthBeyondFile()
        {
            var ex = ReadFails(Header(3, 0, 1, w => { w.Write(1UL << 40); w.Write(new byte[64]); }));
            Assert.Equal(ArtifactErrorIds.LengthBeyondFile, ex.ErrorId);
            Assert.Equal(24, ex.Offset);
        }

        [Fact]
        public void StringValueLengthBeyondFile()
        {
            var ex = ReadFails(Header(3, 0, 1, w => { GgufTestWriter.WriteString(w, "k"); w.Write(GgufTestWriter.Str); w.Write(ulong.MaxValue); w.Write(new byte[16]); }));
            Assert.Equal(ArtifactErrorIds.LengthBeyondFile, ex.ErrorId);
        }

        [Theory]
        [InlineData(GgufTestWriter.Str)]
        [InlineData(GgufTestWriter.U64)]
        [InlineData(GgufTestWriter.Arr)]
        public void ArrayLengthBeyondFileFailsBeforeAllocating(uint elementType)
        {
            // 2^62 elements would need exabytes; the reader must refuse from the length alone.
            var ex = ReadFails(Header(3, 0, 1, w => { GgufTestWriter.WriteString(w, "tokenizer.ggml.tokens"); w.Write(GgufTestWriter.Arr); w.Write(elementType); w.Write(1UL << 62); w.Write(new byte[100]); }));
            Assert.Equal(ArtifactErrorIds.LengthBeyondFile, ex.ErrorId);
        }

        [Fact]
        public void StringInsideLargeArrayBeyondFile()
        {
            var ex = ReadFails(Header(3, 0, 1, w =>
            {
                GgufTestWriter.WriteString(w, "tokens"); w.Write(GgufTestWriter.Arr); w.Write(GgufTestWriter.Str); w.Write(2000UL);
                for (int i = 0; i < 1999; i++) GgufTestWriter.WriteString(w, "t");
                w.Write(1UL << 50); // the last string's length
                w.Write(new byte[8]);
            }));
            Assert.Equal(ArtifactErrorIds.LengthBeyondFile, ex.ErrorId);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void CountsBeyondFile(bool tensorCount)
        {
            var ex = ReadFails(Header(3, tensorCount ? 1UL << 60 : 0, tensorCount ? 0 : 1UL << 60, w => w.Write(new byte[64])));
            Assert.Equal(ArtifactErrorIds.LengthBeyondFile, ex.ErrorId);
            Assert.Equal(tensorCount ? 8 : 16, ex.Offset);
        }

        [Fact]
        public void ElementCountOverflow()
        {
            var w = new GgufTestWriter();
            w.AddTensorRaw("huge", GgufTestWriter.GgmlF32, new ulong[] { 1UL << 32, 1UL << 32 }, 0);
            Assert.Equal(ArtifactErrorIds.ElementCountOverflow, ReadFails(w.Build()).ErrorId);
        }

        [Fact]
        public void DimensionAboveInt64()
        {
            var w = new GgufTestWriter();
            w.AddTensorRaw("huge", GgufTestWriter.GgmlF32, new ulong[] { ulong.MaxValue }, 0);
            Assert.Equal(ArtifactErrorIds.ElementCountOverflow, ReadFails(w.Build()).ErrorId);
        }

        [Fact]
        public void ByteCountOverflow()
        {
            // 2^61 F32 elements fit a long; their 2^63 bytes do not.
            var w = new GgufTestWriter();
            w.AddTensorRaw("huge", GgufTestWriter.GgmlF32, new ulong[] { 1UL << 61 }, 0);
            Assert.Equal(ArtifactErrorIds.ElementCountOverflow, ReadFails(w.Build()).ErrorId);
        }

        [Fact]
        public void MisalignedOffset()
        {
            var w = new GgufTestWriter();
            w.AddTensor("a", GgufTestWriter.GgmlF32, new long[] { 8 }, 32, offset: 0);
            w.AddTensor("b", GgufTestWriter.GgmlF32, new long[] { 8 }, 32, offset: 33);
            var ex = ReadFails(w.Build());
            Assert.Equal(ArtifactErrorIds.InvalidTensorOffsets, ex.ErrorId);
            Assert.Contains("\"b\"", ex.Message);
        }

        [Fact]
        public void OverlappingTensors()
        {
            var w = new GgufTestWriter();
            w.AddTensor("a", GgufTestWriter.GgmlF32, new long[] { 64 }, 256, offset: 0);
            w.AddTensor("b", GgufTestWriter.GgmlF32, new long[] { 64 }, 256, offset: 128);
            Assert.Equal(ArtifactErrorIds.InvalidTensorOffsets, ReadFails(w.Build()).ErrorId);
        }

        [Fact]
        public void OffsetAboveInt64()
        {
            var w = new GgufTestWriter();
            w.AddTensor("a", GgufTestWriter.GgmlF32, new long[] { 8 }, 32, offset: ulong.MaxValue - 31);
            Assert.Equal(ArtifactErrorIds.InvalidTensorOffsets, ReadFails(w.Build()).ErrorId);
        }

        [Fact]
        public void OffsetFarBeyondFileIsTruncation()
        {
            var w = new GgufTestWriter();
            w.AddTensor("a", GgufTestWriter.GgmlF32, new long[] { 8 }, 32, offset: 1UL << 40);
            Assert.Equal(ArtifactErrorIds.TruncatedFile, ReadFails(w.Build()).ErrorId);
        }

        [Fact]
        public void RowNotWholeBlocks()
        {
            var w = new GgufTestWriter();
            w.AddTensor("q", GgufTestWriter.GgmlQ4_K, new long[] { 100, 256 }, 144 * 100);
            Assert.Equal(ArtifactErrorIds.InvalidTensorShape, ReadFails(w.Build()).ErrorId);
        }

        [Fact]
        public void TooManyDimensions()
        {
            var w = new GgufTestWriter();
            w.AddTensor("t", GgufTestWriter.GgmlF32, new long[] { 1, 1, 1, 1, 1 }, 4);
            Assert.Equal(ArtifactErrorIds.InvalidTensorShape, ReadFails(w.Build()).ErrorId);
        }

        [Fact]
        public void DuplicateKeyAndTensorName()
        {
            Assert.Equal(ArtifactErrorIds.InvalidGgufHeader,
                ReadFails(new GgufTestWriter().AddUInt32("a", 1).AddUInt32("a", 2).Build()).ErrorId);
            var w = new GgufTestWriter();
            w.AddTensor("t", GgufTestWriter.GgmlF32, new long[] { 8 }, 32);
            w.AddTensor("t", GgufTestWriter.GgmlF32, new long[] { 8 }, 32);
            Assert.Equal(ArtifactErrorIds.InvalidGgufHeader, ReadFails(w.Build()).ErrorId);
        }

        [Fact]
        public void InvalidBoolAndUtf8AndAlignment()
        {
            Assert.Equal(ArtifactErrorIds.InvalidGgufHeader,
                ReadFails(new GgufTestWriter().Add("b", GgufTestWriter.Bool, w => w.Write((byte)2)).Build()).ErrorId);
            Assert.Equal(ArtifactErrorIds.InvalidGgufHeader,
                ReadFails(new GgufTestWriter().Add("s", GgufTestWriter.Str, w => { w.Write(2UL); w.Write((byte)0xC3); w.Write((byte)0x28); }).Build()).ErrorId);
            Assert.Equal(ArtifactErrorIds.InvalidGgufHeader,
                ReadFails(new GgufTestWriter().AddUInt32("general.alignment", 48).Build()).ErrorId);
            Assert.Equal(ArtifactErrorIds.InvalidGgufHeader,
                ReadFails(new GgufTestWriter().AddString("general.alignment", "32").Build()).ErrorId);
        }

        [Fact]
        public void DeeplyNestedArrays()
        {
            var ex = ReadFails(Header(3, 0, 1, w =>
            {
                GgufTestWriter.WriteString(w, "deep");
                w.Write(GgufTestWriter.Arr);
                for (int i = 0; i < 40; i++) { w.Write(GgufTestWriter.Arr); w.Write(1UL); }
                w.Write(GgufTestWriter.U8); w.Write(1UL); w.Write((byte)1);
            }));
            Assert.Equal(ArtifactErrorIds.InvalidGgufHeader, ex.ErrorId);
        }

        [Fact]
        public void MessageNamesFileOffsetAndReason()
        {
            using var dir = new TempDir();
            string path = dir.Write("bad.gguf", Header(3, 0, 1, w => { GgufTestWriter.WriteString(w, "k"); w.Write(77u); }));
            var ex = Assert.Throws<ArtifactFormatException>(() => GgufReader.Read(path));
            Assert.Equal(path, ex.File);
            Assert.Equal(24 + 8 + 1, ex.Offset);
            Assert.StartsWith(path + ": at byte offset 33: ", ex.Message);
            Assert.Contains("unknown GGUF value type 77", ex.Message);
        }
    }
}
