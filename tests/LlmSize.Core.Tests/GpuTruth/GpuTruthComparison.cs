using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using LlmSize.Core.Inference;
using LlmSize.Core.Training;

namespace LlmSize.Core.Tests.GpuTruth
{
    /// <summary>
    /// The tolerances issue 9 aims for, as shares of the run's peak (torch.cuda.max_memory_allocated): model-state
    /// terms (weights, gradients, optimizer states, KV cache) within 5 %, activations within 10 %.
    /// </summary>
    public static class GpuTruthTolerances
    {
        public const double ModelStatesPercentOfPeak = 5;
        public const double ActivationsPercentOfPeak = 10;
    }

    /// <summary>One term of one record: what LlmSize estimates against what the GPU showed.</summary>
    public sealed class TermComparison
    {
        public TermComparison(string term, long measured, long estimated, long peak, double? tolerancePercentOfPeak)
        {
            Term = term; Measured = measured; Estimated = estimated; Peak = peak; TolerancePercentOfPeak = tolerancePercentOfPeak;
        }

        public string Term { get; }
        public long Measured { get; }
        public long Estimated { get; }
        /// <summary>The record's torch.cuda.max_memory_allocated: the denominator of <see cref="PercentOfPeak"/>.</summary>
        public long Peak { get; }
        /// <summary>Null: reported, not asserted (total, overhead).</summary>
        public double? TolerancePercentOfPeak { get; }

        public long ErrorBytes => Estimated - Measured;
        public double PercentOfPeak => Peak > 0 ? 100.0 * ErrorBytes / Peak : 0;
        /// <summary>The error as a share of the measured term itself; null when the term measured 0.</summary>
        public double? PercentOfTerm => Measured != 0 ? 100.0 * ErrorBytes / Measured : (double?)null;
        public bool Within => TolerancePercentOfPeak is not double t || Math.Abs(PercentOfPeak) <= t;
    }

    /// <summary>
    /// A record set against its LlmSize estimate, term by term. Measured terms (bytes, from the record's measurements):
    /// <list type="bullet">
    /// <item>weights = parameter_bytes + buffer_bytes (distinct CUDA storages of the model's parameters and buffers);</item>
    /// <item>kv_cache = kv_cache_bytes (storages reachable from the returned past_key_values);</item>
    /// <item>gradients = gradient_bytes (the .grad storages after backward); optimizer = optimizer_state_bytes (CUDA
    /// tensors in optimizer.state after the step);</item>
    /// <item>activations = max_memory_allocated − the terms above: everything else alive at the peak (activations kept
    /// for backward, logits and their gradient, autocast's weight copies, optimizer temporaries, cuBLAS workspace);</item>
    /// <item>total = max_memory_allocated, so the terms add up to it on both sides;</item>
    /// <item>overhead (reported only) = NVML used after the run − NVML used before CUDA was initialized − torch's
    /// reserved memory at that moment: CUDA context and non-torch allocations.</item>
    /// </list>
    /// Estimated terms: the estimate's own, with Amp's 16-bit weight copies (part of Weights in LlmSize) moved to
    /// activations because the GPU shows them as transient tensors, and Logits folded into activations.
    /// </summary>
    public sealed class RecordComparison
    {
        private RecordComparison(GpuTruthRecord record, long peak, IReadOnlyList<TermComparison> terms, long? parametersMeasured, long parametersEstimated)
        {
            Record = record; Peak = peak; Terms = terms; ParametersMeasured = parametersMeasured; ParametersEstimated = parametersEstimated;
        }

        public GpuTruthRecord Record { get; }
        public long Peak { get; }
        public IReadOnlyList<TermComparison> Terms { get; }
        public long? ParametersMeasured { get; }
        public long ParametersEstimated { get; }

        public TermComparison? Term(string name) => Terms.FirstOrDefault(t => t.Term == name);
        public IEnumerable<TermComparison> Failures => Terms.Where(t => !t.Within);
        public bool Within => Terms.All(t => t.Within);

        /// <summary>Compares a record with status ok; throws <see cref="InvalidOperationException"/> when a measurement
        /// the phase needs is missing.</summary>
        public static RecordComparison Of(GpuTruthRecord r)
        {
            if (!r.IsOk) throw new InvalidOperationException(r.Id + ": status " + r.Status + " has nothing to compare.");
            long peak = Need(r, "torch_max_memory_allocated");
            long weights = Need(r, "parameter_bytes") + (r.Measurement("buffer_bytes") ?? 0);
            long? overhead = MeasuredOverhead(r);
            double modelStates = GpuTruthTolerances.ModelStatesPercentOfPeak;
            double activations = GpuTruthTolerances.ActivationsPercentOfPeak;
            var terms = new List<TermComparison>();

            if (r.Phase == "training_step")
            {
                TrainingEstimate e = TrainingEstimator.Estimate(GpuTruthMapper.Training(r));
                long gradients = Need(r, "gradient_bytes");
                long optimizer = Need(r, "optimizer_state_bytes");
                // Amp: LlmSize's Weights = 4 bytes per parameter + the 16-bit copies autocast makes for the forward.
                long castCopies = e.Method == TrainingMethod.Full && e.Regime == PrecisionRegime.Amp ? e.Weights.Bytes - 4 * e.Parameters : 0;
                long estWeights = e.Weights.Bytes - castCopies;
                long estTransient = e.Activations.Bytes + e.Logits.Bytes + e.GatherBuffer.Bytes + castCopies;
                terms.Add(new TermComparison("weights", weights, estWeights, peak, modelStates));
                terms.Add(new TermComparison("gradients", gradients, e.Gradients.Bytes, peak, modelStates));
                terms.Add(new TermComparison("optimizer", optimizer, e.OptimizerStates.Bytes, peak, modelStates));
                terms.Add(new TermComparison("activations", peak - weights - gradients - optimizer, estTransient, peak, activations));
                terms.Add(new TermComparison("total", peak, (e.PerGpu - e.Overhead).Bytes, peak, null));
                if (overhead is long o) terms.Add(new TermComparison("overhead", o, e.Overhead.Bytes, peak, null));
                // peft's model.parameters() holds the adapters besides the base.
                long counted = e.Parameters + (e.Method == TrainingMethod.Full ? 0 : e.TrainableParameters);
                return new RecordComparison(r, peak, terms, r.Measurement("parameter_count"), counted);
            }

            InferenceEstimate i = InferenceEstimator.Estimate(GpuTruthMapper.Inference(r));
            long parameters = Facts(i);
            terms.Add(new TermComparison("weights", weights, i.Weights.Bytes, peak, modelStates));
            if (r.Phase == "inference_prefill")
            {
                long kv = Need(r, "kv_cache_bytes");
                terms.Add(new TermComparison("kv_cache", kv, i.KvCache.Bytes, peak, modelStates));
                terms.Add(new TermComparison("activations", peak - weights - kv, i.Activations.Bytes, peak, activations));
                terms.Add(new TermComparison("total", peak, (i.Weights + i.KvCache + i.Activations).Bytes, peak, null));
            }
            else
            {
                terms.Add(new TermComparison("total", peak, i.Weights.Bytes, peak, null));
            }
            if (overhead is long oi) terms.Add(new TermComparison("overhead", oi, i.Overhead.Bytes, peak, null));
            return new RecordComparison(r, peak, terms, r.Measurement("parameter_count"), parameters);
        }

        private static long Facts(InferenceEstimate i) => LlmSize.Core.Parameters.ParameterCounter.Count(i.Model.Architecture).Total;

        private static long Need(GpuTruthRecord r, string name) =>
            r.Measurement(name) ?? throw new InvalidOperationException(r.Id + ": status ok but measurements." + name + " is missing.");

        private static long? MeasuredOverhead(GpuTruthRecord r)
        {
            long? after = r.Measurement("device_used_after_measured");
            long? before = r.Measurement("device_used_before_init");
            long? reserved = r.Measurement("torch_reserved_at_device_sample");
            return after is long a && before is long b && reserved is long res ? a - b - res : (long?)null;
        }

        // ------------------------------------------------------------------------------------------------------------

        /// <summary>A plain-text table: one row per record, estimated/measured MiB and the error as % of peak per term.</summary>
        public static string Table(IEnumerable<RecordComparison> rows)
        {
            string[] order = { "weights", "kv_cache", "gradients", "optimizer", "activations", "total", "overhead" };
            var sb = new StringBuilder();
            sb.AppendLine("Error = (estimate − measured) / peak (torch max_memory_allocated); MiB estimated/measured. " +
                          "Tolerances: model states ±" + Num(GpuTruthTolerances.ModelStatesPercentOfPeak) + "%, activations ±" +
                          Num(GpuTruthTolerances.ActivationsPercentOfPeak) + "%; total and overhead reported only. * = outside.");
            sb.Append("record | gpu | peak MiB | params est/meas");
            foreach (string t in order) sb.Append(" | ").Append(t);
            sb.AppendLine();
            foreach (RecordComparison row in rows)
            {
                sb.Append(row.Record.Id).Append(" | ").Append(row.Record.GpuName.Length > 0 ? row.Record.GpuName : "-")
                  .Append(" | ").Append(MiB(row.Peak)).Append(" | ")
                  .Append(row.ParametersEstimated.ToString(CultureInfo.InvariantCulture)).Append('/')
                  .Append(row.ParametersMeasured?.ToString(CultureInfo.InvariantCulture) ?? "?");
                foreach (string name in order)
                {
                    TermComparison? t = row.Term(name);
                    sb.Append(" | ");
                    if (t == null) { sb.Append('-'); continue; }
                    sb.Append(MiB(t.Estimated)).Append('/').Append(MiB(t.Measured)).Append(' ')
                      .Append(t.PercentOfPeak.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture)).Append('%')
                      .Append(t.Within ? "" : "*");
                }
                sb.AppendLine();
            }
            return sb.ToString();
        }

        private static string MiB(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);
        private static string Num(double v) => v.ToString(CultureInfo.InvariantCulture);
    }
}
