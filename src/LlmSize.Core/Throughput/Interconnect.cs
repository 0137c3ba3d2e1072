using System.Globalization;
using System.Text.RegularExpressions;
using LlmSize.Core.Hardware;

namespace LlmSize.Core.Throughput
{
    /// <summary>How the GPUs of a tensor-parallel group exchange activations.</summary>
    public enum InterconnectKind
    {
        /// <summary>One GPU: nothing to exchange.</summary>
        None,
        NvLink,
        Pcie,
        /// <summary>The catalog names no PCIe generation: PCIe 4.0 x16 was assumed (flagged in the notes).</summary>
        PcieAssumed,
        /// <summary>The caller gave the bandwidth.</summary>
        Given,
    }

    /// <summary>The link a tensor-parallel group uses, with its bandwidth in one direction.</summary>
    public sealed class InterconnectLink
    {
        internal InterconnectLink(InterconnectKind kind, double gbpsPerDirection, string? note)
        {
            Kind = kind; GBpsPerDirection = gbpsPerDirection; Note = note;
        }
        public InterconnectKind Kind { get; }
        /// <summary>GB/s (10^9 B/s) one GPU can send while it receives as much.</summary>
        public double GBpsPerDirection { get; }
        public string? Note { get; }
        public override string ToString() => Kind + " " + GBpsPerDirection.ToString("0.#", CultureInfo.InvariantCulture) + " GB/s";
    }

    /// <summary>
    /// Interconnect bandwidth and the all-reduce time of tensor parallelism.
    /// PCIe x16, one direction: lanes × transfer rate × 128b/130b encoding ÷ 8 bits. PCIe 3.0, 4.0 and 5.0 run 8, 16 and
    /// 32 GT/s per lane (PCI-SIG; pandaymx/study-computer docs/basic/interfaces/pcie.md), so x16 gives 15.75, 31.51 and
    /// 63.02 GB/s per direction — the "16 / 32 / 64 GB/s per direction" of Kinvert/Knowledge-Base Hardware/CPUs/PCIe.md
    /// and the catalog's own "Gen4 x16 (32+32 GB/s)", "Gen5 x16 (128 GB/s bidir)".
    /// NVLink: the catalog lists the total of both directions per GPU (V100 300, A100 600, H100 900, B200 1800 GB/s);
    /// one direction is half (hardware-notes.md §1).
    /// </summary>
    public static class Interconnect
    {
        public const double PcieGen3x16GBps = 16 * 8.0 * 128 / 130 / 8;
        public const double PcieGen4x16GBps = 16 * 16.0 * 128 / 130 / 8;
        public const double PcieGen5x16GBps = 16 * 32.0 * 128 / 130 / 8;

        private static readonly Regex s_gen = new Regex(@"Gen\s*([345])\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>
        /// The link of a group of <paramref name="gpuCount"/> GPUs: <paramref name="overrideGBps"/> when given; NVLink when
        /// the catalog has a figure; else the catalog's PCIe generation at x16; else PCIe 4.0 x16, flagged as assumed.
        /// </summary>
        public static InterconnectLink For(GpuSpec gpu, int gpuCount, double? overrideGBps = null)
        {
            Guard.NotNull(gpu, nameof(gpu));
            Guard.AtLeast(gpuCount, 1, nameof(gpuCount));
            if (overrideGBps is double given)
                return new InterconnectLink(InterconnectKind.Given, Guard.Positive(given, "InterconnectGBps"), null);
            if (gpuCount == 1) return new InterconnectLink(InterconnectKind.None, 0, null);
            if (gpu.NvlinkGBps is double nvlink && nvlink > 0)
                return new InterconnectLink(InterconnectKind.NvLink, nvlink / 2, null);
            double? pcie = PcieGBps(gpu.Pcie);
            if (pcie is double p) return new InterconnectLink(InterconnectKind.Pcie, p, null);
            return new InterconnectLink(InterconnectKind.PcieAssumed, PcieGen4x16GBps,
                gpu.Id + ": the catalog gives no NVLink figure and no PCIe generation; assumed PCIe 4.0 x16 ("
                + PcieGen4x16GBps.ToString("0.#", CultureInfo.InvariantCulture) + " GB/s per direction) between GPUs.");
        }

        /// <summary>x16 bandwidth per direction of a catalog PCIe string ("Gen4 x16", "Gen5 x16 (128 GB/s bidir)"); null when no generation 3-5 is named.</summary>
        public static double? PcieGBps(string? pcie)
        {
            if (string.IsNullOrWhiteSpace(pcie)) return null;
            var m = s_gen.Match(pcie);
            if (!m.Success) return null;
            switch (m.Groups[1].Value)
            {
                case "3": return PcieGen3x16GBps;
                case "4": return PcieGen4x16GBps;
                default: return PcieGen5x16GBps;
            }
        }

        /// <summary>
        /// Seconds of one ring all-reduce of <paramref name="messageBytes"/> over <paramref name="gpus"/> GPUs: each GPU
        /// sends (and receives) 2·(t − 1)/t of the message (reduce-scatter then all-gather; NCCL's "bus bandwidth"
        /// convention, https://github.com/NVIDIA/nccl-tests/blob/master/doc/PERFORMANCE.md). Latency is not modeled.
        /// </summary>
        public static double AllReduceSeconds(double messageBytes, int gpus, double gbpsPerDirection)
        {
            Guard.NonNegative(messageBytes, nameof(messageBytes));
            Guard.AtLeast(gpus, 1, nameof(gpus));
            if (gpus == 1 || messageBytes == 0) return 0;
            Guard.Positive(gbpsPerDirection, nameof(gbpsPerDirection));
            return 2.0 * (gpus - 1) / gpus * messageBytes / (gbpsPerDirection * 1e9);
        }
    }
}
