using System;
using System.Linq;
using LlmSize.Core.Models;
using LlmSize.Core.Parameters;
using LlmSize.Core.Training;
using LlmSize.Core.Units;
using Xunit;

namespace LlmSize.Core.Tests.Training
{
    public class TrainingEstimatorTests
    {
        private static TrainingEstimate Estimate(ModelSpec model, Action<TrainingRequest>? configure = null)
        {
            var request = new TrainingRequest(model);
            configure?.Invoke(request);
            return TrainingEstimator.Estimate(request);
        }

        [Fact]
        public void Seed_worked_example_activations_both_ways()
        {
            // DESIGN.md §10: 48 layers, b = 32, s = 2048, d = 4096. The seed writes "[b, s, d] per layer, 4 bytes" and 1.4 TB.
            const int layers = 48, b = 32, s = 2048, d = 4096, a = 32;
            // The seed's formula: 48 · 32 · 2048 · 4096 · 4 B = 51,539,607,552 B = 51.5 GB = 48 GiB.
            double seedFormula = (double)layers * b * s * d * 4;
            Assert.Equal(51_539_607_552.0, seedFormula);
            Assert.Equal(48.0, ByteSize.FromBytes(seedFormula).GiB);

            // Korthikanti with a = 32 heads (16-bit): per layer sbh(34 + 5as/h) = 268,435,456 · (34 + 80) = 30,601,641,984 B;
            // × 48 = 1,468,878,815,232 B = 1.469 TB (1.336 TiB) — the seed's 1.4 TB came from this, not from its formula.
            ModelArchitecture gpt = TrainingTestModels.Gpt(layers, d, a);
            var options = new ActivationOptions { MicroBatchSize = b, SequenceLength = s, Dropout = true };
            double korthikanti = 0;
            for (int i = 0; i < layers; i++) korthikanti += ActivationMemory.Layer(gpt, i, options).Total;
            Assert.Equal(1_468_878_815_232.0, korthikanti);
            Assert.Equal(1.469, Math.Round(korthikanti / 1e12, 3));
            Assert.Equal(1.336, Math.Round(ByteSize.FromBytes(korthikanti).TiB, 3));

            // Training total with the 7B fp32 Adam states (28 + 28 + 56 = 112 GB): 1.581 TB, not the seed's 1.48 TB.
            double states = ModelStates.Full(ParameterShapes.FromCount(7_000_000_000), PrecisionRegime.Fp32, OptimizerKind.AdamW).Total;
            Assert.Equal(1.581, Math.Round((states + korthikanti) / 1e12, 3));
        }

        [Fact]
        public void Parts_add_up_and_inputs_are_echoed()
        {
            ModelSpec llama = TrainingTestModels.Reference("llama-2-7b.json");
            TrainingEstimate e = Estimate(llama, r =>
            {
                r.MicroBatchSize = 2; r.SequenceLength = 4096; r.GradientAccumulation = 8; r.FlashAttention = true;
                r.Recompute = RecomputeMode.Selective; r.ZeroStage = 2; r.DataParallel = 8; r.Optimizer = OptimizerKind.Lion;
            });
            Assert.Equal(e.Weights + e.Gradients + e.OptimizerStates + e.GatherBuffer + e.Activations + e.Logits + e.Overhead, e.PerGpu);
            Assert.Equal(e.PerGpu.Bytes * 8, e.Total.Bytes);
            Assert.Equal(("llama-2-7b", 2, 4096, 8, true, RecomputeMode.Selective, 2, 8, OptimizerKind.Lion),
                (e.ModelId, e.MicroBatchSize, e.SequenceLength, e.GradientAccumulation, e.FlashAttention, e.Recompute, e.ZeroStage, e.DataParallel, e.Optimizer));
            Assert.Equal(ParameterCounter.Count(llama.Architecture).Total, e.Parameters);
            Assert.Equal(6_738_415_616L, e.TrainableParameters);
            Assert.Equal(TrainingEstimator.DefaultOverhead, e.Overhead);
            Assert.Empty(e.Warnings);
        }

        [Fact]
        public void Full_mixed_adamw_model_states_on_one_gpu()
        {
            ModelSpec llama = TrainingTestModels.Reference("llama-2-7b.json");
            TrainingEstimate e = Estimate(llama);
            const double psi = 6_738_415_616;
            Assert.Equal(ByteSize.FromBytes(2 * psi), e.Weights);
            Assert.Equal(ByteSize.FromBytes(2 * psi), e.Gradients);
            Assert.Equal(ByteSize.FromBytes(12 * psi), e.OptimizerStates);
            // Loss buffers: 2 · 1 · 2048 · 32000 · 4 = 524,288,000 bytes.
            Assert.Equal(524_288_000L, e.Logits.Bytes);
            Assert.Equal("only", e.PipelineStage);
            Assert.False(e.Dropout);
        }

        [Fact]
        public void Zero_stages_over_8_gpus()
        {
            ModelSpec llama = TrainingTestModels.Reference("llama-2-70b.json");
            double psi = ParameterCounter.Count(llama.Architecture).Total;
            TrainingEstimate[] sweep = Enumerable.Range(1, 3)
                .Select(stage => Estimate(llama, r => { r.ZeroStage = stage; r.DataParallel = 8; })).ToArray();
            // Stage 1: 2Ψ + 2Ψ + 12Ψ/8; stage 2: 2Ψ + 14Ψ/8; stage 3: 16Ψ/8 + gather buffer.
            Assert.Equal(ByteSize.FromBytes(12 * psi / 8), sweep[0].OptimizerStates);
            Assert.Equal(ByteSize.FromBytes(2 * psi), sweep[0].Gradients);
            Assert.Equal(ByteSize.FromBytes(2 * psi / 8), sweep[1].Gradients);
            Assert.Equal(ByteSize.FromBytes(2 * psi / 8), sweep[2].Weights);
            Assert.True(sweep[0].PerGpu > sweep[1].PerGpu && sweep[1].PerGpu > sweep[2].PerGpu);
            // Largest module of Llama-2-70B: the 32000 × 8192 embedding (and lm_head) = 262,144,000 parameters, × (2 + 2) bytes.
            Assert.Equal(262_144_000L * 4, sweep[2].GatherBuffer.Bytes);
            Assert.Equal(0, sweep[1].GatherBuffer.Bytes);
            Assert.Equal("estimate_zero3_model_states_mem_needs", sweep[2].DeepSpeed!.Function);
            Assert.Equal(sweep[1].DeepSpeed!.CpuPerNode, sweep[1].HostMemory);
        }

        [Fact]
        public void Optimizer_offload_moves_states_and_gradients_to_the_host()
        {
            ModelSpec llama = TrainingTestModels.Reference("llama-2-7b.json");
            TrainingEstimate e = Estimate(llama, r => { r.ZeroStage = 2; r.DataParallel = 8; r.Offload = OffloadMode.Optimizer; });
            const double psi = 6_738_415_616;
            Assert.Equal(ByteSize.Zero, e.OptimizerStates);
            Assert.Equal(ByteSize.Zero, e.Gradients);
            Assert.Equal(ByteSize.FromBytes(2 * psi), e.Weights); // DeepSpeed's offload GPU figure: 2Ψ
            Assert.Equal(e.DeepSpeed!.GpuPerRank, e.Weights);
            // Host: Ψ · max(4 · 8, 16) · 1.5 per node.
            Assert.Equal(ByteSize.FromBytes(Math.Floor(psi * 32 * 1.5)), e.HostMemory);

            TrainingEstimate all = Estimate(llama, r => { r.ZeroStage = 3; r.DataParallel = 8; r.Offload = OffloadMode.OptimizerAndParameters; });
            Assert.Equal(ByteSize.Zero, all.Weights);
            Assert.True(all.GatherBuffer.Bytes > 0);
        }

        [Fact]
        public void First_pipeline_stage_holds_all_layers_worth_of_activations()
        {
            ModelSpec llama = TrainingTestModels.Reference("llama-2-7b.json");
            // 4 stages of 8 layers, 8 micro-batches: 1F1B keeps 4 micro-batches in flight on the first stage → 8 · 4 = 32 layers' worth.
            TrainingEstimate single = Estimate(llama, r => { r.FlashAttention = true; r.SequenceLength = 4096; });
            TrainingEstimate piped = Estimate(llama, r => { r.FlashAttention = true; r.SequenceLength = 4096; r.PipelineParallel = 4; r.GradientAccumulation = 8; });
            var options = new ActivationOptions { SequenceLength = 4096, FlashAttention = true };
            double head = ActivationMemory.Head(llama.Architecture, options);
            Assert.Equal("first", piped.PipelineStage);
            Assert.Equal(4, piped.MicroBatchesInFlight);
            Assert.Equal(single.Activations.Bytes - head, piped.Activations.Bytes, 0);
            Assert.Equal(ByteSize.Zero, piped.Logits);
            // Weights: embedding + 8 layers.
            ParameterBreakdown c = ParameterCounter.Count(llama.Architecture);
            Assert.Equal(ByteSize.FromBytes(2.0 * (c.Embeddings + 8 * c.Layers[0].Total)), piped.Weights);
        }

        [Fact]
        public void Full_recomputation_keeps_layer_inputs_plus_one_layer()
        {
            ModelSpec llama = TrainingTestModels.Reference("llama-2-7b.json");
            var options = new ActivationOptions { SequenceLength = 2048 };
            LayerActivations layer = ActivationMemory.Layer(llama.Architecture, 0, options);
            TrainingEstimate e = Estimate(llama, r => r.Recompute = RecomputeMode.Full);
            // 32 inputs of 2 · s · h bytes + one layer's full set + the head's final-norm and lm_head inputs.
            double expected = 32 * 2.0 * 2048 * 4096 + layer.Total + ActivationMemory.Head(llama.Architecture, options);
            Assert.Equal(ByteSize.FromBytes(expected), e.Activations);
        }

        [Fact]
        public void Lora_trainable_parameters_match_peft()
        {
            // peft print_trainable_parameters for Llama-2-7B, r = 8, target q_proj and v_proj: "trainable params: 4,194,304".
            // Per layer 8 · (4096 + 4096) · 2 = 131,072; × 32 layers.
            TrainingEstimate llama2 = Estimate(TrainingTestModels.Reference("llama-2-7b.json"), r => r.Method = TrainingMethod.LoRA);
            Assert.Equal(4_194_304L, llama2.TrainableParameters);

            // GQA: Llama-3-8B v_proj is 4096 → 1024. r = 8, q, v: 8 · (4096 + 4096) + 8 · (4096 + 1024) = 106,496 × 32 = 3,407,872.
            ModelSpec llama3 = TrainingTestModels.Reference("llama-3-8b.json");
            Assert.Equal(3_407_872L, Estimate(llama3, r => r.Method = TrainingMethod.LoRA).TrainableParameters);

            // r = 16 on all seven projections: q 131,072 + k 81,920 + v 81,920 + o 131,072 + gate, up, down 3 · 16 · (4096 + 14336)
            // = 1,310,720 per layer × 32 = 41,943,040.
            TrainingEstimate all = Estimate(llama3, r => { r.Method = TrainingMethod.LoRA; r.LoraRank = 16; r.LoraTargets = LoraTargets.All; });
            Assert.Equal(41_943_040L, all.TrainableParameters);
        }

        [Fact]
        public void Lora_trains_only_adapters_on_a_frozen_16_bit_base()
        {
            ModelSpec llama = TrainingTestModels.Reference("llama-2-7b.json");
            TrainingEstimate e = Estimate(llama, r => r.Method = TrainingMethod.LoRA);
            const double psi = 6_738_415_616, adapters = 4_194_304;
            Assert.Equal(ByteSize.FromBytes(2 * psi + 2 * adapters), e.Weights);
            Assert.Equal(ByteSize.FromBytes(2 * adapters), e.Gradients);
            Assert.Equal(ByteSize.FromBytes(12 * adapters), e.OptimizerStates);
            // Activations are still needed to back-propagate through the frozen blocks.
            Assert.Equal(Estimate(llama).Activations, e.Activations);
        }

        [Fact]
        public void Qlora_quantizes_the_block_linears()
        {
            ModelSpec llama = TrainingTestModels.Reference("llama-2-7b.json");
            // Block matrices: 32 · (4 · 4096² + 3 · 4096 · 11008) = 6,476,005,376 at NF4 (4.5 bits); the rest (embeddings,
            // lm_head, norms) 262,410,240 at 16 bit; adapters 4,194,304 at 16 bit (Mixed).
            const double quantized = 6_476_005_376, rest = 262_410_240, adapters = 4_194_304;
            TrainingEstimate nf4 = Estimate(llama, r => r.Method = TrainingMethod.QLoRA);
            Assert.Equal(ByteSize.FromBytes(quantized * 4.5 / 8 + rest * 2 + adapters * 2), nf4.Weights);
            Assert.Equal("nf4", nf4.QLoraBaseType);
            TrainingEstimate dq = Estimate(llama, r => { r.Method = TrainingMethod.QLoRA; r.QLoraBaseType = DataTypes.Get("nf4-dq"); });
            // Double quantization: 4 + 8/64 + 32/(64 · 256) ≈ 4.127 bits.
            Assert.Equal(ByteSize.FromBytes(quantized * (4 + 8.0 / 64 + 32.0 / (64 * 256)) / 8 + rest * 2 + adapters * 2), dq.Weights);
            Assert.Empty(nf4.Warnings);
        }

        [Fact]
        public void Warnings_have_stable_ids()
        {
            ModelSpec llama = TrainingTestModels.Reference("llama-2-7b.json");
            Assert.Contains(Estimate(llama, r => r.ZeroStage = 2).Warnings, w => w.Id == TrainingWarningIds.ZeroWithoutDataParallel);
            Assert.Contains(Estimate(llama, r => { r.TensorParallel = 3; }).Warnings, w => w.Id == TrainingWarningIds.TensorParallelHeads);
            Assert.Contains(Estimate(TrainingTestModels.BertLargeUncased(), r => { r.Method = TrainingMethod.LoRA; r.LoraTargets = LoraTargets.Q | LoraTargets.Gate; }).Warnings,
                w => w.Id == TrainingWarningIds.LoraTargetMissing && w.Message.Contains("Gate"));
            Assert.Contains(Estimate(llama, r => { r.Method = TrainingMethod.QLoRA; r.QLoraBaseType = DataTypes.Fp16; }).Warnings,
                w => w.Id == TrainingWarningIds.QLoraBaseNotFourBit);
            Assert.Contains(Estimate(llama, r => r.Offload = OffloadMode.Optimizer).Warnings, w => w.Id == TrainingWarningIds.OffloadNeedsZero);
            Assert.Contains(Estimate(llama, r => r.SequenceParallel = true).Warnings, w => w.Id == TrainingWarningIds.SequenceParallelWithoutTensorParallel);
            Assert.Contains(Estimate(llama, r => { r.PipelineParallel = 3; r.GradientAccumulation = 4; }).Warnings, w => w.Id == TrainingWarningIds.PipelineUnevenLayers);
            Assert.Contains(Estimate(llama, r => r.PipelineParallel = 4).Warnings, w => w.Id == TrainingWarningIds.PipelineFewMicroBatches);
        }

        [Fact]
        public void Invalid_requests_throw_with_the_property_name()
        {
            ModelSpec llama = TrainingTestModels.Reference("llama-2-7b.json");
            Assert.Equal("MicroBatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => Estimate(llama, r => r.MicroBatchSize = 0)).ParamName);
            Assert.Equal("ZeroStage", Assert.Throws<ArgumentOutOfRangeException>(() => Estimate(llama, r => r.ZeroStage = 4)).ParamName);
            Assert.Equal("PipelineParallel", Assert.Throws<ArgumentOutOfRangeException>(() => Estimate(llama, r => r.PipelineParallel = 64)).ParamName);
        }

        [Fact]
        public void Dropout_is_read_from_the_config()
        {
            Assert.True(TrainingEstimator.InferDropout(TrainingTestModels.BertLargeUncased().Architecture));
            Assert.False(TrainingEstimator.InferDropout(TrainingTestModels.Reference("llama-3-8b.json").Architecture));
        }

        [Fact]
        public void Whole_model_stage_holds_every_parameter_once()
        {
            foreach (string file in new[] { "llama-2-7b.json", "gemma-7b.json", "mixtral-8x7b.json", "deepseek-v3.json", "gpt-2-124m.json", "qwen3-8b.json" })
            {
                ModelSpec model = TrainingTestModels.Reference(file);
                Assert.Equal(ParameterCounter.Count(model.Architecture).Total, Estimate(model).Parameters);
            }
        }

        [Fact]
        public void Qlora_on_llama_3_1_8b_with_4k_context_fits_a_24_gb_card()
        {
            // The pipeline example: QLoRA, 4k tokens, defaults otherwise (batch 1, eager attention, and QLoRA's
            // default gradient checkpointing). Weights 5.6 GiB + logits 3.9 GiB + 32 layer inputs 1 GiB + one layer ~1.6 GiB.
            TrainingEstimate e = Estimate(TrainingTestModels.Reference("llama-3-8b.json"), r => { r.Method = TrainingMethod.QLoRA; r.SequenceLength = 4096; });
            Assert.Equal(RecomputeMode.Full, e.Recompute);
            Assert.True(e.PerGpu < ByteSize.FromGB(24), e.PerGpu.ToString());
            // Without checkpointing the eager 4096² score matrices (1 GiB per layer) do not fit.
            TrainingEstimate eager = Estimate(TrainingTestModels.Reference("llama-3-8b.json"), r => { r.Method = TrainingMethod.QLoRA; r.SequenceLength = 4096; r.Recompute = RecomputeMode.None; });
            Assert.True(eager.PerGpu > ByteSize.FromGB(24), eager.PerGpu.ToString());
        }
    }
}
