#Requires -Modules Pester
# Another module's YamlDotNet (here 15.3.0, restored from NuGet by build.ps1) is loaded first; LlmSize must still
# read its catalogs with its own YamlDotNet 16.x from dependencies/ (ModuleInitializer.cs).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

Describe 'YamlDotNet version conflict' {
    It 'imports and reads catalogs after YamlDotNet 15.3.0 was loaded into the session' {
        $old = Join-Path $env:LLMSIZE_NUGET 'yamldotnet/15.3.0/lib/netstandard2.0/YamlDotNet.dll'
        Test-Path $old | Should -BeTrue
        $out = Invoke-FreshPwsh @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$old'
Import-Module '$(Get-ModulePath)'
(Get-Gpu rtx-4090-24gb).Id
@(Get-LlmModel -Path '$PSScriptRoot/data/tiny-models.yaml').Count
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'YamlDotNet' } | ForEach-Object { `$_.GetName().Version.Major } | Sort-Object | Join-String -Separator ','
"@
        $FreshPwshExitCode | Should -Be 0 -Because ($out -join "`n")
        $out[0] | Should -Be 'rtx-4090-24gb'
        $out[1] | Should -Be '1'
        $out[2] | Should -Be '15,16'
    }
}
