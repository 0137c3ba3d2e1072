using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using LlmSize.Core.Artifacts;

namespace LlmSize.Data.Artifacts
{
    /// <summary>
    /// Reads the header of a GGUF file (versions 2 and 3, little-endian): metadata key/values and tensor infos.
    /// Tensor data is never read.
    /// <para>
    /// Layout (ggml/docs/gguf.md): magic "GGUF" (bytes 47 47 55 46); uint32 version; uint64 tensor_count; uint64
    /// metadata_kv_count; the key/values, each a string key, a uint32 value type and the value; the tensor infos, each
    /// a string name, uint32 n_dims, n_dims x uint64 dims, uint32 ggml type and uint64 offset; zero padding to the
    /// next multiple of general.alignment (default 32); then the tensor data, where each info's offset (relative to
    /// the data start) is a multiple of the alignment. A string is a uint64 byte length and UTF-8 bytes without a
    /// terminator. An array value is a uint32 element type, a uint64 count and the elements. Version 1 used uint32
    /// for those counts and lengths and is not read; version 3 only added big-endian files, which are not read.
    /// </para>
    /// </summary>
    public static class GgufReader
    {
        /// <summary>Arrays up to this many elements keep their values; longer ones keep type and length only.</summary>
        public const int MaxKeptArrayLength = 1024;

        /// <summary>Strings longer than this (bytes) are skipped and recorded as <see cref="GgufSkippedValue"/>.</summary>
        public const int MaxKeptStringBytes = 1024 * 1024;

        /// <summary>Keys and tensor names longer than this are rejected (the spec caps keys at 65535 bytes).</summary>
        public const int MaxNameBytes = 65535;

        /// <summary>ggml tensors have at most 4 dimensions (GGML_MAX_DIMS).</summary>
        public const int MaxDimensions = 4;

        /// <summary>Default general.alignment.</summary>
        public const int DefaultAlignment = 32;

        private const int MaxArrayNesting = 16;
        private const string Magic = "GGUF";
        private const string AlignmentKey = "general.alignment";

        // Smallest encodings, to reject counts that cannot fit in the remaining bytes before allocating anything.
        private const long MinKvBytes = 8 + 4 + 1;              // empty key, type, 1-byte value
        private const long MinTensorInfoBytes = 8 + 4 + 4 + 8;  // empty name, n_dims = 0, type, offset

        public static WeightFileInfo Read(string path)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            string full = Path.GetFullPath(path);
            using (var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess))
                return Read(stream, full);
        }

        /// <summary>Reads a GGUF header from a seekable stream (from its start); <paramref name="file"/> names it in errors.</summary>
        public static WeightFileInfo Read(Stream stream, string file)
        {
            var r = new HeaderByteReader(stream, file);

            // Magic and version.
            byte[] magic = r.ReadBytes((int)Math.Min(4, r.Length), "the magic");
            if (magic.Length < 4 || magic[0] != 'G' || magic[1] != 'G' || magic[2] != 'U' || magic[3] != 'F')
            {
                if (magic.Length < 4 && StartsLikeMagic(magic))
                    throw r.Error(ArtifactErrorIds.TruncatedFile, magic.Length, "the file ends inside the GGUF magic.");
                throw r.Error(ArtifactErrorIds.NotAGgufFile, 0, "the file does not start with the GGUF magic \"" + Magic + "\".");
            }
            uint version = r.ReadUInt32("the version");
            if (version == 1)
                throw r.Error(ArtifactErrorIds.UnsupportedGgufVersion, 4, "GGUF version 1 (32-bit counts) is not supported; convert the file with a current llama.cpp.");
            if ((version & 0xFFFF) == 0 && version != 0)
                throw r.Error(ArtifactErrorIds.UnsupportedGgufVersion, 4, "the file looks big-endian (version field " + version.ToString(CultureInfo.InvariantCulture) + "); only little-endian GGUF is supported.");
            if (version != 2 && version != 3)
                throw r.Error(ArtifactErrorIds.UnsupportedGgufVersion, 4, "GGUF version " + version.ToString(CultureInfo.InvariantCulture) + " is not supported (2 and 3 are).");

            long tensorCount = ReadCount(r, MinTensorInfoBytes, "tensor_count");
            long kvCount = ReadCount(r, MinKvBytes, "metadata_kv_count");

            // Metadata.
            var metadata = new Dictionary<string, object>(StringComparer.Ordinal);
            for (long i = 0; i < kvCount; i++)
            {
                long keyAt = r.Position;
                string key = ReadName(r, "a metadata key");
                if (metadata.ContainsKey(key))
                    throw r.Error(ArtifactErrorIds.InvalidGgufHeader, keyAt, "duplicate metadata key \"" + key + "\".");
                GgufValueType type = ReadValueType(r, "the type of \"" + key + "\"");
                metadata.Add(key, ReadValue(r, type, 0, key));
            }
            long alignment = GetAlignment(r, metadata);

            // Tensor infos.
            var tensors = new List<TensorInfo>((int)Math.Min(tensorCount, 4096));
            var offsets = new List<KeyValuePair<long, int>>((int)Math.Min(tensorCount, 4096)); // (offset, tensor index)
            var infoPositions = new List<long>((int)Math.Min(tensorCount, 4096));
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (long i = 0; i < tensorCount; i++)
            {
                long at = r.Position;
                string name = ReadName(r, "a tensor name");
                if (!names.Add(name))
                    throw r.Error(ArtifactErrorIds.InvalidGgufHeader, at, "duplicate tensor name \"" + name + "\".");
                var (info, offset) = ReadTensorInfo(r, name, at, alignment);
                offsets.Add(new KeyValuePair<long, int>(offset, tensors.Count));
                infoPositions.Add(at);
                tensors.Add(info);
            }

            // Data: starts at the next alignment boundary; tensors must not overlap and must end inside the file.
            long dataStart = AlignUp(r.Position, alignment);
            offsets.Sort((a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : tensors[a.Value].Bytes.CompareTo(tensors[b.Value].Bytes));
            long available = r.Length - dataStart; // negative when the file ends before the data section
            long previousEnd = 0;
            string? previousName = null;
            foreach (var o in offsets)
            {
                var t = tensors[o.Value];
                if (o.Key < previousEnd)
                    throw r.Error(ArtifactErrorIds.InvalidTensorOffsets, infoPositions[o.Value], string.Format(CultureInfo.InvariantCulture,
                        "tensor \"{0}\" at data offset {1} overlaps tensor \"{2}\", which ends at {3}.", t.Name, o.Key, previousName, previousEnd));
                if (o.Key > available || t.Bytes > available - o.Key)
                    throw r.Error(ArtifactErrorIds.TruncatedFile, r.Length, string.Format(CultureInfo.InvariantCulture,
                        "tensor \"{0}\" needs {1} bytes from file byte {2}, but the file has {3} bytes.", t.Name, t.Bytes, dataStart + o.Key, r.Length));
                previousEnd = o.Key + t.Bytes;
                previousName = t.Name;
            }

            return new WeightFileInfo(file, WeightFileFormat.Gguf, tensors, metadata, (int)version);
        }

        private static bool StartsLikeMagic(byte[] bytes)
        {
            for (int i = 0; i < bytes.Length; i++)
                if (bytes[i] != Magic[i]) return false;
            return true;
        }

        /// <summary>Reads a uint64 count and rejects it when even its smallest encoding cannot fit in the rest of the file.</summary>
        private static long ReadCount(HeaderByteReader r, long minBytesEach, string what)
        {
            long at = r.Position;
            ulong count = r.ReadUInt64(what);
            if (count > (ulong)(r.Remaining / minBytesEach))
                throw r.Error(ArtifactErrorIds.LengthBeyondFile, at, string.Format(CultureInfo.InvariantCulture,
                    "{0} {1} needs at least {2} bytes each, but only {3} bytes remain.", what, count, minBytesEach, r.Remaining));
            return (long)count;
        }

        /// <summary>Reads a string length and checks it against the remaining bytes.</summary>
        private static long ReadStringLength(HeaderByteReader r, string what)
        {
            long at = r.Position;
            ulong length = r.ReadUInt64(what); // `what` is only formatted into errors
            if (length > (ulong)r.Remaining)
                throw r.Error(ArtifactErrorIds.LengthBeyondFile, at, string.Format(CultureInfo.InvariantCulture,
                    "{0} claims {1} bytes but only {2} remain.", what, length, r.Remaining));
            return (long)length;
        }

        private static string ReadName(HeaderByteReader r, string what)
        {
            long at = r.Position;
            long length = ReadStringLength(r, what);
            if (length > MaxNameBytes)
                throw r.Error(ArtifactErrorIds.InvalidGgufHeader, at, string.Format(CultureInfo.InvariantCulture,
                    "{0} of {1} bytes exceeds the {2}-byte limit.", what, length, MaxNameBytes));
            return r.ReadUtf8((int)length, what, ArtifactErrorIds.InvalidGgufHeader);
        }

        private static GgufValueType ReadValueType(HeaderByteReader r, string what)
        {
            long at = r.Position;
            uint type = r.ReadUInt32(what);
            if (type > (uint)GgufValueType.Float64)
                throw r.Error(ArtifactErrorIds.UnknownGgufValueType, at, string.Format(CultureInfo.InvariantCulture,
                    "unknown GGUF value type {0} for {1} (known: 0 to 12).", type, what));
            return (GgufValueType)type;
        }

        /// <summary>Bytes of one value of a fixed-size type; 0 for string and array.</summary>
        private static int FixedSize(GgufValueType type)
        {
            switch (type)
            {
                case GgufValueType.UInt8: case GgufValueType.Int8: case GgufValueType.Bool: return 1;
                case GgufValueType.UInt16: case GgufValueType.Int16: return 2;
                case GgufValueType.UInt32: case GgufValueType.Int32: case GgufValueType.Float32: return 4;
                case GgufValueType.UInt64: case GgufValueType.Int64: case GgufValueType.Float64: return 8;
                default: return 0;
            }
        }

        private static object ReadValue(HeaderByteReader r, GgufValueType type, int depth, string key)
        {
            long at = r.Position;
            switch (type)
            {
                case GgufValueType.UInt8: return r.ReadByte(key);
                case GgufValueType.Int8: return unchecked((sbyte)r.ReadByte(key));
                case GgufValueType.UInt16: return r.ReadUInt16(key);
                case GgufValueType.Int16: return unchecked((short)r.ReadUInt16(key));
                case GgufValueType.UInt32: return r.ReadUInt32(key);
                case GgufValueType.Int32: return unchecked((int)r.ReadUInt32(key));
                case GgufValueType.Float32: return r.ReadSingle(key);
                case GgufValueType.UInt64: return r.ReadUInt64(key);
                case GgufValueType.Int64: return unchecked((long)r.ReadUInt64(key));
                case GgufValueType.Float64: return r.ReadDouble(key);
                case GgufValueType.Bool:
                    byte b = r.ReadByte(key);
                    if (b > 1) throw r.Error(ArtifactErrorIds.InvalidGgufHeader, at, "bool value of \"" + key + "\" is " + b.ToString(CultureInfo.InvariantCulture) + ", not 0 or 1.");
                    return b == 1;
                case GgufValueType.String:
                    long length = ReadStringLength(r, "the string \"" + key + "\"");
                    if (length > MaxKeptStringBytes)
                    {
                        r.Skip(length, key);
                        return new GgufSkippedValue(GgufValueType.String, length);
                    }
                    return r.ReadUtf8((int)length, "the string \"" + key + "\"", ArtifactErrorIds.InvalidGgufHeader);
                case GgufValueType.Array:
                    return ReadArray(r, depth, key);
                default:
                    throw r.Error(ArtifactErrorIds.UnknownGgufValueType, at, "unknown GGUF value type for \"" + key + "\".");
            }
        }

        private static GgufArray ReadArray(HeaderByteReader r, int depth, string key)
        {
            var (elementType, length) = ReadArrayHeader(r, depth, key);
            if (length <= MaxKeptArrayLength)
            {
                var values = new object[length];
                for (int i = 0; i < values.Length; i++)
                    values[i] = ReadValue(r, elementType, depth + 1, key);
                return new GgufArray(elementType, length, values);
            }
            // Large array: check and skip every element, keep only type and length.
            SkipElements(r, elementType, length, depth, key);
            return new GgufArray(elementType, length, null);
        }

        /// <summary>Reads an array's element type and count, refusing counts that cannot fit in the remaining bytes.</summary>
        private static (GgufValueType ElementType, long Length) ReadArrayHeader(HeaderByteReader r, int depth, string key)
        {
            if (depth >= MaxArrayNesting)
                throw r.Error(ArtifactErrorIds.InvalidGgufHeader, r.Position, "arrays in \"" + key + "\" nest deeper than " + MaxArrayNesting.ToString(CultureInfo.InvariantCulture) + " levels.");
            GgufValueType elementType = ReadValueType(r, key);
            long lengthAt = r.Position;
            ulong count = r.ReadUInt64(key);
            int fixedSize = FixedSize(elementType);
            long minEach = fixedSize > 0 ? fixedSize : elementType == GgufValueType.String ? 8 : 4 + 8;
            if (count > (ulong)(r.Remaining / minEach))
                throw r.Error(ArtifactErrorIds.LengthBeyondFile, lengthAt, string.Format(CultureInfo.InvariantCulture,
                    "array \"{0}\" claims {1} elements of {2} (at least {3} bytes each) but only {4} bytes remain.", key, count, elementType, minEach, r.Remaining));
            return (elementType, (long)count);
        }

        private static void SkipElements(HeaderByteReader r, GgufValueType elementType, long length, int depth, string key)
        {
            int fixedSize = FixedSize(elementType);
            if (fixedSize > 0)
            {
                r.Skip(length * fixedSize, key); // no overflow: length * fixedSize ≤ remaining bytes (checked)
                return;
            }
            for (long i = 0; i < length; i++)
            {
                if (elementType == GgufValueType.String)
                {
                    r.Skip(ReadStringLength(r, key), key);
                }
                else
                {
                    var (innerType, innerLength) = ReadArrayHeader(r, depth + 1, key);
                    SkipElements(r, innerType, innerLength, depth + 1, key);
                }
            }
        }

        private static long GetAlignment(HeaderByteReader r, Dictionary<string, object> metadata)
        {
            if (!metadata.TryGetValue(AlignmentKey, out object? value)) return DefaultAlignment;
            if (!GgufNumbers.TryGetInt64(value, out long alignment))
                throw r.Error(ArtifactErrorIds.InvalidGgufHeader, -1, "general.alignment is not an integer (" + Convert.ToString(value, CultureInfo.InvariantCulture) + ").");
            if (alignment <= 0 || alignment > int.MaxValue || (alignment & (alignment - 1)) != 0)
                throw r.Error(ArtifactErrorIds.InvalidGgufHeader, -1, "general.alignment " + alignment.ToString(CultureInfo.InvariantCulture) + " is not a positive power of two.");
            return alignment;
        }

        private static (TensorInfo info, long offset) ReadTensorInfo(HeaderByteReader r, string name, long at, long alignment)
        {
            long dimsAt = r.Position;
            uint nDims = r.ReadUInt32("n_dims of \"" + name + "\"");
            if (nDims > MaxDimensions)
                throw r.Error(ArtifactErrorIds.InvalidTensorShape, dimsAt, string.Format(CultureInfo.InvariantCulture,
                    "tensor \"{0}\" has {1} dimensions; ggml allows at most {2}.", name, nDims, MaxDimensions));

            var shape = new long[nDims];
            long elements = 1;
            for (int d = 0; d < shape.Length; d++)
            {
                long dimAt = r.Position;
                ulong dim = r.ReadUInt64("a dimension of \"" + name + "\"");
                if (dim > long.MaxValue)
                    throw r.Error(ArtifactErrorIds.ElementCountOverflow, dimAt, string.Format(CultureInfo.InvariantCulture,
                        "tensor \"{0}\" dimension {1} does not fit a 64-bit integer.", name, dim));
                shape[d] = (long)dim;
                try { elements = checked(elements * shape[d]); }
                catch (OverflowException)
                {
                    throw r.Error(ArtifactErrorIds.ElementCountOverflow, dimAt, "the element count of tensor \"" + name + "\" overflows a 64-bit integer.");
                }
            }

            long typeAt = r.Position;
            uint typeId = r.ReadUInt32("the type of \"" + name + "\"");
            if (typeId > int.MaxValue || !GgmlTypes.TryGetById((int)typeId, out GgmlType type))
                throw r.Error(ArtifactErrorIds.UnknownGgmlType, typeAt, string.Format(CultureInfo.InvariantCulture,
                    "tensor \"{0}\" has unknown ggml type id {1}.", name, typeId));

            long offsetAt = r.Position;
            ulong offset = r.ReadUInt64("the offset of \"" + name + "\"");
            if (offset > long.MaxValue)
                throw r.Error(ArtifactErrorIds.InvalidTensorOffsets, offsetAt, string.Format(CultureInfo.InvariantCulture,
                    "tensor \"{0}\" data offset {1} does not fit a 64-bit integer.", name, offset));
            if ((long)offset % alignment != 0)
                throw r.Error(ArtifactErrorIds.InvalidTensorOffsets, offsetAt, string.Format(CultureInfo.InvariantCulture,
                    "tensor \"{0}\" data offset {1} is not a multiple of the alignment {2}.", name, offset, alignment));

            // ggml stores whole blocks per row: the innermost dimension must be a multiple of the block size.
            long rowLength = shape.Length > 0 ? shape[0] : 1;
            if (rowLength % type.BlockSize != 0 || elements % type.BlockSize != 0)
                throw r.Error(ArtifactErrorIds.InvalidTensorShape, at, string.Format(CultureInfo.InvariantCulture,
                    "tensor \"{0}\" of type {1} has rows of {2} elements, not a multiple of the block size {3}.", name, type.Name, rowLength, type.BlockSize));
            long bytes;
            try { bytes = GgmlTypes.GetBytes(type, elements); }
            catch (OverflowException)
            {
                throw r.Error(ArtifactErrorIds.ElementCountOverflow, at, "the byte count of tensor \"" + name + "\" overflows a 64-bit integer.");
            }
            return (new TensorInfo(name, type.Name, shape, elements, bytes), (long)offset);
        }

        private static long AlignUp(long position, long alignment) => (position + alignment - 1) / alignment * alignment;
    }
}
