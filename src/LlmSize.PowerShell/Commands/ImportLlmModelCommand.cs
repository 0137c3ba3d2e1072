using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using LlmSize.Core.Models;
using LlmSize.Data;
using LlmSize.Data.Artifacts;
using LlmSize.Data.Import;
using LlmSize.PowerShell.Infrastructure;

namespace LlmSize.PowerShell.Commands
{
    /// <summary>
    /// Reads real model artifacts — a Hugging Face config.json or model folder, .safetensors files (single or sharded),
    /// .gguf files, a Hugging Face cache folder — into the ModelSpec every estimator takes. Headers only, never weights.
    /// </summary>
    [Cmdlet(VerbsData.Import, "LlmModel", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ModelSpec))]
    public sealed class ImportLlmModelCommand : PSCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralSet = "LiteralPath";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = LiteralSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralPath { get; set; }

        protected override void ProcessRecord()
        {
            foreach (string file in ResolvePaths())
            {
                if (ModelImporter.IsHuggingFaceCache(file)) ImportCache(file);
                else ImportOne(file, null);
            }
        }

        private IEnumerable<string> ResolvePaths()
        {
            var result = new List<string>();
            if (LiteralPath != null)
            {
                foreach (var p in LiteralPath) result.Add(GetUnresolvedProviderPathFromPSPath(p));
                return result;
            }
            foreach (var p in Path!)
            {
                try { result.AddRange(GetResolvedProviderPathFromPSPath(p, out _)); }
                catch (ItemNotFoundException)
                {
                    WriteError(ErrorIds.Record("ModelFileNotFound", "Cannot import '" + p + "': no such file or folder.", p));
                }
            }
            return result;
        }

        private void ImportCache(string folder)
        {
            var models = ModelImporter.FindCachedModels(folder);
            var progress = new ProgressRecord(1, "Import-LlmModel", "Scanning Hugging Face cache " + folder);
            for (int i = 0; i < models.Count; i++)
            {
                progress.StatusDescription = models[i].HuggingFaceId;
                progress.PercentComplete = (int)(100.0 * i / Math.Max(1, models.Count));
                WriteProgress(progress);
                ImportOne(models[i].SnapshotFolder, models[i].HuggingFaceId);
            }
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }

        private void ImportOne(string path, string? huggingFaceId)
        {
            try
            {
                WriteObject(ModelImporter.Import(path, huggingFaceId));
            }
            catch (CatalogException e) { WriteError(ErrorIds.Record(e.ErrorId, e.Message, path)); }
            catch (ArtifactFormatException e) { WriteError(ErrorIds.Record(e.ErrorId, e.Message, path)); }
            catch (FileNotFoundException e) { WriteError(ErrorIds.Record("ModelFileNotFound", e.Message, path)); }
            catch (ArgumentException e) { WriteError(ErrorIds.Record("UnsupportedModelFile", e.Message, path)); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                WriteError(ErrorIds.Record("ModelFileUnreadable", "Cannot read " + path + ": " + e.Message, path));
            }
        }
    }
}
