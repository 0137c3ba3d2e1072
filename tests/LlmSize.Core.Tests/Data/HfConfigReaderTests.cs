using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using LlmSize.Core.Models;
using LlmSize.Data;
using Xunit;

namespace LlmSize.Core.Tests.Data
{
    public class HfConfigReaderTests
    {
        public static TheoryData<string> ReferenceFiles()
        {
            var data = new TheoryData<string>();
            foreach (string path in Directory.GetFiles(SharedPaths.HfConfigs, "*.json").OrderBy(p => p))
                if (Path.GetFileName(path) != "index.json") data.Add(Path.GetFileName(path));
            return data;
        }

        [Theory]
        [MemberData(nameof(ReferenceFiles))]
        public void Reads_every_reference_config(string file)
        {
            string path = Path.Combine(SharedPaths.HfConfigs, file);
            ModelArchitecture a = HfConfigReader.ReadJson(File.ReadAllText(path), path);

            Assert.Contains(a.ModelType, HfConfigReader.SupportedModelTypes);
            Assert.True(a.HiddenSize > 0 && a.NumLayers > 0 && a.VocabSize > 0);
            Assert.Equal(0, a.NumAttentionHeads % a.NumKeyValueHeads);
        }

        [Fact]
        public void Gpt2_field_names_and_null_n_inner()
        {
            var a = HfConfigReader.ReadJson(
                "{\"model_type\":\"gpt2\",\"n_embd\":768,\"n_layer\":12,\"n_head\":12,\"n_inner\":null,\"n_positions\":1024,\"vocab_size\":50257}",
                "gpt2.json");
            Assert.Equal(768, a.HiddenSize);
            Assert.Equal(4 * 768, a.IntermediateSize);
            Assert.Equal(1024, a.LearnedPositionEmbeddings);
            Assert.Equal(64, a.HeadDim);
            Assert.True(a.TieWordEmbeddings);
        }

        [Fact]
        public void Falcon_multi_query_has_one_kv_head_and_one_norm_per_parallel_block()
        {
            var a = HfConfigReader.ReadJson(File.ReadAllText(Path.Combine(SharedPaths.HfConfigs, "falcon-7b.json")), "falcon-7b.json");
            Assert.Equal(1, a.NumKeyValueHeads);
            Assert.Equal(64, a.HeadDim);
            Assert.Equal(1, a.NormsPerLayer);
            Assert.Equal(4 * 4544, a.IntermediateSize);
        }

        [Fact]
        public void Gemma3_multimodal_config_reads_text_config_with_gemma3_text_defaults()
        {
            // Shape of google/gemma-3-4b-pt config.json: the text_config omits heads, head_dim and vocab_size.
            const string json = @"{
  ""architectures"": [""Gemma3ForConditionalGeneration""],
  ""model_type"": ""gemma3"",
  ""text_config"": {
    ""hidden_size"": 2560,
    ""intermediate_size"": 10240,
    ""model_type"": ""gemma3_text"",
    ""num_hidden_layers"": 34,
    ""sliding_window"": 1024
  },
  ""vision_config"": { ""hidden_size"": 1152, ""model_type"": ""siglip_vision_model"" }
}";
            var a = HfConfigReader.ReadJson(json, "gemma-3-4b.json");
            Assert.Equal("gemma3_text", a.ModelType);
            Assert.Equal("gemma3", a.Extra["container_model_type"]);
            Assert.Equal(2560, a.HiddenSize);
            Assert.Equal(8, a.NumAttentionHeads);
            Assert.Equal(4, a.NumKeyValueHeads);
            Assert.Equal(256, a.HeadDim);
            Assert.Equal(262208, a.VocabSize);
            Assert.Equal(4, a.NormsPerLayer);
            Assert.True(a.QkNorm);
            Assert.NotNull(a.LayerTypes);
            Assert.Equal(AttentionLayerKind.Full, a.LayerTypes![5]);
            Assert.Equal(AttentionLayerKind.Sliding, a.LayerTypes[4]);
        }

        [Fact]
        public void Yaml_config_block_reads_like_json()
        {
            var stream = new YamlDotNet.RepresentationModel.YamlStream();
            stream.Load(new StringReader("model_type: llama\nhidden_size: 4096\nnum_hidden_layers: 32\nnum_attention_heads: 32\n" +
                                         "num_key_value_heads: 8\nintermediate_size: 14336\nvocab_size: 128256\n"));
            var a = HfConfigReader.Read((YamlDotNet.RepresentationModel.YamlMappingNode)stream.Documents[0].RootNode, "models.yaml");
            Assert.Equal(8, a.NumKeyValueHeads);
            Assert.Equal(128, a.HeadDim);
        }

        [Fact]
        public void Unknown_model_type_lists_supported_families_and_missing_fields()
        {
            var e = Assert.Throws<CatalogException>(() => HfConfigReader.ReadJson(
                "{\n  \"model_type\": \"mamba\",\n  \"hidden_size\": 768,\n  \"num_hidden_layers\": 24\n}", "mamba.json"));
            Assert.Equal(CatalogException.UnsupportedModelType, e.ErrorId);
            Assert.Equal("model_type", e.Field);
            Assert.Equal(2, e.Line);
            Assert.Contains("mamba.json", e.Message);
            Assert.Contains("'mamba'", e.Message);
            foreach (string type in HfConfigReader.SupportedModelTypes) Assert.Contains(type, e.Message);
            Assert.Contains("num_attention_heads, intermediate_size, vocab_size", e.Message);
        }

        [Fact]
        public void Missing_model_type_is_reported()
        {
            var e = Assert.Throws<CatalogException>(() => HfConfigReader.ReadJson("{\"hidden_size\": 8}", "x.json"));
            Assert.Equal(CatalogException.MissingModelField, e.ErrorId);
            Assert.Equal("model_type", e.Field);
        }

        [Fact]
        public void Missing_required_fields_are_named_together()
        {
            var e = Assert.Throws<CatalogException>(() => HfConfigReader.ReadJson(
                "{\"model_type\": \"llama\", \"hidden_size\": 4096, \"num_hidden_layers\": null}", "llama.json"));
            Assert.Equal(CatalogException.MissingModelField, e.ErrorId);
            Assert.Equal("num_hidden_layers, num_attention_heads, intermediate_size, vocab_size", e.Field);
            Assert.Equal(1, e.Line);
        }

        [Fact]
        public void Heads_not_divisible_by_kv_heads_is_contradictory()
        {
            var e = Assert.Throws<CatalogException>(() => HfConfigReader.ReadJson(
                "{\n\"model_type\": \"llama\",\n\"hidden_size\": 4096,\n\"num_hidden_layers\": 32,\n\"num_attention_heads\": 32,\n" +
                "\"num_key_value_heads\": 5,\n\"intermediate_size\": 11008,\n\"vocab_size\": 32000\n}", "bad.json"));
            Assert.Equal(CatalogException.ContradictoryModelFields, e.ErrorId);
            Assert.Equal("num_key_value_heads", e.Field);
            Assert.Equal(6, e.Line);
            Assert.Contains("divide", e.Message);
        }

        [Fact]
        public void Negative_value_is_invalid_with_its_line()
        {
            var e = Assert.Throws<CatalogException>(() => HfConfigReader.ReadJson(
                "{\n  \"model_type\": \"llama\",\n  \"hidden_size\": 4096,\n  \"num_hidden_layers\": -32,\n" +
                "  \"num_attention_heads\": 32,\n  \"intermediate_size\": 11008,\n  \"vocab_size\": 32000\n}", "neg.json"));
            Assert.Equal(CatalogException.InvalidModelField, e.ErrorId);
            Assert.Equal("num_hidden_layers", e.Field);
            Assert.Equal(4, e.Line);
            Assert.Contains("neg.json, line 4", e.Message);
            Assert.Contains("negative", e.Message);
        }

        [Fact]
        public void Non_numeric_value_is_invalid()
        {
            var e = Assert.Throws<CatalogException>(() => HfConfigReader.ReadJson(
                "{\"model_type\": \"llama\", \"hidden_size\": \"big\", \"num_hidden_layers\": 2, \"num_attention_heads\": 2," +
                " \"intermediate_size\": 8, \"vocab_size\": 10}", "nan.json"));
            Assert.Equal(CatalogException.InvalidModelField, e.ErrorId);
            Assert.Equal("hidden_size", e.Field);
        }

        [Fact]
        public void Numbers_parse_invariantly_under_a_german_culture()
        {
            CultureInfo saved = Thread.CurrentThread.CurrentCulture;
            try
            {
                Thread.CurrentThread.CurrentCulture = new CultureInfo("de-DE");
                var a = HfConfigReader.ReadJson(
                    "{\"model_type\": \"phi\", \"hidden_size\": 2560, \"num_hidden_layers\": 32, \"num_attention_heads\": 32," +
                    " \"intermediate_size\": 10240, \"vocab_size\": 51200, \"partial_rotary_factor\": 0.4}", "phi.json");
                Assert.Equal(0.4, a.PartialRotaryFactor);
            }
            finally
            {
                Thread.CurrentThread.CurrentCulture = saved;
            }
        }

        [Fact]
        public void Syntax_error_is_an_invalid_file()
        {
            var e = Assert.Throws<CatalogException>(() => HfConfigReader.ReadJson("{\"model_type\": \"llama\",, }", "broken.json"));
            Assert.Equal(CatalogException.InvalidModelFile, e.ErrorId);
        }
    }
}
