using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace LlmSize.Core.Units
{
    /// <summary>How a data type stores numbers.</summary>
    public enum DataTypeKind { Float, Integer, BlockQuantized, MixedQuantized }

    /// <summary>
    /// A storage format for weights, activations or the KV cache, with its bits per value (scales and zero points of
    /// quantized formats included) and the source that defines it (DESIGN.md §5).
    /// </summary>
    public sealed class DataType
    {
        public DataType(string name, double bitsPerValue, DataTypeKind kind, string family, string description, string source, params string[] aliases)
        {
            Name = name; BitsPerValue = bitsPerValue; Kind = kind; Family = family;
            Description = description; Source = source; Aliases = aliases;
        }

        /// <summary>Canonical name (lowercase for plain types, GGUF names as llama.cpp spells them: Q4_K).</summary>
        public string Name { get; }
        /// <summary>Average storage bits per value, scales and zero points included.</summary>
        public double BitsPerValue { get; }
        public double BytesPerValue => BitsPerValue / 8.0;
        public DataTypeKind Kind { get; }
        /// <summary>Standard, BitsAndBytes, GPTQ, AWQ, Microscaling or GGUF.</summary>
        public string Family { get; }
        public string Description { get; }
        public string Source { get; }
        public IReadOnlyList<string> Aliases { get; }
        public bool IsQuantized => Kind != DataTypeKind.Float || BitsPerValue < 8;

        public override string ToString() => Name;
    }

    /// <summary>The data-type table of DESIGN.md §5. One place for every bits-per-weight figure.</summary>
    public static class DataTypes
    {
        private const string Ieee754 = "IEEE 754-2019 binary64/32/16 (https://ieeexplore.ieee.org/document/8766229)";
        private const string Bf16Src = "bfloat16: Kalamkar et al. 2019, arXiv 1905.12322 (https://arxiv.org/abs/1905.12322)";
        private const string Tf32Src = "NVIDIA A100 whitepaper: TF32 is a compute mode; tensors are stored as fp32 (https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/nvidia-ampere-architecture-whitepaper.pdf)";
        private const string Fp8Src = "Micikevicius et al. 2022, FP8 Formats for Deep Learning, arXiv 2209.05433 (https://arxiv.org/abs/2209.05433)";
        private const string Nf4Src = "Dettmers et al. 2023, QLoRA, arXiv 2305.14314 §3: NF4 with fp32 absmax per 64-value block; double quantization stores 8-bit absmax per 64 values plus an fp32 constant per 256 blocks (https://arxiv.org/abs/2305.14314)";
        private const string MxSrc = "OCP Microscaling Formats (MX) v1.0: MXFP4 = 32 FP4 (E2M1) values sharing one 8-bit E8M0 scale (https://www.opencompute.org/documents/ocp-microscaling-formats-mx-v1-0-spec-final-pdf)";
        private const string GptqSrc = "GPTQ, Frantar et al. 2022, arXiv 2210.17323; AutoGPTQ/AWQ packing: per group of g weights one fp16 scale and one packed zero point of the same bit width (https://arxiv.org/abs/2210.17323)";
        private const string AwqSrc = "AWQ, Lin et al. 2023, arXiv 2306.00978; same group-wise storage as GPTQ: fp16 scale + packed zero per group (https://arxiv.org/abs/2306.00978)";
        private const string GgmlSrc = "llama.cpp ggml-common.h block layouts (https://github.com/ggml-org/llama.cpp/blob/master/ggml/src/ggml-common.h)";
        private const string Q4KMSrc = "llama-2-7b-chat.Q4_K_M.gguf: 6.74 B parameters in 3.80 GiB = 4.84 bits per weight, whole file (Arm learning path llama-cpu/llama-chatbot.md, https://github.com/ArmDeveloperEcosystem/arm-learning-paths/blob/main/content/learning-paths/servers-and-cloud-computing/llama-cpu/llama-chatbot.md)";

        private static readonly DataType[] s_all =
        {
            new DataType("fp64", 64, DataTypeKind.Float, "Standard", "IEEE double precision", Ieee754, "float64", "double"),
            new DataType("fp32", 32, DataTypeKind.Float, "Standard", "IEEE single precision", Ieee754, "float32", "float", "f32"),
            new DataType("tf32", 32, DataTypeKind.Float, "Standard", "TensorFloat-32 compute mode; stored as fp32", Tf32Src),
            new DataType("fp16", 16, DataTypeKind.Float, "Standard", "IEEE half precision", Ieee754, "float16", "half", "f16"),
            new DataType("bf16", 16, DataTypeKind.Float, "Standard", "bfloat16 (8-bit exponent, 7-bit mantissa)", Bf16Src, "bfloat16"),
            new DataType("fp8", 8, DataTypeKind.Float, "Standard", "8-bit float, E4M3 (weights, activations) or E5M2 (gradients)", Fp8Src, "fp8_e4m3", "fp8_e5m2", "float8", "e4m3", "e5m2", "f8_e4m3", "f8_e5m2"),
            new DataType("int8", 8, DataTypeKind.Integer, "Standard", "8-bit integer weights (per-channel scales negligible)", "LLM.int8(), Dettmers et al. 2022, arXiv 2208.07339 (https://arxiv.org/abs/2208.07339)", "i8", "w8a8", "w8a16"),
            new DataType("int4", 4, DataTypeKind.Integer, "Standard", "4-bit integer weights, scales not counted", "4 bits per value by definition; see GPTQ/AWQ entries for group scales (https://arxiv.org/abs/2210.17323)", "i4", "4bit"),
            new DataType("nf4", 4 + 32.0 / 64, DataTypeKind.BlockQuantized, "BitsAndBytes", "QLoRA 4-bit NormalFloat, fp32 absmax per 64 values", Nf4Src, "bnb-nf4"),
            new DataType("nf4-dq", 4 + 8.0 / 64 + 32.0 / (64 * 256), DataTypeKind.BlockQuantized, "BitsAndBytes", "NF4 with double quantization of the absmax constants", Nf4Src, "nf4-double-quant", "bnb-nf4-dq"),
            new DataType("mxfp4", 4 + 8.0 / 32, DataTypeKind.BlockQuantized, "Microscaling", "OCP MXFP4: 32 E2M1 values per E8M0 scale", MxSrc),
            new DataType("nvfp4", 4 + 8.0 / 16, DataTypeKind.BlockQuantized, "Microscaling", "NVIDIA NVFP4: 16 E2M1 values per FP8 E4M3 scale (+ one fp32 per tensor, negligible)", "NVIDIA, Introducing NVFP4 (https://developer.nvidia.com/blog/introducing-nvfp4-for-efficient-and-accurate-low-precision-inference/)"),
            new DataType("gptq-4bit-g32", Group(4, 32), DataTypeKind.BlockQuantized, "GPTQ", "GPTQ 4-bit, group size 32", GptqSrc),
            new DataType("gptq-4bit-g64", Group(4, 64), DataTypeKind.BlockQuantized, "GPTQ", "GPTQ 4-bit, group size 64", GptqSrc),
            new DataType("gptq-4bit-g128", Group(4, 128), DataTypeKind.BlockQuantized, "GPTQ", "GPTQ 4-bit, group size 128 (the common default)", GptqSrc, "gptq", "gptq-int4"),
            new DataType("gptq-8bit-g128", Group(8, 128), DataTypeKind.BlockQuantized, "GPTQ", "GPTQ 8-bit, group size 128", GptqSrc, "gptq-int8"),
            new DataType("awq-4bit-g64", Group(4, 64), DataTypeKind.BlockQuantized, "AWQ", "AWQ 4-bit, group size 64", AwqSrc),
            new DataType("awq-4bit-g128", Group(4, 128), DataTypeKind.BlockQuantized, "AWQ", "AWQ 4-bit, group size 128 (the common default)", AwqSrc, "awq"),
            // GGUF block types: bytes per block / values per block × 8.
            new DataType("Q8_0", 34 * 8.0 / 32, DataTypeKind.BlockQuantized, "GGUF", "32 int8 + fp16 scale per block (34 B / 32)", GgmlSrc),
            new DataType("Q4_0", 18 * 8.0 / 32, DataTypeKind.BlockQuantized, "GGUF", "32 4-bit + fp16 scale per block (18 B / 32)", GgmlSrc),
            new DataType("Q4_1", 20 * 8.0 / 32, DataTypeKind.BlockQuantized, "GGUF", "32 4-bit + fp16 scale and min (20 B / 32)", GgmlSrc),
            new DataType("Q5_0", 22 * 8.0 / 32, DataTypeKind.BlockQuantized, "GGUF", "32 5-bit + fp16 scale (22 B / 32)", GgmlSrc),
            new DataType("Q5_1", 24 * 8.0 / 32, DataTypeKind.BlockQuantized, "GGUF", "32 5-bit + fp16 scale and min (24 B / 32)", GgmlSrc),
            new DataType("Q2_K", 84 * 8.0 / 256, DataTypeKind.BlockQuantized, "GGUF", "k-quant super-block of 256 (84 B)", GgmlSrc),
            new DataType("Q3_K", 110 * 8.0 / 256, DataTypeKind.BlockQuantized, "GGUF", "k-quant super-block of 256 (110 B)", GgmlSrc),
            new DataType("Q4_K", 144 * 8.0 / 256, DataTypeKind.BlockQuantized, "GGUF", "k-quant super-block of 256 (144 B)", GgmlSrc),
            new DataType("Q5_K", 176 * 8.0 / 256, DataTypeKind.BlockQuantized, "GGUF", "k-quant super-block of 256 (176 B)", GgmlSrc),
            new DataType("Q6_K", 210 * 8.0 / 256, DataTypeKind.BlockQuantized, "GGUF", "k-quant super-block of 256 (210 B)", GgmlSrc),
            new DataType("Q4_K_M", 4.84, DataTypeKind.MixedQuantized, "GGUF", "llama.cpp file type mixing Q4_K and Q6_K per tensor; measured whole-file average", Q4KMSrc),
        };

        private static readonly Dictionary<string, DataType> s_byName = BuildIndex();

        /// <summary>GPTQ/AWQ group storage: b bits per weight plus an fp16 scale and a b-bit zero point per group of g.</summary>
        public static double Group(int bits, int groupSize) => bits + (16.0 + bits) / groupSize;

        public static IReadOnlyList<DataType> All => s_all;

        public static DataType Fp32 => Get("fp32");
        public static DataType Fp16 => Get("fp16");
        public static DataType Bf16 => Get("bf16");

        /// <summary>Finds a type by name or alias, case-insensitively; also accepts gptq-Nbit-gG / awq-Nbit-gG for any group size.</summary>
        public static bool TryGet(string name, out DataType type)
        {
            type = null!;
            if (string.IsNullOrWhiteSpace(name)) return false;
            string key = name.Trim();
            if (s_byName.TryGetValue(key, out var found)) { type = found; return true; }
            var m = Regex.Match(key, @"^(gptq|awq)-(\d)bit-g(\d+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            if (m.Success)
            {
                int bits = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                int g = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
                if (bits < 2 || bits > 8 || g < 1) return false;
                string family = m.Groups[1].Value.ToLowerInvariant() == "gptq" ? "GPTQ" : "AWQ";
                type = new DataType(family.ToLowerInvariant() + "-" + bits.ToString(CultureInfo.InvariantCulture) + "bit-g" + g.ToString(CultureInfo.InvariantCulture),
                    Group(bits, g), DataTypeKind.BlockQuantized, family, family + " " + bits.ToString(CultureInfo.InvariantCulture) + "-bit, group size " + g.ToString(CultureInfo.InvariantCulture),
                    family == "GPTQ" ? GptqSrc : AwqSrc);
                return true;
            }
            return false;
        }

        public static DataType Get(string name)
        {
            if (TryGet(name, out var t)) return t;
            throw new ArgumentException("Unknown data type '" + name + "'. Valid: " + string.Join(", ", s_all.Select(d => d.Name)) + " (and gptq-Nbit-gG / awq-Nbit-gG).", nameof(name));
        }

        private static Dictionary<string, DataType> BuildIndex()
        {
            var index = new Dictionary<string, DataType>(StringComparer.OrdinalIgnoreCase);
            foreach (var t in s_all)
            {
                index.Add(t.Name, t);
                foreach (var a in t.Aliases) index.Add(a, t);
            }
            return index;
        }
    }
}
