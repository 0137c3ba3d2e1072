using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace LlmSize.Core.Tests.Artifacts
{
    /// <summary>
    /// Writes safetensors files as the format describes them (huggingface/safetensors README, "Format"):
    /// <code>
    ///   bytes 0..7      N: unsigned 64-bit little-endian length of the JSON header
    ///   bytes 8..8+N-1  UTF-8 JSON object, padded with spaces (0x20) so that 8+N is a multiple of 8:
    ///                     { "__metadata__": { "format": "pt" },               (optional, string -> string)
    ///                       "name": { "dtype": "BF16", "shape": [2, 3], "data_offsets": [begin, end] }, ... }
    ///   bytes 8+N..     the data buffer; a tensor's bytes are buffer[begin, end), end - begin = elements x dtype bits / 8;
    ///                   tensors tile the buffer without holes or overlaps, laid out in the order given here
    /// </code>
    /// Byte sizes come from the writer's own dtype table, independent of the reader's.
    /// </summary>
    internal static class SafetensorsTestWriter
    {
        private static readonly Dictionary<string, int> Bits = new Dictionary<string, int>
        {
            ["F64"] = 64, ["F32"] = 32, ["F16"] = 16, ["BF16"] = 16, ["I64"] = 64, ["I32"] = 32, ["I16"] = 16,
            ["I8"] = 8, ["U8"] = 8, ["BOOL"] = 8, ["F8_E4M3"] = 8, ["F8_E5M2"] = 8, ["F8_E8M0"] = 8, ["F4"] = 4,
        };

        public sealed class Tensor
        {
            public Tensor(string name, string dtype, params long[] shape)
            {
                Name = name;
                Dtype = dtype;
                Shape = shape;
            }

            public string Name { get; }
            public string Dtype { get; }
            public long[] Shape { get; }
            public long Elements => Shape.Aggregate(1L, (a, b) => a * b);
            public long Bytes => Elements * Bits[Dtype] / 8;
        }

        /// <summary>The bytes of a well-formed file holding <paramref name="tensors"/> (data zero-filled).</summary>
        public static byte[] Build(IEnumerable<Tensor> tensors, IDictionary<string, string>? metadata = null)
        {
            var list = tensors.ToList();
            var json = new StringBuilder("{");
            if (metadata != null)
                json.Append("\"__metadata__\":{").Append(string.Join(",", metadata.Select(kv => Quote(kv.Key) + ":" + Quote(kv.Value)))).Append("},");
            long offset = 0;
            var entries = new List<string>();
            foreach (var t in list)
            {
                entries.Add(string.Format(CultureInfo.InvariantCulture, "{0}:{{\"dtype\":\"{1}\",\"shape\":[{2}],\"data_offsets\":[{3},{4}]}}",
                    Quote(t.Name), t.Dtype, string.Join(",", t.Shape), offset, offset + t.Bytes));
                offset += t.Bytes;
            }
            json.Append(string.Join(",", entries)).Append('}');
            if (json[json.Length - 2] == ',') json.Remove(json.Length - 2, 1); // metadata only
            return BuildRaw(json.ToString(), offset);
        }

        /// <summary>A file with the given JSON header (space-padded to 8 bytes) followed by <paramref name="dataBytes"/> zero bytes.</summary>
        public static byte[] BuildRaw(string json, long dataBytes)
        {
            byte[] header = Encoding.UTF8.GetBytes(json);
            int padded = (header.Length + 7) / 8 * 8;
            using var ms = new MemoryStream();
            using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
            {
                w.Write((ulong)padded);          // BinaryWriter is little-endian on every platform
                w.Write(header);
                for (int i = header.Length; i < padded; i++) w.Write((byte)' ');
                w.Write(new byte[dataBytes]);
            }
            return ms.ToArray();
        }

        /// <summary>An 8-byte length field claiming <paramref name="headerLength"/>, followed by <paramref name="rest"/>.</summary>
        public static byte[] BuildWithLength(ulong headerLength, byte[] rest)
        {
            var bytes = new byte[8 + rest.Length];
            BitConverter.GetBytes(headerLength).CopyTo(bytes, 0);
            if (!BitConverter.IsLittleEndian) Array.Reverse(bytes, 0, 8);
            rest.CopyTo(bytes, 8);
            return bytes;
        }

        /// <summary>A JSON string literal.</summary>
        public static string Quote(string s)
        {
            var sb = new StringBuilder("\"");
            foreach (char c in s)
            {
                if (c == '"' || c == '\\') sb.Append('\\').Append(c);
                else if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else sb.Append(c);
            }
            return sb.Append('"').ToString();
        }
    }
}
