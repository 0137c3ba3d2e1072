using System.Collections.Generic;
using System.IO;
using System.Linq;
using LlmSize.Core.Tests.Artifacts;
using LlmSize.Data.Import;
using Xunit;
using T = LlmSize.Core.Tests.Artifacts.SafetensorsTestWriter.Tensor;

namespace LlmSize.Core.Tests.Import
{
    /// <summary>
    /// A tiny Llama: d = 64, L = 2, 4 heads of 16, 2 KV heads, i = 128, V = 256, untied. By hand:
    /// embeddings 256·64 = 16,384; lm_head 16,384; per layer q 64·64 = 4,096, k and v 64·32 = 2,048 each, o 4,096,
    /// MLP 3·64·128 = 24,576, norms 2·64 = 128 → 36,992; two layers 73,984; final norm 64. Total 106,816.
    /// </summary>
    public class ModelImporterTests
    {
        private const long Total = 106_816;
        private const string Config = "{\"model_type\":\"llama\",\"hidden_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4," +
            "\"num_key_value_heads\":2,\"intermediate_size\":128,\"vocab_size\":256,\"max_position_embeddings\":2048,\"tie_word_embeddings\":false}";

        private static IEnumerable<(string name, long[] shape)> LlamaTensors()
        {
            yield return ("model.embed_tokens.weight", new long[] { 256, 64 });
            yield return ("lm_head.weight", new long[] { 256, 64 });
            yield return ("model.norm.weight", new long[] { 64 });
            for (int l = 0; l < 2; l++)
            {
                string p = "model.layers." + l + ".";
                yield return (p + "self_attn.q_proj.weight", new long[] { 64, 64 });
                yield return (p + "self_attn.k_proj.weight", new long[] { 32, 64 });
                yield return (p + "self_attn.v_proj.weight", new long[] { 32, 64 });
                yield return (p + "self_attn.o_proj.weight", new long[] { 64, 64 });
                yield return (p + "mlp.gate_proj.weight", new long[] { 128, 64 });
                yield return (p + "mlp.up_proj.weight", new long[] { 128, 64 });
                yield return (p + "mlp.down_proj.weight", new long[] { 64, 128 });
                yield return (p + "input_layernorm.weight", new long[] { 64 });
                yield return (p + "post_attention_layernorm.weight", new long[] { 64 });
            }
        }

        [Fact]
        public void ConfigAloneGivesTheArchitectureCount()
        {
            using var dir = new TempDir();
            File.WriteAllText(dir.File("config.json"), Config);
            var m = ModelImporter.Import(dir.Path);
            Assert.Equal(Total, m.Parameters);
            Assert.Equal("architecture", m.ParametersSource);
            Assert.Null(m.WeightFile);
        }

        [Fact]
        public void SafetensorsFolderGivesExactBytesAndExplainsBuffers()
        {
            using var dir = new TempDir();
            File.WriteAllText(dir.File("config.json"), Config);
            var tensors = LlamaTensors().Select(t => new T(t.name, "BF16", t.shape)).ToList();
            tensors.Add(new T("model.layers.0.self_attn.rotary_emb.inv_freq", "F32", 8)); // a buffer, not a parameter
            dir.Write("model.safetensors", SafetensorsTestWriter.Build(tensors));

            var m = ModelImporter.Import(dir.Path);
            Assert.Equal(Total, m.Parameters);
            Assert.Equal(Total + 8, m.WeightFile!.TotalElements);
            Assert.Equal(Total * 2 + 8 * 4, m.WeightBytes);   // bf16 weights + the fp32 buffer
            Assert.Contains("8 non-parameter buffers", m.WeightFileNote);
            Assert.DoesNotContain("unexplained", m.WeightFileNote);
        }

        [Fact]
        public void SafetensorsFileWithoutConfigIsAClearError()
        {
            using var dir = new TempDir();
            string f = dir.Write("model.safetensors", SafetensorsTestWriter.Build(new[] { new T("x", "F32", 4) }));
            var e = Assert.Throws<FileNotFoundException>(() => ModelImporter.Import(f));
            Assert.Contains("config.json", e.Message);
        }

        [Fact]
        public void GgufGivesArchitectureFromMetadataAndCountFromTensors()
        {
            using var dir = new TempDir();
            var w = new GgufTestWriter()
                .AddString("general.architecture", "llama").AddString("general.name", "Tiny Llama")
                .AddUInt32("llama.block_count", 2).AddUInt32("llama.embedding_length", 64)
                .AddUInt32("llama.attention.head_count", 4).AddUInt32("llama.attention.head_count_kv", 2)
                .AddUInt32("llama.feed_forward_length", 128).AddUInt32("llama.context_length", 2048)
                .AddUInt32("llama.vocab_size", 256);
            // GGUF dims are innermost first: a PyTorch [out, in] weight is ne = [in, out]. All F32 (4 bytes a value).
            var names = new Dictionary<string, string> { ["model.embed_tokens.weight"] = "token_embd.weight", ["lm_head.weight"] = "output.weight", ["model.norm.weight"] = "output_norm.weight" };
            foreach (var (name, shape) in LlamaTensors())
            {
                long elements = shape.Aggregate(1L, (a, b) => a * b);
                w.AddTensor(names.TryGetValue(name, out var g) ? g : name, GgufTestWriter.GgmlF32, shape.Reverse().ToArray(), elements * 4);
            }
            string file = dir.Write("tiny.gguf", w.Build());

            var m = ModelImporter.Import(file);
            Assert.Equal("Tiny Llama", m.Name);
            Assert.Equal("llama", m.ModelType);
            Assert.Equal(2, m.Architecture.NumKeyValueHeads);
            Assert.False(m.Architecture.TieWordEmbeddings);      // output.weight is present
            Assert.Equal(Total, m.Parameters);
            Assert.Equal(Total * 4, m.WeightBytes);
            Assert.Equal("The file holds exactly the architecture's parameters.", m.WeightFileNote);
        }

        [Fact]
        public void HuggingFaceCacheYieldsOneModelPerRepository()
        {
            using var dir = new TempDir();
            string snap = Path.Combine(dir.Path, "models--org--tiny-llama", "snapshots", "abc123");
            Directory.CreateDirectory(snap);
            File.WriteAllText(Path.Combine(snap, "config.json"), Config);
            Assert.True(ModelImporter.IsHuggingFaceCache(dir.Path));
            var cached = Assert.Single(ModelImporter.FindCachedModels(dir.Path));
            Assert.Equal("org/tiny-llama", cached.HuggingFaceId);
            var m = ModelImporter.Import(cached.SnapshotFolder, cached.HuggingFaceId);
            Assert.Equal("tiny-llama", m.Id);
            Assert.Equal("org/tiny-llama", m.HuggingFaceId);
        }
    }
}
