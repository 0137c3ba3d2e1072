using System;
using System.IO;

namespace LlmSize.Core.Tests
{
    /// <summary>
    /// Finds the shared/ folder that holds reference data. CI clones the repository with shared/ beside it
    /// (/path/repo and /path/shared); a checkout may also carry shared/ inside. Walking up from the test binaries
    /// and testing each ancestor for shared/reference covers both.
    /// </summary>
    internal static class SharedPaths
    {
        private static readonly Lazy<string> Root = new Lazy<string>(FindShared);

        public static string Shared => Root.Value;

        public static string HfConfigs => Path.Combine(Shared, "reference", "hf-configs");

        private static string FindShared()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared");
                if (Directory.Exists(Path.Combine(candidate, "reference"))) return candidate;
            }
            throw new DirectoryNotFoundException(
                "No shared/reference folder found above " + AppContext.BaseDirectory +
                "; clone the repository with shared/ beside it.");
        }
    }
}
