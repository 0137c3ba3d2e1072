using System;
using System.Collections.Generic;
using System.Globalization;
using LlmSize.Core.Artifacts;

namespace LlmSize.Data.Artifacts
{
    /// <summary>
    /// The architecture numbers of a GGUF file's metadata, read from the <c>&lt;arch&gt;.*</c> keys where arch is
    /// <c>general.architecture</c> (key names: ggml/docs/gguf.md and llama.cpp src/llama-arch.cpp). Null means the
    /// file does not say. A plain record: mapping to ModelArchitecture is the caller's job.
    /// </summary>
    public sealed class GgufArchitectureFields
    {
        /// <summary>general.architecture (llama, qwen2, gemma3 ...); null when absent.</summary>
        public string? Architecture { get; private set; }
        /// <summary>general.name.</summary>
        public string? Name { get; private set; }
        /// <summary>general.file_type (the llama_ftype enum: 15 = MOSTLY_Q4_K_M ...).</summary>
        public int? FileType { get; private set; }

        /// <summary>&lt;arch&gt;.block_count: transformer layers.</summary>
        public int? BlockCount { get; private set; }
        /// <summary>&lt;arch&gt;.embedding_length: hidden size.</summary>
        public int? EmbeddingLength { get; private set; }
        /// <summary>&lt;arch&gt;.attention.head_count (null when stored per layer; see HeadCountPerLayer).</summary>
        public int? HeadCount { get; private set; }
        /// <summary>&lt;arch&gt;.attention.head_count_kv (null when stored per layer).</summary>
        public int? HeadCountKv { get; private set; }
        /// <summary>&lt;arch&gt;.feed_forward_length (null when stored per layer).</summary>
        public int? FeedForwardLength { get; private set; }
        /// <summary>&lt;arch&gt;.context_length: trained context.</summary>
        public int? ContextLength { get; private set; }
        /// <summary>&lt;arch&gt;.vocab_size, else the length of tokenizer.ggml.tokens.</summary>
        public int? VocabSize { get; private set; }
        /// <summary>&lt;arch&gt;.attention.key_length: per-head key size when it is not embedding / heads.</summary>
        public int? KeyLength { get; private set; }
        /// <summary>&lt;arch&gt;.attention.value_length.</summary>
        public int? ValueLength { get; private set; }
        /// <summary>&lt;arch&gt;.expert_count (MoE).</summary>
        public int? ExpertCount { get; private set; }
        /// <summary>&lt;arch&gt;.expert_used_count: experts routed per token.</summary>
        public int? ExpertUsedCount { get; private set; }
        /// <summary>&lt;arch&gt;.expert_shared_count.</summary>
        public int? ExpertSharedCount { get; private set; }
        /// <summary>&lt;arch&gt;.expert_feed_forward_length: one expert's inner size.</summary>
        public int? ExpertFeedForwardLength { get; private set; }
        /// <summary>&lt;arch&gt;.leading_dense_block_count: dense layers before the MoE ones.</summary>
        public int? LeadingDenseBlockCount { get; private set; }
        /// <summary>&lt;arch&gt;.attention.sliding_window.</summary>
        public int? SlidingWindow { get; private set; }

        /// <summary>Per-layer head counts, when the file stores an array (kept arrays only: ≤ 1024 layers).</summary>
        public IReadOnlyList<int>? HeadCountPerLayer { get; private set; }
        public IReadOnlyList<int>? HeadCountKvPerLayer { get; private set; }
        public IReadOnlyList<int>? FeedForwardLengthPerLayer { get; private set; }

        /// <summary>Reads the fields of a GGUF <see cref="WeightFileInfo"/>.</summary>
        /// <exception cref="ArgumentException">the file is not GGUF.</exception>
        /// <exception cref="ArtifactFormatException">InvalidMetadataValue: a field is not an integer or does not fit an int.</exception>
        public static GgufArchitectureFields From(WeightFileInfo file)
        {
            if (file == null) throw new ArgumentNullException(nameof(file));
            if (file.Format != WeightFileFormat.Gguf) throw new ArgumentException("Not a GGUF file: " + file.Path, nameof(file));
            return FromMetadata(file.Metadata, file.Path);
        }

        /// <summary>Reads the fields from GGUF metadata; <paramref name="file"/> names the source in errors.</summary>
        public static GgufArchitectureFields FromMetadata(IReadOnlyDictionary<string, object> metadata, string file = "")
        {
            if (metadata == null) throw new ArgumentNullException(nameof(metadata));
            var f = new GgufArchitectureFields
            {
                Architecture = metadata.TryGetValue("general.architecture", out var a) ? a as string : null,
                Name = metadata.TryGetValue("general.name", out var n) ? n as string : null,
                FileType = Int(metadata, "general.file_type", file),
            };
            if (!string.IsNullOrEmpty(f.Architecture))
            {
                string p = f.Architecture + ".";
                f.BlockCount = Int(metadata, p + "block_count", file);
                f.EmbeddingLength = Int(metadata, p + "embedding_length", file);
                f.ContextLength = Int(metadata, p + "context_length", file);
                f.KeyLength = Int(metadata, p + "attention.key_length", file);
                f.ValueLength = Int(metadata, p + "attention.value_length", file);
                f.ExpertCount = Int(metadata, p + "expert_count", file);
                f.ExpertUsedCount = Int(metadata, p + "expert_used_count", file);
                f.ExpertSharedCount = Int(metadata, p + "expert_shared_count", file);
                f.ExpertFeedForwardLength = Int(metadata, p + "expert_feed_forward_length", file);
                f.LeadingDenseBlockCount = Int(metadata, p + "leading_dense_block_count", file);
                f.SlidingWindow = Int(metadata, p + "attention.sliding_window", file);
                f.VocabSize = Int(metadata, p + "vocab_size", file);

                (f.HeadCount, f.HeadCountPerLayer) = IntOrPerLayer(metadata, p + "attention.head_count", file);
                (f.HeadCountKv, f.HeadCountKvPerLayer) = IntOrPerLayer(metadata, p + "attention.head_count_kv", file);
                (f.FeedForwardLength, f.FeedForwardLengthPerLayer) = IntOrPerLayer(metadata, p + "feed_forward_length", file);
            }
            if (f.VocabSize == null && metadata.TryGetValue("tokenizer.ggml.tokens", out var tokens) && tokens is GgufArray array)
                f.VocabSize = ToInt(array.Length, "tokenizer.ggml.tokens", file);
            return f;
        }

        private static int? Int(IReadOnlyDictionary<string, object> metadata, string key, string file)
        {
            if (!metadata.TryGetValue(key, out var value)) return null;
            if (!GgufNumbers.TryGetInt64(value, out long l))
                throw new ArtifactFormatException(file, ArtifactErrorIds.InvalidMetadataValue, -1,
                    "metadata \"" + key + "\" is " + Describe(value) + ", not an integer.");
            return ToInt(l, key, file);
        }

        /// <summary>A scalar, or a per-layer array of integers (llama.cpp accepts both for head counts and FFN sizes).</summary>
        private static (int?, IReadOnlyList<int>?) IntOrPerLayer(IReadOnlyDictionary<string, object> metadata, string key, string file)
        {
            if (!metadata.TryGetValue(key, out var value)) return (null, null);
            if (!(value is GgufArray array)) return (Int(metadata, key, file), null);
            if (array.Values == null) return (null, null);
            var list = new int[array.Values.Count];
            for (int i = 0; i < list.Length; i++)
            {
                if (!GgufNumbers.TryGetInt64(array.Values[i], out long l))
                    throw new ArtifactFormatException(file, ArtifactErrorIds.InvalidMetadataValue, -1,
                        "metadata \"" + key + "\" holds " + Describe(array.Values[i]) + ", not integers.");
                list[i] = ToInt(l, key, file);
            }
            return (null, list);
        }

        private static int ToInt(long value, string key, string file)
        {
            if (value < 0 || value > int.MaxValue)
                throw new ArtifactFormatException(file, ArtifactErrorIds.InvalidMetadataValue, -1, string.Format(CultureInfo.InvariantCulture,
                    "metadata \"{0}\" = {1} is outside 0 to {2}.", key, value, int.MaxValue));
            return (int)value;
        }

        private static string Describe(object? value) =>
            value == null ? "null" : value.GetType().Name + " " + Convert.ToString(value, CultureInfo.InvariantCulture);
    }
}
