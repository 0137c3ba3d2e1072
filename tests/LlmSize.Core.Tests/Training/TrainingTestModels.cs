using LlmSize.Core.Models;
using LlmSize.Data;

namespace LlmSize.Core.Tests.Training
{
    /// <summary>Architectures the training tests share, each from a published config.</summary>
    internal static class TrainingTestModels
    {
        /// <summary>
        /// The GPT block Korthikanti et al. 2022 analyse: pre-LayerNorm, multi-head attention, 4h GeLU MLP with biases,
        /// dropout after the softmax and after both projections.
        /// </summary>
        public static ModelArchitecture Gpt(int layers, int hidden, int heads, long vocab = 51200) => new ModelArchitecture
        {
            ModelType = "gpt2",
            NumLayers = layers,
            HiddenSize = hidden,
            NumAttentionHeads = heads,
            NumKeyValueHeads = heads,
            HeadDim = hidden / heads,
            IntermediateSize = 4 * hidden,
            VocabSize = vocab,
            MaxPositionEmbeddings = 2048,
            LearnedPositionEmbeddings = 2048,
            TieWordEmbeddings = true,
            GatedMlp = false,
            Norm = NormKind.LayerNorm,
            QkvBias = true,
            AttentionOutputBias = true,
            MlpBias = true,
        };

        public static ModelSpec Spec(ModelArchitecture a, string id = "test-model") => new ModelSpec(id, id, a);

        /// <summary>
        /// google-bert/bert-large-uncased config.json (https://huggingface.co/google-bert/bert-large-uncased/blob/main/config.json),
        /// as the Hugging Face single-GPU guide loads it (AutoModelForSequenceClassification).
        /// </summary>
        public const string BertLargeUncasedConfig = @"{
  ""architectures"": [""BertForMaskedLM""], ""attention_probs_dropout_prob"": 0.1, ""gradient_checkpointing"": false,
  ""hidden_act"": ""gelu"", ""hidden_dropout_prob"": 0.1, ""hidden_size"": 1024, ""initializer_range"": 0.02,
  ""intermediate_size"": 4096, ""layer_norm_eps"": 1e-12, ""max_position_embeddings"": 512, ""model_type"": ""bert"",
  ""num_attention_heads"": 16, ""num_hidden_layers"": 24, ""pad_token_id"": 0, ""position_embedding_type"": ""absolute"",
  ""transformers_version"": ""4.6.0.dev0"", ""type_vocab_size"": 2, ""use_cache"": true, ""vocab_size"": 30522
}";

        public static ModelSpec BertLargeUncased() =>
            Spec(HfConfigReader.ReadJson(BertLargeUncasedConfig, "bert-large-uncased/config.json"), "bert-large-uncased");

        /// <summary>A reference config from shared/reference/hf-configs.</summary>
        public static ModelSpec Reference(string file)
        {
            string path = System.IO.Path.Combine(SharedPaths.HfConfigs, file);
            return Spec(HfConfigReader.ReadJson(System.IO.File.ReadAllText(path), path), System.IO.Path.GetFileNameWithoutExtension(file));
        }
    }
}
