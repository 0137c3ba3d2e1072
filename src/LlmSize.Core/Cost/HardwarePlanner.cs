using System;
using LlmSize.Core.Inference;
using LlmSize.Core.Throughput;
using LlmSize.Core.Training;
using LlmSize.Core.Units;

namespace LlmSize.Core.Cost
{
    /// <summary>
    /// Turns memory estimates into the inputs of the speed and cost models: the workload (what is read and computed
    /// per token) and the per-GPU memory a configuration of N GPUs needs, re-estimated with the same estimator.
    /// </summary>
    public static class HardwarePlanner
    {
        /// <summary>Memory that no GPU can hold, for layouts the model cannot be split into.</summary>
        public static readonly ByteSize Impossible = new ByteSize(long.MaxValue / 4);

        /// <summary>
        /// The decode/prefill workload of an inference estimate. Weight bytes read per token scale with the active share
        /// of parameters (MoE reads only the routed top-k experts). By default the prompt fills the context except the
        /// generated tokens, so decode reads the KV of a full context.
        /// </summary>
        public static InferenceWorkload Workload(InferenceEstimate e, int outputTokens, int? promptTokens = null)
        {
            if (outputTokens < 1) throw new ArgumentOutOfRangeException(nameof(outputTokens), "OutputTokens must be at least 1.");
            var model = e.Model;
            double activeShare = model.Parameters > 0 ? (double)model.ActiveParameters / model.Parameters : 1.0;
            int prompt = promptTokens ?? (int)Math.Max(1, Math.Min(int.MaxValue, e.ContextLength - outputTokens));
            return new InferenceWorkload
            {
                ActiveParameters = model.ActiveParameters,
                ActiveWeightBytes = e.Weights.Bytes * activeShare,
                KvBytesPerToken = e.KvBytesPerToken,
                Layers = model.Layers,
                HiddenSize = model.HiddenSize,
                WeightType = e.WeightDataType,
                PromptTokens = prompt,
                OutputTokens = outputTokens,
                BatchSize = e.BatchSize,
            };
        }

        /// <summary>Training workload: 6·P·D FLOPs (8·P·D with full recomputation) over <paramref name="tokens"/>.</summary>
        public static TrainingWorkload Workload(TrainingEstimate e, double tokens) => new TrainingWorkload
        {
            // Compute follows the parameters a token passes through (active for MoE).
            Parameters = e.Request.Model.ActiveParameters > 0 ? e.Request.Model.ActiveParameters : e.Parameters,
            Tokens = tokens,
            FullRecomputation = e.Recompute == RecomputeMode.Full,
            Precision = e.Regime == PrecisionRegime.Fp32 ? ComputePrecision.Tf32 : ComputePrecision.Bf16,
        };

        /// <summary>Per-GPU memory of an inference estimate split by tensor parallelism over <paramref name="gpus"/>.</summary>
        public static ByteSize InferencePerGpu(InferenceEstimate e, int gpus)
        {
            var request = e.Request.Clone();
            request.TensorParallel = gpus;
            if (!InferenceEstimator.IsValidGpuCount(e.Model, EngineProfile.For(e.Engine), gpus, out _)) return Impossible;
            return InferenceEstimator.Estimate(request).PerGpu;
        }

        /// <summary>
        /// Per-GPU memory of a training estimate on <paramref name="gpus"/> GPUs: its tensor and pipeline layout kept,
        /// the rest of the GPUs as data-parallel ranks (which ZeRO shards over).
        /// </summary>
        public static ByteSize TrainingPerGpu(TrainingEstimate e, int gpus)
        {
            int modelParallel = e.TensorParallel * e.PipelineParallel;
            if (gpus % modelParallel != 0) return Impossible;
            var r = e.Request;
            var request = new TrainingRequest(r.Model)
            {
                Method = r.Method, Regime = r.Regime, Fp32GradientAccumulation = r.Fp32GradientAccumulation, Optimizer = r.Optimizer,
                MicroBatchSize = r.MicroBatchSize, SequenceLength = r.SequenceLength, GradientAccumulation = r.GradientAccumulation,
                Recompute = r.Recompute, FlashAttention = r.FlashAttention, ZeroStage = r.ZeroStage, DataParallel = gpus / modelParallel,
                TensorParallel = r.TensorParallel, SequenceParallel = r.SequenceParallel, PipelineParallel = r.PipelineParallel,
                Offload = r.Offload, LoraRank = r.LoraRank, LoraTargets = r.LoraTargets, QLoraBaseType = r.QLoraBaseType,
                Dropout = r.Dropout, SoftmaxSavesInput = r.SoftmaxSavesInput, Overhead = r.Overhead, GpusPerNode = r.GpusPerNode,
            };
            return TrainingEstimator.Estimate(request).PerGpu;
        }
    }
}
