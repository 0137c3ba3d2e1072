using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LlmSize.Core.Fit;
using LlmSize.Core.Hardware;
using LlmSize.Core.Units;
using LlmSize.PowerShell.Infrastructure;

namespace LlmSize.PowerShell.Commands
{
    /// <summary>
    /// Does an estimate fit on a GPU (or N of them)? Usable memory, headroom, utilization, GPUs needed, and for
    /// inference the largest batch and context that fit and the KV-cache token capacity. -Quiet returns booleans.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "GpuFit", DefaultParameterSetName = EstimateSet)]
    [OutputType(typeof(FitResult), typeof(bool))]
    public sealed class TestGpuFitCommand : EstimateInputCmdlet
    {
        /// <summary>Catalog names of GPUs, or GpuSpec objects (also from the pipeline: Get-Gpu | Test-GpuFit -Estimate $e).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
        [ArgumentCompleter(typeof(GpuNameCompleter))]
        [ValidateNotNullOrEmpty]
        public GpuArgument[]? Gpu { get; set; }

        /// <summary>Number of GPUs of that kind. Default 1 (or the estimate's tensor-parallel degree when larger).</summary>
        [Parameter]
        [ValidateRange(1, GpuFit.MaxGpus)]
        public int Count { get; set; } = 1;

        /// <summary>
        /// Memory of the device you have, when it differs from the catalog's (Apple silicon and Jetson come in several
        /// sizes; the catalog lists the largest): '64GB', '128GB'. Usable memory follows from it (Apple: the GPU-wired share).
        /// </summary>
        [Parameter]
        [QuantityTransformation(QuantityKind.Bytes)]
        public ByteSize? GpuMemory { get; set; }

        /// <summary>Return only $true / $false per estimate and GPU.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void ProcessRecord()
        {
            var estimates = CurrentMemoryEstimates();
            var gpus = CurrentGpus();
            foreach (var e in estimates)
                foreach (var g in gpus)
                {
                    var fit = GpuFit.Test(e, g, System.Math.Max(Count, e.GpuCount));
                    if (Quiet) WriteObject(fit.Fits);
                    else WriteObject(fit);
                }
        }

        // -Gpu given once on the command line is the same array for every pipeline item, and so is -GpuMemory's value:
        // the GPUs are resolved once for them instead of once per item (name matching through the catalog, a list, and
        // with -GpuMemory a copy of each GpuSpec per item). A resolution that wrote an error is not kept, so an unknown
        // name or a bad -GpuMemory still reports on every item, as before; GPUs piped in (a new array each item) are
        // resolved per item.
        private GpuArgument[]? _resolvedFor;
        private ByteSize? _resolvedMemory;
        private List<GpuSpec>? _resolved;

        private List<GpuSpec> CurrentGpus()
        {
            if (_resolved != null && ReferenceEquals(Gpu, _resolvedFor) && Nullable.Equals(GpuMemory, _resolvedMemory)) return _resolved;
            var list = ResolveGpus(out bool clean);
            if (clean) { _resolvedFor = Gpu; _resolvedMemory = GpuMemory; _resolved = list; }
            else _resolved = null;
            return list;
        }

        private List<GpuSpec> ResolveGpus(out bool clean)
        {
            // Names without wildcards that found nothing have written GpuNotFound or AmbiguousGpuName.
            clean = true;
            var list = new List<GpuSpec>();
            foreach (var argument in Gpu!)
            {
                var found = ResolveGpus(new[] { argument });
                if (found.Count == 0 && argument.Gpu == null && !WildcardPattern.ContainsWildcardCharacters(argument.Name)) clean = false;
                list.AddRange(found);
            }
            if (GpuMemory is ByteSize memory)
            {
                if (memory.Bytes <= 0) { clean = false; WriteError(ErrorIds.Record("InvalidGpuMemory", "-GpuMemory must be positive, e.g. '64GB'.", memory)); return new List<GpuSpec>(); }
                return list.Select(g => g.WithMemory(memory)).ToList();
            }
            return list;
        }
    }
}
