using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using LlmSize.Core.Artifacts;
using LlmSize.Data.Artifacts;
using Xunit;

namespace LlmSize.Core.Tests.Artifacts
{
    public class GgufReaderTests
    {
        // Block sizes written out by hand from ggml-common.h, independent of GgmlTypes:
        // F32 4 B/element, F16 2 B/element, Q4_K 144 B per 256 elements, Q6_K 210 B per 256 elements.
        private static long F32(long e) => e * 4;
        private static long F16(long e) => e * 2;
        private static long Q4K(long e) => e / 256 * 144;
        private static long Q6K(long e) => e / 256 * 210;

        private const int Vocab = 300, Embd = 64, Ff = 512, Layers = 2;

        /// <summary>A tiny llama-shaped GGUF: F32 norms, Q4_K and Q6_K matrices, F16 embeddings, llama.* metadata.</summary>
        internal static GgufTestWriter TinyLlama(uint version = 3)
        {
            var w = new GgufTestWriter { Version = version };
            w.AddString("general.architecture", "llama")
             .AddString("general.name", "Tiny Llama")
             .AddUInt32("general.file_type", 15) // MOSTLY_Q4_K_M
             .AddUInt32("general.quantization_version", 2)
             .AddUInt32("llama.block_count", Layers)
             .AddUInt32("llama.embedding_length", Embd)
             .AddUInt32("llama.attention.head_count", 4)
             .AddUInt32("llama.attention.head_count_kv", 2)
             .AddUInt32("llama.feed_forward_length", Ff)
             .Add("llama.context_length", GgufTestWriter.U64, b => b.Write(4096UL))
             .AddFloat32("llama.rope.freq_base", 500000f)
             .AddFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
             .AddString("tokenizer.ggml.model", "gpt2")
             .AddStringArray("tokenizer.ggml.tokens", Enumerable.Range(0, Vocab).Select(i => "tok" + i).ToList())
             .AddFloat32Array("tokenizer.ggml.scores", Vocab)
             .AddBool("tokenizer.ggml.add_bos_token", true)
             .AddStringArray("general.tags", new[] { "text-generation", "ünïcödé" })
             .Add("test.u8", GgufTestWriter.U8, b => b.Write((byte)200))
             .Add("test.i8", GgufTestWriter.I8, b => b.Write((sbyte)-5))
             .Add("test.u16", GgufTestWriter.U16, b => b.Write((ushort)65000))
             .Add("test.i16", GgufTestWriter.I16, b => b.Write((short)-300))
             .Add("test.i32", GgufTestWriter.I32, b => b.Write(-70000))
             .Add("test.i64", GgufTestWriter.I64, b => b.Write(-5_000_000_000L))
             .Add("test.f64", GgufTestWriter.F64v, b => b.Write(0.125))
             .Add("test.nested", GgufTestWriter.Arr, b =>
             {
                 b.Write(GgufTestWriter.Arr); b.Write(2UL);              // array of 2 arrays
                 b.Write(GgufTestWriter.I32); b.Write(2UL); b.Write(1); b.Write(2);
                 b.Write(GgufTestWriter.Str); b.Write(1UL); GgufTestWriter.WriteString(b, "x");
             });

            w.AddTensor("token_embd.weight", GgufTestWriter.GgmlF16, new long[] { Embd, Vocab }, F16(Embd * Vocab));
            for (int l = 0; l < Layers; l++)
            {
                w.AddTensor($"blk.{l}.attn_norm.weight", GgufTestWriter.GgmlF32, new long[] { Embd }, F32(Embd));
                w.AddTensor($"blk.{l}.attn_q.weight", GgufTestWriter.GgmlQ4_K, new long[] { 256, Embd }, Q4K(256 * Embd));
                w.AddTensor($"blk.{l}.ffn_down.weight", GgufTestWriter.GgmlQ6_K, new long[] { Ff, Embd }, Q6K(Ff * Embd));
            }
            w.AddTensor("output_norm.weight", GgufTestWriter.GgmlF32, new long[] { Embd }, F32(Embd));
            return w;
        }

        [Theory]
        [InlineData(2u)]
        [InlineData(3u)]
        public void ReadsMultiTypeFileExactly(uint version)
        {
            using var dir = new TempDir();
            string path = dir.Write("tiny.gguf", TinyLlama(version).Build());

            var info = GgufReader.Read(path);

            Assert.Equal(WeightFileFormat.Gguf, info.Format);
            Assert.Equal((int)version, info.GgufVersion);
            Assert.Equal(path, info.Path);
            Assert.Equal(1 + 3 * Layers + 1, info.Tensors.Count);
            Assert.Equal("token_embd.weight", info.Tensors[0].Name);
            Assert.Equal(new long[] { Embd, Vocab }, info.Tensors[0].Shape);

            Assert.Equal(F16(Embd * Vocab), info.BytesByDataType["F16"]);
            Assert.Equal(F32(Embd) * (Layers + 1), info.BytesByDataType["F32"]);
            Assert.Equal(Q4K(256 * Embd) * Layers, info.BytesByDataType["Q4_K"]);
            Assert.Equal(Q6K(Ff * Embd) * Layers, info.BytesByDataType["Q6_K"]);
            Assert.Equal(Embd * Vocab, info.ElementsByDataType["F16"]);
            Assert.Equal(256L * Embd * Layers, info.ElementsByDataType["Q4_K"]);
            Assert.Equal((long)Ff * Embd * Layers, info.ElementsByDataType["Q6_K"]);

            long elements = Embd * Vocab + Layers * (Embd + 256 * Embd + Ff * Embd) + Embd;
            long bytes = F16(Embd * Vocab) + Layers * (F32(Embd) + Q4K(256 * Embd) + Q6K(Ff * Embd)) + F32(Embd);
            Assert.Equal(elements, info.TotalElements);
            Assert.Equal(bytes, info.TotalBytes);
            Assert.Equal(bytes * 8.0 / elements, info.BitsPerWeight, 12);

            var m = info.Metadata;
            Assert.Equal("llama", m["general.architecture"]);
            Assert.Equal(15u, m["general.file_type"]);
            Assert.Equal(4096UL, m["llama.context_length"]);
            Assert.Equal(500000f, m["llama.rope.freq_base"]);
            Assert.Equal(1e-5f, m["llama.attention.layer_norm_rms_epsilon"]);
            Assert.Equal(true, m["tokenizer.ggml.add_bos_token"]);
            Assert.Equal((byte)200, m["test.u8"]);
            Assert.Equal((sbyte)-5, m["test.i8"]);
            Assert.Equal((ushort)65000, m["test.u16"]);
            Assert.Equal((short)-300, m["test.i16"]);
            Assert.Equal(-70000, m["test.i32"]);
            Assert.Equal(-5_000_000_000L, m["test.i64"]);
            Assert.Equal(0.125, m["test.f64"]);

            var tokens = Assert.IsType<GgufArray>(m["tokenizer.ggml.tokens"]);
            Assert.Equal(GgufValueType.String, tokens.ElementType);
            Assert.Equal(Vocab, tokens.Length);
            Assert.False(tokens.IsSummary); // 300 ≤ 1024: kept
            Assert.Equal("tok299", tokens.Values![299]);
            var tags = Assert.IsType<GgufArray>(m["general.tags"]);
            Assert.Equal(new object[] { "text-generation", "ünïcödé" }, tags.Values);
            var nested = Assert.IsType<GgufArray>(m["test.nested"]);
            Assert.Equal(GgufValueType.Array, nested.ElementType);
            Assert.Equal(new object[] { 1, 2 }, ((GgufArray)nested.Values![0]).Values);
            Assert.Equal(new object[] { "x" }, ((GgufArray)nested.Values![1]).Values);

            var arch = GgufArchitectureFields.From(info);
            Assert.Equal("llama", arch.Architecture);
            Assert.Equal("Tiny Llama", arch.Name);
            Assert.Equal(15, arch.FileType);
            Assert.Equal(Layers, arch.BlockCount);
            Assert.Equal(Embd, arch.EmbeddingLength);
            Assert.Equal(4, arch.HeadCount);
            Assert.Equal(2, arch.HeadCountKv);
            Assert.Equal(Ff, arch.FeedForwardLength);
            Assert.Equal(4096, arch.ContextLength);
            Assert.Equal(Vocab, arch.VocabSize); // from the tokens array: no llama.vocab_size key
            Assert.Null(arch.KeyLength);
            Assert.Null(arch.ExpertCount);
            Assert.Null(arch.SlidingWindow);
        }

        [Fact]
        public void LargeArraysAreSummarizedAndSkippedExactly()
        {
            const int n = 150_000; // a Qwen-sized vocabulary
            var w = new GgufTestWriter()
                .AddString("general.architecture", "qwen2")
                .AddStringArray("tokenizer.ggml.tokens", Enumerable.Range(0, n).Select(i => "token_" + i).ToList())
                .AddFloat32Array("tokenizer.ggml.scores", n)
                .Add("big.nested", GgufTestWriter.Arr, b =>
                {
                    b.Write(GgufTestWriter.Arr); b.Write(2000UL); // 2000 arrays of 1 string each
                    for (int i = 0; i < 2000; i++) { b.Write(GgufTestWriter.Str); b.Write(1UL); GgufTestWriter.WriteString(b, "s"); }
                })
                .AddUInt32("qwen2.block_count", 24) // after the big arrays: proves they were skipped byte-exactly
                .AddUInt32("qwen2.vocab_size", 151_936);
            w.AddTensor("output_norm.weight", GgufTestWriter.GgmlF32, new long[] { 896 }, F32(896));
            using var dir = new TempDir();
            string path = dir.Write("big-vocab.gguf", w.Build());

            var sw = Stopwatch.StartNew();
            var info = GgufReader.Read(path);
            sw.Stop();

            var tokens = Assert.IsType<GgufArray>(info.Metadata["tokenizer.ggml.tokens"]);
            Assert.True(tokens.IsSummary);
            Assert.Null(tokens.Values);
            Assert.Equal(n, tokens.Length);
            Assert.Equal(GgufValueType.String, tokens.ElementType);
            var scores = Assert.IsType<GgufArray>(info.Metadata["tokenizer.ggml.scores"]);
            Assert.True(scores.IsSummary);
            Assert.Equal(GgufValueType.Float32, scores.ElementType);
            Assert.Equal(2000, ((GgufArray)info.Metadata["big.nested"]).Length);
            Assert.Equal(24u, info.Metadata["qwen2.block_count"]);
            Assert.Equal(F32(896), info.TotalBytes);

            var arch = GgufArchitectureFields.From(info);
            Assert.Equal(151_936, arch.VocabSize); // the explicit key wins over the tokens array
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), "reading took " + sw.Elapsed);
        }

        [Fact]
        public void HugeStringIsSkipped()
        {
            string big = new string('x', GgufReader.MaxKeptStringBytes + 10);
            var w = new GgufTestWriter().AddString("tokenizer.huggingface.json", big).AddUInt32("after", 7);
            var info = GgufReader.Read(new MemoryStream(w.Build()), "mem.gguf");
            var skipped = Assert.IsType<GgufSkippedValue>(info.Metadata["tokenizer.huggingface.json"]);
            Assert.Equal(GgufValueType.String, skipped.Type);
            Assert.Equal(big.Length, skipped.ByteLength);
            Assert.Equal(7u, info.Metadata["after"]);
        }

        [Fact]
        public void CustomAlignmentIsHonoured()
        {
            var w = new GgufTestWriter { Alignment = 64 }.AddUInt32("general.alignment", 64);
            w.AddTensor("a", GgufTestWriter.GgmlF32, new long[] { 3 }, F32(3));  // 12 bytes, next at 64
            w.AddTensor("b", GgufTestWriter.GgmlF16, new long[] { 5, 2 }, F16(10));
            var info = GgufReader.Read(new MemoryStream(w.Build()), "mem.gguf");
            Assert.Equal(2, info.Tensors.Count);
            Assert.Equal(12 + 20, info.TotalBytes);
        }

        [Fact]
        public void FileWithoutTensorsReads()
        {
            var info = GgufReader.Read(new MemoryStream(new GgufTestWriter().AddString("general.architecture", "llama").Build()), "vocab.gguf");
            Assert.Empty(info.Tensors);
            Assert.Equal(0, info.TotalElements);
            Assert.Equal(0.0, info.BitsPerWeight);
        }

        [Fact]
        public void DispatcherRecognizesGgufByMagicAndReadsFolders()
        {
            using var dir = new TempDir();
            dir.Write("weights.bin", TinyLlama().Build());
            Assert.Equal(WeightFileFormat.Gguf, WeightFileReader.Read(dir.File("weights.bin")).Format);

            using var folder = new TempDir();
            folder.Write("model-Q4_K_M.gguf", TinyLlama().Build());
            Assert.Equal(WeightFileFormat.Gguf, WeightFileReader.Read(folder.Path).Format);
            folder.Write("model-Q8_0.gguf", TinyLlama().Build());
            Assert.Throws<ArgumentException>(() => WeightFileReader.Read(folder.Path));
        }
    }
}
