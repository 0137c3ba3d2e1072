using System;
using FsCheck.Xunit;
using LlmSize.Core.Throughput;
using LlmSize.Core.Units;

namespace LlmSize.Core.Tests.Throughput
{
    /// <summary>Laws of the roofline over generated workloads (RTX 4090 and 8-GPU H100 SXM from the catalog).</summary>
    public class ThroughputProperties
    {
        private static InferenceWorkload Workload(ushort paramsM, ushort kvKiB, ushort prompt, byte output, byte batch) => new InferenceWorkload
        {
            ActiveParameters = 1_000_000L * (1 + paramsM),
            ActiveWeightBytes = 2e6 * (1 + paramsM),
            KvBytesPerToken = 1024.0 * kvKiB,
            Layers = 32,
            HiddenSize = 4096,
            WeightType = DataTypes.Bf16,
            PromptTokens = prompt,
            OutputTokens = 1 + output,
            BatchSize = 1 + batch,
        };

        [Property]
        public bool Longer_context_never_speeds_up_decode(ushort p, ushort kv, ushort prompt, byte output, byte batch)
        {
            var gpu = ShippedCatalog.Gpu("rtx-4090-24gb");
            var shortCtx = InferenceThroughput.Estimate(Workload(p, kv, prompt, output, batch), gpu);
            var longCtx = InferenceThroughput.Estimate(Workload(p, kv, (ushort)(prompt / 2 + 30000), output, batch), gpu);
            return longCtx.TokensPerSecondPerSequence <= shortCtx.TokensPerSecondPerSequence;
        }

        [Property]
        public bool Bigger_batches_never_lower_aggregate_throughput(ushort p, ushort kv, ushort prompt, byte output, byte batch)
        {
            var gpu = ShippedCatalog.Gpu("h100-sxm-80gb");
            var small = InferenceThroughput.Estimate(Workload(p, kv, prompt, output, batch), gpu, 8);
            // A batch at least as large (saturating at 255, where both are the same batch).
            var big = InferenceThroughput.Estimate(Workload(p, kv, prompt, output, (byte)Math.Min(255, batch + 64)), gpu, 8);
            return big.TokensPerSecond >= small.TokensPerSecond * (1 - 1e-12);
        }

        [Property]
        public bool Default_efficiencies_never_beat_the_ceiling(ushort p, ushort kv, ushort prompt, byte output, byte batch)
        {
            var gpu = ShippedCatalog.Gpu("h100-sxm-80gb");
            var w = Workload(p, kv, prompt, output, batch);
            var real = InferenceThroughput.Estimate(w, gpu, 4);
            var ideal = InferenceThroughput.Estimate(w, gpu, 4, new InferenceOptions { MemoryEfficiency = 1, ComputeEfficiency = 1 });
            return real.TokensPerSecond <= ideal.TokensPerSecond && real.TimeToFirstTokenSeconds >= ideal.TimeToFirstTokenSeconds;
        }

        [Property]
        public bool Training_time_scales_inversely_with_gpus(ushort billions, byte gpus)
        {
            var gpu = ShippedCatalog.Gpu("h100-sxm-80gb");
            var w = new TrainingWorkload { Parameters = 1_000_000_000L * (1 + billions % 1000), Tokens = 1e12 };
            var one = TrainingThroughput.Estimate(w, gpu, 1).Seconds!.Value;
            var many = TrainingThroughput.Estimate(w, gpu, 1 + gpus).Seconds!.Value;
            return System.Math.Abs(many * (1 + gpus) / one - 1) < 1e-12;
        }
    }
}
