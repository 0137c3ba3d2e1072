using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using LlmSize.Core.Training;
using LlmSize.Core.Units;
using Xunit;
using Xunit.Abstractions;

namespace LlmSize.Core.Tests.Training
{
    /// <summary>
    /// The estimator against published measurements (Training/measured-training.json): each row is re-estimated, its
    /// error printed, and checked against the file's tolerance; the file's recorded estimate and error must be current,
    /// so the data file always shows what the code computes.
    /// </summary>
    public class MeasuredTrainingTests
    {
        private readonly ITestOutputHelper _output;

        public MeasuredTrainingTests(ITestOutputHelper output) { _output = output; }

        private static JsonDocument Load() =>
            JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Training", "measured-training.json")));

        /// <summary>What the setup says: bert-large-uncased, seq 512, NVML including the 1343 MiB context, PyTorch ≤ 1.10.</summary>
        private static TrainingRequest Request(JsonElement row, double contextMiB)
        {
            var request = new TrainingRequest(TrainingTestModels.BertLargeUncased())
            {
                Method = TrainingMethod.Full,
                SequenceLength = 512,
                SoftmaxSavesInput = true,
                Overhead = ByteSize.FromMiB(contextMiB),
                Regime = Enum.Parse<PrecisionRegime>(row.GetProperty("regime").GetString()!),
            };
            if (row.TryGetProperty("microBatchSize", out JsonElement b)) request.MicroBatchSize = b.GetInt32();
            if (row.TryGetProperty("gradientAccumulation", out JsonElement ga)) request.GradientAccumulation = ga.GetInt32();
            if (row.TryGetProperty("optimizer", out JsonElement o)) request.Optimizer = Enum.Parse<OptimizerKind>(o.GetString()!);
            if (row.TryGetProperty("recompute", out JsonElement r)) request.Recompute = Enum.Parse<RecomputeMode>(r.GetString()!);
            return request;
        }

        [Fact]
        public void Hugging_face_single_gpu_ladder_within_tolerance()
        {
            using JsonDocument doc = Load();
            JsonElement root = doc.RootElement;
            double tolerance = root.GetProperty("tolerancePercent").GetDouble();
            double context = root.GetProperty("setup").GetProperty("cudaContextMiB").GetDouble();
            Assert.StartsWith("https://", root.GetProperty("source").GetString());

            var report = new StringBuilder();
            report.AppendLine("row | setting | reported MiB | estimated MiB | error % | without softmax input %");
            var failures = new List<string>();
            int checkedRows = 0;
            foreach (JsonElement row in root.GetProperty("rows").EnumerateArray())
            {
                string kind = row.GetProperty("kind").GetString()!;
                if (kind == "context") continue; // the context is the Overhead input itself
                int id = row.GetProperty("id").GetInt32();
                double reported = row.GetProperty("reportedMiB").GetDouble();

                TrainingRequest request = Request(row, context);
                TrainingEstimate estimate = TrainingEstimator.Estimate(request);
                // "weights": the model on the GPU before training — weights plus the context.
                double estimated = kind == "weights" ? (estimate.Weights + estimate.Overhead).MiB : estimate.PerGpu.MiB;
                double error = (estimated - reported) / reported * 100;

                string without = "";
                if (row.TryGetProperty("errorPercentWithoutSoftmaxInput", out JsonElement recordedWithout))
                {
                    request.SoftmaxSavesInput = false;
                    double plain = TrainingEstimator.Estimate(request).PerGpu.MiB;
                    double errorWithout = (plain - reported) / reported * 100;
                    without = errorWithout.ToString("F2");
                    if (Math.Abs(errorWithout - recordedWithout.GetDouble()) > 0.01)
                        failures.Add($"row {id}: recorded errorPercentWithoutSoftmaxInput {recordedWithout.GetDouble()} but the code gives {errorWithout:F2}");
                }
                report.AppendLine($"{id} | {row.GetProperty("setting").GetString()} | {reported} | {estimated:F1} | {error:F2} | {without}");

                if (Math.Abs(estimated - row.GetProperty("estimatedMiB").GetDouble()) > 0.1)
                    failures.Add($"row {id}: recorded estimatedMiB {row.GetProperty("estimatedMiB").GetDouble()} but the code gives {estimated:F1}; update the file");
                if (Math.Abs(error - row.GetProperty("errorPercent").GetDouble()) > 0.01)
                    failures.Add($"row {id}: recorded errorPercent {row.GetProperty("errorPercent").GetDouble()} but the code gives {error:F2}");
                if (Math.Abs(error) > tolerance)
                    failures.Add($"row {id}: error {error:F2}% is outside ±{tolerance}%");
                checkedRows++;
            }
            _output.WriteLine(report.ToString());
            Assert.Equal(10, checkedRows);
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }
    }
}
