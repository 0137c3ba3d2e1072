#Requires -Modules Pester
# Help as a user reads it: Get-Help for every exported cmdlet (from the MAML the build generates out of module/help),
# every example run as written, about_LlmSize with its ERROR IDS table, and the converter's refusals.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModulePath) -Force
    $cmdlets = @((Get-Command -Module LlmSize -CommandType Cmdlet).Name | Sort-Object)
    $examples = foreach ($name in $cmdlets) {
        $i = 0
        foreach ($e in @((Get-Help $name -Full).examples.example)) {
            $i++
            @{ Command = $name; Index = $i; Title = ($e.title -replace '^-+\s*|\s*-+$', ''); Code = [string]$e.code }
        }
    }
    $errorIds = @([LlmSize.PowerShell.Infrastructure.ErrorIds]::All | ForEach-Object {
            @{ Id = $_.Id; Category = [string]$_.Category; Action = $_.RecommendedAction; Meaning = $_.Meaning }
        })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModulePath) -Force
    $script:Common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    function Get-ParaText($Paras) { (@($Paras) | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Text } }) -join "`n" }
}

Describe 'Get-Help <_>' -ForEach $cmdlets {
    BeforeAll {
        $script:Name = $_
        $script:Help = Get-Help $Name -Full
        $script:Command = Get-Command $Name
    }

    It 'comes from the module''s MAML file, not from generated help' {
        $Help.ModuleName | Should -Be 'LlmSize'
        # Without a help file Get-Help makes the synopsis from the syntax ("Get-Gpu [[-Name] <string[]>] ...").
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis.Trim().StartsWith("$Name [") | Should -BeFalse
        $Help.Synopsis.Trim().Length | Should -BeGreaterThan 20
    }

    It 'has a description' {
        (Get-ParaText $Help.description).Trim().Length | Should -BeGreaterThan 100
    }

    It 'has at least two examples, each with code and remarks' {
        $examples = @($Help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($e in $examples) {
            $e.code | Should -Not -BeNullOrEmpty
            (Get-ParaText $e.remarks).Trim() | Should -Not -BeNullOrEmpty -Because "example '$($e.title)' needs an explanation"
        }
    }

    It 'describes every parameter' {
        $documented = @($Help.parameters.parameter)
        foreach ($p in $Command.Parameters.Keys | Where-Object { $Common -notcontains $_ }) {
            $doc = $documented | Where-Object name -eq $p
            $doc | Should -Not -BeNullOrEmpty -Because "-$p must be in Get-Help $Name"
            (Get-ParaText $doc.description).Trim() | Should -Not -BeNullOrEmpty -Because "-$p needs a description"
        }
    }

    It 'shows the parameter attributes the cmdlet declares' {
        foreach ($doc in @($Help.parameters.parameter)) {
            $meta = $Command.Parameters[$doc.name]
            $meta | Should -Not -BeNullOrEmpty -Because "Get-Help documents -$($doc.name)"
            # Across parameter sets: required when required in every set, a position when all sets agree on one.
            $sets = @($meta.ParameterSets.Values)
            $required = -not ($sets | Where-Object { -not $_.IsMandatory })
            $positions = @($sets | Where-Object Position -ge 0 | ForEach-Object Position | Select-Object -Unique)
            $piped = [bool]($sets | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName })
            $doc.required | Should -Be ([string]$required).ToLowerInvariant()
            $doc.position | Should -Be $(if ($positions.Count -eq 1) { [string]$positions[0] } else { 'named' })
            ($doc.pipelineInput -like 'True*') | Should -Be $piped
            ([string]$doc.globbing) | Should -Be ([string][bool]($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })).ToLowerInvariant()
            $aliases = if ($meta.Aliases.Count) { $meta.Aliases -join ', ' } else { 'none' }
            $doc.aliases | Should -Be $aliases
        }
    }

    It 'describes the output type' {
        $returns = @($Help.returnValues.returnValue)
        $returns | Should -Not -BeNullOrEmpty
        foreach ($t in $Command.OutputType.Type) {
            ($returns.type.name -contains $t.FullName) | Should -BeTrue -Because "$($t.FullName) is an [OutputType] of $Name"
        }
        foreach ($r in $returns) { (Get-ParaText $r.description).Trim() | Should -Not -BeNullOrEmpty }
    }

    It 'has a syntax line for every parameter set' {
        @($Help.syntax.syntaxItem).Count | Should -Be @($Command.ParameterSets).Count
    }
}

Describe 'Help examples run as written' {
    BeforeAll {
        $script:Sandbox = Join-Path $TestDrive 'examples'
        New-Item -ItemType Directory -Path $Sandbox -Force | Out-Null
    }

    It '<Command>, <Title>' -ForEach $examples {
        # Files an example writes go to TestDrive: the temporary folder and the current location point there.
        $saved = @{}
        foreach ($v in 'TMPDIR', 'TEMP', 'TMP', 'LLMSIZE_CATALOG_PATH') { $saved[$v] = [Environment]::GetEnvironmentVariable($v) }
        foreach ($v in 'TMPDIR', 'TEMP', 'TMP') { [Environment]::SetEnvironmentVariable($v, $Sandbox) }
        Push-Location $Sandbox
        try {
            [IO.Path]::GetTempPath().TrimEnd('\', '/') | Should -Be $Sandbox.TrimEnd('\', '/')
            $ErrorActionPreference = 'Stop'
            $output = & ([scriptblock]::Create($Code)) | Out-String -Width 200
            $output.Trim() | Should -Not -BeNullOrEmpty -Because 'an example shows a result'
        }
        finally {
            Pop-Location
            foreach ($v in $saved.Keys) { [Environment]::SetEnvironmentVariable($v, $saved[$v]) }
        }
    }
}

Describe 'about_LlmSize' {
    BeforeAll {
        $script:About = Get-Help about_LlmSize | Out-String
        $script:AboutFile = Join-Path (Get-Module LlmSize).ModuleBase 'en-US/about_LlmSize.help.txt'
        $text = $About -replace "`r`n", "`n"
        $start = $text.IndexOf("`nERROR IDS`n")
        $end = $text.IndexOf("`nSEE ALSO`n")
        $script:ErrorSection = if ($start -ge 0) { $text.Substring($start, $(if ($end -gt $start) { $end - $start } else { $text.Length - $start })) } else { '' }
    }

    It 'is found by Get-Help about_LlmSize' {
        $About | Should -Match 'about_LlmSize'
        (Get-Help about_LlmSize*).Name | Should -Contain 'about_LlmSize'
        Test-Path $AboutFile | Should -BeTrue
    }

    It 'has the TOPIC and SHORT DESCRIPTION layout Get-Help reads' {
        $lines = Get-Content $AboutFile
        $lines[0] | Should -Be 'TOPIC'
        $lines[1] | Should -Be '    about_LlmSize'
        $lines[3] | Should -Be 'SHORT DESCRIPTION'
        $lines[4] | Should -Match '^    \S'
        (Get-Help about_LlmSize*).Synopsis | Should -Be $lines[4].Trim()
    }

    It 'keeps lines within 80 characters' {
        $long = @(Get-Content $AboutFile | Where-Object Length -gt 80)
        $long | Should -BeNullOrEmpty
    }

    It 'explains <_>' -ForEach @('Weights', 'KV cache', 'Activations', 'Overhead', 'Gradients', 'Optimizer states',
        'GiB', 'LLMSIZE_CATALOG_PATH', '~/.config/LlmSize', '%APPDATA%\LlmSize', '1910.02054', '2205.05198', 'KNOWN LIMITS') {
        $About | Should -BeLike "*$_*"
    }

    It 'lists <Id> with category <Category> and its recommended action' -ForEach $errorIds {
        $Category | Should -Not -Be 'NotSpecified'
        $Action | Should -Not -BeNullOrEmpty
        $Meaning | Should -Not -BeNullOrEmpty
        # A row: the id at column 4, its category, then the meaning and action wrapped in the third column, until the
        # next row (four spaces then text) or the end of the section.
        $row = [regex]::Match($ErrorSection, "(?m)^    $([regex]::Escape($Id))[ ]+(?<category>\S+)[ ]+(?<text>.*(\n(?![ ]{4}\S)[^\n]*)*)")
        $row.Success | Should -BeTrue -Because "about_LlmSize's ERROR IDS table needs a row for $Id (module/help/Format-ErrorIdTable.ps1 prints it)"
        $row.Groups['category'].Value | Should -Be $Category
        $flat = $row.Groups['text'].Value -replace '\s+', ' '
        $flat | Should -BeLike "*$(($Action -replace '\s+', ' ') -replace '([*?\[\]])', '`$1')*"
    }

    It 'lists no error id the module does not have' {
        $known = @([LlmSize.PowerShell.Infrastructure.ErrorIds]::All.Id)
        $rows = [regex]::Matches($ErrorSection, '(?m)^    ([A-Z][A-Za-z]+)[ ]+([A-Z][A-Za-z]+)[ ]+\S') | ForEach-Object { $_.Groups[1].Value }
        @($rows | Where-Object { $_ -notin $known -and $_ -ne 'ErrorId' }) | Should -BeNullOrEmpty
    }
}

Describe 'Convert-HelpToMaml' {
    BeforeAll {
        $script:Converter = Join-Path $env:LLMSIZE_ROOT 'module/help/Convert-HelpToMaml.ps1'
        $script:Sources = Join-Path $env:LLMSIZE_ROOT 'module/help'
        function New-HelpSource([string] $Name) {
            $dir = Join-Path $TestDrive $Name
            New-Item -ItemType Directory -Path $dir -Force | Out-Null
            Copy-Item (Join-Path $Sources '*.md'), (Join-Path $Sources 'about_*.help.txt') $dir
            return $dir
        }
        function Invoke-Converter([string] $Source) {
            & $Converter -SourceFolder $Source -OutputFolder (Join-Path $Source 'out/en-US') -ModulePath (Get-ModulePath) 6>$null
        }
    }

    It 'writes MAML that parses, with escaped text, and copies the about topics' {
        $dir = New-HelpSource 'escape'
        $md = Join-Path $dir 'Get-LlmPrecision.md'
        (Get-Content $md -Raw) -replace '(?m)^(### -Family\r?\n)', ('$1Escapes <b>, & and "quotes"' + "`n`n") | Set-Content $md
        Invoke-Converter $dir
        $xmlPath = Join-Path $dir 'out/en-US/LlmSize.PowerShell.dll-Help.xml'
        $xml = [xml](Get-Content $xmlPath -Raw)
        $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        @($xml.SelectNodes('//command:command', $ns)).Count | Should -Be @(Get-Command -Module LlmSize -CommandType Cmdlet).Count
        $family = $xml.SelectSingleNode("//command:command[command:details/command:name='Get-LlmPrecision']/command:parameters/command:parameter[maml:name='Family']/maml:description/maml:para", $ns)
        $family.InnerText | Should -Be 'Escapes <b>, & and "quotes"'
        Test-Path (Join-Path $dir 'out/en-US/about_LlmSize.help.txt') | Should -BeTrue
    }

    It 'fails when an exported cmdlet has no help file' {
        $dir = New-HelpSource 'missing'
        Remove-Item (Join-Path $dir 'Get-Gpu.md')
        { Invoke-Converter $dir } | Should -Throw '*Get-Gpu: no help file*'
    }

    It 'fails when a parameter has no description' {
        $dir = New-HelpSource 'undocumented'
        $md = Join-Path $dir 'Get-LlmModel.md'
        (Get-Content $md -Raw) -replace '(?ms)^### -Family\r?\n.*?(?=^### )', '' | Set-Content $md
        { Invoke-Converter $dir } | Should -Throw '*parameter -Family has no description*'
    }

    It 'fails when the markdown documents a parameter the cmdlet does not have' {
        $dir = New-HelpSource 'extra'
        $md = Join-Path $dir 'Get-Gpu.md'
        (Get-Content $md -Raw) -replace '(?m)^## INPUTS', "### -Vendor`nNo such parameter.`n`n## INPUTS" | Set-Content $md
        { Invoke-Converter $dir } | Should -Throw '*documents parameter -Vendor, which Get-Gpu does not have*'
    }

    It 'fails on a markdown file for a cmdlet the module does not export' {
        $dir = New-HelpSource 'stale'
        Copy-Item (Join-Path $dir 'Get-Gpu.md') (Join-Path $dir 'Get-Nothing.md')
        { Invoke-Converter $dir } | Should -Throw '*exports no cmdlet named ''Get-Nothing''*'
    }
}
