using System;
using System.Collections.Generic;
using System.Globalization;
using LlmSize.Core.Hardware;
using LlmSize.Core.Units;

namespace LlmSize.Core.Throughput
{
    /// <summary>The number format the matrix multiplications run in (not necessarily the storage format of the weights).</summary>
    public enum ComputePrecision { Fp32, Tf32, Fp16, Bf16, Fp8, Fp4, Int8 }

    /// <summary>
    /// The dense peak of one GPU for a compute precision, read from the catalog (<see cref="GpuSpec"/>), with the
    /// fallback that was needed when the catalog has no figure for that precision. Nothing is invented: when no figure
    /// in the fallback chain exists, <see cref="TflopsPerGpu"/> is null and <see cref="IsMissing"/> is true.
    /// </summary>
    public sealed class PeakCompute
    {
        private PeakCompute(ComputePrecision requested, ComputePrecision? used, double? tflops, string? note)
        {
            Requested = requested; Used = used; TflopsPerGpu = tflops; Note = note;
        }

        public ComputePrecision Requested { get; }
        /// <summary>The precision whose catalog figure was used; null when none was found.</summary>
        public ComputePrecision? Used { get; }
        /// <summary>Dense peak TFLOPS (TOPS for int8) of one GPU; null when the catalog has no usable figure.</summary>
        public double? TflopsPerGpu { get; }
        public bool IsFallback => Used.HasValue && Used.Value != Requested;
        public bool IsMissing => TflopsPerGpu == null;
        /// <summary>Why a fallback was taken or why the figure is missing; null when the requested figure was found.</summary>
        public string? Note { get; }

        /// <summary>
        /// The precision the matmuls of a model stored as <paramref name="weights"/> run in:
        /// fp32 → Fp32, tf32 → Tf32, fp16 → Fp16, bf16 → Bf16, fp8 → Fp8 (W8A8, as vLLM and TensorRT-LLM run FP8
        /// checkpoints on Hopper/Ada), nvfp4/mxfp4 → Fp4; every weight-only format (int8/w8a16, int4, NF4, GPTQ, AWQ,
        /// GGUF blocks) → Fp16, because the weights are dequantized to 16 bit in front of a 16-bit matmul.
        /// For W8A8 int8 (SmoothQuant) pass <see cref="ComputePrecision.Int8"/> explicitly.
        /// </summary>
        public static ComputePrecision ForWeights(DataType weights)
        {
            Guard.NotNull(weights, nameof(weights));
            switch (weights.Name.ToLowerInvariant())
            {
                case "fp32": case "fp64": return ComputePrecision.Fp32;
                case "tf32": return ComputePrecision.Tf32;
                case "bf16": return ComputePrecision.Bf16;
                case "fp8": return ComputePrecision.Fp8;
                case "nvfp4": case "mxfp4": return ComputePrecision.Fp4;
                default: return ComputePrecision.Fp16;
            }
        }

        /// <summary>
        /// The order in which catalog figures are tried for a precision. A GPU without a native path for a narrow format
        /// runs it weight-only on its 16-bit tensor cores (Ampere runs FP8/FP4 checkpoints through Marlin-style
        /// dequantizing kernels), so narrow formats fall back to 16 bit, never to another narrow format. Volta and Turing
        /// have no bf16 path (hardware-notes.md §3: "fall back to fp16"). The last resort is the fp32 shader rate, the only
        /// figure Apple publishes (hardware-notes.md §3), which on GeForce cards is half the 16-bit tensor rate.
        /// </summary>
        public static IReadOnlyList<ComputePrecision> FallbackOrder(ComputePrecision precision)
        {
            switch (precision)
            {
                case ComputePrecision.Fp32: return new[] { ComputePrecision.Fp32 };
                case ComputePrecision.Tf32: return new[] { ComputePrecision.Tf32, ComputePrecision.Fp32 };
                case ComputePrecision.Fp16: return new[] { ComputePrecision.Fp16, ComputePrecision.Bf16, ComputePrecision.Fp32 };
                case ComputePrecision.Bf16: return new[] { ComputePrecision.Bf16, ComputePrecision.Fp16, ComputePrecision.Fp32 };
                case ComputePrecision.Fp8: return new[] { ComputePrecision.Fp8, ComputePrecision.Bf16, ComputePrecision.Fp16, ComputePrecision.Fp32 };
                case ComputePrecision.Fp4: return new[] { ComputePrecision.Fp4, ComputePrecision.Bf16, ComputePrecision.Fp16, ComputePrecision.Fp32 };
                case ComputePrecision.Int8: return new[] { ComputePrecision.Int8, ComputePrecision.Fp16, ComputePrecision.Bf16, ComputePrecision.Fp32 };
                default: throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown compute precision.");
            }
        }

        /// <summary>The catalog's dense figure for exactly this precision (no fallback); null when not published.</summary>
        public static double? CatalogTflops(GpuSpec gpu, ComputePrecision precision)
        {
            Guard.NotNull(gpu, nameof(gpu));
            switch (precision)
            {
                case ComputePrecision.Fp32: return gpu.Fp32Tflops;
                case ComputePrecision.Tf32: return gpu.Tf32Tflops;
                case ComputePrecision.Fp16: return gpu.Fp16Tflops;
                case ComputePrecision.Bf16: return gpu.Bf16Tflops;
                case ComputePrecision.Fp8: return gpu.Fp8Tflops;
                case ComputePrecision.Fp4: return gpu.Fp4Tflops;
                case ComputePrecision.Int8: return gpu.Int8Tops;
                default: throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown compute precision.");
            }
        }

        /// <summary>The first catalog figure of <see cref="FallbackOrder"/> that exists.</summary>
        public static PeakCompute For(GpuSpec gpu, ComputePrecision precision)
        {
            Guard.NotNull(gpu, nameof(gpu));
            foreach (var candidate in FallbackOrder(precision))
            {
                double? tflops = CatalogTflops(gpu, candidate);
                if (tflops is double t && t > 0)
                {
                    string? note = candidate == precision ? null
                        : gpu.Id + ": no " + Name(precision) + " peak in the catalog; used the " + Name(candidate) + " figure ("
                          + t.ToString("0.##", CultureInfo.InvariantCulture) + " TFLOPS)"
                          + (candidate == ComputePrecision.Fp32 ? ", the shader rate, which understates tensor-core hardware" : "") + ".";
                    return new PeakCompute(precision, candidate, t, note);
                }
            }
            return new PeakCompute(precision, null, null,
                gpu.Id + ": the catalog has no " + Name(precision) + " peak nor any fallback figure; compute-bound times are unknown.");
        }

        private static string Name(ComputePrecision p) => p.ToString().ToLowerInvariant();
    }
}
