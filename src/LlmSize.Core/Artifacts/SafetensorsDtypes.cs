using System;
using System.Collections.Generic;
using System.Globalization;

namespace LlmSize.Core.Artifacts
{
    /// <summary>One safetensors dtype and its width in bits.</summary>
    public sealed class SafetensorsDtype
    {
        internal SafetensorsDtype(string name, int bits)
        {
            Name = name;
            Bits = bits;
        }

        /// <summary>The dtype string of the JSON header ("BF16", "F8_E4M3", "F4" ...).</summary>
        public string Name { get; }

        /// <summary>Bits per element. Below 8 for the packed MX types (F4: 4, F6_*: 6).</summary>
        public int Bits { get; }

        public override string ToString() => Name;
    }

    /// <summary>
    /// Safetensors dtypes. Source: huggingface/safetensors, safetensors/src/tensor.rs (<c>Dtype</c> and
    /// <c>Dtype::bitsize</c>). Sub-byte types (F4 = FP4 E2M1, F6_E2M3, F6_E3M2; OCP MX formats) are packed, so a
    /// tensor's bit count must be a whole number of bytes (the reference reader rejects it otherwise).
    /// </summary>
    public static class SafetensorsDtypes
    {
        private static readonly SafetensorsDtype[] Table =
        {
            new SafetensorsDtype("BOOL", 8),
            new SafetensorsDtype("F4", 4),
            new SafetensorsDtype("F6_E2M3", 6),
            new SafetensorsDtype("F6_E3M2", 6),
            new SafetensorsDtype("U8", 8),
            new SafetensorsDtype("I8", 8),
            new SafetensorsDtype("F8_E5M2", 8),
            new SafetensorsDtype("F8_E4M3", 8),
            new SafetensorsDtype("F8_E8M0", 8),
            new SafetensorsDtype("I16", 16),
            new SafetensorsDtype("U16", 16),
            new SafetensorsDtype("F16", 16),
            new SafetensorsDtype("BF16", 16),
            new SafetensorsDtype("I32", 32),
            new SafetensorsDtype("U32", 32),
            new SafetensorsDtype("F32", 32),
            new SafetensorsDtype("C64", 64),
            new SafetensorsDtype("F64", 64),
            new SafetensorsDtype("I64", 64),
            new SafetensorsDtype("U64", 64),
        };

        private static readonly Dictionary<string, SafetensorsDtype> ByName = new Dictionary<string, SafetensorsDtype>(StringComparer.Ordinal);

        static SafetensorsDtypes()
        {
            foreach (var t in Table) ByName.Add(t.Name, t);
        }

        public static IReadOnlyList<SafetensorsDtype> All => Table;

        /// <summary>Looks a dtype up by its exact (case-sensitive) header name.</summary>
        public static bool TryGet(string name, out SafetensorsDtype dtype)
        {
            dtype = null!;
            return name != null && ByName.TryGetValue(name, out dtype!);
        }

        /// <summary>Bytes of <paramref name="elements"/> elements: elements * Bits / 8.</summary>
        /// <exception cref="ArgumentException">elements is negative, or the bits are not a whole number of bytes.</exception>
        /// <exception cref="OverflowException">the byte count does not fit a long.</exception>
        public static long GetBytes(SafetensorsDtype dtype, long elements)
        {
            if (dtype == null) throw new ArgumentNullException(nameof(dtype));
            if (elements < 0) throw new ArgumentOutOfRangeException(nameof(elements), "Element count is negative.");
            // Split elements into whole groups of 8 (always whole bytes) and a remainder, so that only a byte count
            // that itself does not fit a long overflows.
            long tailBits = elements % 8 * dtype.Bits;
            if (tailBits % 8 != 0)
                throw new ArgumentException(
                    elements.ToString(CultureInfo.InvariantCulture) + " elements of " + dtype.Name + " are not a whole number of bytes.",
                    nameof(elements));
            return checked(elements / 8 * dtype.Bits + tailBits / 8);
        }
    }
}
