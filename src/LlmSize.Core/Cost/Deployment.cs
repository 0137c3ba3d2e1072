using LlmSize.Core.Hardware;
using LlmSize.Core.Throughput;

namespace LlmSize.Core.Cost
{
    /// <summary>
    /// Where the hardware runs (DESIGN.md §11, the seed's "cloud vs local vs edge"): Cloud (rented, billed per GPU-hour),
    /// LocalServer (datacenter cards bought: high purchase, low long-term cost), Workstation (consumer and workstation
    /// cards in a desktop), Edge (Apple M-series, Jetson, DGX Spark: low power, small models).
    /// </summary>
    public enum DeploymentClass { Cloud, LocalServer, Workstation, Edge }

    /// <summary>Rent by the hour or buy.</summary>
    public enum Acquisition { Rent, Buy }

    public static class Deployment
    {
        /// <summary>
        /// Renting anything is Cloud. Bought: Apple and edge devices (Jetson, DGX Spark: catalog category "edge") are Edge;
        /// consumer and workstation cards are Workstation; datacenter cards and TPUs are LocalServer.
        /// </summary>
        public static DeploymentClass Classify(GpuSpec gpu, Acquisition acquisition)
        {
            Guard.NotNull(gpu, nameof(gpu));
            if (acquisition == Acquisition.Rent) return DeploymentClass.Cloud;
            switch (gpu.Category)
            {
                case GpuCategory.Apple:
                case GpuCategory.Edge:
                    return DeploymentClass.Edge;
                case GpuCategory.Consumer:
                case GpuCategory.Workstation:
                    return DeploymentClass.Workstation;
                default:
                    return DeploymentClass.LocalServer;
            }
        }

        /// <summary>
        /// Unified-memory devices (Apple, Jetson, DGX Spark) are one device per machine: no NVLink or PCIe peer link to
        /// split a model over several, so a sweep considers one of them only.
        /// </summary>
        public static bool IsSingleDevice(GpuSpec gpu)
        {
            Guard.NotNull(gpu, nameof(gpu));
            return gpu.Category == GpuCategory.Apple || gpu.Category == GpuCategory.Edge;
        }
    }
}
