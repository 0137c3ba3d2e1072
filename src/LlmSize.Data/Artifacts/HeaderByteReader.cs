using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace LlmSize.Data.Artifacts
{
    /// <summary>
    /// Little-endian reader over a seekable stream with its own buffer. Every read and skip is checked against the
    /// bytes that remain in the stream first, so a hostile length never turns into an allocation or a long read.
    /// </summary>
    internal sealed class HeaderByteReader
    {
        private const int BufferSize = 64 * 1024;
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        private readonly Stream _stream;
        private readonly byte[] _buffer = new byte[BufferSize];
        private long _bufferStart;   // file offset of _buffer[0]
        private int _bufferLength;   // valid bytes in _buffer
        private long _position;      // file offset of the next byte to read

        public HeaderByteReader(Stream stream, string file)
        {
            if (stream == null) throw new ArgumentNullException(nameof(stream));
            if (!stream.CanRead || !stream.CanSeek) throw new ArgumentException("The stream must be readable and seekable.", nameof(stream));
            _stream = stream;
            File = file;
            Length = stream.Length;
            _stream.Position = 0;
        }

        public string File { get; }
        public long Length { get; }
        public long Position => _position;
        public long Remaining => Length - _position;

        public ArtifactFormatException Error(string errorId, long offset, string reason) =>
            new ArtifactFormatException(File, errorId, offset, reason);

        /// <summary>Throws TruncatedFile unless <paramref name="count"/> more bytes exist.</summary>
        public void Require(long count, string what)
        {
            if (count > Remaining)
                throw Error(ArtifactErrorIds.TruncatedFile, _position, string.Format(CultureInfo.InvariantCulture,
                    "the file ends while reading {0}: {1} bytes needed, {2} left (file size {3}).", what, count, Remaining, Length));
        }

        public byte ReadByte(string what)
        {
            Fill(1, what);
            return _buffer[_position++ - _bufferStart];
        }

        public uint ReadUInt32(string what)
        {
            Fill(4, what);
            int i = (int)(_position - _bufferStart);
            _position += 4;
            return _buffer[i] | (uint)_buffer[i + 1] << 8 | (uint)_buffer[i + 2] << 16 | (uint)_buffer[i + 3] << 24;
        }

        public ulong ReadUInt64(string what)
        {
            Fill(8, what);
            int i = (int)(_position - _bufferStart);
            _position += 8;
            uint lo = _buffer[i] | (uint)_buffer[i + 1] << 8 | (uint)_buffer[i + 2] << 16 | (uint)_buffer[i + 3] << 24;
            uint hi = _buffer[i + 4] | (uint)_buffer[i + 5] << 8 | (uint)_buffer[i + 6] << 16 | (uint)_buffer[i + 7] << 24;
            return (ulong)hi << 32 | lo;
        }

        public ushort ReadUInt16(string what)
        {
            Fill(2, what);
            int i = (int)(_position - _bufferStart);
            _position += 2;
            return (ushort)(_buffer[i] | _buffer[i + 1] << 8);
        }

        public float ReadSingle(string what)
        {
            byte[] b = BitConverter.GetBytes(ReadUInt32(what)); // host order
            return BitConverter.ToSingle(b, 0);
        }

        public double ReadDouble(string what) => BitConverter.Int64BitsToDouble(unchecked((long)ReadUInt64(what)));

        /// <summary>Reads <paramref name="count"/> bytes; the caller has checked count against its own cap.</summary>
        public byte[] ReadBytes(int count, string what)
        {
            Require(count, what);
            var result = new byte[count];
            int copied = 0;
            while (copied < count)
            {
                int chunk = Math.Min(BufferSize, count - copied);
                Fill(chunk, what);
                Buffer.BlockCopy(_buffer, (int)(_position - _bufferStart), result, copied, chunk);
                _position += chunk;
                copied += chunk;
            }
            return result;
        }

        /// <summary>Reads a UTF-8 string of <paramref name="count"/> bytes; invalid UTF-8 throws <paramref name="invalidErrorId"/>.</summary>
        public string ReadUtf8(int count, string what, string invalidErrorId)
        {
            long start = _position;
            try
            {
                if (count <= BufferSize)
                {
                    Fill(count, what);
                    string s = StrictUtf8.GetString(_buffer, (int)(_position - _bufferStart), count);
                    _position += count;
                    return s;
                }
                return StrictUtf8.GetString(ReadBytes(count, what));
            }
            catch (DecoderFallbackException ex)
            {
                throw new ArtifactFormatException(File, invalidErrorId, start, what + " is not valid UTF-8.", ex);
            }
        }

        /// <summary>Moves past <paramref name="count"/> bytes without reading them.</summary>
        public void Skip(long count, string what)
        {
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
            Require(count, what);
            _position += count;
        }

        /// <summary>Makes bytes [_position, _position + count) available in the buffer (count ≤ BufferSize).</summary>
        private void Fill(int count, string what)
        {
            if (_position >= _bufferStart && _position + count <= _bufferStart + _bufferLength) return;
            Require(count, what);

            // Keep the still-unread tail of the buffer when it is contiguous with the new position, else start afresh.
            int keep = 0;
            if (_position >= _bufferStart && _position < _bufferStart + _bufferLength)
            {
                keep = (int)(_bufferStart + _bufferLength - _position);
                Buffer.BlockCopy(_buffer, (int)(_position - _bufferStart), _buffer, 0, keep);
            }
            else
            {
                _stream.Position = _position;
            }
            _bufferStart = _position;
            _bufferLength = keep;

            // The stream is positioned at _bufferStart + _bufferLength here in both cases.
            long want = Math.Min(BufferSize, Length - _bufferStart);
            while (_bufferLength < want)
            {
                int n = _stream.Read(_buffer, _bufferLength, (int)(want - _bufferLength));
                if (n <= 0) break;
                _bufferLength += n;
            }
            if (_bufferLength < count)
                throw Error(ArtifactErrorIds.TruncatedFile, _bufferStart + _bufferLength,
                    "the file ended early while reading " + what + " (it shrank while being read?).");
        }
    }
}
