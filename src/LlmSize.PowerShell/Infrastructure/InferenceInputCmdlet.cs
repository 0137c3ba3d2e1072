using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LlmSize.Core.Inference;
using LlmSize.Core.Models;
using LlmSize.Core.Units;

namespace LlmSize.PowerShell.Infrastructure
{
    /// <summary>
    /// Base of cmdlets that build inference estimates from a model and serving parameters (Get-LlmInferenceMemory,
    /// Test-GpuFit -Model). Every parameter also binds by property name, so a CSV of configurations can be piped in.
    /// All math is InferenceEstimator's (Core).
    /// </summary>
    public abstract class InferenceInputCmdlet : ModelInputCmdlet
    {
        /// <summary>Weight data type (bf16, fp8, int4, nf4, gptq-4bit-g128, Q4_K_M ...). Default bf16.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PrecisionCompleter))]
        [ValidateNotNullOrEmpty]
        public string Precision { get; set; } = "bf16";

        /// <summary>KV cache data type; default 16-bit (fp16/bf16).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PrecisionCompleter))]
        [ValidateNotNullOrEmpty]
        public string? KvCachePrecision { get; set; }

        /// <summary>Tokens per sequence (prompt + generated): 4096, 8k, 32k, 128k. Default 4096.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Context", "SequenceLength")]
        [QuantityTransformation(QuantityKind.Tokens)]
        public long ContextLength { get; set; } = 4096;

        /// <summary>Concurrent sequences. Default 1.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Batch")]
        public int BatchSize { get; set; } = 1;

        /// <summary>GPUs the model is split over by tensor parallelism. Default 1.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("TP")]
        public int TensorParallel { get; set; } = 1;

        /// <summary>Serving engine profile: Generic, Transformers, Vllm, LlamaCpp.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public InferenceEngine Engine { get; set; } = InferenceEngine.Generic;

        /// <summary>Replaces the engine's fixed overhead (CUDA context, workspaces): '1.5GiB', 500MB.</summary>
        [Parameter]
        [QuantityTransformation(QuantityKind.Bytes)]
        public ByteSize? Overhead { get; set; }

        /// <summary>vLLM's --gpu-memory-utilization (0–1]; default 0.9 for the Vllm engine.</summary>
        [Parameter]
        public double? GpuMemoryUtilization { get; set; }

        /// <summary>Quantize embeddings and lm_head too (default: they stay 16-bit, as quantized checkpoints keep them).</summary>
        [Parameter]
        public SwitchParameter QuantizeEmbeddings { get; set; }

        /// <summary>Estimates for the current pipeline item; bad inputs become non-terminating errors.</summary>
        protected IEnumerable<InferenceEstimate> CurrentEstimates()
        {
            var estimates = new List<InferenceEstimate>();
            if (!TryCurrentTypes(out var weight, out var kv)) return estimates;
            bool precisionGiven = MyInvocation.BoundParameters.ContainsKey(nameof(Precision));
            foreach (ModelSpec model in CurrentModels())
            {
                var e = EstimateFor(model, weight!, kv, precisionGiven);
                if (e != null) estimates.Add(e);
            }
            return estimates;
        }

        /// <summary>
        /// Writes the estimates of the current pipeline item. A model object from the pipeline (Get-LlmModel | ...) takes
        /// the direct path: one estimate, written as it is made, without the per-item list and one-element model array of
        /// <see cref="CurrentEstimates"/> (two small allocations per item; in the 100,000-item sweep PowerShell's
        /// parameter binding costs far more per item than this cmdlet's own work, see README "Performance").
        /// </summary>
        protected void WriteCurrentEstimates()
        {
            if (InputObject == null)
            {
                foreach (var e in CurrentEstimates()) WriteObject(e);
                return;
            }
            if (!TryCurrentTypes(out var weight, out var kv)) return;
            var estimate = EstimateFor(InputObject, weight!, kv, MyInvocation.BoundParameters.ContainsKey(nameof(Precision)));
            if (estimate != null) WriteObject(estimate);
        }

        /// <summary>One model's estimate under the current parameters, or null after writing the error.</summary>
        private InferenceEstimate? EstimateFor(ModelSpec model, DataType weight, DataType? kv, bool precisionGiven)
        {
            // A model imported from a weight file has exact weight bytes: use them, at the file's main data type,
            // unless the caller asked for another precision.
            var modelWeight = weight;
            ByteSize? exact = null;
            if (!precisionGiven && model.WeightFile != null && model.WeightFile.BytesByDataType.Count > 0)
            {
                string main = model.WeightFile.BytesByDataType.OrderByDescending(t => t.Value).First().Key;
                if (DataTypes.TryGet(main, out var fileType)) modelWeight = fileType;
                exact = new ByteSize(model.WeightFile.TotalBytes);
            }
            var request = new InferenceRequest(model, modelWeight, ContextLength)
            {
                ExactWeightBytes = exact,
                KvCachePrecision = kv,
                BatchSize = BatchSize,
                TensorParallel = TensorParallel,
                Engine = Engine,
                OverheadOverride = Overhead,
                GpuMemoryUtilization = GpuMemoryUtilization,
                KeepEmbeddingsIn16Bit = !QuantizeEmbeddings,
            };
            try
            {
                var e = InferenceEstimator.Estimate(request);
                foreach (string w in e.Warnings) WriteWarning(model.Id + ": " + w);
                return e;
            }
            catch (EstimateInputException ex)
            {
                WriteError(ErrorIds.Record(ex.ErrorId, ex.Message, model.Id));
                return null;
            }
        }

        // The last precision names resolved and their types. -Precision int4 on the command line is the same string for
        // every pipeline item; DataTypes.TryGet costs a dictionary probe for table names and a regex plus a new DataType
        // (585 ns, 1 KB in DataTypeBenchmarks) for gptq-Nbit-gG / awq-Nbit-gG. Only successes are kept, so an unknown
        // name still gives its error on every item, as before.
        private string? _weightName, _kvName;
        private DataType? _weightType, _kvType;

        private bool TryCurrentTypes(out DataType? weight, out DataType? kv)
        {
            kv = null;
            if (!TryCachedType(Precision, "Precision", ref _weightName, ref _weightType, out weight)) return false;
            return KvCachePrecision == null || TryCachedType(KvCachePrecision, "KvCachePrecision", ref _kvName, ref _kvType, out kv);
        }

        private bool TryCachedType(string name, string parameter, ref string? cachedName, ref DataType? cachedType, out DataType? type)
        {
            if (cachedType != null && string.Equals(name, cachedName, System.StringComparison.Ordinal)) { type = cachedType; return true; }
            if (!TryType(name, parameter, out type)) return false;
            cachedName = name;
            cachedType = type;
            return true;
        }

        private bool TryType(string name, string parameter, out DataType? type)
        {
            if (DataTypes.TryGet(name, out var t)) { type = t; return true; }
            type = null;
            WriteError(ErrorIds.Record("PrecisionNotFound",
                "-" + parameter + " '" + name + "' is not a known data type. Valid: " + string.Join(", ", DataTypes.All.Select(d => d.Name)) + " (and gptq-Nbit-gG / awq-Nbit-gG).", name));
            return false;
        }
    }
}
