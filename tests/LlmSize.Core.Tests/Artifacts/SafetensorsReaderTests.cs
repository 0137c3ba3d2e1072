using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using LlmSize.Core.Artifacts;
using LlmSize.Data.Artifacts;
using Xunit;
using T = LlmSize.Core.Tests.Artifacts.SafetensorsTestWriter.Tensor;

namespace LlmSize.Core.Tests.Artifacts
{
    public class SafetensorsReaderTests
    {
        private static readonly T[] Mixed =
        {
            new T("model.embed_tokens.weight", "BF16", 1000, 64),
            new T("model.layers.0.input_layernorm.weight", "F32", 64),
            new T("model.layers.0.mlp.experts.w1", "F4", 8, 64),       // packed FP4: 2 per byte
            new T("model.layers.0.mlp.experts.w1_scale", "F8_E8M0", 8, 2),
            new T("model.layers.0.self_attn.q_proj.weight", "F8_E4M3", 64, 64),
            new T("lm_head.weight", "F16", 1000, 64),
            new T("position_ids", "I64", 1, 7),
            new T("scalar", "F32"),                                   // shape [] = 1 element
            new T("empty", "F32", 0, 4),                              // 0 elements, 0 bytes
        };

        [Fact]
        public void ReadsSingleFileExactly()
        {
            using var dir = new TempDir();
            string path = dir.Write("model.safetensors", SafetensorsTestWriter.Build(Mixed, new Dictionary<string, string> { ["format"] = "pt" }));

            var info = SafetensorsReader.Read(path);

            Assert.Equal(WeightFileFormat.Safetensors, info.Format);
            Assert.Null(info.GgufVersion);
            Assert.Equal(new[] { path }, info.SourceFiles);
            Assert.Equal(Mixed.Select(t => t.Name), info.Tensors.Select(t => t.Name)); // data-offset order
            Assert.Equal("pt", info.Metadata["format"]);

            Assert.Equal(1000 * 64 * 2, info.BytesByDataType["BF16"]);
            Assert.Equal(1000 * 64 * 2, info.BytesByDataType["F16"]);
            Assert.Equal(64 * 4 + 4, info.BytesByDataType["F32"]);
            Assert.Equal(8 * 64 / 2, info.BytesByDataType["F4"]);
            Assert.Equal(16, info.BytesByDataType["F8_E8M0"]);
            Assert.Equal(64 * 64, info.BytesByDataType["F8_E4M3"]);
            Assert.Equal(7 * 8, info.BytesByDataType["I64"]);
            Assert.Equal(512, info.ElementsByDataType["F4"]);
            Assert.Equal(64 + 1, info.ElementsByDataType["F32"]);

            long elements = Mixed.Sum(t => t.Elements);
            long bytes = Mixed.Sum(t => t.Bytes);
            Assert.Equal(elements, info.TotalElements);
            Assert.Equal(bytes, info.TotalBytes);
            Assert.Equal(bytes * 8.0 / elements, info.BitsPerWeight, 12);

            var scalar = info.Tensors.Single(t => t.Name == "scalar");
            Assert.Empty(scalar.Shape);
            Assert.Equal(1, scalar.Elements);
            Assert.Equal(0, info.Tensors.Single(t => t.Name == "empty").Bytes);
            Assert.Equal(new long[] { 1000, 64 }, info.Tensors[0].Shape);
        }

        [Fact]
        public void ReadsEscapedNamesUnorderedEntriesAndPadding()
        {
            // Entries listed out of offset order, a name with escapes, whitespace everywhere, space padding.
            string json = "{ \"b\" : {\"data_offsets\":[8,12],\"shape\":[2],\"dtype\":\"F16\"},\n"
                + " \"w\\u00e9ight \\\"q\\\"\\/x\" : { \"dtype\" : \"F32\", \"shape\" : [ 2 ], \"data_offsets\" : [ 0, 8 ], \"extra\": [1, {\"k\": null}] },"
                + " \"__metadata__\": {\"note\": \"tab\\there\"} }   ";
            var info = SafetensorsReader.Read(new MemoryStream(SafetensorsTestWriter.BuildRaw(json, 12)), "mem.safetensors");
            Assert.Equal(new[] { "wéight \"q\"/x", "b" }, info.Tensors.Select(t => t.Name));
            Assert.Equal("tab\there", info.Metadata["note"]);
            Assert.Equal(12, info.TotalBytes);
        }

        [Fact]
        public void ReadsShardedCheckpointThroughIndex()
        {
            using var dir = new TempDir();
            var shard1 = new[] { new T("model.embed_tokens.weight", "BF16", 500, 32), new T("model.layers.0.w", "BF16", 32, 32) };
            var shard2 = new[] { new T("model.layers.1.w", "BF16", 32, 32), new T("model.norm.weight", "F32", 32), new T("lm_head.weight", "BF16", 500, 32) };
            dir.Write("model-00001-of-00002.safetensors", SafetensorsTestWriter.Build(shard1, new Dictionary<string, string> { ["format"] = "pt" }));
            dir.Write("model-00002-of-00002.safetensors", SafetensorsTestWriter.Build(shard2, new Dictionary<string, string> { ["format"] = "pt" }));
            long total = shard1.Concat(shard2).Sum(t => t.Bytes);
            // The index as transformers writes it: metadata.total_size and a name-sorted weight_map.
            var map = shard1.Select(t => (t.Name, "model-00001-of-00002.safetensors"))
                .Concat(shard2.Select(t => (t.Name, "model-00002-of-00002.safetensors")))
                .OrderBy(e => e.Name, StringComparer.Ordinal)
                .Select(e => $"    {SafetensorsTestWriter.Quote(e.Name)}: {SafetensorsTestWriter.Quote(e.Item2)}");
            string index = "{\n  \"metadata\": {\n    \"total_size\": " + total + "\n  },\n  \"weight_map\": {\n" + string.Join(",\n", map) + "\n  }\n}\n";
            string indexPath = dir.Write(SafetensorsReader.IndexFileName, Encoding.UTF8.GetBytes(index));

            foreach (var info in new[] { SafetensorsReader.Read(indexPath), WeightFileReader.Read(dir.Path), WeightFileReader.Read(indexPath) })
            {
                Assert.Equal(indexPath, info.Path);
                Assert.Equal(2, info.SourceFiles.Count);
                Assert.EndsWith("model-00001-of-00002.safetensors", info.SourceFiles[0]);
                Assert.Equal(5, info.Tensors.Count);
                Assert.Equal(shard1.Concat(shard2).Select(t => t.Name), info.Tensors.Select(t => t.Name));
                Assert.Equal(total, info.TotalBytes);
                Assert.Equal(shard1.Concat(shard2).Sum(t => t.Elements), info.TotalElements);
                Assert.Equal(32 * 4, info.BytesByDataType["F32"]);
                Assert.Equal(total, (long)info.Metadata["total_size"]);
                Assert.Equal("pt", info.Metadata["format"]);
                Assert.Equal(16.0, info.BitsPerWeight, 1);
            }
        }

        [Fact]
        public void ShardIndexErrors()
        {
            using var dir = new TempDir();
            dir.Write("a.safetensors", SafetensorsTestWriter.Build(new[] { new T("x", "F32", 2) }));

            ArtifactFormatException Fails(string json)
            {
                string p = dir.Write("model.safetensors.index.json", Encoding.UTF8.GetBytes(json));
                return Assert.Throws<ArtifactFormatException>(() => SafetensorsReader.Read(p));
            }

            Assert.Equal(ArtifactErrorIds.InvalidShardIndex, Fails("{\"weight_map\": {\"y\": \"a.safetensors\"}}").ErrorId);       // tensor not in shard
            Assert.Equal(ArtifactErrorIds.InvalidShardIndex, Fails("{\"weight_map\": {\"x\": \"missing.safetensors\"}}").ErrorId); // no such shard
            Assert.Equal(ArtifactErrorIds.InvalidShardIndex, Fails("{\"weight_map\": {\"x\": \"../a.safetensors\"}}").ErrorId);    // leaves the folder
            Assert.Equal(ArtifactErrorIds.InvalidShardIndex, Fails("{\"metadata\": {}}").ErrorId);                                // no weight_map
            Assert.Equal(ArtifactErrorIds.InvalidShardIndex, Fails("{\"weight_map\": ").ErrorId);                                 // not JSON
            Assert.Equal(ArtifactErrorIds.InvalidShardIndex, Fails("{\"weight_map\": {\"x\": 5}}").ErrorId);

            dir.Write("b.safetensors", SafetensorsTestWriter.Build(new[] { new T("x", "F32", 2) }));
            var dup = Fails("{\"weight_map\": {\"x\": \"a.safetensors\", \"z\": \"b.safetensors\"}}");                           // x in both shards
            Assert.Equal(ArtifactErrorIds.InvalidShardIndex, dup.ErrorId);
        }
    }
}
