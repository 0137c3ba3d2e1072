using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace LlmSize.Core.Tests.Artifacts
{
    /// <summary>
    /// Writes GGUF files as ggml/docs/gguf.md describes them (v2 and v3 share this layout; all little-endian):
    /// <code>
    ///   "GGUF"                      magic, bytes 47 47 55 46
    ///   u32 version                 2 or 3
    ///   u64 tensor_count
    ///   u64 metadata_kv_count
    ///   kv x { string key, u32 value_type, value }
    ///   tensor x { string name, u32 n_dims, n_dims x u64 ne (innermost first), u32 ggml_type, u64 offset }
    ///   0x00 padding up to a multiple of ALIGNMENT (general.alignment, default 32)
    ///   tensor data: tensor i at data_start + offset_i; offsets are multiples of ALIGNMENT, gaps zero-padded
    ///
    ///   string = u64 byte length + UTF-8 bytes (no terminator)
    ///   value types: 0 u8, 1 i8, 2 u16, 3 i16, 4 u32, 5 i32, 6 f32, 7 bool (1 byte, 0/1), 8 string,
    ///                9 array = { u32 element_type, u64 count, count x value }, 10 u64, 11 i64, 12 f64
    /// </code>
    /// Tensor byte sizes are given by the caller (tests compute them from their own block table).
    /// </summary>
    internal sealed class GgufTestWriter
    {
        public const uint U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32v = 6, Bool = 7, Str = 8, Arr = 9, U64 = 10, I64 = 11, F64v = 12;

        // ggml type ids (ggml_type enum).
        public const uint GgmlF32 = 0, GgmlF16 = 1, GgmlQ4_K = 12, GgmlQ6_K = 14;

        private readonly List<(string Key, uint Type, Action<BinaryWriter> Value)> _kvs = new List<(string, uint, Action<BinaryWriter>)>();
        private readonly List<TensorSpec> _tensors = new List<TensorSpec>();

        public uint Version { get; set; } = 3;

        /// <summary>Alignment used for the layout. Add a general.alignment key yourself when it is not 32.</summary>
        public int Alignment { get; set; } = 32;

        /// <summary>Bytes of tensor data actually written; null = all of it. Lets tests truncate the data section.</summary>
        public long? DataBytesOverride { get; set; }

        private sealed class TensorSpec
        {
            public string Name = "";
            public uint Type;
            public ulong[] Ne = Array.Empty<ulong>();
            public long Bytes;
            public ulong? Offset;
        }

        public GgufTestWriter Add(string key, uint type, Action<BinaryWriter> value)
        {
            _kvs.Add((key, type, value));
            return this;
        }

        public GgufTestWriter AddUInt32(string key, uint v) => Add(key, U32, w => w.Write(v));
        public GgufTestWriter AddString(string key, string v) => Add(key, Str, w => WriteString(w, v));
        public GgufTestWriter AddFloat32(string key, float v) => Add(key, F32v, w => w.Write(v));
        public GgufTestWriter AddBool(string key, bool v) => Add(key, Bool, w => w.Write((byte)(v ? 1 : 0)));

        public GgufTestWriter AddStringArray(string key, IReadOnlyCollection<string> values) =>
            Add(key, Arr, w =>
            {
                w.Write(Str);
                w.Write((ulong)values.Count);
                foreach (var s in values) WriteString(w, s);
            });

        public GgufTestWriter AddInt32Array(string key, IReadOnlyCollection<int> values) =>
            Add(key, Arr, w =>
            {
                w.Write(I32);
                w.Write((ulong)values.Count);
                foreach (var v in values) w.Write(v);
            });

        public GgufTestWriter AddFloat32Array(string key, int count) =>
            Add(key, Arr, w =>
            {
                w.Write(F32v);
                w.Write((ulong)count);
                for (int i = 0; i < count; i++) w.Write(-(float)i);
            });

        /// <summary>A tensor of <paramref name="bytes"/> data bytes; offset defaults to the next aligned position.</summary>
        public GgufTestWriter AddTensor(string name, uint ggmlType, long[] ne, long bytes, ulong? offset = null) =>
            AddTensorRaw(name, ggmlType, ne.Select(d => (ulong)d).ToArray(), bytes, offset);

        public GgufTestWriter AddTensorRaw(string name, uint ggmlType, ulong[] ne, long bytes, ulong? offset = null)
        {
            _tensors.Add(new TensorSpec { Name = name, Type = ggmlType, Ne = ne, Bytes = bytes, Offset = offset });
            return this;
        }

        public byte[] Build()
        {
            using var ms = new MemoryStream();
            using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
            {
                w.Write(Encoding.ASCII.GetBytes("GGUF"));
                w.Write(Version);
                w.Write((ulong)_tensors.Count);
                w.Write((ulong)_kvs.Count);
                foreach (var (key, type, value) in _kvs)
                {
                    WriteString(w, key);
                    w.Write(type);
                    value(w);
                }

                long running = 0, dataEnd = 0;
                foreach (var t in _tensors)
                {
                    long offset = t.Offset.HasValue ? (long)t.Offset.Value : running;
                    WriteString(w, t.Name);
                    w.Write((uint)t.Ne.Length);
                    foreach (var d in t.Ne) w.Write(d);
                    w.Write(t.Type);
                    w.Write(t.Offset ?? (ulong)offset);
                    if (t.Offset.HasValue && t.Offset.Value > int.MaxValue) continue; // hostile offset: write no data for it
                    running = Align(offset + t.Bytes);
                    dataEnd = Math.Max(dataEnd, offset + t.Bytes);
                }

                long pad = Align(ms.Position) - ms.Position;
                w.Write(new byte[pad]);
                long data = DataBytesOverride ?? dataEnd;
                w.Write(new byte[data]);
            }
            return ms.ToArray();
        }

        private long Align(long x) => (x + Alignment - 1) / Alignment * Alignment;

        public static void WriteString(BinaryWriter w, string s)
        {
            byte[] b = Encoding.UTF8.GetBytes(s);
            w.Write((ulong)b.Length);
            w.Write(b);
        }

        /// <summary>Just the fixed header: magic, version, counts. For hand-built hostile files.</summary>
        public static void WriteHeader(BinaryWriter w, uint version, ulong tensorCount, ulong kvCount)
        {
            w.Write(Encoding.ASCII.GetBytes("GGUF"));
            w.Write(version);
            w.Write(tensorCount);
            w.Write(kvCount);
        }

        /// <summary>Builds bytes with a BinaryWriter (little-endian).</summary>
        public static byte[] Bytes(Action<BinaryWriter> write)
        {
            using var ms = new MemoryStream();
            using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true)) write(w);
            return ms.ToArray();
        }
    }
}
