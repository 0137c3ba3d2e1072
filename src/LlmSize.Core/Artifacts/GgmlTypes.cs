using System;
using System.Collections.Generic;

namespace LlmSize.Core.Artifacts
{
    /// <summary>One ggml tensor type: its numeric id in GGUF tensor infos, and its block layout.</summary>
    public sealed class GgmlType
    {
        internal GgmlType(int id, string name, int blockSize, int typeSize)
        {
            Id = id;
            Name = name;
            BlockSize = blockSize;
            TypeSize = typeSize;
        }

        /// <summary>The <c>ggml_type</c> enum value stored in a GGUF tensor info.</summary>
        public int Id { get; }

        /// <summary>Name as ggml spells it (Q4_K, IQ2_XXS, BF16 ...).</summary>
        public string Name { get; }

        /// <summary>Elements per block (1 for plain types, 32 or 256 for quantized ones).</summary>
        public int BlockSize { get; }

        /// <summary>Bytes per block.</summary>
        public int TypeSize { get; }

        /// <summary>Stored bits per element: TypeSize * 8 / BlockSize (Q4_K: 4.5).</summary>
        public double BitsPerWeight => TypeSize * 8.0 / BlockSize;

        public override string ToString() => Name;
    }

    /// <summary>
    /// The ggml type table. Source: ggml's type traits (ggml/src/ggml.c, <c>type_traits[]</c>: blck_size and
    /// type_size) and the block structs with their size static_asserts in ggml/src/ggml-common.h; ids from the
    /// <c>ggml_type</c> enum in ggml/docs/gguf.md. QK_K (super-block) = 256. Ids 4, 5 (Q4_2, Q4_3) and 31-33, 36-38
    /// (repacked Q4_0/IQ4_NL variants) were removed from GGUF files and are not listed.
    /// </summary>
    public static class GgmlTypes
    {
        private static readonly GgmlType[] Table =
        {
            // id, name, elements per block, bytes per block       block layout (ggml-common.h)
            new GgmlType(0, "F32", 1, 4),
            new GgmlType(1, "F16", 1, 2),
            new GgmlType(2, "Q4_0", 32, 18),        // f16 d + 16 B nibbles
            new GgmlType(3, "Q4_1", 32, 20),        // f16 d, m + 16 B nibbles
            new GgmlType(6, "Q5_0", 32, 22),        // f16 d + 4 B high bits + 16 B nibbles
            new GgmlType(7, "Q5_1", 32, 24),        // f16 d, m + 4 B + 16 B
            new GgmlType(8, "Q8_0", 32, 34),        // f16 d + 32 B
            new GgmlType(9, "Q8_1", 32, 36),        // f16 d, s + 32 B
            new GgmlType(10, "Q2_K", 256, 84),      // 16 B scales + 64 B quants + f16 d, dmin
            new GgmlType(11, "Q3_K", 256, 110),     // 32 B hmask + 64 B quants + 12 B scales + f16 d
            new GgmlType(12, "Q4_K", 256, 144),     // f16 d, dmin + 12 B scales + 128 B quants
            new GgmlType(13, "Q5_K", 256, 176),     // f16 d, dmin + 12 B scales + 32 B high bits + 128 B
            new GgmlType(14, "Q6_K", 256, 210),     // 128 B low + 64 B high + 16 B scales + f16 d
            new GgmlType(15, "Q8_K", 256, 292),     // f32 d + 256 B quants + 16 x i16 sums
            new GgmlType(16, "IQ2_XXS", 256, 66),   // f16 d + 32 x u16
            new GgmlType(17, "IQ2_XS", 256, 74),    // f16 d + 32 x u16 + 8 B scales
            new GgmlType(18, "IQ3_XXS", 256, 98),   // f16 d + 96 B
            new GgmlType(19, "IQ1_S", 256, 50),     // f16 d + 32 B + 8 x u16
            new GgmlType(20, "IQ4_NL", 32, 18),     // f16 d + 16 B
            new GgmlType(21, "IQ3_S", 256, 110),    // f16 d + 64 B + 8 B + 32 B signs + 4 B scales
            new GgmlType(22, "IQ2_S", 256, 82),     // f16 d + 64 B + 8 B + 8 B scales
            new GgmlType(23, "IQ4_XS", 256, 136),   // f16 d + u16 scales_h + 4 B scales_l + 128 B
            new GgmlType(24, "I8", 1, 1),
            new GgmlType(25, "I16", 1, 2),
            new GgmlType(26, "I32", 1, 4),
            new GgmlType(27, "I64", 1, 8),
            new GgmlType(28, "F64", 1, 8),
            new GgmlType(29, "IQ1_M", 256, 56),     // 32 B + 16 B + 8 B scales (no separate d)
            new GgmlType(30, "BF16", 1, 2),
            new GgmlType(34, "TQ1_0", 256, 54),     // 48 B base-3 + 4 B + f16 d
            new GgmlType(35, "TQ2_0", 256, 66),     // 64 B 2-bit + f16 d
            new GgmlType(39, "MXFP4", 32, 17),      // E8M0 scale byte + 16 B of 4-bit values
        };

        private static readonly Dictionary<int, GgmlType> ById = new Dictionary<int, GgmlType>();
        private static readonly Dictionary<string, GgmlType> ByName = new Dictionary<string, GgmlType>(StringComparer.OrdinalIgnoreCase);

        static GgmlTypes()
        {
            foreach (var t in Table)
            {
                ById.Add(t.Id, t);
                ByName.Add(t.Name, t);
            }
        }

        /// <summary>Every known type, in id order.</summary>
        public static IReadOnlyList<GgmlType> All => Table;

        public static bool TryGetById(int id, out GgmlType type) => ById.TryGetValue(id, out type!);

        /// <summary>Looks a type up by name, case-insensitively.</summary>
        public static bool TryGetByName(string name, out GgmlType type)
        {
            type = null!;
            return name != null && ByName.TryGetValue(name, out type!);
        }

        /// <summary>
        /// Bytes of a tensor with <paramref name="elements"/> elements: elements / BlockSize * TypeSize.
        /// </summary>
        /// <exception cref="ArgumentException">elements is negative or not a whole number of blocks.</exception>
        /// <exception cref="OverflowException">the byte count does not fit a long.</exception>
        public static long GetBytes(GgmlType type, long elements)
        {
            if (type == null) throw new ArgumentNullException(nameof(type));
            if (elements < 0) throw new ArgumentOutOfRangeException(nameof(elements), "Element count is negative.");
            if (elements % type.BlockSize != 0)
                throw new ArgumentException(
                    "Element count " + elements.ToString(System.Globalization.CultureInfo.InvariantCulture) + " is not a multiple of "
                    + type.Name + "'s block size " + type.BlockSize.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".",
                    nameof(elements));
            return checked(elements / type.BlockSize * type.TypeSize);
        }
    }
}
