using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace LlmSize.Core.Tests.GpuTruth
{
    /// <summary>
    /// One record written by tests/gpu-truth/measure.py (format: tests/gpu-truth/record.schema.json and README.md there):
    /// the settings of one run and, when it ran, what the GPU measured. Only the fields the comparison reads are
    /// lifted into properties; the raw JSON stays available in <see cref="Root"/>.
    /// </summary>
    public sealed class GpuTruthRecord
    {
        private GpuTruthRecord(string path, JsonElement root)
        {
            Path = path;
            Root = root;
            Id = Text(root, "id") ?? throw Bad(path, "has no id");
            Status = Text(root, "status") ?? throw Bad(path, "has no status");
            Phase = Text(root, "phase") ?? throw Bad(path, "has no phase");
            DryRun = Flag(root, "dry_run");
            Measured = Flag(root, "measured");
            Fixture = Flag(root, "fixture");

            JsonElement model = Object(root, "model") ?? throw Bad(path, "has no model");
            Size = Text(model, "size") ?? throw Bad(path, "has no model.size");
            Family = Text(model, "family") ?? "";
            JsonElement config = Object(model, "effective_config") ?? Object(model, "config") ?? throw Bad(path, "has no model.config");
            ConfigJson = config.GetRawText();

            JsonElement s = Object(root, "settings") ?? throw Bad(path, "has no settings");
            Dtype = Text(s, "dtype") ?? throw Bad(path, "has no settings.dtype");
            BatchSize = Int(s, "batch_size");
            SequenceLength = Int(s, "sequence_length");
            Attention = Text(s, "attn_implementation");
            LogitsToKeep = Int(s, "logits_to_keep");
            Method = Text(s, "method");
            Precision = Text(s, "precision");
            Optimizer = Text(s, "optimizer");
            GradientCheckpointing = s.TryGetProperty("gradient_checkpointing", out JsonElement g) && g.ValueKind == JsonValueKind.True;
            LoraRank = Int(s, "lora_rank");
            LoraTargets = s.TryGetProperty("lora_targets", out JsonElement t) && t.ValueKind == JsonValueKind.Array
                ? t.EnumerateArray().Select(e => e.GetString() ?? "").ToArray()
                : Array.Empty<string>();

            JsonElement? m = Object(root, "measurements");
            if (m is JsonElement mm)
            {
                foreach (JsonProperty p in mm.EnumerateObject())
                    if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out long v)) _bytes[p.Name] = v;
            }
            HasMeasurements = m.HasValue;
            JsonElement? env = Object(root, "environment");
            GpuName = env is JsonElement en ? Text(en, "gpu_name") ?? "" : "";
            Expected = Object(root, "expected");
        }

        private readonly Dictionary<string, long> _bytes = new Dictionary<string, long>(StringComparer.Ordinal);

        public string Path { get; }
        public JsonElement Root { get; }
        public string Id { get; }
        /// <summary>ok, dry_run, oom, skipped or error.</summary>
        public string Status { get; }
        /// <summary>inference_weights, inference_prefill or training_step.</summary>
        public string Phase { get; }
        public bool DryRun { get; }
        public bool Measured { get; }
        public bool Fixture { get; }
        public string Size { get; }
        public string Family { get; }
        /// <summary>The config the model was built from: model.effective_config (every default filled in) when the
        /// run recorded it, else model.config.</summary>
        public string ConfigJson { get; }

        public string Dtype { get; }
        public int? BatchSize { get; }
        public int? SequenceLength { get; }
        public string? Attention { get; }
        public int? LogitsToKeep { get; }
        public string? Method { get; }
        public string? Precision { get; }
        public string? Optimizer { get; }
        public bool GradientCheckpointing { get; }
        public int? LoraRank { get; }
        public IReadOnlyList<string> LoraTargets { get; }

        public bool HasMeasurements { get; }
        /// <summary>environment.gpu_name; empty for dry runs and fixtures.</summary>
        public string GpuName { get; }
        /// <summary>Fixtures only: the comparison results the test must reproduce.</summary>
        public JsonElement? Expected { get; }

        /// <summary>An integer field of <c>measurements</c>; null when absent or null.</summary>
        public long? Measurement(string name) => _bytes.TryGetValue(name, out long v) ? v : (long?)null;

        public bool IsOk => Status == "ok";

        public static GpuTruthRecord Load(string path)
        {
            GpuTruthRecord record = Parse(File.ReadAllText(path), path);
            if (System.IO.Path.GetFileName(path) != record.Id + ".json")
                throw Bad(path, "is named differently from its id '" + record.Id + "' (the file must be id + .json)");
            return record;
        }

        /// <summary>A record from JSON text; <paramref name="path"/> names it in messages.</summary>
        public static GpuTruthRecord Parse(string json, string path)
        {
            using JsonDocument doc = JsonDocument.Parse(json);
            return new GpuTruthRecord(path, doc.RootElement.Clone());
        }

        /// <summary>Every *.json under <paramref name="folder"/>, sorted by path; none when the folder does not exist.</summary>
        public static IReadOnlyList<GpuTruthRecord> LoadFolder(string folder)
        {
            if (!Directory.Exists(folder)) return Array.Empty<GpuTruthRecord>();
            return Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories)
                .OrderBy(p => p, StringComparer.Ordinal)
                .Select(Load)
                .ToList();
        }

        public override string ToString() => Id;

        private static InvalidDataException Bad(string path, string what) => new InvalidDataException("GPU truth record " + path + " " + what + ".");

        private static JsonElement? Object(JsonElement e, string name) =>
            e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Object ? v : (JsonElement?)null;

        private static string? Text(JsonElement e, string name) =>
            e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static int? Int(JsonElement e, string name) =>
            e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : (int?)null;

        private static bool Flag(JsonElement e, string name) =>
            e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.True;
    }
}
