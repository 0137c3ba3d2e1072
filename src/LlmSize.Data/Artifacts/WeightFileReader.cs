using System;
using System.IO;
using System.Linq;
using LlmSize.Core.Artifacts;

namespace LlmSize.Data.Artifacts
{
    /// <summary>Picks the reader for a weight file or model folder.</summary>
    public static class WeightFileReader
    {
        /// <summary>
        /// Reads <paramref name="path"/>: a file starting with the GGUF magic is read as GGUF, a .json as a shard index,
        /// anything else as safetensors. A folder is read through its model.safetensors.index.json, else its only
        /// .safetensors file, else its only .gguf file.
        /// </summary>
        /// <exception cref="FileNotFoundException">the path does not exist, or a folder holds no weight file.</exception>
        /// <exception cref="ArgumentException">a folder holds several candidates and none is the index.</exception>
        /// <exception cref="ArtifactFormatException">the file's header is malformed.</exception>
        public static WeightFileInfo Read(string path)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            string full = Path.GetFullPath(path);
            if (Directory.Exists(full)) return Read(PickFile(full));
            if (!File.Exists(full)) throw new FileNotFoundException("No such file or folder: " + full, full);
            if (full.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return SafetensorsReader.ReadSharded(full);
            return StartsWithGgufMagic(full) ? GgufReader.Read(full) : SafetensorsReader.Read(full);
        }

        private static string PickFile(string folder)
        {
            string index = Path.Combine(folder, SafetensorsReader.IndexFileName);
            if (File.Exists(index)) return index;
            foreach (string pattern in new[] { "*.safetensors.index.json", "*.safetensors", "*.gguf" })
            {
                var found = Directory.GetFiles(folder, pattern).OrderBy(f => f, StringComparer.Ordinal).ToArray();
                if (found.Length == 1) return found[0];
                if (found.Length > 1)
                    throw new ArgumentException("The folder " + folder + " holds several " + pattern + " files ("
                        + string.Join(", ", found.Select(Path.GetFileName)) + "); name one.", nameof(folder));
            }
            throw new FileNotFoundException("The folder " + folder + " holds no .safetensors or .gguf file.", folder);
        }

        private static bool StartsWithGgufMagic(string file)
        {
            using (var s = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
            {
                var b = new byte[4];
                int n = 0;
                while (n < 4)
                {
                    int read = s.Read(b, n, 4 - n);
                    if (read <= 0) return false;
                    n += read;
                }
                return b[0] == 'G' && b[1] == 'G' && b[2] == 'U' && b[3] == 'F';
            }
        }
    }
}
