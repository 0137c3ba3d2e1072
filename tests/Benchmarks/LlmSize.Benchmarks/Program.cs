using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace LlmSize.Benchmarks
{
    /// <summary>
    /// Runs every benchmark class of this assembly in-process with one short job and writes one JSON row per benchmark
    /// (mean/median ns per operation, allocated bytes per operation) for build.ps1 -Task Bench.
    /// Usage: LlmSize.Benchmarks [-out FILE] [-artifacts DIR] [-dry] [-filter SUBSTRING]
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            string? outFile = null, artifacts = null, filter = null;
            bool dry = false;
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i].TrimStart('-').ToLowerInvariant())
                {
                    case "out": outFile = args[++i]; break;
                    case "artifacts": artifacts = args[++i]; break;
                    case "filter": filter = args[++i]; break;
                    case "dry": dry = true; break;
                    default: Console.Error.WriteLine("Unknown argument '" + args[i] + "'. Usage: [-out FILE] [-artifacts DIR] [-dry] [-filter SUBSTRING]"); return 2;
                }
            }

            // In-process: no generated project to build, so the whole run fits the Bench task's 10-minute budget on
            // 2 cores. Short on purpose: 1 launch, 3 warm-up and 5 measured iterations of 250 ms each.
            Job job = (dry ? Job.Dry : Job.Default
                    .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5)
                    .WithIterationTime(TimeInterval.FromMilliseconds(250)))
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithId(dry ? "Dry" : "Bench");
            IConfig config = DefaultConfig.Instance
                .AddJob(job)
                .AddDiagnoser(MemoryDiagnoser.Default)
                .WithOptions(ConfigOptions.DisableLogFile | ConfigOptions.JoinSummary);
            if (artifacts != null) config = config.WithArtifactsPath(artifacts);

            var types = typeof(Program).Assembly.GetTypes()
                .Where(t => t.IsPublic && t.Name.EndsWith("Benchmarks", StringComparison.Ordinal) && !t.IsAbstract)
                .Where(t => filter == null || t.Name.IndexOf(filter, StringComparison.OrdinalIgnoreCase) >= 0)
                .OrderBy(t => t.Name, StringComparer.Ordinal)
                .ToArray();
            if (types.Length == 0) { Console.Error.WriteLine("No benchmark class matches '" + filter + "'."); return 2; }

            Summary[] summaries = BenchmarkRunner.Run(types, config);
            var rows = new List<Dictionary<string, object?>>();
            bool failed = false;
            foreach (var report in summaries.SelectMany(s => s.Reports))
            {
                var c = report.BenchmarkCase;
                string parameters = string.Join(",", c.Parameters.Items.Select(p => p.Value?.ToString()));
                string name = c.Descriptor.Type.Name.Replace("Benchmarks", "") + "." + c.Descriptor.WorkloadMethod.Name
                              + (parameters.Length > 0 ? "(" + parameters + ")" : "");
                if (report.ResultStatistics == null) { failed = true; Console.Error.WriteLine("No result for " + name); continue; }
                rows.Add(new Dictionary<string, object?>
                {
                    ["Name"] = name,
                    ["Class"] = c.Descriptor.Type.Name,
                    ["Method"] = c.Descriptor.WorkloadMethod.Name,
                    ["Parameters"] = parameters,
                    ["MeanNs"] = Math.Round(report.ResultStatistics.Mean, 3),
                    ["MedianNs"] = Math.Round(report.ResultStatistics.Median, 3),
                    ["StdDevNs"] = Math.Round(report.ResultStatistics.StandardDeviation, 3),
                    ["AllocatedBytes"] = report.GcStats.GetBytesAllocatedPerOperation(c),
                    ["ResultObjectBytes"] = ResultObjectBytes(c.Descriptor.WorkloadMethod.ReturnType),
                });
            }
            if (outFile != null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
                File.WriteAllText(outFile, JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
                Console.WriteLine("Wrote " + rows.Count + " results to " + outFile);
            }
            return failed || rows.Count == 0 ? 1 : 0;
        }

        /// <summary>
        /// Bytes one instance of a benchmark's result class takes on the heap (0 for value types and strings), so that the
        /// summary can tell "allocates only its result" from "allocates on the way": the target of issue 8 is zero bytes
        /// beyond the result object.
        /// </summary>
        private static long ResultObjectBytes(Type type)
        {
            if (type.IsValueType || type == typeof(string) || type.IsAbstract || type.IsInterface) return 0;
            System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(type); // first call warms the type
            long before = GC.GetAllocatedBytesForCurrentThread();
            object instance = System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(type);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            GC.KeepAlive(instance);
            return bytes;
        }
    }
}
