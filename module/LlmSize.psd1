@{
    RootModule             = 'LlmSize.PowerShell.dll'
    ModuleVersion          = '0.1.0'
    CompatiblePSEditions   = @('Core', 'Desktop')
    GUID                   = '5b0d6c3e-2f41-4c8e-9a57-3d1f0e7c9b24'
    Author                 = 'LlmSize contributors'
    CompanyName            = 'LlmSize'
    Copyright              = '(c) LlmSize contributors. MIT License.'
    Description            = 'Sizes large language models before you rent or buy hardware: exact parameter counts, weight bytes per precision, inference memory with KV cache, training memory, GPU fit, from sourced YAML catalogs of models and accelerators. Typed objects for the pipeline.'
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('LlmSize.Format.ps1xml')
    TypesToProcess         = @('LlmSize.Types.ps1xml')
    CmdletsToExport        = @(
        'Get-LlmModel'
        'Get-Gpu'
        'Get-LlmPrecision'
        'Get-LlmParameterCount'
        'Import-LlmModel'
        'Out-LlmChart'
        'Get-LlmInferenceMemory'
        'Test-GpuFit'
        'Get-LlmTrainingMemory'
        'Get-LlmCheckpointSize'
        'Measure-LlmThroughput'
        'Find-LlmHardware'
        'Compare-LlmDeployment'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('LLM', 'GPU', 'VRAM', 'memory', 'KVCache', 'inference', 'training', 'MLOps', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'Catalog cmdlets: Get-LlmModel, Get-Gpu, Get-LlmPrecision.'
        }
    }
}
