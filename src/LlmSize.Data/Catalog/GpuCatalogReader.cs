using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using LlmSize.Core.Hardware;
using LlmSize.Core.Units;
using YamlDotNet.RepresentationModel;
using static LlmSize.Data.Catalog.YamlValues;

namespace LlmSize.Data.Catalog
{
    /// <summary>
    /// Maps one accelerator entry of the hardware catalog (schema: module/schemas/catalog.md, the format of
    /// shared/reference/hardware.yaml) to a <see cref="GpuSpec"/>. Fields not used by the estimators are kept in the
    /// file for people (conflicts, notes, field_sources) and ignored here.
    /// </summary>
    internal static class GpuCatalogReader
    {
        internal static readonly Regex IdPattern = new Regex("^[a-z0-9][a-z0-9.\\-]*$", RegexOptions.CultureInvariant);

        public static GpuSpec Read(YamlMappingNode entry, string file)
        {
            string id = ReadId(entry);
            string name = RequiredString(entry, "name", "display name");
            string vendor = RequiredString(entry, "vendor", "NVIDIA, AMD, Intel, Google, Apple ...");
            var category = ParseCategory(entry);

            var memory = OptionalMap(entry, "memory")
                ?? throw new EntryException("MissingField", LineOf(entry), "memory", "the required mapping 'memory' (size_gb_vendor, bandwidth_gbps ...) is missing.");
            double size = OptionalNumber(memory, "size_gb_vendor", allowZero: false)
                ?? throw new EntryException("MissingField", LineOf(memory), "memory.size_gb_vendor", "the required field 'memory.size_gb_vendor' (memory as the vendor sells it, GB) is missing.");
            bool sizeInGiB = string.Equals(OptionalString(memory, "vendor_unit"), "GiB", StringComparison.OrdinalIgnoreCase);
            long? exactBytes = OptionalInteger(memory, "size_bytes");
            var sold = exactBytes.HasValue ? new ByteSize(exactBytes.Value) : sizeInGiB ? ByteSize.FromGiB(size) : ByteSize.FromGB(size);

            var gpu = new GpuSpec(id, name, vendor, category, sold)
            {
                Architecture = OptionalString(entry, "architecture"),
                LaunchYear = (int?)OptionalInteger(entry, "launch_year"),
                Aliases = StringList(entry, "aliases"),
                MemoryType = OptionalString(memory, "type"),
                BandwidthGBps = OptionalNumber(memory, "bandwidth_gbps", allowZero: false),
                UnifiedMemory = category == GpuCategory.Apple || category == GpuCategory.Edge,
                DefinitionFile = file,
                DefinitionLine = LineOf(entry),
            };

            var measured = OptionalMap(memory, "measured");
            if (measured != null)
            {
                long? smiBytes = OptionalInteger(measured, "nvidia_smi_total_bytes");
                double? smiMib = OptionalNumber(measured, "nvidia_smi_total_mib", allowZero: false) ?? OptionalNumber(measured, "hip_total_global_mem_mib", allowZero: false);
                if (smiBytes.HasValue) gpu.ReportedMemory = new ByteSize(smiBytes.Value);
                else if (smiMib.HasValue) gpu.ReportedMemory = ByteSize.FromMiB(smiMib.Value);
                long? cuda = OptionalInteger(measured, "cuda_total_global_mem_bytes");
                if (cuda.HasValue) gpu.CudaTotalMemory = new ByteSize(cuda.Value);
            }

            var dense = OptionalMap(entry, "compute_tflops_dense");
            var derived = OptionalMap(entry, "compute_tflops_derived");
            // GeForce cards publish fp16 with fp16 accumulate; kernels use fp32 accumulate at half that rate, which the
            // catalog records as a derived figure (hardware-notes.md §3). Vendor dense numbers win when present.
            gpu.Fp32Tflops = Num(dense, "fp32");
            gpu.Tf32Tflops = Num(dense, "tf32") ?? Num(derived, "tf32");
            gpu.Fp16Tflops = Num(dense, "fp16") ?? Num(dense, "fp16_fp32acc") ?? Num(derived, "fp16_fp32acc") ?? Num(derived, "fp16");
            gpu.Bf16Tflops = Num(dense, "bf16") ?? Num(derived, "bf16");
            gpu.Fp8Tflops = Num(dense, "fp8") ?? Num(derived, "fp8");
            gpu.Fp4Tflops = Num(dense, "fp4") ?? Num(derived, "fp4");
            gpu.Int8Tops = Num(dense, "int8_tops") ?? Num(derived, "int8_tops");
            var mamf = OptionalMap(entry, "mamf_bf16_tflops");
            gpu.MamfBf16Tflops = mamf != null ? OptionalNumber(mamf, "value", allowZero: false) : null;

            var power = OptionalMap(entry, "power_w");
            gpu.PowerWatts = power != null ? OptionalNumber(power, "value", allowZero: false) : null;
            var link = OptionalMap(entry, "interconnect");
            if (link != null)
            {
                gpu.NvlinkGBps = OptionalNumber(link, "nvlink_gbps_bidir");
                gpu.Pcie = OptionalString(link, "pcie");
            }

            var price = OptionalMap(entry, "price");
            if (price != null)
            {
                gpu.PurchasePrices = Prices(price, "purchase_usd", "usd", hourly: false);
                gpu.CloudPrices = Prices(price, "cloud_on_demand", "usd_per_gpu_hour", hourly: true);
            }

            var sources = StringList(entry, "sources");
            if (sources.Count == 0)
                throw new EntryException("MissingSource", LineOf(entry), "sources", "every catalog entry names where its numbers come from: add a 'sources' list of public URLs.");
            gpu.Sources = sources;
            return gpu;
        }

        internal static string ReadId(YamlMappingNode entry)
        {
            string id = RequiredString(entry, "id", "a unique lowercase id such as rtx-4090-24gb");
            if (!IdPattern.IsMatch(id))
                throw new EntryException("InvalidFieldValue", LineOf(Child(entry, "id")!), "id",
                    "id '" + id + "' must be lowercase letters, digits, '.' and '-' (for example rtx-4090-24gb).");
            return id;
        }

        private static GpuCategory ParseCategory(YamlMappingNode entry)
        {
            string text = RequiredString(entry, "category", "datacenter, workstation, consumer, apple, edge or tpu");
            if (Enum.TryParse(text, ignoreCase: true, out GpuCategory category) && Enum.IsDefined(typeof(GpuCategory), category))
                return category;
            throw new EntryException("InvalidFieldValue", LineOf(Child(entry, "category")!), "category",
                "category '" + text + "' is not valid. Valid: " + string.Join(", ", Enum.GetNames(typeof(GpuCategory))).ToLowerInvariant() + ".");
        }

        private static double? Num(YamlMappingNode? map, string key) => map == null ? null : OptionalNumber(map, key);

        private static IReadOnlyList<PricePoint> Prices(YamlMappingNode price, string key, string amountKey, bool hourly)
        {
            var list = new List<PricePoint>();
            foreach (var item in OptionalSequence(price, key))
            {
                if (item is not YamlMappingNode p)
                    throw new EntryException("InvalidFieldType", LineOf(item), "price." + key, "each item of 'price." + key + "' must be a mapping.");
                double usd = OptionalNumber(p, amountKey, allowZero: false)
                    ?? throw new EntryException("MissingField", LineOf(p), "price." + key + "." + amountKey, "a price needs '" + amountKey + "'.");
                string? source = OptionalString(p, "source");
                if (string.IsNullOrWhiteSpace(source))
                    throw new EntryException("MissingSource", LineOf(p), "price." + key + ".source", "every price needs a 'source' URL.");
                list.Add(new PricePoint(usd, hourly ? "on-demand per GPU-hour" : OptionalString(p, "kind") ?? "purchase",
                    OptionalString(p, "date"), source, OptionalString(p, "provider"), OptionalString(p, "config")));
            }
            return list;
        }
    }
}
