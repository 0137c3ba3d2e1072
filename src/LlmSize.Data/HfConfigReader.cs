using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using LlmSize.Core.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LlmSize.Data
{
    /// <summary>
    /// Maps a Hugging Face <c>config.json</c> (JSON is YAML, so YamlDotNet parses it; the same code reads the
    /// <c>config:</c> blocks of our YAML model catalog) to a <see cref="ModelArchitecture"/>.
    /// Each family's field names and defaults follow its <c>transformers</c> configuration_*.py and the structure
    /// its modeling_*.py builds; the comments name the file. Structural facts the parameter counter needs
    /// (norm kind and count, biases, tied head ...) are decided here, so the counter needs no per-family table.
    /// </summary>
    public static class HfConfigReader
    {
        private sealed class Family
        {
            public Family(string[] required, Action<ConfigFields, ModelArchitecture> apply)
            {
                Required = required;
                Apply = apply;
            }

            /// <summary>Each entry lists alternative names of one required field, first name preferred.</summary>
            public string[] Required { get; }
            public Action<ConfigFields, ModelArchitecture> Apply { get; }
        }

        // Field names of the Llama-style config (LlamaConfig and most descendants).
        private static readonly string[] LlamaRequired =
            { "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "vocab_size" };

        private static readonly Dictionary<string, Family> Families = new Dictionary<string, Family>(StringComparer.Ordinal)
        {
            ["llama"] = new Family(LlamaRequired, Llama),
            ["mistral"] = new Family(LlamaRequired, Mistral),
            ["mixtral"] = new Family(With(LlamaRequired, "num_local_experts"), Mixtral),
            ["qwen2"] = new Family(LlamaRequired, Qwen2),
            ["qwen2_moe"] = new Family(With(LlamaRequired, "num_experts", "moe_intermediate_size"), Qwen2Moe),
            ["qwen3"] = new Family(LlamaRequired, Qwen3),
            ["qwen3_moe"] = new Family(With(LlamaRequired, "num_experts", "moe_intermediate_size"), Qwen3Moe),
            ["gemma"] = new Family(LlamaRequired, Gemma),
            ["gemma2"] = new Family(LlamaRequired, Gemma2),
            // Gemma3TextConfig has defaults for every size; published text_config blocks omit heads and vocab.
            ["gemma3_text"] = new Family(new string[0], Gemma3Text),
            ["gemma3"] = new Family(new string[0], Gemma3Text),
            ["phi"] = new Family(LlamaRequired, Phi),
            ["phi3"] = new Family(LlamaRequired, Phi3),
            ["olmo"] = new Family(LlamaRequired, Olmo),
            ["olmo2"] = new Family(LlamaRequired, Olmo2),
            ["cohere"] = new Family(LlamaRequired, Cohere),
            ["starcoder2"] = new Family(LlamaRequired, Starcoder2),
            ["gpt_neox"] = new Family(LlamaRequired, GptNeoX),
            ["gpt2"] = new Family(new[] { "n_embd", "n_layer", "n_head", "vocab_size" }, Gpt2),
            ["gpt_bigcode"] = new Family(new[] { "n_embd", "n_layer", "n_head", "vocab_size" }, GptBigCode),
            ["opt"] = new Family(new[] { "hidden_size", "num_hidden_layers", "num_attention_heads", "ffn_dim", "vocab_size" }, Opt),
            ["bloom"] = new Family(new[] { "hidden_size", "n_layer", "n_head", "vocab_size" }, Bloom),
            ["falcon"] = new Family(new[] { "hidden_size", "num_hidden_layers", "num_attention_heads", "vocab_size" }, Falcon),
            ["deepseek_v2"] = new Family(With(LlamaRequired, "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"), DeepSeekV2),
            ["deepseek_v3"] = new Family(With(LlamaRequired, "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"), DeepSeekV3),
            ["bert"] = new Family(LlamaRequired, Bert),
        };

        // Alternative spellings a family's config class accepts (attribute_map / legacy keys).
        private static readonly Dictionary<string, string[]> Aliases = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["n_embd"] = new[] { "n_embd", "hidden_size" },
            ["n_layer"] = new[] { "n_layer", "num_hidden_layers" },
            ["n_head"] = new[] { "n_head", "num_attention_heads" },
            ["hidden_size"] = new[] { "hidden_size", "n_embed" },
            ["num_hidden_layers"] = new[] { "num_hidden_layers", "n_layer" },
            ["num_attention_heads"] = new[] { "num_attention_heads", "n_head" },
        };

        /// <summary>model_type values this reader maps, sorted.</summary>
        public static IReadOnlyList<string> SupportedModelTypes { get; } =
            Families.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();

        /// <summary>Parses config text (JSON or YAML) and maps it; <paramref name="file"/> is used in errors.</summary>
        public static ModelArchitecture ReadJson(string jsonText, string file)
        {
            if (jsonText == null) throw new ArgumentNullException(nameof(jsonText));
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(jsonText));
            }
            catch (YamlException e)
            {
                throw new CatalogException(CatalogException.InvalidModelFile, file, (int)e.Start.Line, "",
                    "the text is not valid JSON/YAML (" + e.Message + ").", "a JSON object such as a Hugging Face config.json.", e);
            }
            if (stream.Documents.Count == 0 || !(stream.Documents[0].RootNode is YamlMappingNode root))
                throw new CatalogException(CatalogException.InvalidModelFile, file, 1, "",
                    "the top level is not an object.", "a JSON object such as a Hugging Face config.json.");
            return Read(root, file);
        }

        /// <summary>Maps a parsed config mapping. Multimodal configs with a <c>text_config</c> yield the language model.</summary>
        public static ModelArchitecture Read(YamlMappingNode config, string file)
        {
            if (config == null) throw new ArgumentNullException(nameof(config));
            var fields = new ConfigFields(config, file);
            string? modelType = fields.String("model_type");

            // Multimodal wrappers (gemma3, llava, mistral3 ...) describe the language model in text_config.
            YamlMappingNode? textConfig = fields.Mapping("text_config");
            if (textConfig != null)
            {
                var inner = new ConfigFields(textConfig, file);
                string? innerType = inner.String("model_type") ?? (modelType == "gemma3" ? "gemma3_text" : null);
                if (innerType == null)
                    throw new CatalogException(CatalogException.MissingModelField, file, inner.Line, "text_config.model_type",
                        "the text_config of model_type '" + modelType + "' does not say its model_type.",
                        "add model_type to text_config, one of: " + string.Join(", ", SupportedModelTypes) + ".");
                ModelArchitecture language = ReadTyped(inner, innerType);
                if (modelType != null) language.Extra["container_model_type"] = modelType;
                return language;
            }

            if (modelType == null)
                throw new CatalogException(CatalogException.MissingModelField, file, fields.Line, "model_type",
                    "the field is missing, so the architecture family is unknown.",
                    "one of: " + string.Join(", ", SupportedModelTypes) + ".");
            return ReadTyped(fields, modelType);
        }

        private static ModelArchitecture ReadTyped(ConfigFields fields, string modelType)
        {
            if (!Families.TryGetValue(modelType, out Family? family))
            {
                string[] missing = LlamaRequired.Where(k => !fields.Has(k)).ToArray();
                string hint = missing.Length == 0
                    ? "it has all the Llama-style fields (" + string.Join(", ", LlamaRequired) + "), so model_type 'llama' may describe it."
                    : "to describe it as a Llama-style model set model_type: llama; that also needs " + string.Join(", ", missing) + ".";
                YamlNode? node = fields.Node("model_type");
                throw new CatalogException(CatalogException.UnsupportedModelType, fields.File,
                    node != null ? ConfigFields.LineOf(node) : fields.Line, "model_type",
                    "model_type '" + modelType + "' is not supported; " + hint,
                    "one of: " + string.Join(", ", SupportedModelTypes) + ".");
            }

            var missingFields = family.Required
                .Where(name => fields.FirstPresent(Aliases.TryGetValue(name, out var names) ? names : new[] { name }) == null)
                .ToArray();
            if (missingFields.Length > 0)
                throw new CatalogException(CatalogException.MissingModelField, fields.File, fields.Line,
                    string.Join(", ", missingFields),
                    "model_type '" + modelType + "' needs " + string.Join(", ", missingFields) + ", which " +
                    (missingFields.Length == 1 ? "is" : "are") + " missing (or null).",
                    "add " + (missingFields.Length == 1 ? "it" : "them") + " with whole numbers ≥ 1 (required for " + modelType + ": " +
                    string.Join(", ", family.Required) + ").");

            var a = new ModelArchitecture { ModelType = modelType };
            family.Apply(fields, a);
            Validate(fields, a);
            foreach (var pair in fields.Unused())
                if (!a.Extra.ContainsKey(pair.Key)) a.Extra[pair.Key] = pair.Value;
            return a;
        }

        // ---- shared pieces -------------------------------------------------------------------------------------

        /// <summary>
        /// Fields every Llama-style config has (configuration_llama.py and its copies). head_dim falls back to
        /// hidden_size / num_attention_heads as LlamaAttention does; num_key_value_heads to num_attention_heads.
        /// </summary>
        private static void Common(ConfigFields f, ModelArchitecture a, bool tieDefault, int? headDimDefault = null)
        {
            a.HiddenSize = Positive(f, "hidden_size", f.RequireInt("hidden_size", "n_embed"));
            a.NumLayers = Positive(f, "num_hidden_layers", f.RequireInt("num_hidden_layers", "n_layer"));
            a.NumAttentionHeads = Positive(f, "num_attention_heads", f.RequireInt("num_attention_heads", "n_head"));
            a.NumKeyValueHeads = f.Int("num_key_value_heads") ?? a.NumAttentionHeads;
            a.HeadDim = f.Int("head_dim") ?? headDimDefault ?? DivideHidden(f, a);
            a.IntermediateSize = f.Int("intermediate_size") ?? 0;
            a.VocabSize = Positive(f, "vocab_size", f.Long("vocab_size") ?? 0);
            a.MaxPositionEmbeddings = f.Int("max_position_embeddings") ?? 0;
            a.TieWordEmbeddings = f.Bool("tie_word_embeddings") ?? tieDefault;
            a.HiddenAct = f.String("hidden_act") ?? f.String("hidden_activation") ?? f.String("activation_function");
            a.PartialRotaryFactor = f.Double("partial_rotary_factor") ?? 1.0;
            a.SlidingWindow = f.Int("sliding_window");
            ReadLayerTypes(f, a);
        }

        /// <summary>Pre-norm decoder with RMSNorm and a SwiGLU MLP, no biases unless the config asks.</summary>
        private static void LlamaStyle(ConfigFields f, ModelArchitecture a, bool tieDefault, int? headDimDefault = null)
        {
            Common(f, a, tieDefault, headDimDefault);
            a.GatedMlp = true;
            a.Norm = NormKind.RmsNorm;
            a.NormsPerLayer = 2;
        }

        private static int DivideHidden(ConfigFields f, ModelArchitecture a)
        {
            if (a.HiddenSize % a.NumAttentionHeads != 0)
                throw f.Contradiction("num_attention_heads",
                    "hidden_size " + a.HiddenSize.ToString(CultureInfo.InvariantCulture) + " is not divisible by num_attention_heads " +
                    a.NumAttentionHeads.ToString(CultureInfo.InvariantCulture) + " and there is no head_dim.",
                    "a head count that divides hidden_size, or an explicit head_dim.");
            return a.HiddenSize / a.NumAttentionHeads;
        }

        private static void AttentionBias(ConfigFields f, ModelArchitecture a, bool defaultValue)
        {
            bool bias = f.Bool("attention_bias") ?? defaultValue;
            a.QkvBias = bias;
            a.AttentionOutputBias = bias;
        }

        /// <summary>layer_types (newer configs) wins; it lists "sliding_attention" / "full_attention" per layer.</summary>
        private static void ReadLayerTypes(ConfigFields f, ModelArchitecture a)
        {
            IReadOnlyList<string>? types = f.StringList("layer_types");
            if (types == null) return;
            if (types.Count != a.NumLayers)
                throw f.Contradiction("layer_types", "layer_types has " + types.Count.ToString(CultureInfo.InvariantCulture) +
                    " entries but num_hidden_layers is " + a.NumLayers.ToString(CultureInfo.InvariantCulture) + ".",
                    "one entry per layer.");
            a.LayerTypes = types.Select(t => t == "sliding_attention" ? AttentionLayerKind.Sliding : AttentionLayerKind.Full).ToArray();
        }

        private static void SlidingPattern(ModelArchitecture a, Func<int, bool> isSliding)
        {
            if (a.LayerTypes != null || a.SlidingWindow == null) return;
            a.LayerTypes = Enumerable.Range(0, a.NumLayers)
                .Select(i => isSliding(i) ? AttentionLayerKind.Sliding : AttentionLayerKind.Full).ToArray();
        }

        private static void Validate(ConfigFields f, ModelArchitecture a)
        {
            if (a.NumKeyValueHeads < 1)
                throw f.Contradiction("num_key_value_heads", "num_key_value_heads must be at least 1.", "a whole number ≥ 1 that divides num_attention_heads.");
            if (a.NumAttentionHeads % a.NumKeyValueHeads != 0)
                throw f.Contradiction("num_key_value_heads",
                    "num_attention_heads " + a.NumAttentionHeads.ToString(CultureInfo.InvariantCulture) +
                    " is not divisible by num_key_value_heads " + a.NumKeyValueHeads.ToString(CultureInfo.InvariantCulture) + ".",
                    "a key/value head count that divides num_attention_heads (1 for MQA, equal for MHA).");
            if (a.HeadDim < 1)
                throw f.Contradiction("head_dim", "head_dim must be at least 1.", "a whole number ≥ 1.");
            if (!a.IsMla && !a.IsMoe && a.IntermediateSize < 1)
                throw f.Missing("intermediate_size");
            if (a.IsMoe)
            {
                if (a.NumExpertsPerToken < 1 || a.NumExpertsPerToken > a.NumExperts)
                    throw f.Contradiction("num_experts_per_tok",
                        "num_experts_per_tok " + a.NumExpertsPerToken.ToString(CultureInfo.InvariantCulture) +
                        " must be between 1 and the expert count " + a.NumExperts.ToString(CultureInfo.InvariantCulture) + ".",
                        "a whole number from 1 to the number of experts.");
                if (a.MoeIntermediateSize < 1) throw f.Missing("moe_intermediate_size");
            }
        }

        private static int Positive(ConfigFields f, string key, int value)
        {
            if (value >= 1) return value;
            throw f.Invalid(key, f.Node(key) ?? new YamlScalarNode("0"), "value 0 is not allowed.", "a whole number ≥ 1.");
        }

        private static long Positive(ConfigFields f, string key, long value)
        {
            if (value >= 1) return value;
            YamlNode? node = f.Node(key);
            if (node == null) throw f.Missing(key);
            throw f.Invalid(key, node, "value 0 is not allowed.", "a whole number ≥ 1.");
        }

        private static string[] With(string[] first, params string[] more) => first.Concat(more).ToArray();

        // ---- families ------------------------------------------------------------------------------------------

        // configuration_llama.py / modeling_llama.py: attention_bias on q,k,v,o; mlp_bias on gate/up/down.
        private static void Llama(ConfigFields f, ModelArchitecture a)
        {
            LlamaStyle(f, a, tieDefault: false);
            AttentionBias(f, a, false);
            a.MlpBias = f.Bool("mlp_bias") ?? false;
        }

        // modeling_mistral.py: Llama layout without biases; sliding_window applies to every layer.
        private static void Mistral(ConfigFields f, ModelArchitecture a) => LlamaStyle(f, a, tieDefault: false);

        // modeling_mixtral.py: every layer is sparse; intermediate_size is the size of one expert; router d·E, no bias.
        private static void Mixtral(ConfigFields f, ModelArchitecture a)
        {
            LlamaStyle(f, a, tieDefault: false);
            a.NumExperts = f.RequireInt("num_local_experts");
            a.NumExpertsPerToken = f.Int("num_experts_per_tok") ?? 2;
            a.MoeIntermediateSize = a.IntermediateSize;
        }

        // modeling_qwen2.py: bias on q, k, v only. Sliding layers exist only with use_sliding_window, from
        // max_window_layers on (configuration_qwen2.py layer_types rule).
        private static void Qwen2(ConfigFields f, ModelArchitecture a)
        {
            LlamaStyle(f, a, tieDefault: false);
            a.QkvBias = true;
            QwenSliding(f, a);
        }

        private static void QwenSliding(ConfigFields f, ModelArchitecture a)
        {
            if (!(f.Bool("use_sliding_window") ?? false)) { a.SlidingWindow = null; a.LayerTypes = null; return; }
            int firstSliding = f.Int("max_window_layers") ?? 0;
            SlidingPattern(a, i => i >= firstSliding);
        }

        // modeling_qwen2_moe.py: Qwen2 attention (q/k/v bias); sparse block = router d·E + experts + one shared
        // expert (shared_expert_intermediate_size) behind a sigmoid gate d·1; layer i sparse when
        // i not in mlp_only_layers and (i + 1) % decoder_sparse_step == 0.
        private static void Qwen2Moe(ConfigFields f, ModelArchitecture a)
        {
            Qwen2(f, a);
            QwenMoe(f, a);
            a.SharedExpertIntermediateSize = f.Int("shared_expert_intermediate_size") ?? 0;
            a.NumSharedExperts = a.SharedExpertIntermediateSize > 0 ? 1 : 0;
            a.SharedExpertGate = a.NumSharedExperts > 0;
        }

        private static void QwenMoe(ConfigFields f, ModelArchitecture a)
        {
            a.NumExperts = f.RequireInt("num_experts");
            a.NumExpertsPerToken = f.Int("num_experts_per_tok") ?? 4;
            a.MoeIntermediateSize = f.RequireInt("moe_intermediate_size");
            int step = f.Int("decoder_sparse_step") ?? 1;
            if (step < 1) throw f.Invalid("decoder_sparse_step", f.Node("decoder_sparse_step")!, "value 0 is not allowed.", "a whole number ≥ 1.");
            a.MoeLayerFrequency = step;
            a.MoeLayerPhase = step - 1;
            a.MlpOnlyLayers = f.IntList("mlp_only_layers");
        }

        // modeling_qwen3.py: head_dim (default 128 in configuration_qwen3.py), per-head RMSNorm on q and k,
        // attention_bias on q,k,v,o.
        private static void Qwen3(ConfigFields f, ModelArchitecture a)
        {
            LlamaStyle(f, a, tieDefault: false, headDimDefault: 128);
            AttentionBias(f, a, false);
            a.QkNorm = true;
            QwenSliding(f, a);
        }

        // modeling_qwen3_moe.py: Qwen3 attention; sparse block = router + experts, no shared expert.
        private static void Qwen3Moe(ConfigFields f, ModelArchitecture a)
        {
            Qwen3(f, a);
            QwenMoe(f, a);
        }

        // modeling_gemma.py: head_dim (default 256), RMSNorm storing (1 + w) — still d weights; head tied by default.
        private static void Gemma(ConfigFields f, ModelArchitecture a)
        {
            LlamaStyle(f, a, tieDefault: true, headDimDefault: 256);
            AttentionBias(f, a, false);
        }

        // modeling_gemma2.py: four norms per block (input, post_attention, pre_feedforward, post_feedforward);
        // even layers slide (layer_idx % 2 == 0).
        private static void Gemma2(ConfigFields f, ModelArchitecture a)
        {
            Gemma(f, a);
            a.NormsPerLayer = 4;
            SlidingPattern(a, i => i % 2 == 0);
        }

        // configuration_gemma3.py Gemma3TextConfig defaults (used by text_config blocks that omit them);
        // modeling_gemma3.py: Gemma 2 block plus per-head q_norm/k_norm; every sliding_window_pattern-th layer global.
        private static void Gemma3Text(ConfigFields f, ModelArchitecture a)
        {
            a.ModelType = "gemma3_text";
            a.HiddenSize = f.Int("hidden_size") ?? 2304;
            a.NumLayers = f.Int("num_hidden_layers") ?? 26;
            a.NumAttentionHeads = f.Int("num_attention_heads") ?? 8;
            a.NumKeyValueHeads = f.Int("num_key_value_heads") ?? 4;
            a.HeadDim = f.Int("head_dim") ?? 256;
            a.IntermediateSize = f.Int("intermediate_size") ?? 9216;
            a.VocabSize = f.Long("vocab_size") ?? 262208;
            a.MaxPositionEmbeddings = f.Int("max_position_embeddings") ?? 131072;
            a.TieWordEmbeddings = f.Bool("tie_word_embeddings") ?? true;
            a.HiddenAct = f.String("hidden_activation") ?? "gelu_pytorch_tanh";
            a.SlidingWindow = f.Int("sliding_window") ?? 4096;
            foreach (string key in new[] { "hidden_size", "num_hidden_layers", "num_attention_heads", "vocab_size" })
                if (f.Has(key)) Positive(f, key, f.Long(key) ?? 0);
            a.GatedMlp = true;
            a.Norm = NormKind.RmsNorm;
            a.NormsPerLayer = 4;
            a.QkNorm = true;
            AttentionBias(f, a, false);
            ReadLayerTypes(f, a);
            int pattern = f.Int("sliding_window_pattern") ?? 6;
            SlidingPattern(a, i => pattern <= 0 || (i + 1) % pattern != 0);
        }

        // modeling_phi.py (Phi-1/1.5/2): parallel block with one LayerNorm, biased q/k/v/dense and fc1/fc2,
        // final_layernorm, lm_head with bias; optional per-head LayerNorm on q and k (qk_layernorm).
        private static void Phi(ConfigFields f, ModelArchitecture a)
        {
            Common(f, a, tieDefault: false);
            a.Norm = NormKind.LayerNorm;
            a.NormsPerLayer = 1;
            a.GatedMlp = false;
            a.QkvBias = a.AttentionOutputBias = a.MlpBias = true;
            a.LmHeadBias = true;
            a.QkNorm = f.Bool("qk_layernorm") ?? false;
            a.QkNormKind = NormKind.LayerNorm;
            a.PartialRotaryFactor = f.Double("partial_rotary_factor") ?? 0.5;
        }

        // modeling_phi3.py: fused qkv_proj and gate_up_proj, no biases — the same count as Llama.
        private static void Phi3(ConfigFields f, ModelArchitecture a) => LlamaStyle(f, a, tieDefault: false);

        // modeling_olmo.py: OlmoLayerNorm is F.layer_norm without weight or bias (no parameters at all).
        private static void Olmo(ConfigFields f, ModelArchitecture a)
        {
            LlamaStyle(f, a, tieDefault: false);
            AttentionBias(f, a, false);
            a.Norm = NormKind.NonParametric;
        }

        // modeling_olmo2.py: RMSNorm after attention and after MLP (2 per block), q_norm over n_h·d_h and
        // k_norm over n_kv·d_h.
        private static void Olmo2(ConfigFields f, ModelArchitecture a)
        {
            LlamaStyle(f, a, tieDefault: false);
            AttentionBias(f, a, false);
            a.QkNorm = true;
            a.QkNormAcrossHeads = true;
        }

        // modeling_cohere.py: parallel block, one CohereLayerNorm (weight only) per block; optional q/k norms
        // shaped (heads, head_dim); embeddings tied by default.
        private static void Cohere(ConfigFields f, ModelArchitecture a)
        {
            LlamaStyle(f, a, tieDefault: true);
            AttentionBias(f, a, false);
            a.Norm = NormKind.LayerNormNoBias;
            a.NormsPerLayer = 1;
            a.QkNorm = f.Bool("use_qk_norm") ?? false;
            a.QkNormAcrossHeads = true;
            a.QkNormKind = NormKind.LayerNormNoBias;
        }

        // modeling_starcoder2.py: LayerNorm with bias, plain c_fc/c_proj MLP, use_bias on every projection, GQA.
        private static void Starcoder2(ConfigFields f, ModelArchitecture a)
        {
            Common(f, a, tieDefault: true);
            a.Norm = NormKind.LayerNorm;
            a.GatedMlp = false;
            a.QkvBias = a.AttentionOutputBias = a.MlpBias = f.Bool("use_bias") ?? true;
        }

        // modeling_gpt_neox.py (Pythia): fused biased qkv and dense, biased plain MLP, two LayerNorms per block
        // (also with use_parallel_residual), separate embed_out.
        private static void GptNeoX(ConfigFields f, ModelArchitecture a)
        {
            Common(f, a, tieDefault: false);
            a.Norm = NormKind.LayerNorm;
            a.GatedMlp = false;
            a.QkvBias = a.AttentionOutputBias = f.Bool("attention_bias") ?? true;
            a.MlpBias = true;
            a.PartialRotaryFactor = f.Double("rotary_pct") ?? 0.25;
        }

        // configuration_gpt2.py / modeling_gpt2.py: n_embd, n_layer, n_head, n_inner (null → 4·n_embd),
        // learned wpe of n_positions rows, Conv1D layers with bias, LayerNorm.
        private static void Gpt2(ConfigFields f, ModelArchitecture a)
        {
            a.HiddenSize = Positive(f, "n_embd", f.RequireInt("n_embd", "hidden_size"));
            a.NumLayers = Positive(f, "n_layer", f.RequireInt("n_layer", "num_hidden_layers"));
            a.NumAttentionHeads = Positive(f, "n_head", f.RequireInt("n_head", "num_attention_heads"));
            a.NumKeyValueHeads = a.NumAttentionHeads;
            a.HeadDim = DivideHidden(f, a);
            a.IntermediateSize = f.Int("n_inner") ?? 4 * a.HiddenSize;
            a.VocabSize = Positive(f, "vocab_size", f.Long("vocab_size") ?? 0);
            a.MaxPositionEmbeddings = f.Int("n_positions", "max_position_embeddings") ?? 1024;
            a.LearnedPositionEmbeddings = a.MaxPositionEmbeddings;
            a.TieWordEmbeddings = f.Bool("tie_word_embeddings") ?? true;
            a.HiddenAct = f.String("activation_function") ?? "gelu_new";
            a.Norm = NormKind.LayerNorm;
            a.GatedMlp = false;
            a.QkvBias = a.AttentionOutputBias = a.MlpBias = true;
        }

        // modeling_gpt_bigcode.py: GPT-2 layout; multi_query (default true) gives one shared k/v head.
        private static void GptBigCode(ConfigFields f, ModelArchitecture a)
        {
            Gpt2(f, a);
            a.HiddenAct = f.String("activation_function") ?? "gelu_pytorch_tanh";
            if (f.Bool("multi_query") ?? true) a.NumKeyValueHeads = 1;
        }

        // modeling_opt.py: learned positions with 2 extra rows (OPTLearnedPositionalEmbedding offset), biased
        // projections (enable_bias), word_embed_proj_dim with project_in/project_out when it differs from
        // hidden_size, final_layer_norm only when do_layer_norm_before and not _remove_final_layer_norm.
        private static void Opt(ConfigFields f, ModelArchitecture a)
        {
            Common(f, a, tieDefault: true);
            a.IntermediateSize = f.RequireInt("ffn_dim");
            if (a.MaxPositionEmbeddings == 0) a.MaxPositionEmbeddings = 2048;
            a.LearnedPositionEmbeddings = a.MaxPositionEmbeddings + 2;
            int projection = f.Int("word_embed_proj_dim") ?? a.HiddenSize;
            a.EmbeddingDim = projection == a.HiddenSize ? 0 : projection;
            a.QkvBias = a.AttentionOutputBias = a.MlpBias = f.Bool("enable_bias") ?? true;
            a.Norm = (f.Bool("layer_norm_elementwise_affine") ?? true) ? NormKind.LayerNorm : NormKind.NonParametric;
            a.FinalNorm = (f.Bool("do_layer_norm_before") ?? true) && !(f.Bool("_remove_final_layer_norm") ?? false);
            a.GatedMlp = false;
            a.HiddenAct = f.String("activation_function") ?? "relu";
        }

        // configuration_bloom.py / modeling_bloom.py: n_layer, n_head, MLP fixed at 4·hidden, biases everywhere,
        // word_embeddings_layernorm, ALiBi (no position parameters).
        private static void Bloom(ConfigFields f, ModelArchitecture a)
        {
            Common(f, a, tieDefault: true);
            a.IntermediateSize = 4 * a.HiddenSize;
            a.Norm = NormKind.LayerNorm;
            a.EmbeddingNorm = true;
            a.GatedMlp = false;
            a.QkvBias = a.AttentionOutputBias = a.MlpBias = true;
            a.HiddenAct = "gelu";
        }

        // configuration_falcon.py / modeling_falcon.py. Key/value heads: num_kv_heads with
        // new_decoder_architecture, else 1 with multi_query, else all heads. Norms: ln_attn + ln_mlp with the new
        // architecture (num_ln_in_parallel_attn 2), else input_layernorm, plus post_attention_layernorm only
        // without parallel_attn. `bias` covers every linear; ffn_hidden_size defaults to 4·hidden.
        private static void Falcon(ConfigFields f, ModelArchitecture a)
        {
            Common(f, a, tieDefault: true);
            bool newArchitecture = f.Bool("new_decoder_architecture") ?? false;
            bool multiQuery = f.Bool("multi_query") ?? true;
            bool parallel = f.Bool("parallel_attn") ?? true;
            a.HeadDim = DivideHidden(f, a);
            a.NumKeyValueHeads = newArchitecture
                ? f.Int("num_kv_heads", "n_head_kv") ?? a.NumAttentionHeads
                : multiQuery ? 1 : a.NumAttentionHeads;
            a.IntermediateSize = f.Int("ffn_hidden_size") ?? 4 * a.HiddenSize;
            a.Norm = NormKind.LayerNorm;
            int parallelNorms = f.Int("num_ln_in_parallel_attn") ?? 2;
            a.NormsPerLayer = newArchitecture && parallelNorms == 2 ? 2 : parallel ? 1 : 2;
            a.GatedMlp = false;
            a.QkvBias = a.AttentionOutputBias = a.MlpBias = f.Bool("bias") ?? false;
            a.HiddenAct = f.String("activation") ?? "gelu";
        }

        // configuration_deepseek_v2.py / DeepSeek's modeling_deepseek.py: MLA attention (q_lora_rank null → a
        // plain q_proj), dense MLP in the first first_k_dense_replace layers, then MoE every moe_layer_freq layers
        // (layer_idx % freq == 0) with n_shared_experts fused into one MLP of moe_intermediate_size × n_shared.
        private static void DeepSeekV2(ConfigFields f, ModelArchitecture a) => DeepSeek(f, a, "greedy");

        // DeepSeek-V3 adds a per-expert e_score_correction_bias for topk_method noaux_tc (its default). DeepSeek's own
        // modeling_deepseek.py makes it an nn.Parameter (671,026,419,200 counts it); recent transformers registers a buffer.
        private static void DeepSeekV3(ConfigFields f, ModelArchitecture a) => DeepSeek(f, a, "noaux_tc");

        private static void DeepSeek(ConfigFields f, ModelArchitecture a, string topkMethodDefault)
        {
            LlamaStyle(f, a, tieDefault: false);
            AttentionBias(f, a, false);
            a.QLoraRank = f.Int("q_lora_rank");
            a.KvLoraRank = Positive(f, "kv_lora_rank", f.RequireInt("kv_lora_rank"));
            a.QkNopeHeadDim = f.RequireInt("qk_nope_head_dim");
            a.QkRopeHeadDim = f.RequireInt("qk_rope_head_dim");
            a.VHeadDim = f.RequireInt("v_head_dim");
            a.HeadDim = a.QkNopeHeadDim + a.QkRopeHeadDim;
            int? experts = f.Int("n_routed_experts");
            if (experts.HasValue && experts.Value > 0)
            {
                a.NumExperts = experts.Value;
                a.NumExpertsPerToken = f.Int("num_experts_per_tok") ?? 0;
                a.MoeIntermediateSize = f.RequireInt("moe_intermediate_size");
                a.NumSharedExperts = f.Int("n_shared_experts") ?? 0;
                a.SharedExpertIntermediateSize = a.MoeIntermediateSize * a.NumSharedExperts;
                a.FirstDenseLayers = f.Int("first_k_dense_replace") ?? 0;
                a.MoeLayerFrequency = Math.Max(1, f.Int("moe_layer_freq") ?? 1);
                a.MoeLayerPhase = 0;
                a.RouterBias = (f.String("topk_method") ?? topkMethodDefault) == "noaux_tc";
            }
        }

        // configuration_bert.py / modeling_bert.py (BertModel): word + position + token_type embeddings with a
        // LayerNorm, post-norm blocks (2 LayerNorms), biased projections, plain MLP, pooler, no final norm, no head.
        private static void Bert(ConfigFields f, ModelArchitecture a)
        {
            Common(f, a, tieDefault: true);
            if (a.MaxPositionEmbeddings == 0) a.MaxPositionEmbeddings = 512;
            a.LearnedPositionEmbeddings = a.MaxPositionEmbeddings;
            a.TypeVocabSize = f.Int("type_vocab_size") ?? 2;
            a.Norm = NormKind.LayerNorm;
            a.EmbeddingNorm = true;
            a.FinalNorm = false;
            a.HasLmHead = false;
            a.Pooler = true;
            a.GatedMlp = false;
            a.QkvBias = a.AttentionOutputBias = a.MlpBias = true;
        }
    }
}
