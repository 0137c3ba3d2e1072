using System;
using System.Collections.Generic;
using LlmSize.Core.Units;

namespace LlmSize.Core.Hardware
{
    /// <summary>Market segment of an accelerator; decides deployment class and usable-memory rules.</summary>
    public enum GpuCategory { Datacenter, Workstation, Consumer, Apple, Edge, Tpu }

    /// <summary>A dated price with its source.</summary>
    public sealed class PricePoint
    {
        public PricePoint(double usd, string kind, string? date, string? source, string? provider = null, string? config = null)
        {
            Usd = usd; Kind = kind; Date = date; Source = source; Provider = provider; Config = config;
        }
        public double Usd { get; }
        /// <summary>"indicative MSRP", "street", "on-demand per GPU-hour" ...</summary>
        public string Kind { get; }
        public string? Provider { get; }
        public string? Config { get; }
        public string? Date { get; }
        public string? Source { get; }
        public override string ToString() => Usd.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " USD (" + (Provider ?? Kind) + ", " + Date + ")";
    }

    /// <summary>
    /// An accelerator from the hardware catalog. Memory is kept three ways (DESIGN.md §4, hardware-notes.md §2):
    /// as sold (decimal GB), as the driver reports it (nvidia-smi MiB), and as CUDA's totalGlobalMem.
    /// Compute figures are dense peaks in TFLOPS (TOPS for int8); null = no public source, never zero.
    /// </summary>
    public sealed class GpuSpec
    {
        public GpuSpec(string id, string name, string vendor, GpuCategory category, ByteSize memory)
        {
            Id = id; Name = name; Vendor = vendor; Category = category; Memory = memory;
        }

        public string Id { get; }
        public string Name { get; }
        public string Vendor { get; }
        public GpuCategory Category { get; }
        public string? Architecture { get; set; }
        public int? LaunchYear { get; set; }
        public IReadOnlyList<string> Aliases { get; set; } = Array.Empty<string>();

        /// <summary>Memory as the vendor sells it (80 GB = 80·10^9 bytes; TPU v4 is sold in GiB).</summary>
        public ByteSize Memory { get; private set; }
        /// <summary>Total the driver reports (nvidia-smi memory.total, HIP total), when a public log gives it.</summary>
        public ByteSize? ReportedMemory { get; set; }
        /// <summary>CUDA totalGlobalMem / cudaMemGetInfo total, when a public deviceQuery gives it.</summary>
        public ByteSize? CudaTotalMemory { get; set; }
        /// <summary>Unified memory shared with the CPU (Apple, Jetson, DGX Spark).</summary>
        public bool UnifiedMemory { get; set; }
        public string? MemoryType { get; set; }
        /// <summary>Peak memory bandwidth in GB/s (10^9 B/s).</summary>
        public double? BandwidthGBps { get; set; }

        public double? Fp32Tflops { get; set; }
        public double? Tf32Tflops { get; set; }
        /// <summary>FP16 tensor peak with FP32 accumulate (GeForce: half the marketing number; hardware-notes §3).</summary>
        public double? Fp16Tflops { get; set; }
        public double? Bf16Tflops { get; set; }
        public double? Fp8Tflops { get; set; }
        public double? Fp4Tflops { get; set; }
        public double? Int8Tops { get; set; }
        /// <summary>
        /// Maximum achievable bf16 matmul TFLOPS (ml-engineering's MAMF sweep), when measured; divided by
        /// <see cref="Bf16Tflops"/> it is the compute efficiency the throughput estimates use (hardware-notes.md §3).
        /// </summary>
        public double? MamfBf16Tflops { get; set; }

        public double? PowerWatts { get; set; }
        /// <summary>Total bidirectional NVLink bandwidth per GPU, GB/s.</summary>
        public double? NvlinkGBps { get; set; }
        public string? Pcie { get; set; }

        public IReadOnlyList<PricePoint> PurchasePrices { get; set; } = Array.Empty<PricePoint>();
        public IReadOnlyList<PricePoint> CloudPrices { get; set; } = Array.Empty<PricePoint>();
        /// <summary>The first listed purchase price (indicative), USD.</summary>
        public double? PurchaseUsd => PurchasePrices.Count > 0 ? PurchasePrices[0].Usd : (double?)null;
        /// <summary>The lowest listed on-demand cloud price per GPU-hour, USD.</summary>
        public double? CloudUsdPerHour
        {
            get
            {
                double? min = null;
                foreach (var p in CloudPrices) if (min == null || p.Usd < min) min = p.Usd;
                return min;
            }
        }

        public IReadOnlyList<string> Sources { get; set; } = Array.Empty<string>();
        public string? DefinitionFile { get; set; }
        public int DefinitionLine { get; set; }

        /// <summary>Memory software can allocate on this device; see <see cref="UsableMemoryRule"/>.</summary>
        public ByteSize UsableMemory => UsableMemoryRule.Usable(this);

        /// <summary>
        /// The same device with another memory size: a configurable system (Apple silicon and Jetson are sold in
        /// several sizes; the catalog lists the largest) or a partitioned GPU. Driver-reported totals no longer apply,
        /// so usable memory follows from the new size by <see cref="UsableMemoryRule"/>.
        /// </summary>
        public GpuSpec WithMemory(ByteSize memory)
        {
            var copy = (GpuSpec)MemberwiseClone();
            copy.Memory = memory;
            copy.ReportedMemory = null;
            copy.CudaTotalMemory = null;
            return copy;
        }

        public override string ToString() => Id;
    }
}
