using System;
using System.Collections.Generic;
using System.Globalization;
using LlmSize.Core.Hardware;
using LlmSize.Core.Inference;
using LlmSize.Core.Units;

namespace LlmSize.Core.Fit
{
    /// <summary>
    /// Does an estimate fit a GPU (or several)? Compares the per-GPU requirement with the GPU's usable memory
    /// (<see cref="GpuSpec.UsableMemory"/>: CUDA's total, or Apple's GPU-wired share) times the engine's utilization
    /// cap, and for inference estimates solves for the largest batch, the longest context and the KV token capacity by
    /// re-running the estimator (the terms are monotone in batch and context, so a doubling-then-bisection search is exact).
    /// </summary>
    public static class GpuFit
    {
        /// <summary>Largest GPU count searched for <see cref="FitResult.GpusNeeded"/> (eight 8-GPU nodes).</summary>
        public const int MaxGpus = 64;
        /// <summary>Search ceiling for batch sizes.</summary>
        public const int MaxBatchCeiling = 1 << 24;
        /// <summary>Context search ceiling when the model does not state its maximum.</summary>
        public const long UnknownContextCeiling = 1L << 24;

        public static FitResult Test(IMemoryEstimate estimate, GpuSpec gpu, int count = 1)
        {
            if (estimate == null) throw new ArgumentNullException(nameof(estimate));
            if (gpu == null) throw new ArgumentNullException(nameof(gpu));
            if (count < 1)
                throw new EstimateInputException(EstimateInputException.InvalidTensorParallel, nameof(count),
                    "GPU count must be at least 1; got " + count.ToString(CultureInfo.InvariantCulture) + ".");
            return estimate is InferenceEstimate inference ? TestInference(inference, gpu, count) : TestGeneric(estimate, gpu, count);
        }

        /// <summary>Usable memory of one GPU times a utilization share, rounded down.</summary>
        public static ByteSize Available(GpuSpec gpu, double utilization)
        {
            if (gpu == null) throw new ArgumentNullException(nameof(gpu));
            return new ByteSize((long)Math.Floor(gpu.UsableMemory.Bytes * utilization));
        }

        /// <summary>Largest batch at the estimate's context that fits <paramref name="count"/> GPUs (0 if none).</summary>
        public static int MaxBatchSize(InferenceEstimate estimate, GpuSpec gpu, int count = 1)
        {
            Plan plan = PlanFor(estimate, gpu, out long available);
            return MaxBatch(plan, estimate.ContextLength, count, available);
        }

        /// <summary>Longest context at the estimate's batch that fits, up to the model's maximum (0 if none).</summary>
        public static long MaxContextLength(InferenceEstimate estimate, GpuSpec gpu, int count = 1)
        {
            Plan plan = PlanFor(estimate, gpu, out long available);
            return MaxContext(plan, estimate.BatchSize, count, available, ContextCeiling(plan, estimate.ContextLength));
        }

        /// <summary>KV tokens that fit per GPU after the other terms at the estimate's batch and context.</summary>
        public static long KvCacheTokenCapacity(InferenceEstimate estimate, GpuSpec gpu, int count = 1)
        {
            Plan plan = PlanFor(estimate, gpu, out long available);
            return TokenCapacity(plan, estimate.BatchSize, estimate.ContextLength, count, available, out _);
        }

        // ------------------------------------------------------------------------------------------------------------

        private static FitResult TestInference(InferenceEstimate estimate, GpuSpec gpu, int count)
        {
            List<string>? notes = null;
            Plan plan = PlanFor(estimate, gpu, out long available);
            if (!ReferenceEquals(plan.Profile, estimate.Plan.Profile))
                AddNote(ref notes, string.Format(CultureInfo.InvariantCulture,
                    "vLLM's batch defaults on this GPU: {0} batched tokens, {1} sequences.", plan.Profile.PrefillChunkTokens, plan.Profile.MaxNumSequences));

            int gpus = count;
            if (!InferenceEstimator.IsValidGpuCount(plan.Facts, plan.Profile, count, out string? reason))
            {
                gpus = LargestValidCount(plan, count);
                AddNote(ref notes, "Cannot split over " + count.ToString(CultureInfo.InvariantCulture) + " GPUs (" + reason + "); evaluated on " +
                          gpus.ToString(CultureInfo.InvariantCulture) + ".");
            }

            if (gpus != estimate.TensorParallel)
                AddNote(ref notes, string.Format(CultureInfo.InvariantCulture, "Re-estimated for {0} GPU(s); the estimate was made for {1}.",
                    gpus, estimate.TensorParallel));

            // The estimate at the GPU count evaluated, made with `plan` (the estimate itself when nothing changed): the
            // solvers read their plan, batch, context and GPU count back from the result (SolveInference).
            InferenceEstimate atCount = gpus == estimate.TensorParallel && ReferenceEquals(plan.Profile, estimate.Plan.Profile)
                ? estimate
                : InferenceEstimator.Create(estimate.Request, plan, estimate.BatchSize, estimate.ContextLength, gpus);

            var result = new FitResult(atCount, gpu, count, gpus, atCount.PerGpu, new ByteSize(available), notes);
            result.SolveLater();
            return result;
        }

        /// <summary>The solvers of an inference fit check, run on first access of their results (FitResult).</summary>
        internal static void SolveInference(FitResult r)
        {
            var atCount = (InferenceEstimate)r.Estimate;
            Plan plan = atCount.Plan;
            int batch = atCount.BatchSize;
            long context = atCount.ContextLength;
            int gpus = r.GpusUsed;
            long available = r.Available.Bytes;
            r.GpusNeeded = GpusNeeded(plan, batch, context, available, r);
            r.MaxBatchSize = MaxBatch(plan, context, gpus, available);
            long ceiling = ContextCeiling(plan, context);
            long maxContext = MaxContext(plan, batch, gpus, available, ceiling);
            r.MaxContextLength = maxContext;
            if (maxContext == ceiling && ceiling == plan.Facts.MaxContext)
                r.AddNote("MaxContextLength stops at the model's maximum context (" + ceiling.ToString(CultureInfo.InvariantCulture) + " tokens).");
            r.KvCacheTokenCapacity = TokenCapacity(plan, batch, context, gpus, available, out long pool);
            r.KvCachePool = new ByteSize(Math.Max(0, pool));
        }

        private static void AddNote(ref List<string>? notes, string note) => (notes ??= new List<string>()).Add(note);

        private static FitResult TestGeneric(IMemoryEstimate estimate, GpuSpec gpu, int count)
        {
            List<string>? notes = null;
            long available = Available(gpu, estimate.MemoryUtilization).Bytes;
            ByteSize required = estimate.PerGpu;
            if (count != estimate.GpuCount)
            {
                required = new ByteSize(CeilDiv(estimate.Total.Bytes, count));
                AddNote(ref notes, "The estimate was made for " + estimate.GpuCount.ToString(CultureInfo.InvariantCulture) +
                          " GPU(s); its total is assumed to split evenly over " + count.ToString(CultureInfo.InvariantCulture) + ".");
            }
            var result = new FitResult(estimate, gpu, count, count, required, new ByteSize(available), notes);
            for (int n = 1; n <= MaxGpus; n++)
            {
                long share = n == estimate.GpuCount ? estimate.PerGpu.Bytes : CeilDiv(estimate.Total.Bytes, n);
                if (share <= available) { result.GpusNeeded = n; break; }
            }
            if (result.GpusNeeded == null)
                result.AddNote("Does not fit on " + MaxGpus.ToString(CultureInfo.InvariantCulture) + " GPUs or fewer.");
            return result;
        }

        /// <summary>The estimate's plan, with vLLM's per-GPU batch defaults when the request left the profile to the
        /// engine, and the memory one GPU offers under the plan's utilization cap.</summary>
        private static Plan PlanFor(InferenceEstimate estimate, GpuSpec gpu, out long available)
        {
            if (estimate == null) throw new ArgumentNullException(nameof(estimate));
            if (gpu == null) throw new ArgumentNullException(nameof(gpu));
            Plan plan = estimate.Plan;
            EngineProfile profile = EngineProfile.ResolveForGpu(plan.Profile, gpu.UsableMemory, gpu.Name);
            if (!ReferenceEquals(profile, plan.Profile)) plan = plan.WithProfile(profile);
            available = Available(gpu, plan.Utilization ?? 1.0).Bytes;
            return plan;
        }

        private static bool FitsAt(in Plan plan, int batch, long context, int gpus, long available) =>
            InferenceEstimator.Compute(plan, batch, context, gpus).PerGpu <= available;

        private static int LargestValidCount(in Plan plan, int count)
        {
            for (int n = count; n > 1; n--)
                if (InferenceEstimator.IsValidGpuCount(plan.Facts, plan.Profile, n, out _)) return n;
            return 1;
        }

        /// <summary>Fewest valid GPU counts that hold the estimate; notes a smaller count that memory alone would allow.</summary>
        private static int? GpusNeeded(in Plan plan, int batch, long context, long available, FitResult notes)
        {
            int? blocked = null;
            string? blockedReason = null;
            for (int n = 1; n <= MaxGpus; n++)
            {
                if (!FitsAt(plan, batch, context, n, available)) continue;
                if (InferenceEstimator.IsValidGpuCount(plan.Facts, plan.Profile, n, out string? reason))
                {
                    if (blocked != null)
                        notes.AddNote(string.Format(CultureInfo.InvariantCulture,
                            "{0} GPUs would hold it by memory, but {1}; the fewest valid count is {2}.", blocked, blockedReason, n));
                    return n;
                }
                if (blocked == null) { blocked = n; blockedReason = reason; }
            }
            notes.AddNote(blocked != null
                ? string.Format(CultureInfo.InvariantCulture, "{0} GPUs would hold it by memory, but {1}; no valid split up to {2} GPUs fits.",
                    blocked, blockedReason, MaxGpus)
                : "Does not fit on " + MaxGpus.ToString(CultureInfo.InvariantCulture) + " GPUs or fewer.");
            return null;
        }

        internal static int MaxBatch(in Plan plan, long context, int gpus, long available)
        {
            if (!FitsAt(plan, 1, context, gpus, available)) return 0;
            int low = 1, high = 2;
            while (high <= MaxBatchCeiling && FitsAt(plan, high, context, gpus, available)) { low = high; high *= 2; }
            if (high > MaxBatchCeiling) return low;
            while (high - low > 1)
            {
                int mid = low + (high - low) / 2;
                if (FitsAt(plan, mid, context, gpus, available)) low = mid; else high = mid;
            }
            return low;
        }

        internal static long MaxContext(in Plan plan, int batch, int gpus, long available, long ceiling)
        {
            if (!FitsAt(plan, batch, 1, gpus, available)) return 0;
            if (FitsAt(plan, batch, ceiling, gpus, available)) return ceiling;
            long low = 1, high = ceiling; // low fits, high does not
            while (high - low > 1)
            {
                long mid = low + (high - low) / 2;
                if (FitsAt(plan, batch, mid, gpus, available)) low = mid; else high = mid;
            }
            return low;
        }

        /// <summary>The model's maximum context, or the requested one when longer; a fixed ceiling when the model says nothing.</summary>
        private static long ContextCeiling(in Plan plan, long requested) =>
            plan.Facts.MaxContext > 0 ? Math.Max(plan.Facts.MaxContext, requested) : Math.Max(UnknownContextCeiling, requested);

        /// <summary>
        /// KV pool per GPU = available − (weights + activations + overhead) at the given batch and context; tokens =
        /// pool / KV bytes per token per GPU, rounded down to whole blocks (vLLM: num_blocks × block_size).
        /// </summary>
        internal static long TokenCapacity(in Plan plan, int batch, long context, int gpus, long available, out long pool)
        {
            Terms terms = InferenceEstimator.Compute(plan, batch, context, gpus);
            pool = available - (terms.PerGpu - terms.KvCache);
            if (pool <= 0) return 0;
            double rate = InferenceEstimator.KvBytesPerTokenPerGpu(plan, gpus);
            long tokens = (long)Math.Floor(pool / rate);
            long block = Math.Max(1, plan.Profile.KvBlockTokens);
            return tokens - tokens % block;
        }

        private static long CeilDiv(long a, long b) => (a + b - 1) / b;
    }
}
