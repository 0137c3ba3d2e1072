using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using LlmSize.Core.Artifacts;

namespace LlmSize.Data.Artifacts
{
    /// <summary>
    /// Reads the header of a safetensors file, or of every shard a <c>model.safetensors.index.json</c> names.
    /// Tensor data is never read.
    /// <para>
    /// Layout (huggingface/safetensors, "Format"): bytes 0-7 hold N, an unsigned little-endian 64-bit header length;
    /// bytes 8 .. 8+N-1 hold a UTF-8 JSON object (may be padded with trailing spaces) mapping each tensor name to
    /// <c>{"dtype": "BF16", "shape": [d0, d1, ...], "data_offsets": [begin, end]}</c>, plus an optional
    /// <c>"__metadata__"</c> object of string to string. Offsets are relative to the data buffer that starts at byte
    /// 8+N; the buffer is fully covered by the tensors, without holes or overlaps.
    /// </para>
    /// </summary>
    public static class SafetensorsReader
    {
        /// <summary>Largest header the reference implementation accepts (tensor.rs MAX_HEADER_SIZE).</summary>
        public const long MaxHeaderBytes = 100_000_000;

        /// <summary>Name of the shard index Hugging Face writes next to sharded checkpoints.</summary>
        public const string IndexFileName = "model.safetensors.index.json";

        private const string MetadataKey = "__metadata__";

        /// <summary>Reads a .safetensors file, or a sharded checkpoint when <paramref name="path"/> is its index .json.</summary>
        public static WeightFileInfo Read(string path)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return ReadSharded(path);
            string full = Path.GetFullPath(path);
            using (var stream = OpenRead(full))
            {
                var header = ReadHeader(stream, full);
                return new WeightFileInfo(full, WeightFileFormat.Safetensors, header.Tensors, header.Metadata);
            }
        }

        /// <summary>Reads one safetensors header from a seekable stream (from its start); <paramref name="file"/> names it in errors.</summary>
        public static WeightFileInfo Read(Stream stream, string file)
        {
            var header = ReadHeader(stream, file);
            return new WeightFileInfo(file, WeightFileFormat.Safetensors, header.Tensors, header.Metadata);
        }

        /// <summary>
        /// Reads a sharded checkpoint: the index's <c>weight_map</c> (tensor name to shard file name), then each
        /// referenced shard's header once. Shards must lie in the index's folder. Every tensor the weight map names
        /// must be in its shard; a tensor name in two shards is an error.
        /// </summary>
        public static WeightFileInfo ReadSharded(string indexPath)
        {
            if (indexPath == null) throw new ArgumentNullException(nameof(indexPath));
            string indexFull = Path.GetFullPath(indexPath);
            string folder = Path.GetDirectoryName(indexFull) ?? "";
            var index = ReadIndex(indexFull);

            // Shards in ordinal name order: model-00001-of-00004 ... sorts into file order.
            var shardNames = new SortedSet<string>(index.WeightMap.Values, StringComparer.Ordinal);
            var tensors = new List<TensorInfo>();
            var metadata = new Dictionary<string, object>(index.Metadata, StringComparer.Ordinal);
            var tensorShard = new Dictionary<string, string>(StringComparer.Ordinal);
            var sourceFiles = new List<string>();

            foreach (string shard in shardNames)
            {
                string shardPath = ResolveShard(indexFull, folder, shard);
                sourceFiles.Add(shardPath);
                ShardHeader header;
                using (var stream = OpenRead(shardPath))
                    header = ReadHeader(stream, shardPath);
                foreach (var t in header.Tensors)
                {
                    if (tensorShard.TryGetValue(t.Name, out string? other))
                        throw new ArtifactFormatException(shardPath, ArtifactErrorIds.InvalidShardIndex, -1,
                            "tensor \"" + t.Name + "\" is also in shard \"" + other + "\".");
                    tensorShard.Add(t.Name, shard);
                    tensors.Add(t);
                }
                foreach (var kv in header.Metadata)
                    if (!metadata.ContainsKey(kv.Key)) metadata.Add(kv.Key, kv.Value);
            }

            foreach (var entry in index.WeightMap)
            {
                if (!tensorShard.TryGetValue(entry.Key, out string? actual) || actual != entry.Value)
                    throw new ArtifactFormatException(indexFull, ArtifactErrorIds.InvalidShardIndex, -1,
                        "the weight_map puts tensor \"" + entry.Key + "\" in \"" + entry.Value + "\", but that shard does not hold it.");
            }

            return new WeightFileInfo(indexFull, WeightFileFormat.Safetensors, tensors, metadata, null, sourceFiles);
        }

        private sealed class ShardHeader
        {
            public List<TensorInfo> Tensors { get; } = new List<TensorInfo>();
            public Dictionary<string, object> Metadata { get; } = new Dictionary<string, object>(StringComparer.Ordinal);
        }

        private sealed class ShardIndex
        {
            public Dictionary<string, string> WeightMap { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
            public Dictionary<string, object> Metadata { get; } = new Dictionary<string, object>(StringComparer.Ordinal);
        }

        private sealed class PendingTensor
        {
            public PendingTensor(TensorInfo info, long begin, long end, long position)
            {
                Info = info;
                Begin = begin;
                End = end;
                Position = position;
            }

            public TensorInfo Info { get; }
            public long Begin { get; }
            public long End { get; }
            public long Position { get; }
        }

        private static FileStream OpenRead(string path) =>
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);

        private static ShardHeader ReadHeader(Stream stream, string file)
        {
            var reader = new HeaderByteReader(stream, file);
            if (reader.Length < 8)
                throw reader.Error(ArtifactErrorIds.TruncatedFile, 0, string.Format(CultureInfo.InvariantCulture,
                    "the file has {0} bytes; a safetensors file starts with an 8-byte header length.", reader.Length));

            ulong n = reader.ReadUInt64("the header length");
            if (n > MaxHeaderBytes)
                throw reader.Error(ArtifactErrorIds.HeaderTooLarge, 0, string.Format(CultureInfo.InvariantCulture,
                    "the header length {0} exceeds the safetensors limit of {1} bytes.", n, MaxHeaderBytes));
            if ((long)n > reader.Remaining)
                throw reader.Error(ArtifactErrorIds.LengthBeyondFile, 0, string.Format(CultureInfo.InvariantCulture,
                    "the header length {0} exceeds the {1} bytes after the length field.", n, reader.Remaining));

            int headerLength = (int)n;
            byte[] json = reader.ReadBytes(headerLength, "the JSON header");
            long dataStart = 8 + headerLength;
            long dataLength = reader.Length - dataStart;

            object? root;
            try { root = HeaderJson.Parse(json, 0, headerLength); }
            catch (JsonParseException ex)
            {
                throw new ArtifactFormatException(file, ArtifactErrorIds.InvalidSafetensorsHeader, 8 + ex.Position,
                    "the header is not valid JSON: " + ex.Message, ex);
            }
            if (!(root is JsonObject top))
                throw reader.Error(ArtifactErrorIds.InvalidSafetensorsHeader, 8, "the header is not a JSON object.");

            var result = new ShardHeader();
            var pending = new List<PendingTensor>(top.Members.Count);
            foreach (var member in top.Members)
            {
                long at = 8 + member.Position;
                if (member.Key == MetadataKey)
                {
                    ReadMetadata(member, at, file, result.Metadata);
                    continue;
                }
                pending.Add(ReadTensor(member, at, file));
            }

            // Data layout: sorted by offset, the tensors tile [0, dataLength) exactly.
            pending.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            long expected = 0;
            foreach (var t in pending)
            {
                if (t.Begin != expected)
                    throw new ArtifactFormatException(file, ArtifactErrorIds.InvalidTensorOffsets, t.Position, string.Format(CultureInfo.InvariantCulture,
                        "tensor \"{0}\" starts at data offset {1} but the previous tensor ends at {2} ({3}).",
                        t.Info.Name, t.Begin, expected, t.Begin > expected ? "a hole" : "an overlap"));
                if (t.End > dataLength)
                    throw new ArtifactFormatException(file, ArtifactErrorIds.TruncatedFile, reader.Length, string.Format(CultureInfo.InvariantCulture,
                        "tensor \"{0}\" ends at file byte {1} but the file has {2} bytes.", t.Info.Name, dataStart + t.End, reader.Length));
                expected = t.End;
                result.Tensors.Add(t.Info);
            }
            if (expected != dataLength)
                throw reader.Error(ArtifactErrorIds.InvalidTensorOffsets, dataStart + expected, string.Format(CultureInfo.InvariantCulture,
                    "{0} bytes after the last tensor are not described by the header.", dataLength - expected));
            return result;
        }

        private static void ReadMetadata(JsonMember member, long at, string file, Dictionary<string, object> into)
        {
            if (!(member.Value is JsonObject meta))
                throw new ArtifactFormatException(file, ArtifactErrorIds.InvalidSafetensorsHeader, at, "\"__metadata__\" is not a JSON object.");
            foreach (var m in meta.Members)
            {
                if (!(m.Value is string s))
                    throw new ArtifactFormatException(file, ArtifactErrorIds.InvalidSafetensorsHeader, at,
                        "\"__metadata__\" value \"" + m.Key + "\" is not a string.");
                into[m.Key] = s;
            }
        }

        private static PendingTensor ReadTensor(JsonMember member, long at, string file)
        {
            string name = member.Key;
            ArtifactFormatException Bad(string errorId, string reason) =>
                new ArtifactFormatException(file, errorId, at, "tensor \"" + name + "\": " + reason);

            if (!(member.Value is JsonObject entry)) throw Bad(ArtifactErrorIds.InvalidSafetensorsHeader, "the entry is not a JSON object.");

            if (!(entry.Find("dtype")?.Value is string dtypeName)) throw Bad(ArtifactErrorIds.InvalidSafetensorsHeader, "\"dtype\" is missing or not a string.");
            if (!SafetensorsDtypes.TryGet(dtypeName, out var dtype)) throw Bad(ArtifactErrorIds.InvalidSafetensorsHeader, "unknown dtype \"" + dtypeName + "\".");

            if (!(entry.Find("shape")?.Value is List<object?> shapeList)) throw Bad(ArtifactErrorIds.InvalidSafetensorsHeader, "\"shape\" is missing or not an array.");
            var shape = new long[shapeList.Count];
            long elements = 1;
            for (int i = 0; i < shape.Length; i++)
            {
                if (!(shapeList[i] is JsonNumber dim) || !dim.IsInteger || dim.IsNegative)
                    throw Bad(ArtifactErrorIds.InvalidSafetensorsHeader, "\"shape\" holds something other than a non-negative integer.");
                if (!dim.TryGetInt64(out shape[i]))
                    throw Bad(ArtifactErrorIds.ElementCountOverflow, "dimension " + dim.Text + " does not fit a 64-bit integer.");
                try { elements = checked(elements * shape[i]); }
                catch (OverflowException) { throw Bad(ArtifactErrorIds.ElementCountOverflow, "the element count of shape [" + string.Join(", ", shapeList.Select(d => d is JsonNumber j ? j.Text : "?")) + "] overflows a 64-bit integer."); }
            }

            long bytes;
            try { bytes = SafetensorsDtypes.GetBytes(dtype, elements); }
            catch (OverflowException) { throw Bad(ArtifactErrorIds.ElementCountOverflow, "the byte count overflows a 64-bit integer."); }
            catch (ArgumentException ex) { throw Bad(ArtifactErrorIds.InvalidTensorShape, ex.Message); }

            if (!(entry.Find("data_offsets")?.Value is List<object?> offsets) || offsets.Count != 2)
                throw Bad(ArtifactErrorIds.InvalidTensorOffsets, "\"data_offsets\" is missing or not a [begin, end] pair.");
            long begin = ReadOffset(offsets[0], "begin", Bad);
            long end = ReadOffset(offsets[1], "end", Bad);
            if (end < begin)
                throw Bad(ArtifactErrorIds.InvalidTensorOffsets, string.Format(CultureInfo.InvariantCulture, "data_offsets end {0} is before begin {1}.", end, begin));
            if (end - begin != bytes)
                throw Bad(ArtifactErrorIds.InvalidTensorOffsets, string.Format(CultureInfo.InvariantCulture,
                    "data_offsets span {0} bytes but {1} x {2} needs {3}.", end - begin, elements, dtype.Name, bytes));

            return new PendingTensor(new TensorInfo(name, dtype.Name, shape, elements, bytes), begin, end, at);
        }

        private static long ReadOffset(object? value, string which, Func<string, string, ArtifactFormatException> bad)
        {
            if (!(value is JsonNumber number) || !number.IsInteger)
                throw bad(ArtifactErrorIds.InvalidTensorOffsets, "data_offsets " + which + " is not an integer.");
            if (number.IsNegative || !number.TryGetInt64(out long offset))
                throw bad(ArtifactErrorIds.InvalidTensorOffsets, "data_offsets " + which + " " + number.Text + " is negative or too large.");
            return offset;
        }

        private static ShardIndex ReadIndex(string indexPath)
        {
            byte[] bytes;
            using (var stream = OpenRead(indexPath))
            {
                if (stream.Length > MaxHeaderBytes)
                    throw new ArtifactFormatException(indexPath, ArtifactErrorIds.HeaderTooLarge, 0, string.Format(CultureInfo.InvariantCulture,
                        "the index has {0} bytes; the limit is {1}.", stream.Length, MaxHeaderBytes));
                bytes = new HeaderByteReader(stream, indexPath).ReadBytes((int)stream.Length, "the index");
            }

            object? root;
            try
            {
                int skip = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0; // UTF-8 BOM
                root = HeaderJson.Parse(bytes, skip, bytes.Length - skip);
            }
            catch (JsonParseException ex)
            {
                throw new ArtifactFormatException(indexPath, ArtifactErrorIds.InvalidShardIndex, ex.Position, "the index is not valid JSON: " + ex.Message, ex);
            }

            var index = new ShardIndex();
            if (!(root is JsonObject top) || !(top.Find("weight_map")?.Value is JsonObject map))
                throw new ArtifactFormatException(indexPath, ArtifactErrorIds.InvalidShardIndex, 0, "the index has no \"weight_map\" object.");
            foreach (var m in map.Members)
            {
                if (!(m.Value is string shard) || shard.Length == 0)
                    throw new ArtifactFormatException(indexPath, ArtifactErrorIds.InvalidShardIndex, m.Position,
                        "weight_map entry \"" + m.Key + "\" is not a file name.");
                index.WeightMap.Add(m.Key, shard);
            }

            // The index's own "metadata" (total_size ...): scalars kept, integers as long, other numbers as double.
            if (top.Find("metadata")?.Value is JsonObject meta)
            {
                foreach (var m in meta.Members)
                {
                    switch (m.Value)
                    {
                        case string s: index.Metadata[m.Key] = s; break;
                        case bool b: index.Metadata[m.Key] = b; break;
                        case JsonNumber num: index.Metadata[m.Key] = num.TryGetInt64(out long l) ? (object)l : num.ToDouble(); break;
                    }
                }
            }
            return index;
        }

        /// <summary>Resolves a shard name against the index folder, refusing names that leave it.</summary>
        private static string ResolveShard(string indexPath, string folder, string shard)
        {
            string full;
            try { full = Path.GetFullPath(Path.Combine(folder, shard)); }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException)
            {
                throw new ArtifactFormatException(indexPath, ArtifactErrorIds.InvalidShardIndex, -1, "shard name \"" + shard + "\" is not a valid path.", ex);
            }
            string root = folder.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? folder : folder + Path.DirectorySeparatorChar;
            if (Path.IsPathRooted(shard) || !full.StartsWith(root, StringComparison.Ordinal))
                throw new ArtifactFormatException(indexPath, ArtifactErrorIds.InvalidShardIndex, -1,
                    "shard \"" + shard + "\" lies outside the index's folder.");
            if (!File.Exists(full))
                throw new ArtifactFormatException(indexPath, ArtifactErrorIds.InvalidShardIndex, -1,
                    "shard \"" + shard + "\" does not exist (" + full + ").");
            return full;
        }
    }
}
