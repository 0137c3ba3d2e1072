using System;
using System.Collections.Generic;
using System.Linq;
using LlmSize.Core.Artifacts;
using LlmSize.Data.Artifacts;
using Xunit;

namespace LlmSize.Core.Tests.Artifacts
{
    public class ArtifactTablesTests
    {
        [Theory]
        // Bits per weight as ggml-common.h's comments and block structs give them.
        [InlineData("Q4_0", 2, 4.5)]
        [InlineData("Q8_0", 8, 8.5)]
        [InlineData("Q2_K", 10, 2.625)]
        [InlineData("Q3_K", 11, 3.4375)]
        [InlineData("Q4_K", 12, 4.5)]
        [InlineData("Q5_K", 13, 5.5)]
        [InlineData("Q6_K", 14, 6.5625)]
        [InlineData("IQ2_XXS", 16, 2.0625)]
        [InlineData("IQ2_XS", 17, 2.3125)]
        [InlineData("IQ3_XXS", 18, 3.0625)]
        [InlineData("IQ1_S", 19, 1.5625)]
        [InlineData("IQ3_S", 21, 3.4375)]
        [InlineData("IQ2_S", 22, 2.5625)]
        [InlineData("IQ4_XS", 23, 4.25)]
        [InlineData("IQ1_M", 29, 1.75)]
        [InlineData("BF16", 30, 16.0)]
        [InlineData("TQ1_0", 34, 1.6875)]
        [InlineData("TQ2_0", 35, 2.0625)]
        [InlineData("MXFP4", 39, 4.25)]
        public void GgmlTypeBitsAndIds(string name, int id, double bits)
        {
            Assert.True(GgmlTypes.TryGetByName(name, out var byName));
            Assert.True(GgmlTypes.TryGetById(id, out var byId));
            Assert.Same(byName, byId);
            Assert.Equal(bits, byId.BitsPerWeight, 10);
        }

        [Fact]
        public void GgmlTableIsCompleteAndUnique()
        {
            var expected = new[] { "F32", "F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q8_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K",
                "Q6_K", "Q8_K", "IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S", "IQ4_NL", "IQ3_S", "IQ2_S", "IQ4_XS", "I8", "I16", "I32", "I64",
                "F64", "IQ1_M", "TQ1_0", "TQ2_0", "MXFP4" };
            Assert.Equal(expected.OrderBy(n => n), GgmlTypes.All.Select(t => t.Name).OrderBy(n => n));
            Assert.Equal(GgmlTypes.All.Count, GgmlTypes.All.Select(t => t.Id).Distinct().Count());
            Assert.False(GgmlTypes.TryGetById(4, out _));
            Assert.True(GgmlTypes.TryGetByName("q4_k", out var q4k)); // case-insensitive
            Assert.Equal(12, q4k.Id);
        }

        [Fact]
        public void GgmlBytes()
        {
            GgmlTypes.TryGetByName("Q4_K", out var q4k);
            Assert.Equal(4096L * 4096 / 256 * 144, GgmlTypes.GetBytes(q4k, 4096L * 4096));
            Assert.Throws<ArgumentException>(() => GgmlTypes.GetBytes(q4k, 100));
            Assert.Throws<ArgumentOutOfRangeException>(() => GgmlTypes.GetBytes(q4k, -256));
            GgmlTypes.TryGetByName("F64", out var f64);
            Assert.Throws<OverflowException>(() => GgmlTypes.GetBytes(f64, long.MaxValue / 4));
        }

        [Fact]
        public void SafetensorsDtypeBytes()
        {
            Assert.True(SafetensorsDtypes.TryGet("F4", out var f4));
            Assert.Equal(4, f4.Bits);
            Assert.Equal(5, SafetensorsDtypes.GetBytes(f4, 10));
            Assert.Throws<ArgumentException>(() => SafetensorsDtypes.GetBytes(f4, 3));
            Assert.True(SafetensorsDtypes.TryGet("F6_E2M3", out var f6));
            Assert.Equal(3, SafetensorsDtypes.GetBytes(f6, 4));
            Assert.Equal(long.MaxValue / 8 * 4 + 3, SafetensorsDtypes.GetBytes(f4, long.MaxValue - 1)); // large but representable
            Assert.True(SafetensorsDtypes.TryGet("BF16", out var bf16));
            Assert.Equal(14, SafetensorsDtypes.GetBytes(bf16, 7));
            Assert.False(SafetensorsDtypes.TryGet("bf16", out _));
            foreach (var name in new[] { "F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F4" })
                Assert.True(SafetensorsDtypes.TryGet(name, out _), name);
        }

        [Fact]
        public void ArchitectureFieldsPerLayerArraysAndErrors()
        {
            var meta = new Dictionary<string, object>
            {
                ["general.architecture"] = "gemma3",
                ["gemma3.block_count"] = 4UL,
                ["gemma3.attention.head_count"] = 8,
                ["gemma3.attention.head_count_kv"] = new GgufArray(GgufValueType.Int32, 4, new object[] { 4, 4, 1, 1 }),
                ["gemma3.attention.key_length"] = (ushort)256,
                ["gemma3.attention.value_length"] = (byte)255,
                ["gemma3.attention.sliding_window"] = 1024u,
                ["gemma3.expert_count"] = 8L,
                ["gemma3.expert_used_count"] = (short)2,
                ["tokenizer.ggml.tokens"] = new GgufArray(GgufValueType.String, 262_144, null),
            };
            var f = GgufArchitectureFields.FromMetadata(meta, "x.gguf");
            Assert.Equal(4, f.BlockCount);
            Assert.Equal(8, f.HeadCount);
            Assert.Null(f.HeadCountKv);
            Assert.Equal(new[] { 4, 4, 1, 1 }, f.HeadCountKvPerLayer);
            Assert.Equal(256, f.KeyLength);
            Assert.Equal(255, f.ValueLength);
            Assert.Equal(1024, f.SlidingWindow);
            Assert.Equal(8, f.ExpertCount);
            Assert.Equal(2, f.ExpertUsedCount);
            Assert.Equal(262_144, f.VocabSize);
            Assert.Null(f.EmbeddingLength);

            meta["gemma3.block_count"] = "four";
            var ex = Assert.Throws<ArtifactFormatException>(() => GgufArchitectureFields.FromMetadata(meta, "x.gguf"));
            Assert.Equal(ArtifactErrorIds.InvalidMetadataValue, ex.ErrorId);
            meta["gemma3.block_count"] = ulong.MaxValue;
            Assert.Equal(ArtifactErrorIds.InvalidMetadataValue, Assert.Throws<ArtifactFormatException>(() => GgufArchitectureFields.FromMetadata(meta)).ErrorId);
            meta["gemma3.block_count"] = 3_000_000_000u;
            Assert.Equal(ArtifactErrorIds.InvalidMetadataValue, Assert.Throws<ArtifactFormatException>(() => GgufArchitectureFields.FromMetadata(meta)).ErrorId);

            var none = GgufArchitectureFields.FromMetadata(new Dictionary<string, object>());
            Assert.Null(none.Architecture);
            Assert.Null(none.BlockCount);
        }
    }
}
