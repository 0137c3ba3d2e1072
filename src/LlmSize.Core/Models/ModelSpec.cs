using System;
using System.Collections.Generic;

namespace LlmSize.Core.Models
{
    /// <summary>
    /// A model as every estimator sees it: identity, exact parameter count and architecture. Comes from the model
    /// catalog (YAML), or from a real artifact (config.json, safetensors, GGUF) via Import-LlmModel.
    /// </summary>
    public sealed class ModelSpec
    {
        public ModelSpec(string id, string name, ModelArchitecture architecture)
        {
            Id = id ?? throw new ArgumentNullException(nameof(id));
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Architecture = architecture ?? throw new ArgumentNullException(nameof(architecture));
        }

        /// <summary>Catalog id, lowercase (llama-3.1-8b).</summary>
        public string Id { get; }
        public string Name { get; }
        /// <summary>Lineage used by Get-LlmModel -Family (Llama, Qwen, Gemma ...).</summary>
        public string Family { get; set; } = "";
        public string? HuggingFaceId { get; set; }
        public IReadOnlyList<string> Aliases { get; set; } = Array.Empty<string>();
        /// <summary>Exact parameter count as published (Hugging Face num_parameters()), else the architecture count.</summary>
        public long Parameters { get; set; }
        /// <summary>Parameters used per token (MoE: routed top-k plus shared); equals Parameters for dense models.</summary>
        public long ActiveParameters { get; set; }
        /// <summary>Where Parameters comes from: a URL, or "architecture" when computed.</summary>
        public string? ParametersSource { get; set; }
        /// <summary>Where the architecture fields come from (URL of the config.json, or a file path).</summary>
        public string? Source { get; set; }
        public string? License { get; set; }
        /// <summary>The catalog or artifact file this spec was read from, and the line of its entry.</summary>
        public string? DefinitionFile { get; set; }
        public int DefinitionLine { get; set; }

        public string ModelType => Architecture.ModelType;
        public int Layers => Architecture.NumLayers;
        public int HiddenSize => Architecture.HiddenSize;
        public long VocabSize => Architecture.VocabSize;
        public int MaxContextLength => Architecture.MaxPositionEmbeddings;
        public bool IsMoe => Architecture.IsMoe;

        public ModelArchitecture Architecture { get; }

        /// <summary>The weight file (safetensors, GGUF) this spec was imported with, for exact bytes per data type.</summary>
        public LlmSize.Core.Artifacts.WeightFileInfo? WeightFile { get; set; }
        /// <summary>Exact bytes of the weights on disk, when a weight file was read.</summary>
        public long? WeightBytes => WeightFile?.TotalBytes;
        /// <summary>Why the weight file's value count differs from the architecture count, when it does.</summary>
        public string? WeightFileNote { get; set; }

        public override string ToString() => Id;
    }
}
