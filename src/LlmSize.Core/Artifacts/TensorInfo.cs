using System;
using System.Globalization;
using System.Linq;

namespace LlmSize.Core.Artifacts
{
    /// <summary>
    /// One tensor as a weight file's header describes it. Only the header is read: no tensor data.
    /// </summary>
    public sealed class TensorInfo
    {
        public TensorInfo(string name, string dataType, long[] shape, long elements, long bytes)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            DataType = dataType ?? throw new ArgumentNullException(nameof(dataType));
            Shape = shape ?? throw new ArgumentNullException(nameof(shape));
            if (elements < 0) throw new ArgumentOutOfRangeException(nameof(elements));
            if (bytes < 0) throw new ArgumentOutOfRangeException(nameof(bytes));
            Elements = elements;
            Bytes = bytes;
        }

        public string Name { get; }

        /// <summary>Data type as the file spells it: safetensors dtype ("BF16", "F8_E4M3") or ggml type name ("Q4_K").</summary>
        public string DataType { get; }

        /// <summary>
        /// Dimensions as stored. Safetensors: row-major, outermost first (PyTorch order).
        /// GGUF: ggml order, innermost (fastest-varying) first, i.e. reversed against PyTorch.
        /// </summary>
        public long[] Shape { get; }

        /// <summary>Number of elements (product of the dimensions; 1 for a scalar).</summary>
        public long Elements { get; }

        /// <summary>Bytes the tensor's data occupies in the file.</summary>
        public long Bytes { get; }

        public override string ToString() =>
            Name + " " + DataType + " [" + string.Join(", ", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
    }
}
