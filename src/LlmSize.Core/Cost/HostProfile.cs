using System;
using System.Collections.Generic;
using System.Globalization;
using LlmSize.Core.Throughput;
using LlmSize.Core.Units;

namespace LlmSize.Core.Cost
{
    public enum HostWorkload { Inference, Training }

    /// <summary>One sizing rule of a host profile, with the reason for it.</summary>
    public sealed class HostRule
    {
        internal HostRule(string resource, string rule, string rationale) { Resource = resource; Rule = rule; Rationale = rationale; }
        public string Resource { get; }
        public string Rule { get; }
        public string Rationale { get; }
        public override string ToString() => Resource + ": " + Rule;
    }

    /// <summary>
    /// The host around the GPUs (the seed's hardware table: CPU, RAM, NVMe for training vs inference), derived from the
    /// workload's sizes. Minimums: add the operating system's own needs.
    /// </summary>
    public sealed class HostProfile
    {
        internal HostProfile(HostWorkload workload, int gpuCount, int cpuCores, ByteSize memory, ByteSize nvme, IReadOnlyList<HostRule> rules, IReadOnlyList<string> notes)
        {
            Workload = workload; GpuCount = gpuCount; CpuCores = cpuCores; SystemMemory = memory; NvmeStorage = nvme; Rules = rules; Notes = notes;
        }
        public HostWorkload Workload { get; }
        public int GpuCount { get; }
        public int CpuCores { get; }
        public ByteSize SystemMemory { get; }
        public ByteSize NvmeStorage { get; }
        public IReadOnlyList<HostRule> Rules { get; }
        public IReadOnlyList<string> Notes { get; }
    }

    /// <summary>Host sizing rules for inference and training, each with its source or rationale.</summary>
    public static class HostProfiles
    {
        /// <summary>Inference: at least 8 cores — the seed recommends an ordinary desktop CPU (i9, Ryzen 9: 8 cores and up).</summary>
        public const int InferenceMinimumCores = 8;
        /// <summary>Inference: 4 cores per GPU — engineering estimate: serving engines run one worker process per GPU plus tokenizer, scheduler and HTTP threads.</summary>
        public const int InferenceCoresPerGpu = 4;
        /// <summary>Training: at least 64 cores — the seed recommends a high core count (AMD EPYC, 64 cores).</summary>
        public const int TrainingMinimumCores = 64;
        /// <summary>
        /// Training: 16 cores per GPU — NVIDIA's DGX A100 pairs 8 A100s with two 64-core EPYC 7742 (128 cores;
        /// https://developer.nvidia.com/blog/defining-ai-innovation-with-dgx-a100, hardwaretimes.com DGX A100 coverage),
        /// for data loading, tokenization and augmentation workers per GPU.
        /// </summary>
        public const int TrainingCoresPerGpu = 16;
        /// <summary>Checkpoints kept on local NVMe by default: the latest and the one before, so an interrupted save never leaves no good copy.</summary>
        public const int DefaultCheckpointsKept = 2;
        /// <summary>The seed's training storage recommendation: fast NVMe of more than 8 TB (DGX A100 ships 15 TB).</summary>
        public static readonly ByteSize SeedTrainingNvme = ByteSize.FromGB(8000);

        /// <summary>
        /// Inference host: cores = max(8, 4 · GPUs); RAM ≥ weights + CPU-offloaded bytes; NVMe ≥ 2 × weights.
        /// </summary>
        public static HostProfile ForInference(ByteSize weights, int gpuCount, ByteSize? cpuOffload = null)
        {
            CheckSize(weights, nameof(weights));
            Guard.AtLeast(gpuCount, 1, nameof(gpuCount));
            var offload = cpuOffload ?? ByteSize.Zero;
            CheckSize(offload, nameof(cpuOffload));
            int cores = Math.Max(InferenceMinimumCores, InferenceCoresPerGpu * gpuCount);
            var rules = new List<HostRule>
            {
                new HostRule("CPU cores", "max(8, 4 × GPUs) = " + Count(cores),
                    "The seed: inference needs an ordinary desktop CPU (i9, Ryzen 9: 8+ cores). Engines run one worker process per GPU plus tokenizer/scheduler threads: 4 cores per GPU (engineering estimate)."),
                new HostRule("System RAM", "weights + CPU-offloaded bytes = " + weights + " + " + offload,
                    "Loading reads the checkpoint through host memory (page cache / staging buffers) before the copy to the GPU, and layers offloaded to the CPU live there (llama.cpp -ngl, Accelerate device_map)."),
                new HostRule("NVMe", "2 × weights = " + (weights * 2.0),
                    "The downloaded checkpoint plus one converted copy (GGUF conversion/quantization, a TensorRT-LLM engine). The seed: inference needs moderate storage (< 2 TB)."),
            };
            return new HostProfile(HostWorkload.Inference, gpuCount, cores, weights + offload, weights * 2.0, rules, new string[0]);
        }

        /// <summary>
        /// Training host: cores = max(64, 16 · GPUs); RAM ≥ CPU-offloaded states + weights; NVMe ≥ dataset + k checkpoints + weights.
        /// </summary>
        /// <param name="weights">Bytes of the initial weights (loaded once, kept on disk).</param>
        /// <param name="gpuCount">GPUs in the host (for a multi-node run: per node).</param>
        /// <param name="dataset">Bytes of the tokenized training data kept on local disk.</param>
        /// <param name="checkpoint">Bytes of one checkpoint (weights + optimizer states + training state; DESIGN.md §8).</param>
        /// <param name="checkpointsKept">Checkpoints kept on local disk (default 2).</param>
        /// <param name="cpuOffload">Optimizer states (and at ZeRO-3 parameters) offloaded to host memory (ZeRO-Offload; DESIGN.md §8).</param>
        public static HostProfile ForTraining(ByteSize weights, int gpuCount, ByteSize dataset, ByteSize checkpoint,
            int checkpointsKept = DefaultCheckpointsKept, ByteSize? cpuOffload = null)
        {
            CheckSize(weights, nameof(weights));
            CheckSize(dataset, nameof(dataset));
            CheckSize(checkpoint, nameof(checkpoint));
            Guard.AtLeast(gpuCount, 1, nameof(gpuCount));
            Guard.AtLeast(checkpointsKept, 0, nameof(checkpointsKept));
            var offload = cpuOffload ?? ByteSize.Zero;
            CheckSize(offload, nameof(cpuOffload));
            int cores = Math.Max(TrainingMinimumCores, TrainingCoresPerGpu * gpuCount);
            var nvme = dataset + checkpoint * checkpointsKept + weights;
            var rules = new List<HostRule>
            {
                new HostRule("CPU cores", "max(64, 16 × GPUs) = " + Count(cores),
                    "The seed: training needs a high core count (AMD EPYC 64-core). DGX A100: 128 cores for 8 GPUs = 16 per GPU, for data-loader workers."),
                new HostRule("System RAM", "CPU-offloaded states + weights = " + offload + " + " + weights,
                    "ZeRO-Offload keeps optimizer states (and at stage 3 parameters) in host memory; one copy of the weights passes through it when loading and saving checkpoints. DGX A100 ships 1-2 TB for 8 GPUs."),
                new HostRule("NVMe", "dataset + " + Count(checkpointsKept) + " × checkpoint + weights = " + nvme,
                    "The tokenized dataset is streamed from local disk; checkpoints are written there before any upload. The seed recommends fast NVMe of more than 8 TB for training."),
            };
            var notes = new List<string>();
            if (nvme < SeedTrainingNvme)
                notes.Add("The derived NVMe size (" + nvme.ToString("D", CultureInfo.InvariantCulture) + ") is below the seed's > 8 TB, which is meant for pretraining-scale datasets.");
            return new HostProfile(HostWorkload.Training, gpuCount, cores, offload + weights, nvme, rules, notes);
        }

        private static void CheckSize(ByteSize size, string name)
        {
            if (size.Bytes < 0)
                throw new ArgumentOutOfRangeException(name, size, name + " must be 0 bytes or more; got " + size + ".");
        }

        private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
    }
}
