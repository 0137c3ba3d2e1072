using FsCheck.Xunit;
using LlmSize.Core.Models;
using LlmSize.Core.Training;
using Xunit;

namespace LlmSize.Core.Tests.Training
{
    /// <summary>
    /// The per-tensor activation accounting against Korthikanti et al. 2022 (arXiv 2205.05198) Table 2, which gives
    /// bytes per layer for the GPT block in 16 bit: none sbh(34 + 5as/h); TP sbh(10 + 24/t + 5as/(ht));
    /// TP+SP sbh(34/t + 5as/(ht)); TP+SP+selective 34sbh/t; full recomputation 2sbh.
    /// </summary>
    public class ActivationMemoryTests
    {
        private static ActivationOptions Options(int b, int s, int t = 1, bool sp = false, bool flash = false, bool dropout = true,
            PrecisionRegime regime = PrecisionRegime.Mixed) => new ActivationOptions
        {
            MicroBatchSize = b, SequenceLength = s, TensorParallel = t, SequenceParallel = sp, FlashAttention = flash,
            Dropout = dropout, Precision = ActivationPrecision.For(regime),
        };

        [Theory]
        // (s, b, h, a): GPT-3 175B and Megatron's 530B/1T shapes from the paper's Table 3, and small ones.
        [InlineData(2048, 1, 12288, 96)]
        [InlineData(2048, 1, 20480, 128)]
        [InlineData(2048, 1, 25600, 160)]
        [InlineData(1024, 4, 768, 12)]
        [InlineData(512, 8, 1024, 16)]
        public void Gpt_block_is_34_plus_5as_over_h_exactly(int s, int b, int h, int a)
        {
            ModelArchitecture gpt = TrainingTestModels.Gpt(1, h, a);
            LayerActivations layer = ActivationMemory.Layer(gpt, 0, Options(b, s));
            double sbh = (double)s * b * h;
            // sbh(34 + 5as/h) = 34sbh + 5as²b.
            Assert.Equal(34 * sbh + 5.0 * a * s * s * b, layer.Total);
            Assert.Equal(10 * sbh, layer.Replicated);   // 2 norm inputs 4, QKV input 2, MLP input 2, 2 dropout masks
            Assert.Equal(24 * sbh, layer.Split);        // Q, K, V 6, projection input 2, MLP inner 16
            Assert.Equal(5.0 * a * s * s * b, layer.Scores);
            Assert.Equal(2 * sbh, layer.Input);
        }

        [Property]
        public bool Gpt_block_law_holds_for_any_shape(byte heads, byte headDim, byte seq, byte batch)
        {
            int a = 1 + heads % 32, dh = 8 * (1 + headDim % 16), s = 16 * (1 + seq % 64), b = 1 + batch % 8;
            int h = a * dh;
            LayerActivations layer = ActivationMemory.Layer(TrainingTestModels.Gpt(1, h, a), 0, Options(b, s));
            return layer.Total == (double)s * b * h * 34 + 5.0 * a * s * s * b;
        }

        [Theory]
        [InlineData(2)]
        [InlineData(4)]
        [InlineData(8)]
        public void Tensor_parallel_variants_of_table_2(int t)
        {
            const int s = 2048, b = 1, h = 12288, a = 96;
            ModelArchitecture gpt = TrainingTestModels.Gpt(1, h, a);
            double sbh = (double)s * b * h;
            double scores = 5.0 * a * s / (h * (double)t);

            LayerActivations tp = ActivationMemory.Layer(gpt, 0, Options(b, s, t));
            Assert.Equal(sbh * (10 + 24.0 / t + scores), tp.Total, 6);

            LayerActivations tpSp = ActivationMemory.Layer(gpt, 0, Options(b, s, t, sp: true));
            Assert.Equal(sbh * (34.0 / t + scores), tpSp.Total, 6);
            // Selective recomputation drops the a·s² terms: 34sbh/t with SP, sbh(10 + 24/t) without.
            Assert.Equal(34 * sbh / t, tpSp.Kept(RecomputeMode.Selective), 6);
            Assert.Equal(sbh * (10 + 24.0 / t), tp.Kept(RecomputeMode.Selective), 6);
            // Full recomputation keeps the layer input: 2sbh, split along the sequence under SP.
            Assert.Equal(2 * sbh, tp.Kept(RecomputeMode.Full), 6);
            Assert.Equal(2 * sbh / t, tpSp.Kept(RecomputeMode.Full), 6);
        }

        [Fact]
        public void Flash_attention_removes_the_a_s_squared_terms()
        {
            const int s = 4096, b = 2, h = 4096, a = 32;
            LayerActivations flash = ActivationMemory.Layer(TrainingTestModels.Gpt(1, h, a), 0, Options(b, s, flash: true));
            double sbh = (double)s * b * h;
            // 34sbh stays; the s×s terms go; FlashAttention keeps its fp32 row log-sum-exp, 4 bytes per head and token.
            Assert.Equal(0, flash.Scores);
            Assert.Equal(34 * sbh + 4.0 * a * s * b, flash.Total);
        }

        [Fact]
        public void Fp32_doubles_every_value_but_not_the_one_byte_masks()
        {
            const int s = 512, b = 4, h = 1024, a = 16;
            LayerActivations fp32 = ActivationMemory.Layer(TrainingTestModels.Gpt(1, h, a), 0, Options(b, s, regime: PrecisionRegime.Fp32));
            double sbh = (double)s * b * h, as2b = (double)a * s * s * b;
            // 16-bit: 32sbh of values + 2sbh of masks, 4as²b of values + as²b mask. fp32: 64 + 2 and 8 + 1.
            Assert.Equal(66 * sbh + 9 * as2b, fp32.Total);
        }

        [Fact]
        public void Without_dropout_masks_vanish_and_attention_reuses_the_softmax_output()
        {
            const int s = 1024, b = 1, h = 2048, a = 16;
            LayerActivations layer = ActivationMemory.Layer(TrainingTestModels.Gpt(1, h, a), 0, Options(b, s, dropout: false));
            double sbh = (double)s * b * h;
            // 34 − 2 masks = 32sbh; 5as²b − mask − dropout output = 2as²b.
            Assert.Equal(32 * sbh + 2.0 * a * s * s * b, layer.Total);
        }

        [Fact]
        public void Llama_2_7b_gated_mlp_rmsnorm_no_dropout()
        {
            ModelArchitecture llama = TrainingTestModels.Reference("llama-2-7b.json").Architecture;
            const int s = 4096, b = 1;
            LayerActivations layer = ActivationMemory.Layer(llama, 0, Options(b, s, dropout: false));
            double h = 4096, i = 11008, a = 32;
            // 2 RMSNorm inputs 4h, QKV input 2h, Q K V 6h, o_proj input 2h, MLP input 2h, SwiGLU 4 tensors of i: 8i;
            // scores: softmax output 2as (×V reuses it).
            double perToken = 4 * h + 2 * h + 6 * h + 2 * h + 2 * h + 8 * i + 2 * a * s;
            Assert.Equal(perToken * s * b, layer.Total);
        }

        [Fact]
        public void Gqa_keys_and_values_are_n_kv_wide_with_flash_and_expanded_without()
        {
            ModelArchitecture llama3 = TrainingTestModels.Reference("llama-3-8b.json").Architecture; // 32 heads, 8 KV heads, d_h 128
            const int s = 8192, b = 1;
            double h = 4096, i = 14336, a = 32, kv = 8 * 128;
            LayerActivations flash = ActivationMemory.Layer(llama3, 0, Options(b, s, flash: true, dropout: false));
            double flashPerToken = 4 * h + 2 * h + 2 * (h + kv + kv) + 2 * h + 2 * h + 8 * i + 4 * a;
            Assert.Equal(flashPerToken * s * b, flash.Total);

            LayerActivations eager = ActivationMemory.Layer(llama3, 0, Options(b, s, dropout: false));
            // repeat_kv expands K and V to all 32 heads before the matmuls.
            double eagerPerToken = 4 * h + 2 * h + 2 * (3 * h) + 2 * h + 2 * h + 8 * i + 2 * a * s;
            Assert.Equal(eagerPerToken * s * b, eager.Total);
        }

        [Fact]
        public void Softmax_that_keeps_its_input_adds_one_score_tensor()
        {
            const int s = 512, b = 1, h = 1024, a = 16;
            var options = Options(b, s);
            options.SoftmaxSavesInput = true;
            LayerActivations layer = ActivationMemory.Layer(TrainingTestModels.Gpt(1, h, a), 0, options);
            Assert.Equal(34.0 * s * b * h + 7.0 * a * s * s * b, layer.Total);
        }

        [Fact]
        public void Amp_bert_block_keeps_fp32_residuals_and_16_bit_casts()
        {
            // torch.autocast: q, k, v each save a 16-bit copy of the fp32 LayerNorm output (6), Q K V (6), context (2),
            // dropout mask (1), fp32 LayerNorm input (4); MLP: 16-bit input copy (2), GeLU input and output 4h each (16),
            // mask (1), fp32 LayerNorm input (4) → 42sbh. Scores: fp32 softmax output (4), mask (1), 16-bit copy for ×V (2).
            ModelArchitecture bert = TrainingTestModels.BertLargeUncased().Architecture;
            const int s = 512, b = 1;
            double sbh = s * b * 1024.0, as2b = 16.0 * s * s * b;
            LayerActivations layer = ActivationMemory.Layer(bert, 0, Options(b, s, regime: PrecisionRegime.Amp));
            Assert.Equal(42 * sbh + 7 * as2b, layer.Total);
        }

        [Fact]
        public void Logits_are_fp32_values_and_gradient_split_by_vocabulary()
        {
            ModelArchitecture llama3 = TrainingTestModels.Reference("llama-3-8b.json").Architecture;
            // 2 · b·s·V·4 = 2 · 1 · 4096 · 128256 · 4 = 4,202,692,608 bytes (3.91 GiB) — more than a layer's activations.
            Assert.Equal(4_202_692_608.0, ActivationMemory.Logits(llama3, 1, 4096, 1));
            Assert.Equal(4_202_692_608.0 / 4, ActivationMemory.Logits(llama3, 1, 4096, 4));
            ModelArchitecture bert = TrainingTestModels.BertLargeUncased().Architecture;
            Assert.Equal(0, ActivationMemory.Logits(bert, 4, 512, 1)); // no LM head
        }
    }
}
