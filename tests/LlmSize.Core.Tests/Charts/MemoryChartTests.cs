using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using LlmSize.Core.Charts;
using LlmSize.Core.Units;
using Xunit;

namespace LlmSize.Core.Tests.Charts
{
    public class MemoryChartTests
    {
        private static ChartBar Bar(string label, double weightsGiB, double kvGiB) => new ChartBar(label, new[]
        {
            new KeyValuePair<string, ByteSize>("Weights", ByteSize.FromGiB(weightsGiB)),
            new KeyValuePair<string, ByteSize>("KvCache", ByteSize.FromGiB(kvGiB)),
        });

        [Fact]
        public void RendersWellFormedSvgWithOneRectPerSegmentAndALinePerGpu()
        {
            string svg = MemoryChart.RenderSvg(new[] { Bar("a <b>", 14, 2), Bar("c", 14, 8) },
                new[] { new ChartLimit("RTX 4090", new ByteSize(25386352640)) }, "t & u");
            var doc = XDocument.Parse(svg);   // throws if not well-formed (escaping of <, &)
            XNamespace ns = "http://www.w3.org/2000/svg";
            var rects = doc.Descendants(ns + "rect").Where(r => r.Element(ns + "title") != null).ToList();
            Assert.Equal(4, rects.Count);
            Assert.Equal(2, rects.Count(r => (string)r.Attribute("fill")! == MemoryChart.Colors["Weights"]));
            Assert.Single(doc.Descendants(ns + "line"), l => (string?)l.Attribute("stroke-dasharray") != null);
            Assert.Contains("a &lt;b&gt;", svg);
        }

        [Fact]
        public void BarWidthsAreProportionalToSize()
        {
            // Axis max: max(16, 22) GiB × 1.05 = 23.1 → next nice value 25 GiB; plot width 960 − 260 − 40 = 660 px.
            // 14 GiB of weights → 14 / 25 · 660 = 369.6 px.
            string svg = MemoryChart.RenderSvg(new[] { Bar("a", 14, 2), Bar("b", 14, 8) }, new ChartLimit[0], "t");
            var doc = XDocument.Parse(svg);
            XNamespace ns = "http://www.w3.org/2000/svg";
            var first = doc.Descendants(ns + "rect").First(r => r.Element(ns + "title") != null);
            Assert.Equal("369.6", (string)first.Attribute("width")!);
        }
    }
}
