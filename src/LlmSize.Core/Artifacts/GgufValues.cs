using System;
using System.Collections.Generic;

namespace LlmSize.Core.Artifacts
{
    /// <summary>
    /// GGUF metadata value types (<c>gguf_metadata_value_type</c> in ggml/docs/gguf.md). 64-bit types exist since
    /// GGUF v2.
    /// </summary>
    public enum GgufValueType
    {
        UInt8 = 0,
        Int8 = 1,
        UInt16 = 2,
        Int16 = 3,
        UInt32 = 4,
        Int32 = 5,
        Float32 = 6,
        Bool = 7,
        String = 8,
        Array = 9,
        UInt64 = 10,
        Int64 = 11,
        Float64 = 12,
    }

    /// <summary>
    /// A GGUF array value. Small arrays keep their elements; large ones (a tokenizer's 150k tokens) keep only
    /// their element type and length, so reading a header stays cheap in memory.
    /// </summary>
    public sealed class GgufArray
    {
        public GgufArray(GgufValueType elementType, long length, IReadOnlyList<object>? values)
        {
            if (length < 0) throw new ArgumentOutOfRangeException(nameof(length));
            if (values != null && values.Count != length)
                throw new ArgumentException("Values count must equal the array length.", nameof(values));
            ElementType = elementType;
            Length = length;
            Values = values;
        }

        public GgufValueType ElementType { get; }

        /// <summary>Number of elements the file declares.</summary>
        public long Length { get; }

        /// <summary>The elements (boxed as for scalar metadata; nested arrays are GgufArray), or null when skipped.</summary>
        public IReadOnlyList<object>? Values { get; }

        /// <summary>True when the elements were skipped and only type and length were kept.</summary>
        public bool IsSummary => Values == null;

        public override string ToString() =>
            ElementType + "[" + Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]" + (IsSummary ? " (not kept)" : "");
    }

    /// <summary>A GGUF scalar the reader skipped because it was too large to keep (e.g. an embedded tokenizer.json string).</summary>
    public sealed class GgufSkippedValue
    {
        public GgufSkippedValue(GgufValueType type, long byteLength)
        {
            Type = type;
            ByteLength = byteLength;
        }

        public GgufValueType Type { get; }

        /// <summary>Length of the value's payload in bytes.</summary>
        public long ByteLength { get; }

        public override string ToString() =>
            Type + " of " + ByteLength.ToString(System.Globalization.CultureInfo.InvariantCulture) + " bytes (not kept)";
    }
}
