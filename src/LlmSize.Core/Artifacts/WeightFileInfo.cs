using System;
using System.Collections.Generic;

namespace LlmSize.Core.Artifacts
{
    /// <summary>
    /// What a weight file's header says: its tensors, their element and byte totals per data type, and its metadata.
    /// Produced by the readers in LlmSize.Data; never holds tensor data.
    /// </summary>
    public sealed class WeightFileInfo
    {
        public WeightFileInfo(
            string path,
            WeightFileFormat format,
            IReadOnlyList<TensorInfo> tensors,
            IReadOnlyDictionary<string, object> metadata,
            int? ggufVersion = null,
            IReadOnlyList<string>? sourceFiles = null)
        {
            Path = path ?? throw new ArgumentNullException(nameof(path));
            Format = format;
            Tensors = tensors ?? throw new ArgumentNullException(nameof(tensors));
            Metadata = metadata ?? throw new ArgumentNullException(nameof(metadata));
            GgufVersion = ggufVersion;
            SourceFiles = sourceFiles ?? new[] { path };

            var bytesByType = new Dictionary<string, long>(StringComparer.Ordinal);
            var elementsByType = new Dictionary<string, long>(StringComparer.Ordinal);
            long totalBytes = 0, totalElements = 0;
            foreach (var t in tensors)
            {
                // Checked: a header can claim sizes whose sum no longer fits a long.
                checked
                {
                    totalBytes += t.Bytes;
                    totalElements += t.Elements;
                    bytesByType.TryGetValue(t.DataType, out var b);
                    bytesByType[t.DataType] = b + t.Bytes;
                    elementsByType.TryGetValue(t.DataType, out var e);
                    elementsByType[t.DataType] = e + t.Elements;
                }
            }
            TotalBytes = totalBytes;
            TotalElements = totalElements;
            BytesByDataType = bytesByType;
            ElementsByDataType = elementsByType;
        }

        /// <summary>The file read: the .safetensors / .gguf file, or the index .json of a sharded checkpoint.</summary>
        public string Path { get; }

        public WeightFileFormat Format { get; }

        /// <summary>Every file whose header was read (the shards of a sharded checkpoint; else just Path).</summary>
        public IReadOnlyList<string> SourceFiles { get; }

        /// <summary>Tensors in file order (by data offset; shards in name order).</summary>
        public IReadOnlyList<TensorInfo> Tensors { get; }

        /// <summary>Sum of all tensors' elements: the parameter count stored in the file.</summary>
        public long TotalElements { get; }

        /// <summary>Sum of all tensors' data bytes.</summary>
        public long TotalBytes { get; }

        /// <summary>Data bytes per data type, keyed by the file's type names (ordinal).</summary>
        public IReadOnlyDictionary<string, long> BytesByDataType { get; }

        /// <summary>Elements per data type, keyed by the file's type names (ordinal).</summary>
        public IReadOnlyDictionary<string, long> ElementsByDataType { get; }

        /// <summary>
        /// GGUF: every metadata key/value (integers keep their GGUF width: byte, uint, ulong ...; arrays are
        /// <see cref="GgufArray"/>; strings longer than the reader's cap are <see cref="GgufSkippedValue"/>).
        /// Safetensors: the <c>__metadata__</c> strings (sharded: the index's own metadata, then the shards').
        /// </summary>
        public IReadOnlyDictionary<string, object> Metadata { get; }

        /// <summary>GGUF format version (2 or 3); null for safetensors.</summary>
        public int? GgufVersion { get; }

        /// <summary>Average stored bits per element: TotalBytes * 8 / TotalElements (0 when there are no elements).</summary>
        public double BitsPerWeight => TotalElements == 0 ? 0.0 : TotalBytes * 8.0 / TotalElements;

        public override string ToString() => Path;
    }
}
