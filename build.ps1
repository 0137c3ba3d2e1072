#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests, demonstrates, packages and benchmarks the LlmSize module.
.DESCRIPTION
    Needs only the .NET SDK: run it through the PowerShell that the repository pins as a local .NET tool,
    `dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test`.
    Build   lays out the importable module in out/LlmSize (cmdlet and Core dlls at the root, format/types files, data/,
            en-US help, dependencies/ with LlmSize.Data.dll and YamlDotNet.dll).
    Test    builds, runs the xunit suite and the Pester suite (against the built module, in a fresh pwsh process, the
            Package round trip included) and ends with one line `Tests: N passed, N failed`. Exit code 1 on any failure.
    Demo    builds, imports the module in a fresh process and runs representative commands.
    Package publishes the built module to a local file-system PSResource repository, installs it from there into a
            temporary home and imports the installed copy in a new process.
    Clean   removes out/ and the bin/obj folders.
    Bench   builds, runs the benchmarks of tests/Benchmarks (Core throughput, import time, pipeline sweep) and writes
            one summary table to out/bench/summary.md and summary.json. Targets are reported, never enforced.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Package', 'Clean', 'Bench')]
    [string] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # Skip the build step (used by tests that call -Task Package on an already built module).
    [switch] $NoBuild
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'LlmSize'

function Write-Step([string] $Text) { Write-Host "==> $Text" -ForegroundColor Cyan }

function Invoke-Native {
    # Runs an external command and throws when it fails, so a failed step never passes silently.
    param([string] $FilePath, [string[]] $ArgumentList)
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) { throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Get-PwshCommand {
    # The PowerShell running this script: `dotnet pwsh.dll` for the .NET tool, or the pwsh executable itself.
    $exe = (Get-Process -Id $PID).Path
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') {
        return @($exe, (Join-Path $PSHOME 'pwsh.dll'))
    }
    return @($exe)
}

function Invoke-Pwsh {
    # Runs a script block's text in a fresh PowerShell process (no profile) and returns its exit code.
    param([string] $Command, [hashtable] $Environment = @{})
    $pwsh = Get-PwshCommand
    $saved = @{}
    foreach ($k in $Environment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $Environment[$k]) }
    try {
        $pwshArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', "`$PSStyle.OutputRendering = 'PlainText'`n$Command")
        # Out-Host: the child's output is for people, the function's only output is the exit code.
        & $pwsh[0] @pwshArgs | Out-Host
        return $LASTEXITCODE
    }
    finally {
        foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
    }
}

function Get-NuGetPackageRoot {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = & dotnet nuget locals global-packages --list | Select-Object -First 1
    return ($line -replace '^global-packages:\s*', '').Trim()
}

function Restore-TestTools {
    # Pester (its NuGet package holds the module under tools/) and YamlDotNet 15.3.0 for the conflict test.
    Invoke-Native dotnet @('restore', (Join-Path $Root 'tests/TestTools/TestTools.csproj'), '--verbosity', 'quiet')
    $packages = Get-NuGetPackageRoot
    $pester = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $pester)) { throw "Pester was not restored to $pester." }
    return $packages
}

function Invoke-Build {
    Write-Step "Building LlmSize ($Configuration)"
    Invoke-Native dotnet @('build', (Join-Path $Root 'LlmSize.sln'), '-c', $Configuration, '--nologo', '--verbosity', 'quiet', '-p:WarningLevel=0', '/clp:ErrorsOnly')
    $bin = Join-Path $Root "src/LlmSize.PowerShell/bin/$Configuration/netstandard2.0"

    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $deps = Join-Path $ModuleOut 'dependencies'
    New-Item -ItemType Directory -Path $deps -Force | Out-Null
    foreach ($f in 'LlmSize.PowerShell.dll', 'LlmSize.Core.dll') { Copy-Item (Join-Path $bin $f) $ModuleOut }
    # LlmSize.Data and YamlDotNet load into a private context from dependencies/ (see ModuleInitializer.cs).
    foreach ($f in 'LlmSize.Data.dll', 'YamlDotNet.dll') { Copy-Item (Join-Path $bin $f) $deps }
    $module = Join-Path $Root 'module'
    Copy-Item (Join-Path $module 'LlmSize.psd1'), (Join-Path $module 'LlmSize.Format.ps1xml'), (Join-Path $module 'LlmSize.Types.ps1xml') $ModuleOut
    Copy-Item (Join-Path $module 'data') $ModuleOut -Recurse
    if (Test-Path (Join-Path $module 'schemas')) { Copy-Item (Join-Path $module 'schemas') $ModuleOut -Recurse }
    $help = Join-Path $module 'help'
    if (Test-Path $help) {
        & (Join-Path $Root 'module/help/Convert-HelpToMaml.ps1') -SourceFolder $help -OutputFolder (Join-Path $ModuleOut 'en-US')
    }
    Write-Host "Module laid out in $ModuleOut"
}

function Invoke-Package {
    Write-Step 'Package round trip: Publish-PSResource -> Install-PSResource -> Import-Module'
    $work = Join-Path ([IO.Path]::GetTempPath()) ("llmsize-package-" + [guid]::NewGuid().ToString('n'))
    $repo = Join-Path $work 'repo'
    $home2 = Join-Path $work 'home'
    New-Item -ItemType Directory -Path $repo, $home2 -Force | Out-Null
    # A temporary HOME keeps the repository registration and the CurrentUser install out of the real profile.
    $envVars = @{ HOME = $home2; XDG_DATA_HOME = (Join-Path $home2 '.local/share'); XDG_CONFIG_HOME = (Join-Path $home2 '.config'); XDG_CACHE_HOME = (Join-Path $home2 '.cache'); LOCALAPPDATA = (Join-Path $home2 'AppData/Local'); PSModulePath = $null }
    # .NET reports a special folder as '' when it does not exist, and PSResourceGet would then write relative paths.
    foreach ($k in 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'LOCALAPPDATA') { New-Item -ItemType Directory -Path $envVars[$k] -Force | Out-Null }
    try {
        $publish = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name LlmSizeLocal -Uri '$repo' -Trusted
Publish-PSResource -Path '$ModuleOut' -Repository LlmSizeLocal
Install-PSResource -Name LlmSize -Repository LlmSizeLocal -TrustRepository -Scope CurrentUser -Quiet
`$installed = Get-InstalledPSResource -Name LlmSize
Write-Host "Installed LlmSize `$(`$installed.Version) at `$(`$installed.InstalledLocation)"
"@
        if ((Invoke-Pwsh -Command $publish -Environment $envVars) -ne 0) { throw 'Publishing or installing the module failed.' }
        $use = @"
`$ErrorActionPreference = 'Stop'
Import-Module LlmSize
`$m = Get-Module LlmSize
if (-not `$m.ModuleBase.StartsWith('$home2')) { throw "Imported `$(`$m.ModuleBase), not the installed copy." }
`$model = Get-LlmModel llama-2-7b
Write-Host "Installed copy at `$(`$m.ModuleBase) answers: `$(`$model.Id) has `$(`$model.Parameters) parameters"
"@
        if ((Invoke-Pwsh -Command $use -Environment $envVars) -ne 0) { throw 'Importing the installed module failed.' }
        Write-Host 'Package round trip succeeded.'
    }
    finally {
        Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function Invoke-Demo {
    Write-Step 'Demo: the main job, as a user sees it'
    $demo = @"
`$ErrorActionPreference = 'Stop'
`$PSStyle.OutputRendering = 'PlainText'
Import-Module '$ModuleOut/LlmSize.psd1'
function Show([string] `$Command) {
    Write-Host "PS> `$Command" -ForegroundColor Yellow
    Invoke-Expression `$Command | Format-Table | Out-String -Width 120 | Write-Host
}
Show 'Get-LlmModel llama-3* | Where-Object Parameters -gt 7e9'
Show 'Get-LlmParameterCount llama-3.1-8b, mixtral-8x7b, deepseek-v3'
Show 'Get-LlmInferenceMemory llama-2-7b -Precision fp16 -ContextLength 2048'
Show 'Get-LlmModel qwen2.5* | Get-LlmInferenceMemory -Precision int4 -ContextLength 32k | Test-GpuFit -Gpu rtx-4090-24gb, h100-sxm-80gb | Where-Object Fits'
Show '1..3 | ForEach-Object { Get-LlmTrainingMemory -Model llama-3.1-70b -ZeroStage `$_ -DataParallel 8 -Recompute Full -FlashAttention }'
Show 'Get-LlmModel llama-3.1-8b | Get-LlmTrainingMemory -Method QLoRA -SequenceLength 4k | Test-GpuFit -Gpu rtx-4090-24gb'
Show 'Get-LlmModel llama-3.1-70b | Get-LlmInferenceMemory -Precision fp8 -ContextLength 32k -BatchSize 20 | Find-LlmHardware -Deployment Cloud | Select-Object -First 5'
"@
    if ((Invoke-Pwsh -Command $demo) -ne 0) { throw 'The demo failed.' }
}

function Invoke-Bench {
    # Issue 8: Core throughput (BenchmarkDotNet), import + first call, pipeline sweep; one table in out/bench.
    $bench = Join-Path $Root 'tests/Benchmarks'
    $dir = Join-Path $Out 'bench'
    if (Test-Path $dir) { Remove-Item $dir -Recurse -Force }
    New-Item -ItemType Directory -Path $dir -Force | Out-Null
    $psd1 = Join-Path $ModuleOut 'LlmSize.psd1'
    Write-Step 'Bench: Core (BenchmarkDotNet, in-process)'
    Invoke-Native dotnet @((Join-Path $bench "LlmSize.Benchmarks/bin/$Configuration/net10.0/LlmSize.Benchmarks.dll"), '-out', (Join-Path $dir 'core.json'), '-artifacts', (Join-Path $dir 'BenchmarkDotNet'))
    Write-Step 'Bench: Import-Module and first call, fresh processes'
    $import = & (Join-Path $bench 'Measure-Import.ps1') -ModulePath $psd1 -Runs 11
    Write-Step 'Bench: pipeline sweep, in one fresh process'
    $floor = Join-Path $bench "LlmSize.Benchmarks.Floor/bin/$Configuration/netstandard2.0/LlmSize.Benchmarks.Floor.dll"
    $sweepJson = Join-Path $dir 'sweep.json'
    if ((Invoke-Pwsh -Command "& '$bench/Measure-Sweep.ps1' -ModulePath '$psd1' -FloorAssembly '$floor' | ConvertTo-Json | Set-Content '$sweepJson'") -ne 0) { throw 'The pipeline sweep failed.' }
    $null = & (Join-Path $bench 'New-BenchSummary.ps1') -Import $import -Sweep (Get-Content $sweepJson -Raw | ConvertFrom-Json) `
        -Core (Get-Content (Join-Path $dir 'core.json') -Raw | ConvertFrom-Json) -OutFolder $dir
    Write-Host "Summary written to $dir/summary.md and summary.json"
}

function Invoke-Test {
    $results = Join-Path $Out 'test'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Path $results -Force | Out-Null
    $passed = 0; $failed = 0

    Write-Step 'xunit: LlmSize.Core.Tests'
    $trx = Join-Path $results 'core.trx'
    & dotnet test (Join-Path $Root 'tests/LlmSize.Core.Tests/LlmSize.Core.Tests.csproj') -c $Configuration --nologo --no-build `
        --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal'
    $xunitExit = $LASTEXITCODE
    if (Test-Path $trx) {
        $counters = ([xml](Get-Content $trx -Raw)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        Write-Host "xunit: $($counters.passed) passed, $($counters.failed) failed"
    }
    if ($xunitExit -ne 0 -and -not (Test-Path $trx)) { $failed += 1; Write-Host 'xunit did not run (counted as one failure).' }

    Write-Step 'Pester: tests/LlmSize.Tests against the built module, in a fresh pwsh process'
    $packages = Restore-TestTools
    $pesterJson = Join-Path $results 'pester.json'
    $pester = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$packages/pester/5.7.1/tools/Pester.psd1' -Force
`$env:LLMSIZE_MODULE = '$ModuleOut/LlmSize.psd1'
`$env:LLMSIZE_ROOT = '$Root'
`$env:LLMSIZE_NUGET = '$packages'
`$c = New-PesterConfiguration
`$c.Run.Path = '$Root/tests/LlmSize.Tests'
`$c.Run.PassThru = `$true
`$c.Output.Verbosity = 'Normal'
`$r = Invoke-Pester -Configuration `$c
@{ passed = `$r.PassedCount; failed = `$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount } | ConvertTo-Json | Set-Content '$pesterJson'
"@
    $null = Invoke-Pwsh -Command $pester
    $p = if (Test-Path $pesterJson) { Get-Content $pesterJson -Raw | ConvertFrom-Json }
    if ($p -and $null -ne $p.passed -and $null -ne $p.failed) {
        $passed += [int]$p.passed; $failed += [int]$p.failed
        Write-Host "Pester: $($p.passed) passed, $($p.failed) failed"
    }
    else { $failed += 1; Write-Host 'Pester did not run (counted as one failure).' }

    Write-Host "Tests: $passed passed, $failed failed"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

switch ($Task) {
    'Clean' {
        foreach ($p in @($Out) + (Get-ChildItem $Root -Directory -Recurse -Include bin, obj | Where-Object { $_.FullName -notmatch '[\\/]\.git[\\/]' }).FullName) {
            if ($p -and (Test-Path $p)) { Remove-Item $p -Recurse -Force }
        }
    }
    'Build' { Invoke-Build }
    'Demo' { Invoke-Build; Invoke-Demo }
    'Bench' { Invoke-Build; Invoke-Bench }
    'Package' { if (-not $NoBuild) { Invoke-Build }; Invoke-Package }
    'Test' {
        try { Invoke-Build }
        catch { Write-Host "Build failed: $_"; Write-Host 'Tests: 0 passed, 1 failed'; exit 1 }
        Invoke-Test
    }
}
