using System;
using LlmSize.Core.Inference;
using LlmSize.Core.Models;
using LlmSize.Core.Training;
using LlmSize.Core.Units;
using LlmSize.Data;

namespace LlmSize.Core.Tests.GpuTruth
{
    /// <summary>
    /// The one place where a GPU-truth record's settings become an LlmSize request: the same choices a user would make
    /// to describe the measured run, nothing tuned to the measurement.
    /// <list type="bullet">
    /// <item>model: the record's config (effective_config when recorded) read by <see cref="HfConfigReader"/>;</item>
    /// <item>inference: engine Transformers (model(...) with use_cache=True, last-position logits cast to fp32 as
    /// generate() does), weight precision = dtype, context = sequence_length, batch = batch_size; eager attention
    /// = FlashAttention off; logits_to_keep null (every position) = LogitsForAllPromptPositions;</item>
    /// <item>training: method full/lora; precision fp32 → Fp32, amp_bf16 (autocast over fp32 weights, or over a bf16
    /// LoRA base with fp32 adapters) → Amp, bf16 → Bf16; adamw → AdamW, sgd → Sgd (momentum 0); checkpointing → Recompute
    /// Full; SDPA → FlashAttention; dropout read from the config; LoRA rank and target roles as recorded.</item>
    /// </list>
    /// Combinations LlmSize has no regime for throw <see cref="NotSupportedException"/> naming the record.
    /// </summary>
    public static class GpuTruthMapper
    {
        public static ModelSpec Model(GpuTruthRecord r)
        {
            ModelArchitecture a = HfConfigReader.ReadJson(r.ConfigJson, r.Id + " (model config)");
            return new ModelSpec(r.Size, r.Size, a);
        }

        public static DataType Dtype(GpuTruthRecord r) => r.Dtype switch
        {
            "fp32" => DataTypes.Fp32,
            "bf16" => DataTypes.Bf16,
            "fp16" => DataTypes.Fp16,
            _ => throw new NotSupportedException(r.Id + ": dtype '" + r.Dtype + "' is not fp32, bf16 or fp16."),
        };

        public static InferenceRequest Inference(GpuTruthRecord r)
        {
            if (r.Phase != "inference_weights" && r.Phase != "inference_prefill")
                throw new ArgumentException(r.Id + " is not an inference record.", nameof(r));
            EngineProfile profile = EngineProfile.For(InferenceEngine.Transformers);
            profile.FlashAttention = r.Attention != "eager";
            profile.LogitsForAllPromptPositions = r.Phase == "inference_prefill" && r.LogitsToKeep == null;
            // A weights-only record has no batch or context; the weights term does not depend on them.
            return new InferenceRequest(Model(r), Dtype(r), r.SequenceLength ?? 1)
            {
                BatchSize = r.BatchSize ?? 1,
                Engine = InferenceEngine.Transformers,
                Profile = profile,
            };
        }

        public static TrainingRequest Training(GpuTruthRecord r)
        {
            if (r.Phase != "training_step") throw new ArgumentException(r.Id + " is not a training record.", nameof(r));
            bool lora = r.Method == "lora";
            if (!lora && r.Method != "full") throw new NotSupportedException(r.Id + ": method '" + r.Method + "'.");
            var request = new TrainingRequest(Model(r))
            {
                Method = lora ? TrainingMethod.LoRA : TrainingMethod.Full,
                Regime = Regime(r, lora),
                Optimizer = r.Optimizer switch
                {
                    "adamw" => OptimizerKind.AdamW,
                    "sgd" => OptimizerKind.Sgd,
                    _ => throw new NotSupportedException(r.Id + ": optimizer '" + r.Optimizer + "'."),
                },
                MicroBatchSize = r.BatchSize ?? throw new NotSupportedException(r.Id + ": no batch_size."),
                SequenceLength = r.SequenceLength ?? throw new NotSupportedException(r.Id + ": no sequence_length."),
                GradientAccumulation = 1,
                Recompute = r.GradientCheckpointing ? RecomputeMode.Full : RecomputeMode.None,
                FlashAttention = r.Attention != "eager",
            };
            if (lora)
            {
                request.LoraRank = r.LoraRank ?? throw new NotSupportedException(r.Id + ": LoRA without lora_rank.");
                request.LoraTargets = Targets(r);
            }
            return request;
        }

        /// <summary>The record's precision as an LlmSize regime; the weights' dtype must be the one the regime implies.</summary>
        private static PrecisionRegime Regime(GpuTruthRecord r, bool lora)
        {
            (PrecisionRegime regime, string dtype) = r.Precision switch
            {
                "fp32" => (PrecisionRegime.Fp32, "fp32"),
                // Full: autocast over fp32 weights. LoRA: LlmSize's Amp keeps the frozen base in 16 bit and trains fp32
                // adapters, which is peft's default on a bf16 base under autocast.
                "amp_bf16" => (PrecisionRegime.Amp, lora ? "bf16" : "fp32"),
                "bf16" => (PrecisionRegime.Bf16, "bf16"),
                _ => throw new NotSupportedException(r.Id + ": precision '" + r.Precision + "'."),
            };
            if (r.Dtype != dtype)
                throw new NotSupportedException(r.Id + ": precision " + r.Precision + " with " + r.Dtype + " weights has no LlmSize regime (" +
                                                regime + " means " + dtype + " weights" + (lora ? " under the adapters" : "") + ").");
            return regime;
        }

        private static LoraTargets Targets(GpuTruthRecord r)
        {
            LoraTargets targets = LoraTargets.None;
            foreach (string role in r.LoraTargets)
            {
                targets |= role switch
                {
                    "q" => LoraTargets.Q,
                    "k" => LoraTargets.K,
                    "v" => LoraTargets.V,
                    "o" => LoraTargets.O,
                    "gate" => LoraTargets.Gate,
                    "up" => LoraTargets.Up,
                    "down" => LoraTargets.Down,
                    _ => throw new NotSupportedException(r.Id + ": LoRA target role '" + role + "'."),
                };
            }
            return targets;
        }
    }
}
