# Shared helpers for the Pester suite. build.ps1 -Task Test sets LLMSIZE_MODULE (the built module's psd1),
# LLMSIZE_ROOT (the repository) and LLMSIZE_NUGET (the NuGet package folder).

function Get-ModulePath {
    if (-not $env:LLMSIZE_MODULE) { throw 'LLMSIZE_MODULE is not set: run the suite through ./build.ps1 -Task Test.' }
    return $env:LLMSIZE_MODULE
}

function Get-PwshCommand {
    # The PowerShell running the tests: `dotnet pwsh.dll` for the .NET tool, or the pwsh executable.
    $exe = (Get-Process -Id $PID).Path
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { return @($exe, (Join-Path $PSHOME 'pwsh.dll')) }
    return @($exe)
}

function Invoke-FreshPwsh {
    <# Runs a command in a new pwsh process; returns its output lines and sets $script:LastExitCode. #>
    param([Parameter(Mandatory)] [string] $Command)
    $pwsh = Get-PwshCommand
    $pwshArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', "`$PSStyle.OutputRendering = 'PlainText'`n$Command")
    $output = & $pwsh[0] @pwshArgs 2>&1
    $global:FreshPwshExitCode = $LASTEXITCODE
    return $output
}

function New-TestCatalog {
    <# Writes a YAML catalog file under TestDrive-like temp folder and returns its path. #>
    param([Parameter(Mandatory)] [string] $Folder, [Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Yaml)
    New-Item -ItemType Directory -Path $Folder -Force | Out-Null
    $path = Join-Path $Folder $Name
    Set-Content -Path $path -Value $Yaml -Encoding utf8NoBOM
    return $path
}

Export-ModuleMember -Function Get-ModulePath, Get-PwshCommand, Invoke-FreshPwsh, New-TestCatalog
