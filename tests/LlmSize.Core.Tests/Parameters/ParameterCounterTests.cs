using System.IO;
using LlmSize.Core.Models;
using LlmSize.Core.Parameters;
using LlmSize.Data;
using Xunit;

namespace LlmSize.Core.Tests.Parameters
{
    /// <summary>
    /// Families beyond the reference folder, from their published config.json (fields that do not change the count
    /// left out). Each expected total is derived by hand below; where a public exact count exists it is cited.
    /// </summary>
    public class ParameterCounterTests
    {
        private static ParameterBreakdown CountJson(string json) => ParameterCounter.Count(HfConfigReader.ReadJson(json, "test.json"));

        [Fact]
        public void Quick_estimate_reproduces_gpt3()
        {
            // 12·96·12288² + 50257·12288 = 173,946,175,488 + 617,558,016 (DESIGN.md §6, Kaplan et al. 2020).
            Assert.Equal(174_563_733_504L, ParameterCounter.QuickEstimate(96, 12288, 50257));
        }

        [Fact]
        public void Llama2_7b_breakdown_by_tensor_class()
        {
            var count = ParameterCounter.Count(HfConfigReader.ReadJson(
                File.ReadAllText(Path.Combine(SharedPaths.HfConfigs, "llama-2-7b.json")), "llama-2-7b.json"));
            Assert.Equal(32000L * 4096, count.Embeddings);
            Assert.Equal(32000L * 4096, count.LmHead);
            Assert.Equal(32L * 4 * 4096 * 4096, count.Attention);
            Assert.Equal(32L * 3 * 4096 * 11008, count.Mlp);
            Assert.Equal(65L * 4096, count.Norms); // 2 per layer + final
            Assert.Equal(0, count.PositionEmbeddings + count.RoutedExperts + count.SharedExperts + count.Router + count.Pooler);
            Assert.Equal(32, count.Layers.Count);
            Assert.Equal(6_738_415_616L, count.Total);
            Assert.Equal(count.Total - 32000L * 4096, count.NonEmbedding); // the untied lm_head stays in
        }

        [Fact]
        public void Mixtral_active_parameters()
        {
            // Expert: 3·4096·14336 = 176,160,768. Inactive per layer: 6 experts; 32 layers → 33,822,867,456.
            // 46,702,792,704 − 33,822,867,456 = 12,879,925,248 (Mistral AI: "12.9B active parameters").
            var count = ParameterCounter.Count(HfConfigReader.ReadJson(
                File.ReadAllText(Path.Combine(SharedPaths.HfConfigs, "mixtral-8x7b.json")), "mixtral.json"));
            Assert.Equal(46_702_792_704L, count.Total);
            Assert.Equal(12_879_925_248L, count.Active);
            Assert.Equal(32L * 8 * 4096, count.Router);
        }

        [Fact]
        public void DeepSeek_v3_active_parameters()
        {
            // Expert: 3·7168·2048 = 44,040,192; 248 idle experts in each of 58 MoE layers = 633,474,121,728.
            // 671,026,419,200 − 633,474,121,728 = 37,552,297,472 (DeepSeek-V3 report: 37B activated).
            var count = ParameterCounter.Count(HfConfigReader.ReadJson(
                File.ReadAllText(Path.Combine(SharedPaths.HfConfigs, "deepseek-v3.json")), "deepseek-v3.json"));
            Assert.Equal(37_552_297_472L, count.Active);
            Assert.Equal(58L * (256 * 7168 + 256), count.Router); // weight + e_score_correction_bias
            Assert.Equal(3L * 3 * 7168 * 18432, count.Mlp);        // first_k_dense_replace = 3 dense layers
        }

        [Fact]
        public void Qwen2_moe_qwen15_moe_a27b()
        {
            // Qwen/Qwen1.5-MoE-A2.7B. Embeddings + head 2·151936·2048 = 622,329,856.
            // Layer: q/k/v 3·(2048² + 2048) = 12,589,056, o 2048² = 4,194,304; experts 60·3·2048·1408 = 519,045,120;
            // shared expert 3·2048·5632 = 34,603,008 + gate 2048; router 60·2048 = 122,880; norms 4096
            // → 570,560,512 · 24 = 13,693,452,288. + final norm 2048 → 14,315,784,192 (keras-hub
            // qwen1.5_moe_2.7b_en "params": 14315784192).
            // Active: layer without 56 idle experts (484,442,112) = 86,118,400 · 24 + 622,331,904 = 2,689,173,504.
            var count = CountJson(@"{
  ""architectures"": [""Qwen2MoeForCausalLM""], ""model_type"": ""qwen2_moe"",
  ""decoder_sparse_step"": 1, ""hidden_act"": ""silu"", ""hidden_size"": 2048, ""intermediate_size"": 5632,
  ""max_position_embeddings"": 8192, ""max_window_layers"": 21, ""moe_intermediate_size"": 1408,
  ""norm_topk_prob"": false, ""num_attention_heads"": 16, ""num_experts"": 60, ""num_experts_per_tok"": 4,
  ""num_hidden_layers"": 24, ""num_key_value_heads"": 16, ""rms_norm_eps"": 1e-06, ""rope_theta"": 1000000.0,
  ""shared_expert_intermediate_size"": 5632, ""sliding_window"": 32768, ""tie_word_embeddings"": false,
  ""use_sliding_window"": false, ""vocab_size"": 151936
}");
            Assert.Equal(14_315_784_192L, count.Total);
            Assert.Equal(2_689_173_504L, count.Active);
            Assert.Equal(24L * (3 * 2048 * 5632 + 2048), count.SharedExperts);
        }

        [Fact]
        public void Qwen3_moe_30b_a3b()
        {
            // Qwen/Qwen3-30B-A3B. Embeddings + head 2·151936·2048 = 622,329,856.
            // Layer: q 2048·4096 + k,v 2·2048·512 + o 4096·2048 = 18,874,368; q/k norm 2·128; experts
            // 128·3·2048·768 = 603,979,776; router 128·2048 = 262,144; norms 4096 → 623,120,640 · 48 = 29,909,790,720.
            // + final 2048 → 30,532,122,624 (GGUF general.parameter_count of Qwen3-30B-A3B: 30532122624).
            // Active: 8 of 128 experts → 56,889,600 · 48 + 622,331,904 = 3,353,032,704.
            var count = CountJson(@"{
  ""architectures"": [""Qwen3MoeForCausalLM""], ""model_type"": ""qwen3_moe"", ""attention_bias"": false,
  ""decoder_sparse_step"": 1, ""head_dim"": 128, ""hidden_act"": ""silu"", ""hidden_size"": 2048,
  ""intermediate_size"": 6144, ""max_position_embeddings"": 40960, ""max_window_layers"": 48, ""mlp_only_layers"": [],
  ""moe_intermediate_size"": 768, ""norm_topk_prob"": true, ""num_attention_heads"": 32, ""num_experts"": 128,
  ""num_experts_per_tok"": 8, ""num_hidden_layers"": 48, ""num_key_value_heads"": 4, ""rms_norm_eps"": 1e-06,
  ""rope_theta"": 1000000.0, ""sliding_window"": null, ""tie_word_embeddings"": false, ""use_sliding_window"": false,
  ""vocab_size"": 151936
}");
            Assert.Equal(30_532_122_624L, count.Total);
            Assert.Equal(3_353_032_704L, count.Active);
        }

        [Fact]
        public void Qwen_moe_mlp_only_layers_and_sparse_step()
        {
            // decoder_sparse_step 2: layers 1 and 3 are sparse ((i + 1) % 2 == 0); mlp_only_layers [3] makes 3 dense.
            var a = HfConfigReader.ReadJson(@"{""model_type"": ""qwen3_moe"", ""hidden_size"": 64, ""intermediate_size"": 128,
  ""num_hidden_layers"": 4, ""num_attention_heads"": 4, ""num_key_value_heads"": 2, ""head_dim"": 16, ""vocab_size"": 100,
  ""num_experts"": 4, ""num_experts_per_tok"": 2, ""moe_intermediate_size"": 32, ""decoder_sparse_step"": 2,
  ""mlp_only_layers"": [3]}", "tiny.json");
            Assert.Equal(new[] { false, true, false, false }, new[] { a.IsMoeLayer(0), a.IsMoeLayer(1), a.IsMoeLayer(2), a.IsMoeLayer(3) });
            var count = ParameterCounter.Count(a);
            Assert.Equal(3L * 3 * 64 * 128, count.Mlp);
            Assert.Equal(4L * 3 * 64 * 32, count.RoutedExperts);
        }

        [Fact]
        public void DeepSeek_v2_lite_mla_without_q_lora()
        {
            // deepseek-ai/DeepSeek-V2-Lite. Embeddings + head 2·102400·2048 = 419,430,400.
            // MLA per layer: q_proj 2048·16·192 = 6,291,456; kv_a 2048·576 = 1,179,648; kv_a norm 512;
            // kv_b 512·16·256 = 2,097,152; o 16·128·2048 = 4,194,304 → 13,763,072 · 27 = 371,602,944.
            // Norms 2·2048·27 + 2048 = 112,640. Layer 0 dense: 3·2048·10944 = 67,239,936.
            // 26 MoE layers: experts 64·3·2048·1408 = 553,648,128; shared 3·2048·2816 = 17,301,504; router 131,072
            // → 571,080,704 · 26 = 14,848,098,304. Total 15,706,484,224 (chatllm.cpp reports 15706484224 for it).
            var count = CountJson(@"{
  ""architectures"": [""DeepseekV2ForCausalLM""], ""model_type"": ""deepseek_v2"", ""attention_bias"": false,
  ""first_k_dense_replace"": 1, ""hidden_act"": ""silu"", ""hidden_size"": 2048, ""intermediate_size"": 10944,
  ""kv_lora_rank"": 512, ""max_position_embeddings"": 163840, ""moe_intermediate_size"": 1408, ""moe_layer_freq"": 1,
  ""n_group"": 1, ""n_routed_experts"": 64, ""n_shared_experts"": 2, ""norm_topk_prob"": false,
  ""num_attention_heads"": 16, ""num_experts_per_tok"": 6, ""num_hidden_layers"": 27, ""num_key_value_heads"": 16,
  ""q_lora_rank"": null, ""qk_nope_head_dim"": 128, ""qk_rope_head_dim"": 64, ""rms_norm_eps"": 1e-06,
  ""routed_scaling_factor"": 1.0, ""scoring_func"": ""softmax"", ""tie_word_embeddings"": false, ""topk_group"": 1,
  ""topk_method"": ""greedy"", ""v_head_dim"": 128, ""vocab_size"": 102400
}");
            Assert.Equal(15_706_484_224L, count.Total);
            Assert.Equal(27L * 13_763_072, count.Attention);
        }

        [Fact]
        public void DeepSeek_v2_mla_with_q_lora()
        {
            // deepseek-ai/DeepSeek-V2. Embeddings + head 2·102400·5120 = 1,048,576,000.
            // MLA per layer: q_a 5120·1536 = 7,864,320; q_a norm 1536; q_b 1536·128·192 = 37,748,736;
            // kv_a 5120·576 = 2,949,120; kv_a norm 512; kv_b 512·128·256 = 16,777,216; o 128·128·5120 = 83,886,080
            // → 149,227,520 · 60 = 8,953,651,200. Norms 2·5120·60 + 5120 = 619,520. Dense layer 3·5120·12288 = 188,743,680.
            // 59 MoE layers: experts 160·3·5120·1536 = 3,774,873,600; shared 3·5120·3072 = 47,185,920; router 819,200
            // → 3,822,878,720 · 59 = 225,549,844,480. Total 235,741,434,880 (DeepSeek: 236B total).
            var count = CountJson(@"{
  ""model_type"": ""deepseek_v2"", ""first_k_dense_replace"": 1, ""hidden_size"": 5120, ""intermediate_size"": 12288,
  ""kv_lora_rank"": 512, ""moe_intermediate_size"": 1536, ""moe_layer_freq"": 1, ""n_group"": 8, ""n_routed_experts"": 160,
  ""n_shared_experts"": 2, ""num_attention_heads"": 128, ""num_experts_per_tok"": 6, ""num_hidden_layers"": 60,
  ""num_key_value_heads"": 128, ""q_lora_rank"": 1536, ""qk_nope_head_dim"": 128, ""qk_rope_head_dim"": 64,
  ""tie_word_embeddings"": false, ""topk_group"": 3, ""topk_method"": ""group_limited_greedy"", ""v_head_dim"": 128,
  ""vocab_size"": 102400
}");
            Assert.Equal(235_741_434_880L, count.Total);
            Assert.Equal(60L * 149_227_520, count.Attention);
        }

        [Fact]
        public void Phi2_parallel_block_biases_and_lm_head_bias()
        {
            // microsoft/phi-2. Embeddings 51200·2560 = 131,072,000; lm_head 131,072,000 + bias 51,200.
            // Layer: LayerNorm 5120; q,k,v,dense 4·(2560² + 2560) = 26,224,640; fc1 2560·10240 + 10240, fc2 10240·2560 + 2560
            // = 52,441,600 → 78,671,360 · 32 = 2,517,483,520. final_layernorm 5120.
            // Total 2,779,683,840 (Hub safetensors metadata of microsoft/phi-2: F16 2779683840).
            var count = CountJson(@"{
  ""architectures"": [""PhiForCausalLM""], ""model_type"": ""phi"", ""hidden_act"": ""gelu_new"", ""hidden_size"": 2560,
  ""intermediate_size"": 10240, ""layer_norm_eps"": 1e-05, ""max_position_embeddings"": 2048, ""num_attention_heads"": 32,
  ""num_hidden_layers"": 32, ""num_key_value_heads"": 32, ""partial_rotary_factor"": 0.4, ""qk_layernorm"": false,
  ""rope_theta"": 10000.0, ""tie_word_embeddings"": false, ""vocab_size"": 51200
}");
            Assert.Equal(2_779_683_840L, count.Total);
            Assert.Equal(131_072_000L + 51_200, count.LmHead);
        }

        [Fact]
        public void Gemma3_text_1b()
        {
            // google/gemma-3-1b-pt (model_type gemma3_text). Tied embeddings 262144·1152 = 301,989,888.
            // Layer: q 1152·1024 + k,v 2·1152·256 + o 1024·1152 = 2,949,120; q/k norm 2·256; MLP 3·1152·6912 = 23,887,872;
            // 4 norms 4608 → 26,842,112 · 26 = 697,894,912. + final 1152 → 999,885,952
            // (keras-hub gemma3_1b "params": 999885952; GGUF of gemma-3-1b-it: 999885952).
            var count = CountJson(@"{
  ""architectures"": [""Gemma3ForCausalLM""], ""model_type"": ""gemma3_text"", ""attention_bias"": false,
  ""head_dim"": 256, ""hidden_activation"": ""gelu_pytorch_tanh"", ""hidden_size"": 1152, ""intermediate_size"": 6912,
  ""max_position_embeddings"": 32768, ""num_attention_heads"": 4, ""num_hidden_layers"": 26, ""num_key_value_heads"": 1,
  ""query_pre_attn_scalar"": 256, ""rms_norm_eps"": 1e-06, ""sliding_window"": 512, ""sliding_window_pattern"": 6,
  ""vocab_size"": 262144
}");
            Assert.Equal(999_885_952L, count.Total);
        }

        [Fact]
        public void Gemma3_multimodal_counts_its_language_model()
        {
            // google/gemma-3-4b text_config (defaults: 8 heads, 4 kv heads, head_dim 256, vocab 262208, tied).
            // Embeddings 262208·2560 = 671,252,480. Layer: q 2560·2048 + k,v 2·2560·1024 + o 2048·2560 = 15,728,640;
            // q/k norm 512; MLP 3·2560·10240 = 78,643,200; 4 norms 10,240 → 94,382,592 · 34 = 3,209,008,128; final 2560.
            // Language model 3,880,263,168. Gemma3ForConditionalGeneration's 4,300,079,472 also holds the SigLIP vision
            // tower and projector (the remaining 419,816,304), which this counter does not model.
            var count = CountJson(@"{
  ""architectures"": [""Gemma3ForConditionalGeneration""], ""model_type"": ""gemma3"",
  ""text_config"": { ""hidden_size"": 2560, ""intermediate_size"": 10240, ""model_type"": ""gemma3_text"",
                     ""num_hidden_layers"": 34, ""sliding_window"": 1024 },
  ""vision_config"": { ""hidden_size"": 1152, ""image_size"": 896, ""model_type"": ""siglip_vision_model"" }
}");
            Assert.Equal(3_880_263_168L, count.Total);
        }

        [Fact]
        public void Starcoder2_3b()
        {
            // bigcode/starcoder2-3b (the Starcoder2Config defaults). Tied embeddings 49152·3072 = 150,994,944.
            // Layer: q 3072² + 3072 = 9,440,256; k,v 2·(3072·256 + 256) = 1,573,376; o 9,440,256;
            // c_fc 3072·12288 + 12288, c_proj 12288·3072 + 3072 = 75,512,832; 2 LayerNorms 12,288 → 95,979,008 · 30
            // = 2,879,370,240. Final LayerNorm 6144. Total 3,030,371,328 (published as 3B).
            var count = CountJson(@"{
  ""architectures"": [""Starcoder2ForCausalLM""], ""model_type"": ""starcoder2"", ""hidden_act"": ""gelu_pytorch_tanh"",
  ""hidden_size"": 3072, ""intermediate_size"": 12288, ""max_position_embeddings"": 16384, ""norm_epsilon"": 1e-05,
  ""num_attention_heads"": 24, ""num_hidden_layers"": 30, ""num_key_value_heads"": 2, ""rope_theta"": 999999.4420358813,
  ""sliding_window"": 4096, ""use_bias"": true, ""vocab_size"": 49152
}");
            Assert.Equal(3_030_371_328L, count.Total);
        }

        [Fact]
        public void Gpt_bigcode_santacoder_multi_query()
        {
            // bigcode/gpt_bigcode-santacoder. wte 49280·2048 = 100,925,440; wpe 2048·2048 = 4,194,304.
            // Layer: ln_1, ln_2 2·4096; c_attn 2048·(2048 + 2·128) + 2304 = 4,720,896; c_proj 2048² + 2048 = 4,196,352;
            // c_fc 2048·8192 + 8192, c_proj 8192·2048 + 2048 = 33,564,672 → 42,490,112 · 24 = 1,019,762,688.
            // ln_f 4096. Total 1,124,886,528 (published as 1.1B).
            var count = CountJson(@"{
  ""architectures"": [""GPTBigCodeForCausalLM""], ""model_type"": ""gpt_bigcode"", ""activation_function"": ""gelu_fast"",
  ""multi_query"": true, ""n_embd"": 2048, ""n_head"": 16, ""n_inner"": 8192, ""n_layer"": 24, ""n_positions"": 2048,
  ""vocab_size"": 49280
}");
            Assert.Equal(1_124_886_528L, count.Total);
            Assert.Equal(2048L * 2048, count.PositionEmbeddings);
        }

        [Fact]
        public void Cohere_command_r_parallel_block()
        {
            // CohereForAI/c4ai-command-r-v01. Tied embeddings 256000·8192 = 2,097,152,000.
            // Layer: attention 4·8192² = 268,435,456; MLP 3·8192·22528 = 553,648,128; one weight-only LayerNorm 8192
            // → 822,091,776 · 40 = 32,883,671,040. Final norm 8192. Total 34,980,831,232 (published as 35B).
            var count = CountJson(@"{
  ""architectures"": [""CohereForCausalLM""], ""model_type"": ""cohere"", ""attention_bias"": false, ""hidden_act"": ""silu"",
  ""hidden_size"": 8192, ""intermediate_size"": 22528, ""layer_norm_eps"": 1e-05, ""logit_scale"": 0.0625,
  ""max_position_embeddings"": 8192, ""num_attention_heads"": 64, ""num_hidden_layers"": 40, ""num_key_value_heads"": 64,
  ""rope_theta"": 8000000.0, ""use_qk_norm"": false, ""vocab_size"": 256000
}");
            Assert.Equal(34_980_831_232L, count.Total);
            Assert.Equal(41L * 8192, count.Norms);
        }

        [Fact]
        public void Cohere_qk_norm_covers_all_heads()
        {
            // use_qk_norm: q_norm weight (heads, head_dim), k_norm (kv heads, head_dim), no bias (modeling_cohere.py).
            const string json = @"{""model_type"": ""cohere"", ""hidden_size"": 64, ""intermediate_size"": 128, ""num_hidden_layers"": 2,
  ""num_attention_heads"": 4, ""num_key_value_heads"": 2, ""vocab_size"": 100, ""use_qk_norm"": QK}";
            long without = CountJson(json.Replace("QK", "false")).Total;
            long with = CountJson(json.Replace("QK", "true")).Total;
            Assert.Equal(2L * (4 * 16 + 2 * 16), with - without);
        }

        [Fact]
        public void Olmo2_7b_qk_norm_over_all_heads()
        {
            // allenai/OLMo-2-1124-7B. Embeddings + head 2·100352·4096 = 822,083,584.
            // Layer: attention 4·4096² = 67,108,864; q_norm 4096 + k_norm 4096; MLP 3·4096·11008 = 135,266,304;
            // post-attention and post-feedforward RMSNorm 8192 → 202,391,552 · 32 = 6,476,529,664. Final 4096.
            // Total 7,298,617,344 (Hub safetensors total of allenai/OLMo-2-1124-7B: 7298617344).
            var count = CountJson(@"{
  ""architectures"": [""Olmo2ForCausalLM""], ""model_type"": ""olmo2"", ""attention_bias"": false, ""hidden_act"": ""silu"",
  ""hidden_size"": 4096, ""intermediate_size"": 11008, ""max_position_embeddings"": 4096, ""num_attention_heads"": 32,
  ""num_hidden_layers"": 32, ""num_key_value_heads"": 32, ""rms_norm_eps"": 1e-06, ""rope_theta"": 500000,
  ""tie_word_embeddings"": false, ""vocab_size"": 100352
}");
            Assert.Equal(7_298_617_344L, count.Total);
        }

        [Fact]
        public void Gpt_neox_pythia_70m()
        {
            // EleutherAI/pythia-70m. embed_in + embed_out 2·50304·512 = 51,511,296.
            // Layer: 2 LayerNorms 2048; qkv 512·1536 + 1536 = 787,968; dense 512² + 512 = 262,656;
            // MLP 512·2048 + 2048 + 2048·512 + 512 = 2,099,712 → 3,152,384 · 6 = 18,914,304. Final LayerNorm 1024.
            // Total 70,426,624 (GPTNeoXForCausalLM pythia-70m, as listed by several Pythia analyses).
            var count = CountJson(@"{
  ""architectures"": [""GPTNeoXForCausalLM""], ""model_type"": ""gpt_neox"", ""hidden_act"": ""gelu"", ""hidden_size"": 512,
  ""intermediate_size"": 2048, ""max_position_embeddings"": 2048, ""num_attention_heads"": 8, ""num_hidden_layers"": 6,
  ""rotary_emb_base"": 10000, ""rotary_pct"": 0.25, ""tie_word_embeddings"": false, ""use_parallel_residual"": true,
  ""vocab_size"": 50304
}");
            Assert.Equal(70_426_624L, count.Total);
        }

        [Fact]
        public void Bert_large_uncased_bert_model_with_pooler()
        {
            // google-bert/bert-large-uncased as BertModel. Embeddings: word 30522·1024 = 31,254,528,
            // position 512·1024 = 524,288, token_type 2·1024 = 2048, LayerNorm 2048.
            // Layer: q,k,v,o 4·(1024² + 1024) = 4,198,400; LayerNorm 2048; intermediate 1024·4096 + 4096 = 4,198,400;
            // output 4096·1024 + 1024 = 4,195,328; LayerNorm 2048 → 12,596,224 · 24 = 302,309,376.
            // Pooler 1024² + 1024 = 1,049,600. Total 335,141,888 (keras-hub bert_large_en_uncased "params": 335141888;
            // a public test asserts the same count for BertModel.from_pretrained("bert-large-uncased")).
            var count = CountJson(@"{
  ""architectures"": [""BertForMaskedLM""], ""model_type"": ""bert"", ""attention_probs_dropout_prob"": 0.1,
  ""hidden_act"": ""gelu"", ""hidden_size"": 1024, ""intermediate_size"": 4096, ""layer_norm_eps"": 1e-12,
  ""max_position_embeddings"": 512, ""num_attention_heads"": 16, ""num_hidden_layers"": 24, ""pad_token_id"": 0,
  ""type_vocab_size"": 2, ""vocab_size"": 30522
}");
            Assert.Equal(335_141_888L, count.Total);
            Assert.Equal(1_049_600L, count.Pooler);
            Assert.Equal(0, count.LmHead);
            Assert.Equal(512L * 1024, count.PositionEmbeddings);
        }

        [Fact]
        public void Opt_350m_projection_and_no_final_norm()
        {
            // facebook/opt-350m: word_embed_proj_dim 512 ≠ hidden 1024, do_layer_norm_before false.
            // Embeddings 50272·512 = 25,739,264 + project_in 512·1024 + project_out 1024·512 = 1,048,576.
            // Positions (2048 + 2)·1024 = 2,099,200. Layer: 4·(1024² + 1024) = 4,198,400; fc1 1024·4096 + 4096,
            // fc2 4096·1024 + 1024 = 8,393,728; 2 LayerNorms 4096 → 12,596,224 · 24 = 302,309,376. No final norm.
            // Total 331,196,416 (published as 350M).
            var count = CountJson(@"{
  ""architectures"": [""OPTForCausalLM""], ""model_type"": ""opt"", ""activation_function"": ""relu"",
  ""do_layer_norm_before"": false, ""ffn_dim"": 4096, ""hidden_size"": 1024, ""max_position_embeddings"": 2048,
  ""num_attention_heads"": 16, ""num_hidden_layers"": 24, ""vocab_size"": 50272, ""word_embed_proj_dim"": 512
}");
            Assert.Equal(331_196_416L, count.Total);
            Assert.Equal(25_739_264L + 1_048_576, count.Embeddings);
        }

        [Fact]
        public void Falcon_new_decoder_architecture_uses_kv_heads_and_two_norms()
        {
            // tiiuae/falcon-40b: new_decoder_architecture, 128 heads, 8 kv heads, head_dim 64, no bias, tied.
            // Embeddings 65024·8192 = 532,676,608. Layer: qkv 8192·(128 + 16)·64 = 75,497,472; dense 8192² = 67,108,864;
            // MLP 2·8192·32768 = 536,870,912; ln_attn + ln_mlp 32,768 → 679,510,016 · 60 = 40,770,600,960.
            // ln_f 16,384. Total 41,303,293,952 (the checkpoint also stores the tied lm_head.weight, as index.json notes for
            // Falcon-7B; num_parameters() counts it once).
            var count = CountJson(@"{
  ""model_type"": ""falcon"", ""alibi"": false, ""bias"": false, ""hidden_size"": 8192, ""multi_query"": true,
  ""new_decoder_architecture"": true, ""num_attention_heads"": 128, ""num_hidden_layers"": 60, ""num_kv_heads"": 8,
  ""parallel_attn"": true, ""vocab_size"": 65024
}");
            Assert.Equal(41_303_293_952L, count.Total);
        }

        [Fact]
        public void Counter_works_on_an_architecture_built_in_code()
        {
            // No reader involved: a Llama-shaped model described directly (as a catalog might).
            var a = new ModelArchitecture
            {
                ModelType = "llama", HiddenSize = 4096, NumLayers = 32, NumAttentionHeads = 32, NumKeyValueHeads = 32,
                HeadDim = 128, IntermediateSize = 11008, VocabSize = 32000, GatedMlp = true,
            };
            Assert.Equal(6_738_415_616L, ParameterCounter.Count(a).Total);
        }
    }
}
