using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using LlmSize.Core.Hardware;
using LlmSize.Core.Units;

namespace LlmSize.Core.Fit
{
    /// <summary>
    /// Whether an estimate fits <see cref="Count"/> GPUs of one kind, with the margins and, for inference estimates, the
    /// largest batch, the longest context and the KV-cache token capacity that fit. Memory figures are per GPU.
    /// </summary>
    public sealed class FitResult
    {
        internal FitResult(IMemoryEstimate estimate, GpuSpec gpu, int count, int gpusUsed, ByteSize required, ByteSize available,
            List<string>? notes)
        {
            Estimate = estimate;
            Gpu = gpu;
            Count = count;
            GpusUsed = gpusUsed;
            Required = required;
            Available = available;
            _notes = notes;
        }

        public string ModelId => Estimate.ModelId;
        public string GpuId => Gpu.Id;
        public string GpuName => Gpu.Name;
        public GpuSpec Gpu { get; }
        /// <summary>GPUs asked about.</summary>
        public int Count { get; }
        /// <summary>GPUs the model is split over: <see cref="Count"/>, or the largest valid tensor-parallel degree below it.</summary>
        public int GpusUsed { get; }
        /// <summary>The estimate evaluated at <see cref="GpusUsed"/> GPUs (and, for vLLM, with the batch defaults of this GPU).</summary>
        public IMemoryEstimate Estimate { get; }

        public bool Fits => Required <= Available;
        /// <summary>Memory each GPU must hold.</summary>
        public ByteSize Required { get; }
        /// <summary>Memory each GPU offers: usable memory (CUDA total; Apple's GPU-wired share) × the engine's utilization cap.</summary>
        public ByteSize Available { get; }
        /// <summary>Available − Required; negative when it does not fit.</summary>
        public ByteSize Headroom => Available - Required;
        /// <summary>Required / Available (above 1 when it does not fit).</summary>
        public double Utilization => Available.Bytes > 0 ? Required / Available : double.PositiveInfinity;

        // The solvers re-run the estimator dozens of times; a sweep that only filters on Fits must not pay for them,
        // so they run once, on first access of any of the properties below (or of Notes).
        // A flag rather than a closure: everything the solvers need is on this result (the estimate at GpusUsed, its
        // plan, Available), and the captured lambda cost a closure and a delegate per fit check (GpuFitBenchmarks:
        // 384 B and about 90 ns per GpuFit.Test before, with the notes list below).
        private bool _solvePending;
        private int? _gpusNeeded;
        private int? _maxBatchSize;
        private long? _maxContextLength;
        private long? _kvCacheTokenCapacity;
        private ByteSize? _kvCachePool;

        internal void SolveLater() => _solvePending = true;

        private void Solve()
        {
            if (!_solvePending) return;
            _solvePending = false;
            GpuFit.SolveInference(this);
        }

        /// <summary>Fewest GPUs of this kind that hold the estimate (a valid split), up to <see cref="GpuFit.MaxGpus"/>;
        /// null when none do (see <see cref="Notes"/>).</summary>
        public int? GpusNeeded { get { Solve(); return _gpusNeeded; } internal set => _gpusNeeded = value; }
        /// <summary>Largest batch at the estimate's context length (0: not even one sequence fits). Inference only.</summary>
        public int? MaxBatchSize { get { Solve(); return _maxBatchSize; } internal set => _maxBatchSize = value; }
        /// <summary>Longest context at the estimate's batch size, up to the model's maximum (0: not even one token fits).</summary>
        public long? MaxContextLength { get { Solve(); return _maxContextLength; } internal set => _maxContextLength = value; }
        /// <summary>Tokens of KV cache that fit per GPU after weights, activations and overhead, counting every layer per
        /// token, rounded down to the engine's blocks (vLLM logs this as "GPU KV cache size").</summary>
        public long? KvCacheTokenCapacity { get { Solve(); return _kvCacheTokenCapacity; } internal set => _kvCacheTokenCapacity = value; }
        /// <summary>Memory left for the KV cache per GPU (vLLM: "Available KV cache memory").</summary>
        public ByteSize? KvCachePool { get { Solve(); return _kvCachePool; } internal set => _kvCachePool = value; }

        public IReadOnlyList<MemoryComponent> Breakdown => Estimate.Breakdown;
        /// <summary>One line: "Weights 13.5 GiB + KvCache 1.0 GiB + Activations 161 MiB + Overhead 2.0 GiB".</summary>
        public string BreakdownSummary
        {
            get
            {
                var text = new StringBuilder();
                foreach (MemoryComponent c in Estimate.Breakdown)
                {
                    if (text.Length > 0) text.Append(" + ");
                    text.Append(c.Name).Append(' ').Append(c.PerGpu.ToString("G1", CultureInfo.InvariantCulture));
                }
                return text.ToString();
            }
        }
        // Created on the first note: most fit checks have none, and a sweep of 100,000 checks need not allocate 100,000
        // empty lists.
        private List<string>? _notes;
        public IReadOnlyList<string> Notes { get { Solve(); return (IReadOnlyList<string>?)_notes ?? Array.Empty<string>(); } }

        internal void AddNote(string note) => (_notes ??= new List<string>()).Add(note);

        public override string ToString() =>
            ModelId + " on " + Count.ToString(CultureInfo.InvariantCulture) + "× " + GpuId + ": " + (Fits ? "fits" : "does not fit") +
            " (" + Required + " of " + Available + ")";
    }
}
