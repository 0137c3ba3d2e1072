using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Text;
using LlmSize.Core.Units;

namespace LlmSize.Core.Charts
{
    /// <summary>One stacked bar: a configuration and its memory breakdown.</summary>
    public sealed class ChartBar
    {
        public ChartBar(string label, IReadOnlyList<KeyValuePair<string, ByteSize>> segments) { Label = label; Segments = segments; }
        public string Label { get; }
        /// <summary>Breakdown terms in drawing order (Weights, KvCache, Activations ...).</summary>
        public IReadOnlyList<KeyValuePair<string, ByteSize>> Segments { get; }
        public ByteSize Total => new ByteSize(Segments.Sum(s => s.Value.Bytes));
    }

    /// <summary>A vertical line: what one accelerator can hold.</summary>
    public sealed class ChartLimit
    {
        public ChartLimit(string label, ByteSize memory) { Label = label; Memory = memory; }
        public string Label { get; }
        public ByteSize Memory { get; }
    }

    /// <summary>
    /// Renders memory breakdowns as a self-contained SVG: one horizontal stacked bar per configuration, in GiB,
    /// with a dashed line per accelerator at its usable memory, and a legend. No scripts, no external resources.
    /// </summary>
    public static class MemoryChart
    {
        /// <summary>Fixed colours per breakdown term so charts compare at a glance (Tableau 10 palette).</summary>
        public static readonly IReadOnlyDictionary<string, string> Colors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Weights"] = "#1f77b4", ["KvCache"] = "#ff7f0e", ["Activations"] = "#2ca02c", ["Overhead"] = "#7f7f7f",
            ["Gradients"] = "#d62728", ["OptimizerStates"] = "#9467bd", ["Logits"] = "#8c564b", ["GatherBuffer"] = "#bcbd22",
        };
        private const string FallbackColor = "#17becf";

        private const int Width = 960, LabelWidth = 260, RightMargin = 40, BarHeight = 26, BarGap = 12, Top = 60, AxisHeight = 40, LegendHeight = 40;

        public static string RenderSvg(IReadOnlyList<ChartBar> bars, IReadOnlyList<ChartLimit> limits, string title)
        {
            if (bars.Count == 0) throw new ArgumentException("Nothing to chart: no configurations were given.", nameof(bars));
            double maxGiB = Math.Max(bars.Max(b => b.Total.GiB), limits.Count > 0 ? limits.Max(l => l.Memory.GiB) : 0);
            double axisMax = NiceCeiling(maxGiB * 1.05);
            int plotWidth = Width - LabelWidth - RightMargin;
            int height = Top + bars.Count * (BarHeight + BarGap) + AxisHeight + LegendHeight;
            double X(double gib) => LabelWidth + gib / axisMax * plotWidth;
            var inv = CultureInfo.InvariantCulture;
            var svg = new StringBuilder();
            svg.AppendFormat(inv, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" font-family=\"sans-serif\" font-size=\"12\">\n", Width, height);
            svg.AppendFormat(inv, "<rect width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n", Width, height);
            svg.AppendFormat(inv, "<text x=\"{0}\" y=\"28\" font-size=\"16\" font-weight=\"bold\">{1}</text>\n", 16, Esc(title));

            int plotBottom = Top + bars.Count * (BarHeight + BarGap);
            // Axis with ticks in GiB.
            double step = axisMax / 5;
            for (int i = 0; i <= 5; i++)
            {
                double v = step * i, x = X(v);
                svg.AppendFormat(inv, "<line x1=\"{0:0.#}\" y1=\"{1}\" x2=\"{0:0.#}\" y2=\"{2}\" stroke=\"#dddddd\"/>\n", x, Top - 6, plotBottom);
                svg.AppendFormat(inv, "<text x=\"{0:0.#}\" y=\"{1}\" text-anchor=\"middle\">{2:0.#} GiB</text>\n", x, plotBottom + 16, v);
            }

            for (int i = 0; i < bars.Count; i++)
            {
                var bar = bars[i];
                int y = Top + i * (BarHeight + BarGap);
                svg.AppendFormat(inv, "<text x=\"{0}\" y=\"{1}\" text-anchor=\"end\">{2}</text>\n", LabelWidth - 8, y + BarHeight / 2 + 4, Esc(bar.Label));
                double start = 0;
                foreach (var seg in bar.Segments)
                {
                    if (seg.Value.Bytes <= 0) continue;
                    double w = X(start + seg.Value.GiB) - X(start);
                    svg.AppendFormat(inv, "<rect x=\"{0:0.##}\" y=\"{1}\" width=\"{2:0.##}\" height=\"{3}\" fill=\"{4}\"><title>{5}: {6}</title></rect>\n",
                        X(start), y, w, BarHeight, ColorOf(seg.Key), Esc(seg.Key), seg.Value);
                    start += seg.Value.GiB;
                }
                svg.AppendFormat(inv, "<text x=\"{0:0.#}\" y=\"{1}\" fill=\"#333333\">{2}</text>\n", X(start) + 4, y + BarHeight / 2 + 4, bar.Total);
            }

            foreach (var limit in limits)
            {
                double x = X(limit.Memory.GiB);
                svg.AppendFormat(inv, "<line x1=\"{0:0.#}\" y1=\"{1}\" x2=\"{0:0.#}\" y2=\"{2}\" stroke=\"#000000\" stroke-width=\"2\" stroke-dasharray=\"6,4\"/>\n", x, Top - 14, plotBottom);
                svg.AppendFormat(inv, "<text x=\"{0:0.#}\" y=\"{1}\" text-anchor=\"middle\" font-size=\"11\">{2} ({3})</text>\n", x, Top - 18, Esc(limit.Label), limit.Memory);
            }

            // Legend of the terms present.
            var terms = bars.SelectMany(b => b.Segments).Where(s => s.Value.Bytes > 0).Select(s => s.Key).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            int lx = LabelWidth, ly = plotBottom + AxisHeight;
            foreach (var term in terms)
            {
                svg.AppendFormat(inv, "<rect x=\"{0}\" y=\"{1}\" width=\"14\" height=\"14\" fill=\"{2}\"/><text x=\"{3}\" y=\"{4}\">{5}</text>\n", lx, ly, ColorOf(term), lx + 18, ly + 12, Esc(term));
                lx += 24 + term.Length * 7 + 16;
            }
            svg.Append("</svg>\n");
            return svg.ToString();
        }

        /// <summary>The SVG inside a minimal HTML page (for browsers that open .html more readily).</summary>
        public static string RenderHtml(IReadOnlyList<ChartBar> bars, IReadOnlyList<ChartLimit> limits, string title) =>
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + Esc(title) + "</title></head><body style=\"margin:0\">\n" +
            RenderSvg(bars, limits, title) + "</body></html>\n";

        public static string ColorOf(string term) => Colors.TryGetValue(term, out var c) ? c : FallbackColor;

        private static double NiceCeiling(double v)
        {
            if (v <= 0) return 1;
            double mag = Math.Pow(10, Math.Floor(Math.Log10(v)));
            foreach (double m in new[] { 1, 2, 2.5, 5, 10 })
                if (m * mag >= v) return m * mag;
            return 10 * mag;
        }

        private static string Esc(string s) => SecurityElement.Escape(s) ?? "";
    }
}
