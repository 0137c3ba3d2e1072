using System;
using System.Globalization;

namespace LlmSize.Data.Artifacts
{
    /// <summary>Stable ids of <see cref="ArtifactFormatException"/> (used as PowerShell ErrorRecord ids).</summary>
    public static class ArtifactErrorIds
    {
        /// <summary>The file ends before a field the format requires, or before the tensor data the header describes.</summary>
        public const string TruncatedFile = "TruncatedFile";
        /// <summary>The safetensors header length exceeds 100,000,000 bytes (the reference reader's cap).</summary>
        public const string HeaderTooLarge = "HeaderTooLarge";
        /// <summary>A tensor's element or byte count does not fit a 64-bit integer.</summary>
        public const string ElementCountOverflow = "ElementCountOverflow";
        /// <summary>A GGUF metadata value type outside 0..12.</summary>
        public const string UnknownGgufValueType = "UnknownGgufValueType";
        /// <summary>A GGUF tensor type id not in the ggml type table.</summary>
        public const string UnknownGgmlType = "UnknownGgmlType";
        /// <summary>
        /// A length or count claims more bytes than remain in the file: a hostile value, or a file cut short inside a
        /// length-prefixed field (the two cannot be told apart).
        /// </summary>
        public const string LengthBeyondFile = "LengthBeyondFile";
        /// <summary>Tensor data offsets are negative, misaligned, overlapping, leave holes or disagree with the tensor's size.</summary>
        public const string InvalidTensorOffsets = "InvalidTensorOffsets";
        /// <summary>A tensor shape the type cannot store (not whole blocks / whole bytes, too many dimensions).</summary>
        public const string InvalidTensorShape = "InvalidTensorShape";
        /// <summary>GGUF version 1, big-endian, or newer than 3.</summary>
        public const string UnsupportedGgufVersion = "UnsupportedGgufVersion";
        /// <summary>The file does not start with the GGUF magic.</summary>
        public const string NotAGgufFile = "NotAGgufFile";
        /// <summary>Other GGUF header errors: invalid UTF-8, duplicate key or tensor name, bad bool, bad alignment, deep nesting.</summary>
        public const string InvalidGgufHeader = "InvalidGgufHeader";
        /// <summary>The safetensors JSON header is not valid JSON or not of the documented shape (unknown dtype included).</summary>
        public const string InvalidSafetensorsHeader = "InvalidSafetensorsHeader";
        /// <summary>A model.safetensors.index.json that is malformed or names missing shards or tensors.</summary>
        public const string InvalidShardIndex = "InvalidShardIndex";
        /// <summary>A metadata value of the wrong type or out of range for the field that reads it.</summary>
        public const string InvalidMetadataValue = "InvalidMetadataValue";
    }

    /// <summary>
    /// A weight file (safetensors, GGUF, shard index) whose header is malformed, truncated or hostile.
    /// The message names the file, the byte offset and the reason.
    /// </summary>
    public sealed class ArtifactFormatException : Exception
    {
        public ArtifactFormatException(string file, string errorId, long offset, string reason, Exception? innerException = null)
            : base(BuildMessage(file, offset, reason), innerException)
        {
            File = file ?? "";
            ErrorId = errorId ?? throw new ArgumentNullException(nameof(errorId));
            Offset = offset;
            Reason = reason ?? "";
        }

        /// <summary>The file whose content is at fault.</summary>
        public string File { get; }

        /// <summary>One of <see cref="ArtifactErrorIds"/>.</summary>
        public string ErrorId { get; }

        /// <summary>Byte offset in <see cref="File"/> where the fault was found; -1 when not tied to one position.</summary>
        public long Offset { get; }

        /// <summary>The reason alone, without file and offset.</summary>
        public string Reason { get; }

        private static string BuildMessage(string file, long offset, string reason) =>
            offset >= 0
                ? string.Format(CultureInfo.InvariantCulture, "{0}: at byte offset {1}: {2}", file, offset, reason)
                : string.Format(CultureInfo.InvariantCulture, "{0}: {1}", file, reason);
    }
}
