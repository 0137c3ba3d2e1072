using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using LlmSize.Core.Artifacts;
using LlmSize.Core.Models;
using LlmSize.Core.Parameters;
using LlmSize.Data.Artifacts;
using YamlDotNet.RepresentationModel;

namespace LlmSize.Data.Import
{
    /// <summary>A model folder found in a Hugging Face cache (models--org--name/snapshots/&lt;revision&gt;).</summary>
    public sealed class CachedModel
    {
        public CachedModel(string huggingFaceId, string snapshotFolder) { HuggingFaceId = huggingFaceId; SnapshotFolder = snapshotFolder; }
        public string HuggingFaceId { get; }
        public string SnapshotFolder { get; }
    }

    /// <summary>
    /// Turns real model artifacts into the same <see cref="ModelSpec"/> the catalog returns: a Hugging Face config.json
    /// or model folder, safetensors files (single or sharded), GGUF files. Only headers are read, never tensor data.
    /// Errors: <see cref="CatalogException"/> (config), <see cref="ArtifactFormatException"/> (weight headers),
    /// <see cref="FileNotFoundException"/> / <see cref="ArgumentException"/> (nothing usable at the path).
    /// </summary>
    public static class ModelImporter
    {
        /// <summary>True when the folder is a Hugging Face hub cache (holds models--* folders) or one cached model.</summary>
        public static bool IsHuggingFaceCache(string folder) =>
            Directory.Exists(folder) && (Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar)).StartsWith("models--", StringComparison.Ordinal)
                || Directory.EnumerateDirectories(folder, "models--*").Any());

        /// <summary>The newest snapshot of every model in a hub cache folder (or of the one models--org--name folder given).</summary>
        public static IReadOnlyList<CachedModel> FindCachedModels(string folder)
        {
            string full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
            var modelDirs = Path.GetFileName(full).StartsWith("models--", StringComparison.Ordinal)
                ? new[] { full }
                : Directory.GetDirectories(full, "models--*").OrderBy(d => d, StringComparer.Ordinal).ToArray();
            var found = new List<CachedModel>();
            foreach (string dir in modelDirs)
            {
                string snapshots = Path.Combine(dir, "snapshots");
                if (!Directory.Exists(snapshots)) continue;
                var newest = new DirectoryInfo(snapshots).GetDirectories().OrderByDescending(d => d.LastWriteTimeUtc).FirstOrDefault();
                if (newest == null) continue;
                // models--org--name → org/name (the hub escapes '/' as '--').
                string hfId = Path.GetFileName(dir).Substring("models--".Length).Replace("--", "/");
                found.Add(new CachedModel(hfId, newest.FullName));
            }
            return found;
        }

        /// <summary>Imports a config.json, a model folder, a .safetensors file or shard index, or a .gguf file.</summary>
        public static ModelSpec Import(string path, string? huggingFaceId = null)
        {
            string full = Path.GetFullPath(path);
            if (Directory.Exists(full)) return ImportFolder(full, huggingFaceId);
            if (!File.Exists(full)) throw new FileNotFoundException("No such file or folder: " + full, full);
            string name = Path.GetFileName(full);
            if (name.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) || StartsWithGguf(full)) return ImportGguf(full);
            if (name.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".safetensors.index.json", StringComparison.OrdinalIgnoreCase))
            {
                string config = Path.Combine(Path.GetDirectoryName(full)!, "config.json");
                if (!File.Exists(config))
                    throw new FileNotFoundException("A safetensors header holds tensor shapes but not the architecture: no config.json beside " + full + ". Import the model folder or its config.json.", config);
                return Build(ReadConfig(config), config, WeightFileReader.Read(full), huggingFaceId);
            }
            if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return Build(ReadConfig(full), full, TryWeights(Path.GetDirectoryName(full)!), huggingFaceId);
            throw new ArgumentException("Cannot import " + full + ": expected a config.json, a model folder, a .safetensors file, a model.safetensors.index.json or a .gguf file.", nameof(path));
        }

        private static ModelSpec ImportFolder(string folder, string? huggingFaceId)
        {
            string config = Path.Combine(folder, "config.json");
            if (File.Exists(config)) return Build(ReadConfig(config), folder, TryWeights(folder), huggingFaceId);
            var ggufs = Directory.GetFiles(folder, "*.gguf");
            if (ggufs.Length == 1) return ImportGguf(ggufs[0]);
            throw new FileNotFoundException("The folder " + folder + " holds no config.json" + (ggufs.Length > 1 ? " and several .gguf files: import one of them." : " and no .gguf file."), config);
        }

        private static WeightFileInfo? TryWeights(string folder)
        {
            bool any = File.Exists(Path.Combine(folder, SafetensorsReader.IndexFileName)) || Directory.EnumerateFiles(folder, "*.safetensors").Any();
            return any ? WeightFileReader.Read(folder) : null;
        }

        private static ModelArchitecture ReadConfig(string file) => HfConfigReader.ReadJson(File.ReadAllText(file), file);

        private static ModelSpec Build(ModelArchitecture arch, string origin, WeightFileInfo? weights, string? huggingFaceId)
        {
            var counted = ParameterCounter.Count(arch);
            // Name: the Hugging Face repo name, else the folder of a config.json, else a config file's own name.
            string baseName = huggingFaceId != null ? huggingFaceId.Substring(huggingFaceId.LastIndexOf('/') + 1)
                : Directory.Exists(origin) ? Path.GetFileName(origin.TrimEnd(Path.DirectorySeparatorChar))
                : string.Equals(Path.GetFileName(origin), "config.json", StringComparison.OrdinalIgnoreCase) ? Path.GetFileName(Path.GetDirectoryName(origin)!)
                : Path.GetFileNameWithoutExtension(origin);
            var spec = new ModelSpec(ToId(baseName), baseName, arch)
            {
                Family = arch.ModelType,
                HuggingFaceId = huggingFaceId,
                Parameters = counted.Total,
                ActiveParameters = counted.Active,
                ParametersSource = "architecture",
                Source = origin,
                DefinitionFile = origin,
                WeightFile = weights,
            };
            if (weights != null) spec.WeightFileNote = WeightFileReconciliation.Explain(arch, counted, weights);
            return spec;
        }

        private static ModelSpec ImportGguf(string file)
        {
            var weights = GgufReader.Read(file);
            var fields = GgufArchitectureFields.From(weights);
            bool hasOutput = weights.Tensors.Any(t => t.Name == "output.weight");
            var arch = HfConfigReader.Read(SyntheticConfig(fields, tied: !hasOutput, file), file);
            var counted = ParameterCounter.Count(arch);
            string name = fields.Name ?? Path.GetFileNameWithoutExtension(file);
            return new ModelSpec(ToId(Path.GetFileNameWithoutExtension(file)), name, arch)
            {
                Family = arch.ModelType,
                // A GGUF file stores every parameter once: its tensor elements are the exact count.
                Parameters = weights.TotalElements,
                ActiveParameters = arch.IsMoe ? counted.Active : weights.TotalElements,
                ParametersSource = "GGUF tensor infos of " + Path.GetFileName(file),
                Source = file,
                DefinitionFile = file,
                WeightFile = weights,
                WeightFileNote = WeightFileReconciliation.Explain(arch, counted, weights),
            };
        }

        // llama.cpp architecture names → Hugging Face model_type (llama.cpp convert_hf_to_gguf.py registers these).
        private static readonly Dictionary<string, string> s_ggufToHf = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["llama"] = "llama", ["qwen2"] = "qwen2", ["qwen3"] = "qwen3", ["qwen2moe"] = "qwen2_moe", ["qwen3moe"] = "qwen3_moe",
            ["gemma"] = "gemma", ["gemma2"] = "gemma2", ["gemma3"] = "gemma3_text", ["phi3"] = "phi3", ["phi2"] = "phi",
            ["falcon"] = "falcon", ["gpt2"] = "gpt2", ["starcoder2"] = "starcoder2", ["command-r"] = "cohere", ["olmo"] = "olmo",
            ["olmo2"] = "olmo2", ["deepseek2"] = "deepseek_v2", ["bloom"] = "bloom", ["gptneox"] = "gpt_neox", ["starcoder"] = "gpt_bigcode",
        };

        /// <summary>
        /// Builds a config.json-shaped mapping from GGUF metadata so one reader (HfConfigReader) owns every family's rules.
        /// Keys per llama.cpp's GGUF spec (docs/gguf.md: &lt;arch&gt;.block_count, .embedding_length, .attention.head_count …).
        /// </summary>
        private static YamlMappingNode SyntheticConfig(GgufArchitectureFields f, bool tied, string file)
        {
            string arch = f.Architecture ?? throw new CatalogException(CatalogException.MissingModelField, file, 0, "general.architecture",
                "the GGUF metadata does not name its architecture.", null);
            string modelType = s_ggufToHf.TryGetValue(arch, out var mt) ? mt : arch;
            if (modelType == "llama" && (f.ExpertCount ?? 0) > 0) modelType = "mixtral";
            var map = new YamlMappingNode();
            void Put(string key, object? value)
            {
                if (value == null) return;
                string text = value is bool b ? (b ? "true" : "false") : Convert.ToString(value, CultureInfo.InvariantCulture)!;
                map.Add(key, new YamlScalarNode(text));
            }
            Put("model_type", modelType);
            Put("hidden_size", f.EmbeddingLength);
            Put("num_hidden_layers", f.BlockCount);
            Put("num_attention_heads", f.HeadCount);
            Put("num_key_value_heads", f.HeadCountKv ?? f.HeadCount);
            Put("intermediate_size", f.FeedForwardLength);
            Put("max_position_embeddings", f.ContextLength);
            Put("vocab_size", f.VocabSize);
            if (f.KeyLength.HasValue && f.HeadCount.HasValue && f.EmbeddingLength.HasValue && f.KeyLength.Value * f.HeadCount.Value != f.EmbeddingLength.Value)
                Put("head_dim", f.KeyLength);
            Put("tie_word_embeddings", tied);
            Put("num_local_experts", f.ExpertCount);
            Put("num_experts", f.ExpertCount);
            Put("num_experts_per_tok", f.ExpertUsedCount);
            Put("moe_intermediate_size", f.ExpertFeedForwardLength);
            Put("sliding_window", f.SlidingWindow);
            return map;
        }

        private static string ToId(string name)
        {
            var chars = name.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) || c == '.' || c == '-' ? c : '-').ToArray();
            return new string(chars).Trim('-');
        }

        private static bool StartsWithGguf(string file)
        {
            using var s = File.OpenRead(file);
            var magic = new byte[4];
            return s.Read(magic, 0, 4) == 4 && magic[0] == (byte)'G' && magic[1] == (byte)'G' && magic[2] == (byte)'U' && magic[3] == (byte)'F';
        }
    }
}
