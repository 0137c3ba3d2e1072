using System;
using System.Collections.Generic;
using LlmSize.Core.Hardware;

namespace LlmSize.Core.Throughput
{
    /// <summary>
    /// Roofline model of LLM inference (DESIGN.md §9). With t tensor-parallel GPUs, P = active parameters,
    /// B = batch, s = prompt tokens, c = decode context, W = active weight bytes, K = KV bytes per token,
    /// L = layers, d = hidden size, a = activation bytes:
    /// <list type="bullet">
    /// <item>prefill (time to first token) = 2·P·s·B / (t · peak · compute efficiency) + L · 2 · allreduce(s·B·d·a)</item>
    /// <item>decode step = max( (W + K·c·B) / (t · bandwidth · memory efficiency),
    ///                           2·P·B / (t · peak · compute efficiency) ) + L · 2 · allreduce(B·d·a)</item>
    /// <item>tokens/s per sequence = 1 / step; aggregate tokens/s = B / step</item>
    /// </list>
    /// allreduce(M) = 2·(t−1)/t · M / link bandwidth (<see cref="Interconnect.AllReduceSeconds"/>); tensor parallelism
    /// all-reduces after attention and after the MLP of every block (Megatron-LM, Shoeybi et al. 2019, arXiv 1909.08053 §3).
    /// Communication is added, not overlapped. Not modeled: attention FLOPs (4·L·d·c per token, small below ~8k context),
    /// all-reduce latency, KV heads replicated when there are fewer KV heads than GPUs, per-token launch overhead of the
    /// engine (why llama.cpp on A100/H100 stays far below this roofline: see measured-speed.yaml).
    /// </summary>
    public static class InferenceThroughput
    {
        public static InferenceSpeed Estimate(InferenceWorkload workload, GpuSpec gpu, int gpuCount = 1, InferenceOptions? options = null)
        {
            Guard.NotNull(workload, nameof(workload));
            Guard.NotNull(gpu, nameof(gpu));
            Guard.NotNull(workload.WeightType, "WeightType");
            Guard.AtLeast(gpuCount, 1, nameof(gpuCount));
            Guard.Positive(workload.ActiveParameters, "ActiveParameters");
            Guard.Positive(workload.ActiveWeightBytes, "ActiveWeightBytes");
            Guard.NonNegative(workload.KvBytesPerToken, "KvBytesPerToken");
            Guard.AtLeast(workload.Layers, 1, "Layers");
            Guard.AtLeast(workload.HiddenSize, 1, "HiddenSize");
            Guard.AtLeast(workload.PromptTokens, 0, "PromptTokens");
            Guard.AtLeast(workload.OutputTokens, 1, "OutputTokens");
            Guard.AtLeast(workload.BatchSize, 1, "BatchSize");
            options ??= new InferenceOptions();
            double activationBytes = Guard.Positive(options.ActivationBytes, "ActivationBytes");
            double memoryEfficiency = options.MemoryEfficiency is double me
                ? Guard.Fraction(me, "MemoryEfficiency") : ThroughputDefaults.MemoryEfficiencyFor(workload.WeightType);
            double computeEfficiency = options.ComputeEfficiency is double ce
                ? Guard.Fraction(ce, "ComputeEfficiency") : ThroughputDefaults.ComputeEfficiencyFor(gpu);

            var notes = new List<string>();
            var peak = PeakCompute.For(gpu, options.ComputePrecision ?? PeakCompute.ForWeights(workload.WeightType));
            if (peak.Note != null) notes.Add(peak.Note);
            var link = Interconnect.For(gpu, gpuCount, options.InterconnectGBps);
            if (link.Note != null) notes.Add(link.Note);
            double? bandwidth = gpu.BandwidthGBps is double bw && bw > 0 ? bw : (double?)null;
            if (bandwidth == null) notes.Add(gpu.Id + ": the catalog has no memory bandwidth; decode speed is unknown.");

            int t = gpuCount, batch = workload.BatchSize;
            double p = workload.ActiveParameters;
            double? flopsPerSecond = peak.TflopsPerGpu is double tf ? t * tf * 1e12 * computeEfficiency : (double?)null;

            // Prefill: every prompt token of every sequence through every active parameter.
            double prefillFlops = 2 * p * workload.PromptTokens * batch;
            double prefillComm = workload.Layers * 2 * Interconnect.AllReduceSeconds(
                (double)workload.PromptTokens * batch * workload.HiddenSize * activationBytes, t, link.GBpsPerDirection);
            double? prefillCompute = flopsPerSecond is double f1 ? prefillFlops / f1 : (double?)null;
            double? ttft = prefillCompute + prefillComm;

            // Decode: one step streams the active weights once plus every sequence's KV cache.
            double context = workload.PromptTokens + (workload.OutputTokens - 1) / 2.0;
            double stepBytes = workload.ActiveWeightBytes + workload.KvBytesPerToken * context * batch;
            double stepFlops = 2 * p * batch;
            double? memorySeconds = bandwidth is double b ? stepBytes / (t * b * 1e9 * memoryEfficiency) : (double?)null;
            double? computeSeconds = flopsPerSecond is double f2 ? stepFlops / f2 : (double?)null;
            double stepComm = workload.Layers * 2 * Interconnect.AllReduceSeconds(
                (double)batch * workload.HiddenSize * activationBytes, t, link.GBpsPerDirection);
            double? step = null;
            DecodeBound? bound = null;
            if (memorySeconds is double m)
            {
                bool computeBound = computeSeconds is double c && c > m;
                bound = computeBound ? Throughput.DecodeBound.Compute : Throughput.DecodeBound.Memory;
                step = Math.Max(m, computeSeconds ?? 0) + stepComm;
                if (computeSeconds == null) notes.Add(gpu.Id + ": without a compute peak the decode step is memory-bound by assumption (no compute bound checked).");
            }

            return new InferenceSpeed
            {
                GpuId = gpu.Id,
                GpuCount = t,
                BatchSize = batch,
                PromptTokens = workload.PromptTokens,
                OutputTokens = workload.OutputTokens,
                ActiveParameters = workload.ActiveParameters,
                WeightType = workload.WeightType.Name,
                Peak = peak,
                ComputeEfficiency = computeEfficiency,
                MemoryEfficiency = memoryEfficiency,
                BandwidthGBps = bandwidth,
                Interconnect = link,
                PrefillFlops = prefillFlops,
                PrefillComputeSeconds = prefillCompute,
                PrefillCommunicationSeconds = prefillComm,
                TimeToFirstTokenSeconds = ttft,
                DecodeContextTokens = context,
                DecodeBytesPerStep = stepBytes,
                DecodeFlopsPerStep = stepFlops,
                DecodeMemorySeconds = memorySeconds,
                DecodeComputeSeconds = computeSeconds,
                DecodeCommunicationSeconds = stepComm,
                DecodeStepSeconds = step,
                DecodeBound = bound,
                TokensPerSecondPerSequence = 1 / step,
                TokensPerSecond = batch / step,
                EndToEndSeconds = ttft + (workload.OutputTokens - 1) * step,
                Notes = notes,
            };
        }
    }
}
