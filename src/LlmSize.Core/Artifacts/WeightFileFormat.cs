namespace LlmSize.Core.Artifacts
{
    /// <summary>Container format of a weight file.</summary>
    public enum WeightFileFormat
    {
        /// <summary>Hugging Face safetensors (single file, or shards joined by a model.safetensors.index.json).</summary>
        Safetensors,
        /// <summary>GGUF, the ggml / llama.cpp format (versions 2 and 3).</summary>
        Gguf,
    }
}
