#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The module without a server: manifest, help, load context, errors without a session.
# Run through tests/pester/Invoke-ImapRxPester.ps1 (scripts/test.sh does); IMAPRX_MODULE_PATH names the manifest
# under test (the laid-out out/ImapRx/<version>/ImapRx.psd1 in CI), the repository root's ImapRx.psd1 otherwise.

BeforeAll {
    $script:manifest = if ($env:IMAPRX_MODULE_PATH) { $env:IMAPRX_MODULE_PATH } else { Join-Path $PSScriptRoot '../../ImapRx.psd1' }
    if (-not (Get-Module ImapRx)) { Import-Module $script:manifest }
    $script:cmdlets = @(
        'Connect-ImapServer', 'Disconnect-ImapServer', 'Get-ImapFolder', 'Get-ImapMessage', 'Search-ImapMessage',
        'Set-ImapMessageFlag', 'Copy-ImapMessage', 'Move-ImapMessage', 'Remove-ImapMessage', 'Save-ImapMessage', 'Save-ImapAttachment',
        'Watch-ImapFolder', 'Sync-ImapFolder')
}

Describe 'ImapRx module' {
    It 'passes Test-ModuleManifest, declares both editions and exports exactly the cmdlets' {
        $m = Test-ModuleManifest $script:manifest
        $m.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        @((Get-Module ImapRx).ExportedCommands.Keys | Sort-Object) | Should -Be @($script:cmdlets | Sort-Object)
    }

    It 'takes its version from Directory.Build.props and ships laid out for publishing' {
        $version = ([xml](Get-Content (Join-Path $PSScriptRoot '../../Directory.Build.props') -Raw)).Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
        (Get-Module ImapRx).Version | Should -Be ([version]$version)
        (Test-ModuleManifest (Join-Path $PSScriptRoot '../../ImapRx.psd1')).Version | Should -Be ([version]$version)
        (Get-Module ImapRx).PrivateData.PSData.Keys | Should -Not -Contain 'ProjectUri'
        if ($env:IMAPRX_MODULE_PATH -match '[\\/]out[\\/]ImapRx[\\/]') {
            $base = (Get-Module ImapRx).ModuleBase
            Split-Path $base -Leaf | Should -Be $version
            foreach ($file in 'ImapRx.psd1', 'ImapRx.psm1', 'ImapRx.Format.ps1xml', 'en-US/ImapRx.PowerShell.dll-Help.xml', 'bin/ImapRx.PowerShell.dll', 'bin/ImapRx.PowerShell.Loader.dll', 'bin/ImapRx.dll', 'bin/MailKit.dll') {
                Join-Path $base $file | Should -Exist
            }
        }
    }

    It 'has help with a synopsis, syntax and at least three examples for <_>' -ForEach @(
        'Connect-ImapServer', 'Disconnect-ImapServer', 'Get-ImapFolder', 'Get-ImapMessage', 'Search-ImapMessage',
        'Set-ImapMessageFlag', 'Copy-ImapMessage', 'Move-ImapMessage', 'Remove-ImapMessage', 'Save-ImapMessage', 'Save-ImapAttachment',
        'Watch-ImapFolder', 'Sync-ImapFolder'
    ) {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeLike "$_*"
        @($help.syntax.syntaxItem).Count | Should -Be @((Get-Command $_).ParameterSets).Count
        @($help.examples.example).Count | Should -BeGreaterOrEqual 3
    }

    It 'documents every parameter of <_> in Get-Help -Full' -ForEach @(
        'Connect-ImapServer', 'Disconnect-ImapServer', 'Get-ImapFolder', 'Get-ImapMessage', 'Search-ImapMessage',
        'Set-ImapMessageFlag', 'Copy-ImapMessage', 'Move-ImapMessage', 'Remove-ImapMessage', 'Save-ImapMessage', 'Save-ImapAttachment',
        'Watch-ImapFolder', 'Sync-ImapFolder'
    ) {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        $declared = (Get-Command $_).Parameters.Keys | Where-Object { $_ -notin $common }
        $help = Get-Help $_ -Full
        foreach ($name in $declared) {
            $parameter = $help.parameters.parameter | Where-Object name -EQ $name
            $parameter | Should -Not -BeNullOrEmpty -Because "$_ -$name must appear in the help"
            ($parameter.description.Text -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "$_ -$name needs a description"
            $parameter.type.name | Should -Not -BeNullOrEmpty
        }
    }

    It 'loads its cmdlets into their own assembly load context on PowerShell 7' {
        $PSEdition | Should -Be 'Core' -Because 'this suite runs under pwsh'
        $assembly = (Get-Command Get-ImapMessage).ImplementingType.Assembly
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly).Name | Should -Be 'ImapRx'
    }

    It 'reports a missing session with ImapNoSession' {
        Disconnect-ImapServer
        { Get-ImapFolder -ErrorAction Stop } | Should -Throw -ErrorId 'ImapNoSession*'
    }

    It 'documents every error id the cmdlets raise in docs/errors.md' {
        $src = Join-Path $PSScriptRoot '../../src/ImapRx.PowerShell'
        # Every id is a constant in ErrorIds.cs; no ErrorRecord anywhere is made with a literal id.
        $ids = [regex]::Matches((Get-Content (Join-Path $src 'Infrastructure/ErrorIds.cs') -Raw), 'const string \w+ = "(\w+)"') | ForEach-Object { $_.Groups[1].Value }
        $literal = Get-ChildItem $src -Recurse -Filter *.cs | Select-String 'new ErrorRecord\([^;]*"Imap'
        $literal | Should -BeNullOrEmpty
        $ids.Count | Should -BeGreaterThan 8
        $docs = Get-Content (Join-Path $PSScriptRoot '../../docs/errors.md') -Raw
        foreach ($id in $ids) { $docs | Should -Match ([regex]::Escape("``$id``")) -Because "$id is raised by a cmdlet" }
    }
}
