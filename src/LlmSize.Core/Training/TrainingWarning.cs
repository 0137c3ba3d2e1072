namespace LlmSize.Core.Training
{
    /// <summary>
    /// Something about a request that the estimate still answers but the user should know (a setting with no effect,
    /// a shape that does not split, a target the model lacks). <see cref="Id"/> is stable, so scripts and the cmdlet's
    /// WriteWarning / ErrorRecord can match on it; the ids are the constants of <see cref="TrainingWarningIds"/>.
    /// </summary>
    public sealed class TrainingWarning
    {
        public TrainingWarning(string id, string message)
        {
            Id = id;
            Message = message;
        }

        public string Id { get; }
        public string Message { get; }

        public override string ToString() => Id + ": " + Message;
    }

    /// <summary>Stable warning ids of the training and checkpoint estimators.</summary>
    public static class TrainingWarningIds
    {
        /// <summary>ZeRO stage above 0 with one data-parallel rank: there is nothing to shard.</summary>
        public const string ZeroWithoutDataParallel = "ZeroWithoutDataParallel";
        /// <summary>Tensor parallel size does not divide the attention heads (or the key/value heads).</summary>
        public const string TensorParallelHeads = "TensorParallelHeads";
        /// <summary>A LoRA target the architecture does not have (gate on a plain MLP ...).</summary>
        public const string LoraTargetMissing = "LoraTargetMissing";
        /// <summary>QLoRA with a base data type that is not a 4-bit format.</summary>
        public const string QLoraBaseNotFourBit = "QLoraBaseNotFourBit";
        /// <summary>CPU offload needs ZeRO (stage ≥ 1; parameter offload stage 3).</summary>
        public const string OffloadNeedsZero = "OffloadNeedsZero";
        /// <summary>Sequence parallelism without tensor parallelism changes nothing.</summary>
        public const string SequenceParallelWithoutTensorParallel = "SequenceParallelWithoutTensorParallel";
        /// <summary>Pipeline stages do not divide the layers evenly; the first stage takes the larger share.</summary>
        public const string PipelineUnevenLayers = "PipelineUnevenLayers";
        /// <summary>Fewer micro-batches (gradient accumulation steps) than pipeline stages: the pipeline bubble dominates.</summary>
        public const string PipelineFewMicroBatches = "PipelineFewMicroBatches";
        /// <summary>LoRA settings given for full training, or adapter-only checkpoint requested for full training.</summary>
        public const string LoraSettingsIgnored = "LoraSettingsIgnored";
    }
}
