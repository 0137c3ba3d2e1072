using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using LlmSize.Core.Charts;
using LlmSize.Core.Fit;
using LlmSize.Core.Hardware;
using LlmSize.Core.Units;
using LlmSize.PowerShell.Infrastructure;

namespace LlmSize.PowerShell.Commands
{
    /// <summary>Chart file format.</summary>
    public enum ChartFormat { Svg, Html }

    /// <summary>
    /// Renders memory breakdowns from the pipeline (inference or training estimates, fit results) as stacked bars
    /// against each GPU's usable memory, into a self-contained SVG or HTML file.
    /// </summary>
    [Cmdlet(VerbsData.Out, "LlmChart")]
    [OutputType(typeof(FileInfo))]
    public sealed class OutLlmChartCommand : CatalogCmdlet
    {
        /// <summary>Breakdown terms in drawing order; any ByteSize property of these names is drawn.</summary>
        private static readonly string[] Terms = { "Weights", "KvCache", "Activations", "Logits", "Gradients", "OptimizerStates", "Overhead" };

        private readonly List<ChartBar> _bars = new List<ChartBar>();
        private readonly List<ChartLimit> _limits = new List<ChartLimit>();

        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PSObject? InputObject { get; set; }

        /// <summary>The file to write (.svg or .html).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Accelerators whose usable memory is drawn as a line.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(GpuNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Gpu { get; set; }

        [Parameter]
        public string Title { get; set; } = "LlmSize memory breakdown";

        /// <summary>Svg or Html; by default taken from the file extension (.html/.htm → Html).</summary>
        [Parameter]
        public ChartFormat? Format { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override string[]? CatalogPath => null;

        protected override void BeginProcessing()
        {
            foreach (string name in Gpu ?? Array.Empty<string>())
                foreach (var g in NameMatcher.Match(this, name, Catalog.Gpus, Data.Catalog.Catalog.NamesOf, Catalog.ResolveGpu, x => x.Id, "GpuNotFound", "AmbiguousGpuName", "accelerator", "Get-Gpu"))
                    AddLimit(g);
        }

        protected override void ProcessRecord()
        {
            var item = InputObject!;
            // A fit result carries its estimate and GPU.
            if (Property(item, "Estimate") is object estimate)
            {
                if (Property(item, "Gpu") is GpuSpec g) AddLimit(g);
                item = PSObject.AsPSObject(estimate);
            }
            var segments = new List<KeyValuePair<string, ByteSize>>();
            if (item.BaseObject is IMemoryEstimate estimateObject)
            {
                // What one GPU holds: the estimate's own per-GPU breakdown.
                foreach (var c in estimateObject.Breakdown) segments.Add(new KeyValuePair<string, ByteSize>(c.Name, c.PerGpu));
            }
            else
            {
                foreach (string term in Terms)
                    if (Property(item, term) is ByteSize size) segments.Add(new KeyValuePair<string, ByteSize>(term, size));
            }
            if (segments.Count == 0)
            {
                WriteError(ErrorIds.Record("NotAnEstimate",
                    "This object has no memory breakdown (Weights, KvCache, Activations, Gradients, OptimizerStates, Overhead): pipe estimates from Get-LlmInferenceMemory, Get-LlmTrainingMemory or Test-GpuFit.", InputObject));
                return;
            }
            _bars.Add(new ChartBar(Label(item), segments));
        }

        protected override void EndProcessing()
        {
            if (_bars.Count == 0) return;
            string file = GetUnresolvedProviderPathFromPSPath(Path);
            var format = Format ?? (file.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".htm", StringComparison.OrdinalIgnoreCase) ? ChartFormat.Html : ChartFormat.Svg);
            string text = format == ChartFormat.Html ? MemoryChart.RenderHtml(_bars, _limits, Title) : MemoryChart.RenderSvg(_bars, _limits, Title);
            File.WriteAllText(file, text, new UTF8Encoding(false));
            if (PassThru) WriteObject(new FileInfo(file));
        }

        private void AddLimit(GpuSpec g)
        {
            if (_limits.All(l => l.Label != g.Name)) _limits.Add(new ChartLimit(g.Name, g.UsableMemory));
        }

        private static object? Property(PSObject o, string name)
        {
            object? v = o.Properties[name]?.Value;
            return v is PSObject p ? p.BaseObject : v;
        }

        /// <summary>"llama-3.1-8b · bf16 · 32768 tokens · batch 16" from whichever inputs the estimate echoes.</summary>
        private static string Label(PSObject o)
        {
            if (Property(o, "Label") is string label) return label;
            var parts = new List<string>();
            foreach (var (name, format) in new[] { ("ModelId", "{0}"), ("Method", "{0}"), ("Precision", "{0}"), ("ContextLength", "{0} tokens"), ("SequenceLength", "seq {0}"), ("BatchSize", "batch {0}"), ("MicroBatchSize", "micro-batch {0}"), ("TensorParallel", "TP {0}"), ("ZeroStage", "ZeRO-{0}") })
            {
                object? v = Property(o, name);
                if (v == null || (name == "TensorParallel" && Equals(v, 1))) continue;
                parts.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, v));
            }
            return parts.Count > 0 ? string.Join(" · ", parts) : "configuration";
        }
    }
}
