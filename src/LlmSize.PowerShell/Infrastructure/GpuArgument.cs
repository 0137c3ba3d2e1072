using LlmSize.Core.Hardware;

namespace LlmSize.PowerShell.Infrastructure
{
    /// <summary>
    /// A -Gpu value: a catalog name typed by the user, or a GpuSpec from Get-Gpu. PowerShell converts either through
    /// these constructors; names are resolved per pipeline item so an unknown one is a non-terminating GpuNotFound.
    /// </summary>
    public sealed class GpuArgument
    {
        public GpuArgument(string name) { Name = name; }
        public GpuArgument(GpuSpec gpu) { Gpu = gpu; Name = gpu.Id; }
        public string Name { get; }
        public GpuSpec? Gpu { get; }
        public override string ToString() => Name;
    }
}
