using System;
using System.IO;

namespace LlmSize.Core.Tests
{
    /// <summary>Finds the repository root (the folder holding LlmSize.sln) above the test binaries.</summary>
    internal static class RepoPaths
    {
        private static readonly Lazy<string> Root = new Lazy<string>(() =>
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "LlmSize.sln"))) return dir.FullName;
            throw new DirectoryNotFoundException("LlmSize.sln not found above " + AppContext.BaseDirectory);
        });

        public static string Repo => Root.Value;
        public static string ShippedData => Path.Combine(Repo, "module", "data");
    }
}
