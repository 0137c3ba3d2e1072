using System.IO;
using System.Text.Json;
using LlmSize.Core.Parameters;
using LlmSize.Data;
using Xunit;

namespace LlmSize.Core.Tests.Parameters
{
    /// <summary>
    /// Every real config in shared/reference/hf-configs must reproduce the exact num_parameters() recorded in its
    /// index.json (sources: the config_url of each entry and its notes).
    /// </summary>
    public class ReferenceConfigTests
    {
        public static TheoryData<string, long> IndexEntries()
        {
            var data = new TheoryData<string, long>();
            using JsonDocument index = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedPaths.HfConfigs, "index.json")));
            foreach (JsonElement entry in index.RootElement.EnumerateArray())
                data.Add(entry.GetProperty("file").GetString()!, entry.GetProperty("total_params").GetInt64());
            return data;
        }

        [Theory]
        [MemberData(nameof(IndexEntries))]
        public void Total_matches_hugging_face_exactly(string file, long expectedTotal)
        {
            string path = Path.Combine(SharedPaths.HfConfigs, file);
            var architecture = HfConfigReader.ReadJson(File.ReadAllText(path), path);

            ParameterBreakdown count = ParameterCounter.Count(architecture);

            Assert.Equal(expectedTotal, count.Total);
            Assert.True(count.Active <= count.Total);
            if (!architecture.IsMoe) Assert.Equal(count.Total, count.Active);
        }

        [Fact]
        public void Index_covers_every_config_file()
        {
            int files = Directory.GetFiles(SharedPaths.HfConfigs, "*.json").Length - 1; // minus index.json
            Assert.Equal(files, IndexEntries().Count);
        }
    }
}
