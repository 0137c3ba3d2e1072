using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using LlmSize.Core.Throughput;
using LlmSize.Core.Units;
using Xunit;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace LlmSize.Core.Tests.Throughput
{
    /// <summary>
    /// The roofline against published measurements (measured-speed.yaml). Reached with the default efficiencies:
    /// single-stream decode within ±25% on 36 of 37 fitted rows (M2 Ultra Q4_0: +30%); prefill (pp512) within ±30% on
    /// all 13 rows. Four rows of llama.cpp 2023 on A100/H100 are outliers the roofline overestimates by 45-130%
    /// (per-token overhead, not bandwidth, limits them); they are only checked against the physical ceiling.
    /// Run with --logger "console;verbosity=detailed" to see the error table.
    /// </summary>
    public class MeasuredSpeedTests
    {
        private readonly ITestOutputHelper _out;
        public MeasuredSpeedTests(ITestOutputHelper output) => _out = output;

        internal sealed class Row
        {
            public string Id = "", Gpu = "", Model = "", Format = "", Test = "", Source = "";
            public double SizeGiB, Measured;
            public double? Tolerance;
            public string? Outlier, ComputePath;
            public bool IsPrefill => Test.StartsWith("pp", StringComparison.Ordinal);
            public double Estimate, Ceiling, MemoryEfficiency;
            public double Error => Estimate / Measured - 1;
            /// <summary>Measured ÷ ceiling: the efficiency this row achieved.</summary>
            public double Achieved => Measured / Ceiling;
        }

        private static readonly Lazy<List<Row>> s_rows = new Lazy<List<Row>>(Load);
        internal static List<Row> Rows => s_rows.Value;

        private static List<Row> Load()
        {
            string path = Path.Combine(RepoPaths.Repo, "tests", "LlmSize.Core.Tests", "Throughput", "measured-speed.yaml");
            var yaml = new YamlStream();
            using (var reader = new StreamReader(path)) yaml.Load(reader);
            var root = (YamlMappingNode)yaml.Documents[0].RootNode;
            var sources = (YamlMappingNode)root.Children[new YamlScalarNode("sources")];
            var rows = new List<Row>();
            foreach (YamlMappingNode node in (YamlSequenceNode)root.Children[new YamlScalarNode("rows")])
            {
                string S(string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;
                string? Opt(string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? ((YamlScalarNode)v).Value : null;
                double D(string key) => double.Parse(S(key), CultureInfo.InvariantCulture);
                var row = new Row
                {
                    Id = S("id"), Gpu = S("gpu"), Model = S("model"), Format = S("format"), Test = S("test"),
                    Source = S("source"), SizeGiB = D("size_gib"), Measured = D("measured"), Outlier = Opt("outlier"), ComputePath = Opt("compute_path"),
                    Tolerance = Opt("tolerance") is string t ? double.Parse(t, CultureInfo.InvariantCulture) : (double?)null,
                };
                Assert.True(sources.Children.ContainsKey(new YamlScalarNode(row.Source)), row.Id + ": unknown source " + row.Source);
                Compute(row);
                rows.Add(row);
            }
            return rows;
        }

        /// <summary>The workload of a row: model facts from the shipped catalog, bytes from the file size llama-bench printed.</summary>
        internal static InferenceWorkload Workload(Row row)
        {
            var model = ShippedCatalog.Model(row.Model);
            var a = model.Architecture;
            double embedding = (double)a.VocabSize * a.HiddenSize;          // gathered one row per token, not streamed
            double streamedShare = (model.Parameters - embedding) / model.Parameters;
            int prompt, output;
            if (row.Test == "eval") { prompt = 0; output = 128; }          // context not stated: treated as tg128
            else if (row.Test.StartsWith("tg", StringComparison.Ordinal)) { prompt = 0; output = int.Parse(row.Test.Substring(2), CultureInfo.InvariantCulture); }
            else { prompt = int.Parse(row.Test.Substring(2), CultureInfo.InvariantCulture); output = 1; }
            return new InferenceWorkload
            {
                ActiveParameters = model.Parameters - (long)embedding,
                ActiveWeightBytes = row.SizeGiB * ByteSize.GiBBytes * streamedShare,
                // llama.cpp's default KV cache is f16: 2 (K, V) · layers · KV heads · head dim · 2 bytes.
                KvBytesPerToken = 2.0 * a.NumLayers * a.NumKeyValueHeads * a.HeadDim * 2,
                Layers = a.NumLayers,
                HiddenSize = a.HiddenSize,
                WeightType = DataTypes.Get(row.Format),
                PromptTokens = prompt,
                OutputTokens = output,
            };
        }

        private static void Compute(Row row)
        {
            var gpu = ShippedCatalog.Gpu(row.Gpu);
            var w = Workload(row);
            var estimate = InferenceThroughput.Estimate(w, gpu);
            var ceiling = InferenceThroughput.Estimate(w, gpu, 1, new InferenceOptions
            {
                MemoryEfficiency = 1, ComputeEfficiency = 1,
                ComputePrecision = row.ComputePath == "int8" ? ComputePrecision.Int8 : (ComputePrecision?)null,
            });
            row.MemoryEfficiency = estimate.MemoryEfficiency;
            if (row.IsPrefill)
            {
                row.Estimate = w.PromptTokens / estimate.TimeToFirstTokenSeconds!.Value;
                row.Ceiling = w.PromptTokens / ceiling.TimeToFirstTokenSeconds!.Value;
            }
            else
            {
                row.Estimate = estimate.TokensPerSecondPerSequence!.Value;
                row.Ceiling = ceiling.TokensPerSecondPerSequence!.Value;
            }
        }

        [Fact]
        public void Every_row_names_a_catalog_gpu_a_catalog_model_and_a_known_format()
        {
            Assert.True(Rows.Count >= 50, "rows: " + Rows.Count);
            Assert.Equal(Rows.Count, Rows.Select(r => r.Id).Distinct().Count());
        }

        [Fact]
        public void No_measurement_exceeds_the_physical_ceiling()
        {
            // Efficiency 1: the full spec-sheet bandwidth (decode) or peak (prefill). A row above it would be a wrong
            // number or a wrong catalog entry.
            foreach (var r in Rows)
                Assert.True(r.Measured <= r.Ceiling, r.Id + ": measured " + r.Measured + " > ceiling " + r.Ceiling.ToString("0.0", CultureInfo.InvariantCulture));
        }

        [Fact]
        public void Estimates_are_within_each_rows_tolerance()
        {
            _out.WriteLine("| row | GPU | measured | estimate | error | achieved fraction |");
            _out.WriteLine("|---|---|---:|---:|---:|---:|");
            foreach (var r in Rows)
                _out.WriteLine("| " + r.Id + " | " + r.Gpu + " | " + r.Measured.ToString("0.##", CultureInfo.InvariantCulture) + " | "
                    + r.Estimate.ToString("0.##", CultureInfo.InvariantCulture) + " | " + r.Error.ToString("+0%;-0%", CultureInfo.InvariantCulture)
                    + " | " + r.Achieved.ToString("0.000", CultureInfo.InvariantCulture) + (r.Outlier != null ? " (outlier)" : "") + " |");
            var failures = Rows.Where(r => r.Outlier == null && Math.Abs(r.Error) > (r.Tolerance ?? (r.IsPrefill ? 0.30 : 0.25)))
                .Select(r => r.Id + " " + r.Error.ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture)).ToList();
            Assert.True(failures.Count == 0, "outside tolerance: " + string.Join(", ", failures));
        }

        [Fact]
        public void The_stated_tolerance_is_what_is_reached()
        {
            var decode = Rows.Where(r => !r.IsPrefill && r.Outlier == null).ToList();
            Assert.Equal(37, decode.Count);
            Assert.Equal(36, decode.Count(r => Math.Abs(r.Error) <= 0.25));
            Assert.True(decode.Max(r => Math.Abs(r.Error)) <= 0.31);
            var prefill = Rows.Where(r => r.IsPrefill).ToList();
            Assert.Equal(13, prefill.Count);
            Assert.True(prefill.Max(r => Math.Abs(r.Error)) <= 0.30);
            // The outliers: overestimated, never underestimated.
            Assert.All(Rows.Where(r => r.Outlier != null), r => Assert.True(r.Error > 0.4, r.Id));
        }

        [Fact]
        public void Default_memory_efficiencies_are_the_medians_of_the_measured_fractions()
        {
            foreach (var group in Rows.Where(r => !r.IsPrefill && r.Outlier == null).GroupBy(r => r.MemoryEfficiency))
            {
                var achieved = group.Select(r => r.Achieved).OrderBy(x => x).ToList();
                double median = achieved.Count % 2 == 1 ? achieved[achieved.Count / 2]
                    : (achieved[achieved.Count / 2 - 1] + achieved[achieved.Count / 2]) / 2;
                _out.WriteLine("default " + group.Key + ": median " + median.ToString("0.0000", CultureInfo.InvariantCulture) + " of " + achieved.Count + " rows");
                Assert.True(Math.Abs(group.Key - median) <= 0.005, "default " + group.Key + " vs median " + median);
            }
        }

        [Fact]
        public void The_defaults_do_not_hinge_on_one_source()
        {
            // Leave one source out: refit the three medians on the other sources and measure that source's decode error.
            var decode = Rows.Where(r => !r.IsPrefill && r.Outlier == null).ToList();
            double worst = 0;
            foreach (var source in decode.Select(r => r.Source).Distinct())
            {
                var others = decode.Where(r => r.Source != source).ToList();
                foreach (var r in decode.Where(r => r.Source == source))
                {
                    var same = others.Where(o => o.MemoryEfficiency == r.MemoryEfficiency).Select(o => o.Achieved).OrderBy(x => x).ToList();
                    double median = same.Count % 2 == 1 ? same[same.Count / 2] : (same[same.Count / 2 - 1] + same[same.Count / 2]) / 2;
                    double error = median / r.Achieved - 1;
                    worst = Math.Max(worst, Math.Abs(error));
                    _out.WriteLine(source + " " + r.Id + ": held-out error " + error.ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture));
                }
            }
            Assert.True(worst <= 0.30, "worst held-out error " + worst);
        }

        [Fact]
        public void Longer_context_slows_decode_but_less_than_measured()
        {
            // Llama 3 8B on an RTX 4090, tg8192 vs tg512: the KV cache read adds 0.54 GB per step at a mean context of
            // 4096. The roofline predicts 10% (Q4_K_M) and 3% (F16) slowdowns; llama.cpp measured 15% and 7% — attention
            // compute and the non-flash-attention kernels of May 2024 cost more than the bytes alone.
            Row R(string id) => Rows.Single(r => r.Id == id);
            foreach (var (shortId, longId) in new[] { ("xd-rtx4090-l3-q4km-tg512", "xd-rtx4090-l3-q4km-tg8192"), ("xd-rtx4090-l3-f16-tg512", "xd-rtx4090-l3-f16-tg8192") })
            {
                double estimated = R(longId).Estimate / R(shortId).Estimate;
                double measured = R(longId).Measured / R(shortId).Measured;
                Assert.True(estimated < 1);
                Assert.True(measured < estimated, shortId + ": measured ratio " + measured + ", estimated " + estimated);
                Assert.True(estimated - measured < 0.06, shortId + ": measured ratio " + measured + ", estimated " + estimated);
            }
        }
    }
}
