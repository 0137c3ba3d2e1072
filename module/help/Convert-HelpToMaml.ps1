#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Converts the cmdlet help sources in module/help (one markdown file per cmdlet) to MAML, and copies the about topics.
.DESCRIPTION
    Reads <Verb-Noun>.md files in the format described in module/help/README.md and writes one MAML file,
    LlmSize.PowerShell.dll-Help.xml, that Get-Help reads for the module's binary cmdlets. Text (synopsis, description,
    parameter descriptions, inputs, outputs, examples, notes, links) comes from the markdown; everything the cmdlet
    itself declares (parameter sets, types, positions, mandatory, pipeline input, aliases, wildcards, enum values) is
    read from the built module with Get-Command, in a child PowerShell process, so the help never drifts from the code
    and the build process does not load the module's assemblies.
    about_*.help.txt files are copied as they are.

    The conversion throws (and so fails the build) when:
      - a cmdlet the module exports has no markdown file, or a markdown file names no exported cmdlet;
      - a parameter (common parameters excepted) has no description, or the markdown documents one that does not exist;
      - a [OutputType] of the cmdlet is not listed under OUTPUTS;
      - a required section (SYNOPSIS, DESCRIPTION, EXAMPLES) is missing or empty, an example has no code, or a section
        is unknown or repeated.
.PARAMETER SourceFolder
    The folder with the <Verb-Noun>.md files and about_*.help.txt topics.
.PARAMETER OutputFolder
    The culture folder of the laid-out module, e.g. out/LlmSize/en-US. Created when missing.
.PARAMETER ModulePath
    The built module's manifest. Default: the single *.psd1 in the parent of OutputFolder.
.PARAMETER HelpFileName
    Name of the MAML file; Get-Help looks for <cmdlet assembly file name>-Help.xml.
.EXAMPLE
    ./module/help/Convert-HelpToMaml.ps1 -SourceFolder module/help -OutputFolder out/LlmSize/en-US
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $SourceFolder,
    [Parameter(Mandatory)] [string] $OutputFolder,
    [string] $ModulePath,
    [string] $HelpFileName = 'LlmSize.PowerShell.dll-Help.xml'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$SourceFolder = (Resolve-Path -LiteralPath $SourceFolder).ProviderPath
$OutputFolder = [IO.Path]::GetFullPath([IO.Path]::Combine((Get-Location).ProviderPath, $OutputFolder))
if (-not $ModulePath) {
    $manifests = @(Get-ChildItem -LiteralPath (Split-Path $OutputFolder -Parent) -Filter *.psd1 -File)
    if ($manifests.Count -ne 1) { throw "Convert-HelpToMaml: expected one module manifest next to '$OutputFolder', found $($manifests.Count); pass -ModulePath." }
    $ModulePath = $manifests[0].FullName
}
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath

# ------------------------------------------------------------------------------------------------------------------
# Cmdlet metadata, read from the built module in a child process (Start-Job) so no assembly stays loaded here.
# ------------------------------------------------------------------------------------------------------------------

function Get-CmdletMetadata([string] $Manifest) {
    $job = Start-Job -ArgumentList $Manifest -ScriptBlock {
        param($Manifest)
        $ErrorActionPreference = 'Stop'
        $module = Import-Module $Manifest -PassThru
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        function Get-TypeName([type] $t) {
            # Short, readable names as Get-Help shows them: String[], ByteSize, SwitchParameter, Nullable<T> -> T.
            $u = [Nullable]::GetUnderlyingType($t); if ($u) { $t = $u }
            if ($t.IsArray) { return (Get-TypeName $t.GetElementType()) + '[]' }
            if ($t.IsGenericType) {
                $args2 = ($t.GetGenericArguments() | ForEach-Object { Get-TypeName $_ }) -join ', '
                return ($t.Name -replace '`\d+$', '') + "<$args2>"
            }
            return $t.Name
        }
        function Get-FullTypeName([type] $t) {
            $u = [Nullable]::GetUnderlyingType($t); if ($u) { $t = $u }
            return $t.FullName
        }
        foreach ($cmd in Get-Command -Module $module.Name -CommandType Cmdlet) {
            $sets = foreach ($set in $cmd.ParameterSets) {
                $params = foreach ($p in $set.Parameters) {
                    if ($common -contains $p.Name) { continue }
                    $meta = $cmd.Parameters[$p.Name]
                    $type = $p.ParameterType
                    $element = if ($type.IsArray) { $type.GetElementType() } else { $type }
                    $u = [Nullable]::GetUnderlyingType($element); if ($u) { $element = $u }
                    $values = @()
                    $validateSet = $meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
                    if ($validateSet) { $values = @($validateSet.ValidValues) }
                    elseif ($element.IsEnum) { $values = [Enum]::GetNames($element) }
                    [pscustomobject]@{
                        Name                = $p.Name
                        Type                = Get-TypeName $type
                        FullType            = Get-FullTypeName $type
                        IsSwitch            = $type -eq [System.Management.Automation.SwitchParameter]
                        Mandatory           = [bool] $p.IsMandatory
                        Position            = [int] $p.Position
                        ByValue             = [bool] $p.ValueFromPipeline
                        ByPropertyName      = [bool] $p.ValueFromPipelineByPropertyName
                        FromRemaining       = [bool] $p.ValueFromRemainingArguments
                        Aliases             = @($p.Aliases)
                        Globbing            = [bool] ($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
                        Values              = @($values)
                    }
                }
                [pscustomobject]@{ Name = $set.Name; IsDefault = [bool] $set.IsDefault; Parameters = @($params) }
            }
            [pscustomobject]@{
                Name         = $cmd.Name
                Verb         = $cmd.Verb
                Noun         = $cmd.Noun
                OutputTypes  = @($cmd.OutputType | ForEach-Object { if ($_.Type) { $_.Type.FullName } else { $_.Name } })
                Sets         = @($sets)
                # Declaration order of the cmdlet's own parameters, to order the PARAMETERS section.
                Order        = @($cmd.Parameters.Keys | Where-Object { $common -notcontains $_ })
            }
        }
    }
    try {
        $null = Wait-Job $job
        if ($job.State -ne 'Completed') {
            $reason = $job.ChildJobs[0].JobStateInfo.Reason
            throw "Convert-HelpToMaml: reading cmdlet metadata from '$Manifest' failed: $reason"
        }
        return @(Receive-Job $job)
    }
    finally { Remove-Job $job -Force }
}

# ------------------------------------------------------------------------------------------------------------------
# Markdown reading
# ------------------------------------------------------------------------------------------------------------------

$FenceMark = '```'
$KnownSections = 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'EXAMPLES', 'NOTES', 'RELATED LINKS'

function Get-MarkdownBlock {
    <# Splits lines into headings (outside code fences) and the lines between them. #>
    param([string[]] $Lines, [string] $File)
    $blocks = [System.Collections.Generic.List[object]]::new()
    $current = [pscustomobject]@{ Level = 0; Title = ''; Line = 0; Lines = [System.Collections.Generic.List[string]]::new() }
    $fence = $null
    for ($i = 0; $i -lt $Lines.Count; $i++) {
        $line = $Lines[$i]
        if ($fence) {
            if ($line -match "^\s*$([regex]::Escape($fence))\s*$") { $fence = $null }
        }
        elseif ($line -match '^\s*(```+|~~~+)') { $fence = $Matches[1] }
        elseif ($line -match '^(#{1,3})\s+(.+?)\s*#*\s*$') {
            $blocks.Add($current)
            $current = [pscustomobject]@{ Level = $Matches[1].Length; Title = $Matches[2].Trim(); Line = $i + 1; Lines = [System.Collections.Generic.List[string]]::new() }
            continue
        }
        $current.Lines.Add($line)
    }
    if ($fence) { throw "${File}: a code fence ($fence) is never closed." }
    $blocks.Add($current)
    return $blocks
}

function ConvertTo-Paragraph {
    <#
    Markdown lines to paragraphs (one string each): blank lines separate paragraphs; lines of a prose paragraph are
    joined with spaces; list items, table rows, indented lines and fenced code keep their own lines.
    #>
    param([string[]] $Lines)
    $paras = [System.Collections.Generic.List[string]]::new()
    $buffer = [System.Collections.Generic.List[string]]::new()
    $flush = {
        if ($buffer.Count -eq 0) { return }
        $out = [System.Collections.Generic.List[string]]::new()
        foreach ($raw in $buffer) {
            # Markdown hard breaks (two trailing spaces, or a trailing backslash) become a '\' marker here.
            $l = if ($raw -match '\S {2,}$') { $raw.TrimEnd() + '\' } else { $raw.TrimEnd() }
            $keep = $l -match '^\s*([-*+]|\d+[.)])\s' -or $l -match '^\s*\|' -or $l -match '^(    |\t)'
            $hardBreak = $out.Count -gt 0 -and $out[$out.Count - 1].EndsWith('\')
            if ($out.Count -eq 0 -or $keep -or $hardBreak) { $out.Add($l) }
            else { $out[$out.Count - 1] = $out[$out.Count - 1] + ' ' + $l.Trim() }
        }
        $paras.Add(($out | ForEach-Object { $_ -replace '\\$', '' }) -join "`n")
        $buffer.Clear()
    }
    $fence = $null; $code = $null
    foreach ($l in $Lines) {
        if ($fence) {
            if ($l -match "^\s*$([regex]::Escape($fence))\s*$") { $paras.Add($code -join "`n"); $fence = $null }
            else { $code.Add($l.TrimEnd()) }
            continue
        }
        if ($l -match '^\s*(```+|~~~+)') { & $flush; $fence = $Matches[1]; $code = [System.Collections.Generic.List[string]]::new(); continue }
        if ($l.Trim() -eq '') { & $flush; continue }
        $buffer.Add($l)
    }
    & $flush
    return , $paras.ToArray()
}

function Read-HelpMarkdown {
    param([string] $Path)
    $file = Split-Path $Path -Leaf
    $lines = [IO.File]::ReadAllText($Path) -replace "`r`n?", "`n" -split "`n"
    # An optional YAML front matter (platyPS writes one) is ignored.
    if ($lines.Count -gt 0 -and $lines[0] -eq '---') {
        $end = [Array]::IndexOf($lines, '---', 1)
        if ($end -lt 0) { throw "${file}: front matter starting with '---' is never closed." }
        $lines = if ($end + 1 -lt $lines.Count) { $lines[($end + 1)..($lines.Count - 1)] } else { @() }
    }
    $blocks = Get-MarkdownBlock -Lines $lines -File $file
    $pre = $blocks[0]
    if (($pre.Lines | Where-Object { $_.Trim() }) ) { throw "${file}: text before the '# Verb-Noun' title." }
    $help = [ordered]@{
        File = $file; Name = $null; Synopsis = @(); Description = @(); Parameters = [ordered]@{}; Inputs = @(); Outputs = @()
        Examples = @(); Notes = @(); Links = @()
    }
    $section = $null; $seen = @{}
    foreach ($b in ($blocks | Select-Object -Skip 1)) {
        $where = "${file}:$($b.Line)"
        switch ($b.Level) {
            1 {
                if ($help.Name) { throw "${where}: a second '# ' title." }
                $help.Name = $b.Title
                if (($b.Lines | Where-Object { $_.Trim() })) { throw "${where}: text between the title and the first '## ' section." }
            }
            2 {
                if (-not $help.Name) { throw "${where}: '## $($b.Title)' before the '# Verb-Noun' title." }
                $section = $b.Title.ToUpperInvariant()
                if ($KnownSections -notcontains $section) { throw "${where}: unknown section '## $($b.Title)'. Known: $($KnownSections -join ', ')." }
                if ($seen[$section]) { throw "${where}: section '## $section' appears twice." }
                $seen[$section] = $true
                $paras = ConvertTo-Paragraph $b.Lines
                switch ($section) {
                    'SYNOPSIS' { $help.Synopsis = $paras }
                    'DESCRIPTION' { $help.Description = $paras }
                    'NOTES' { $help.Notes = $paras }
                    'SYNTAX' { }   # generated from the cmdlet; whatever is written here is ignored
                    'RELATED LINKS' {
                        foreach ($l in $b.Lines) {
                            $t = $l.Trim() -replace '^([-*+]|\d+[.)])\s+', ''
                            if (-not $t) { continue }
                            if ($t -match '^\[(?<text>[^\]]+)\]\((?<uri>[^)\s]*)\)$') { $help.Links += [pscustomobject]@{ Text = $Matches.text; Uri = $Matches.uri } }
                            elseif ($t -match '^<?(?<uri>https?://\S+?)>?$') { $help.Links += [pscustomobject]@{ Text = ''; Uri = $Matches.uri } }
                            else { $help.Links += [pscustomobject]@{ Text = $t; Uri = '' } }
                        }
                    }
                    default {
                        if ($paras.Count -gt 0) { throw "${where}: '## $section' holds its entries in '### ' subsections; move the text under one." }
                    }
                }
            }
            3 {
                switch ($section) {
                    'PARAMETERS' {
                        if ($b.Title -notmatch '^-(\w+)$') { throw "${where}: a parameter heading is '### -Name', not '### $($b.Title)'." }
                        $name = $Matches[1]
                        if ($help.Parameters.Contains($name)) { throw "${where}: parameter -$name is documented twice." }
                        $default = $null; $body = [System.Collections.Generic.List[string]]::new()
                        foreach ($l in $b.Lines) {
                            if ($l -match '^Default value:\s*(.+?)\s*$') { $default = $Matches[1] } else { $body.Add($l) }
                        }
                        $help.Parameters[$name] = [pscustomobject]@{ Name = $name; Description = ConvertTo-Paragraph $body; Default = $default; Line = $b.Line }
                    }
                    { $_ -in 'INPUTS', 'OUTPUTS' } {
                        $entry = [pscustomobject]@{ Type = $b.Title.Trim('`'); Description = ConvertTo-Paragraph $b.Lines }
                        if ($section -eq 'INPUTS') { $help.Inputs += $entry } else { $help.Outputs += $entry }
                    }
                    'EXAMPLES' {
                        $code = [System.Collections.Generic.List[string]]::new()
                        $rest = [System.Collections.Generic.List[string]]::new()
                        $fence = $null; $isCode = $false
                        foreach ($l in $b.Lines) {
                            if ($fence) {
                                if ($l -match "^\s*$([regex]::Escape($fence))\s*$") { $fence = $null; if (-not $isCode) { $rest.Add($l) }; continue }
                                if ($isCode) { $code.Add($l.TrimEnd()) } else { $rest.Add($l) }
                                continue
                            }
                            if ($l -match '^\s*(```+|~~~+)\s*(\w*)') {
                                $fence = $Matches[1]
                                $isCode = $Matches[2] -in 'powershell', 'pwsh', 'ps', 'ps1'
                                if ($isCode -and $code.Count -gt 0) { $code.Add('') }
                                if (-not $isCode) { $rest.Add($l) }
                                continue
                            }
                            $rest.Add($l)
                        }
                        if ($code.Count -eq 0) { throw "${where}: example '$($b.Title)' has no " + $FenceMark + "powershell code block." }
                        $help.Examples += [pscustomobject]@{ Title = $b.Title; Code = ($code -join "`n").Trim("`n"); Remarks = ConvertTo-Paragraph $rest }
                    }
                    default { throw "${where}: '### $($b.Title)' is not expected under '## $section'." }
                }
            }
        }
    }
    if (-not $help.Name) { throw "${file}: no '# Verb-Noun' title." }
    if ($help.Name -ne [IO.Path]::GetFileNameWithoutExtension($file)) { throw "${file}: the title '# $($help.Name)' does not match the file name." }
    foreach ($required in 'Synopsis', 'Description') {
        if ($help[$required].Count -eq 0) { throw "${file}: '## $($required.ToUpperInvariant())' is missing or empty." }
    }
    if ($help.Examples.Count -eq 0) { throw "${file}: '## EXAMPLES' has no '### Example N: title' with a " + $FenceMark + "powershell block." }
    return [pscustomobject]$help
}

# ------------------------------------------------------------------------------------------------------------------
# MAML writing
# ------------------------------------------------------------------------------------------------------------------

$ns = @{
    msh = 'http://msh'
    maml = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

function Write-Para([System.Xml.XmlWriter] $W, [string[]] $Paragraphs) {
    foreach ($p in $Paragraphs) { $W.WriteElementString('maml', 'para', $ns.maml, $p) }
}

function Write-Description([System.Xml.XmlWriter] $W, [string[]] $Paragraphs) {
    $W.WriteStartElement('maml', 'description', $ns.maml)
    Write-Para $W $Paragraphs
    $W.WriteEndElement()
}

function Get-PipelineInput($p) {
    $kinds = @(if ($p.ByValue) { 'ByValue' }; if ($p.ByPropertyName) { 'ByPropertyName' })
    if ($kinds.Count -eq 0) { return 'False' }
    return "True ($($kinds -join ', '))"
}

function Write-Parameter {
    param([System.Xml.XmlWriter] $W, $P, [string[]] $Description, [string] $Default, [switch] $InSyntax)
    $W.WriteStartElement('command', 'parameter', $ns.command)
    $W.WriteAttributeString('required', $P.Mandatory.ToString().ToLowerInvariant())
    $W.WriteAttributeString('variableLength', ($P.Type.EndsWith('[]')).ToString().ToLowerInvariant())
    $W.WriteAttributeString('globbing', $P.Globbing.ToString().ToLowerInvariant())
    $W.WriteAttributeString('pipelineInput', (Get-PipelineInput $P))
    $W.WriteAttributeString('position', $(if ($P.Position -ge 0) { [string]$P.Position } else { 'named' }))
    $W.WriteAttributeString('aliases', $(if ($P.Aliases.Count) { $P.Aliases -join ', ' } else { 'none' }))
    $W.WriteElementString('maml', 'name', $ns.maml, $P.Name)
    Write-Description $W $Description
    if ($InSyntax -and $P.Values.Count -gt 0) {
        $W.WriteStartElement('command', 'parameterValueGroup', $ns.command)
        foreach ($v in $P.Values) {
            $W.WriteStartElement('command', 'parameterValue', $ns.command)
            $W.WriteAttributeString('required', 'false'); $W.WriteAttributeString('variableLength', 'false')
            $W.WriteString($v); $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }
    elseif (-not ($InSyntax -and $P.IsSwitch)) {
        $W.WriteStartElement('command', 'parameterValue', $ns.command)
        $W.WriteAttributeString('required', (-not $P.IsSwitch).ToString().ToLowerInvariant())
        $W.WriteAttributeString('variableLength', ($P.Type.EndsWith('[]')).ToString().ToLowerInvariant())
        $W.WriteString($P.Type); $W.WriteEndElement()
    }
    $W.WriteStartElement('dev', 'type', $ns.dev)
    $W.WriteElementString('maml', 'name', $ns.maml, $P.FullType)
    $W.WriteElementString('maml', 'uri', $ns.maml, '')
    $W.WriteEndElement()
    $W.WriteElementString('dev', 'defaultValue', $ns.dev, $(if ($Default) { $Default } elseif ($P.IsSwitch) { 'False' } else { 'None' }))
    $W.WriteEndElement()
}

function Merge-ParameterMetadata($Meta, [string] $Name) {
    # One entry for the PARAMETERS section when a parameter is in several sets: required only when required in all
    # of them, the first real position, pipeline input from any.
    $all = @($Meta.Sets | ForEach-Object { $_.Parameters } | Where-Object Name -eq $Name)
    $first = $all[0]
    $positions = @($all | Where-Object Position -ge 0 | Select-Object -ExpandProperty Position -Unique)
    [pscustomobject]@{
        Name = $first.Name; Type = $first.Type; FullType = $first.FullType; IsSwitch = $first.IsSwitch
        Mandatory = -not ($all | Where-Object { -not $_.Mandatory })
        Position = $(if ($positions.Count -eq 1) { $positions[0] } else { -1 })
        ByValue = [bool]($all | Where-Object ByValue); ByPropertyName = [bool]($all | Where-Object ByPropertyName)
        Aliases = $first.Aliases; Globbing = $first.Globbing; Values = $first.Values
    }
}

function Write-Command([System.Xml.XmlWriter] $W, $Meta, $Help) {
    $W.WriteStartElement('command', 'command', $ns.command)
    $W.WriteAttributeString('xmlns', 'maml', $null, $ns.maml)
    $W.WriteAttributeString('xmlns', 'command', $null, $ns.command)
    $W.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)

    $W.WriteStartElement('command', 'details', $ns.command)
    $W.WriteElementString('command', 'name', $ns.command, $Meta.Name)
    $W.WriteElementString('command', 'verb', $ns.command, $Meta.Verb)
    $W.WriteElementString('command', 'noun', $ns.command, $Meta.Noun)
    Write-Description $W $Help.Synopsis
    $W.WriteEndElement()

    Write-Description $W $Help.Description

    # SYNTAX: one item per parameter set, default set first; positional parameters in position order, then the rest
    # in declaration order.
    $W.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in @($Meta.Sets | Sort-Object { -not $_.IsDefault })) {
        $W.WriteStartElement('command', 'syntaxItem', $ns.command)
        $W.WriteElementString('maml', 'name', $ns.maml, $Meta.Name)
        $ordered = @($set.Parameters | Where-Object Position -ge 0 | Sort-Object Position) + @($set.Parameters | Where-Object Position -lt 0)
        foreach ($p in $ordered) {
            $doc = $Help.Parameters[$p.Name]
            Write-Parameter -W $W -P $p -Description $doc.Description -Default $doc.Default -InSyntax
        }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($name in $Meta.Order) {
        $doc = $Help.Parameters[$name]
        Write-Parameter -W $W -P (Merge-ParameterMetadata $Meta $name) -Description $doc.Description -Default $doc.Default
    }
    $W.WriteEndElement()

    foreach ($kind in 'input', 'returnValue') {
        $entries = @(if ($kind -eq 'input') { $Help.Inputs } else { $Help.Outputs })
        if ($entries.Count -eq 0) { continue }
        $W.WriteStartElement('command', $(if ($kind -eq 'input') { 'inputTypes' } else { 'returnValues' }), $ns.command)
        foreach ($e in $entries) {
            $W.WriteStartElement('command', $(if ($kind -eq 'input') { 'inputType' } else { 'returnValue' }), $ns.command)
            $W.WriteStartElement('dev', 'type', $ns.dev)
            $W.WriteElementString('maml', 'name', $ns.maml, $e.Type)
            $W.WriteEndElement()
            Write-Description $W $e.Description
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }

    if ($Help.Notes.Count -gt 0) {
        $W.WriteStartElement('maml', 'alertSet', $ns.maml)
        $W.WriteStartElement('maml', 'alert', $ns.maml)
        Write-Para $W $Help.Notes
        $W.WriteEndElement()
        $W.WriteEndElement()
    }

    $W.WriteStartElement('command', 'examples', $ns.command)
    foreach ($e in $Help.Examples) {
        $W.WriteStartElement('command', 'example', $ns.command)
        # Dashes around the title as in PowerShell's own help, fewer for long titles so the line fits 80 columns.
        $dashes = '-' * [Math]::Min(10, [Math]::Max(1, [Math]::Floor((74 - $e.Title.Length) / 2)))
        $W.WriteElementString('maml', 'title', $ns.maml, "$dashes $($e.Title) $dashes")
        $W.WriteElementString('dev', 'code', $ns.dev, $e.Code)
        $W.WriteStartElement('dev', 'remarks', $ns.dev)
        # The trailing empty paragraph puts a blank line between examples in Get-Help's output.
        Write-Para $W (@($e.Remarks) + '')
        $W.WriteEndElement()
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'relatedLinks', $ns.command)
    foreach ($l in $Help.Links) {
        $W.WriteStartElement('maml', 'navigationLink', $ns.maml)
        $W.WriteElementString('maml', 'linkText', $ns.maml, $l.Text)
        $W.WriteElementString('maml', 'uri', $ns.maml, $l.Uri)
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteEndElement()
}

# ------------------------------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------------------------------

$metadata = @(Get-CmdletMetadata $ModulePath | Sort-Object Name)
if ($metadata.Count -eq 0) { throw "Convert-HelpToMaml: the module '$ModulePath' exports no cmdlets." }
$byName = @{}; foreach ($m in $metadata) { $byName[$m.Name] = $m }

$markdown = @(Get-ChildItem -LiteralPath $SourceFolder -Filter '*.md' -File | Where-Object { $_.BaseName -match '^[A-Za-z]+-[A-Za-z0-9]+$' })
$helps = @{}
foreach ($f in $markdown) {
    if (-not $byName.ContainsKey($f.BaseName)) {
        throw "$($f.Name): the module exports no cmdlet named '$($f.BaseName)'. Exported: $($metadata.Name -join ', ')."
    }
    $helps[$f.BaseName] = Read-HelpMarkdown $f.FullName
}

$problems = [System.Collections.Generic.List[string]]::new()
foreach ($m in $metadata) {
    $h = $helps[$m.Name]
    if (-not $h) { $problems.Add("$($m.Name): no help file. Write $(Join-Path $SourceFolder "$($m.Name).md") (format: module/help/README.md)."); continue }
    foreach ($name in $m.Order) {
        $doc = $h.Parameters[$name]
        if (-not $doc -or $doc.Description.Count -eq 0) { $problems.Add("$($h.File): parameter -$name has no description (add '### -$name' under '## PARAMETERS').") }
    }
    foreach ($name in $h.Parameters.Keys) {
        if ($m.Order -notcontains $name) { $problems.Add("$($h.File):$($h.Parameters[$name].Line): documents parameter -$name, which $($m.Name) does not have. Parameters: $($m.Order -join ', ').") }
    }
    foreach ($t in $m.OutputTypes) {
        $short = ($t -split '\.')[-1]
        if (-not ($h.Outputs | Where-Object { $_.Type -eq $t -or $_.Type -eq $short })) { $problems.Add("$($h.File): output type $t ([OutputType]) is not described under '## OUTPUTS' (add '### $t').") }
    }
}
if ($problems.Count) { throw "Convert-HelpToMaml: the help sources do not match the module:`n  " + ($problems -join "`n  ") }

New-Item -ItemType Directory -Path $OutputFolder -Force | Out-Null
$target = Join-Path $OutputFolder $HelpFileName
$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$settings.NewLineChars = "`n"
$writer = [System.Xml.XmlWriter]::Create($target, $settings)
try {
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', $ns.msh)
    $writer.WriteAttributeString('schema', 'maml')
    foreach ($m in $metadata) { Write-Command $writer $m $helps[$m.Name] }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
}
finally { $writer.Dispose() }

$about = @(Get-ChildItem -LiteralPath $SourceFolder -Filter 'about_*.help.txt' -File)
foreach ($a in $about) { Copy-Item -LiteralPath $a.FullName -Destination $OutputFolder -Force }
Write-Host "Help: $($metadata.Count) cmdlets -> $target; $($about.Count) about topic(s) copied."
