#Requires -Modules Pester
# How users install the module: Publish-PSResource to a local repository, Install-PSResource, Import-Module.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

Describe 'Package round trip' {
    It 'publishes, installs into a temporary home and imports the installed copy' {
        $out = Invoke-FreshPwsh "& '$env:LLMSIZE_ROOT/build.ps1' -Task Package -NoBuild"
        $FreshPwshExitCode | Should -Be 0 -Because ($out -join "`n")
        ($out -join "`n") | Should -Match 'Package round trip succeeded'
        ($out -join "`n") | Should -Match 'answers: llama-2-7b has 6738415616 parameters'
    }
}
