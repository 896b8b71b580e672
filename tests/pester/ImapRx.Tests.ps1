#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5 tests for machines with pwsh. They need a reachable IMAP test server:
# set IMAPRX_TEST_SERVER, IMAPRX_TEST_PORT, IMAPRX_TEST_USER, IMAPRX_TEST_PASSWORD and IMAPRX_TEST_CA
# (e.g. from a sandbox started by the xunit fixture). The xunit suite drives the same behaviours in-process.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../ImapRx.psd1') -Force
    $script:haveServer = [bool]$env:IMAPRX_TEST_SERVER
    if ($script:haveServer) {
        $secure = ConvertTo-SecureString $env:IMAPRX_TEST_PASSWORD -AsPlainText -Force
        $script:cred = [pscredential]::new($env:IMAPRX_TEST_USER, $secure)
    }
}

Describe 'ImapRx module' {
    It 'passes Test-ModuleManifest and declares both editions' {
        $m = Test-ModuleManifest (Join-Path $PSScriptRoot '../../ImapRx.psd1')
        $m.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
    }

    It 'has help with an example for <_>' -ForEach @(
        'Connect-ImapServer', 'Disconnect-ImapServer', 'Get-ImapFolder', 'Get-ImapMessage', 'Search-ImapMessage',
        'Set-ImapMessageFlag', 'Copy-ImapMessage', 'Move-ImapMessage', 'Remove-ImapMessage', 'Save-ImapMessage', 'Watch-ImapFolder',
        'Sync-ImapFolder'
    ) {
        (Get-Help $_).examples | Should -Not -BeNullOrEmpty
    }

    It 'loads its cmdlets into their own assembly load context on PowerShell 7' -Skip:($PSEdition -ne 'Core') {
        $assembly = (Get-Command Get-ImapMessage).ImplementingType.Assembly
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly).Name | Should -Be 'ImapRx'
    }

    It 'reports a missing session with ImapNoSession' {
        { Get-ImapFolder -ErrorAction Stop } | Should -Throw -ErrorId 'ImapNoSession*'
    }
}

Describe 'ImapRx against a server' -Skip:(-not $env:IMAPRX_TEST_SERVER) {
    BeforeAll {
        Connect-ImapServer -Server $env:IMAPRX_TEST_SERVER -Port $env:IMAPRX_TEST_PORT -Credential $script:cred -TrustedCaPath $env:IMAPRX_TEST_CA | Out-Null
    }
    AfterAll { Disconnect-ImapServer }

    It 'marks unseen inbox mail read through the pipeline' {
        Get-ImapFolder -Type Inbox | Search-ImapMessage -Unseen | Set-ImapMessageFlag -Seen
        @(Search-ImapMessage -Unseen).Count | Should -Be 0
    }

    It 'changes nothing with -WhatIf' {
        $before = @(Search-ImapMessage -Seen).Count
        Search-ImapMessage -Seen | Set-ImapMessageFlag -Unseen -WhatIf
        @(Search-ImapMessage -Seen).Count | Should -Be $before
    }

    It 'reports a missing folder with ImapFolderNotFound' {
        { Get-ImapMessage -Folder 'No such folder' -ErrorAction Stop } | Should -Throw -ErrorId 'ImapFolderNotFound*'
    }

    It 'reports a malformed query with ImapInvalidSearchQuery' {
        { Search-ImapMessage -Query 'FROM "unterminated' -ErrorAction Stop } | Should -Throw -ErrorId 'ImapInvalidSearchQuery*'
    }

    It 'never shows the password' {
        $text = (Get-ImapFolder | Out-String) + ((Connect-ImapServer -Server $env:IMAPRX_TEST_SERVER -Port $env:IMAPRX_TEST_PORT -Credential $script:cred -TrustedCaPath $env:IMAPRX_TEST_CA) | Out-String)
        $text | Should -Not -Match ([regex]::Escape($env:IMAPRX_TEST_PASSWORD))
    }

    It 'completes folder names, quoting those with spaces' {
        $completion = TabExpansion2 -inputScript 'Get-ImapMessage -Folder Fold' -cursorColumn 28
        $completion.CompletionMatches.CompletionText | Should -Contain "'Folder With Space'"
    }

    It 'stops Watch-ImapFolder after -Timeout' {
        $started = Get-Date
        Watch-ImapFolder -Folder INBOX -Timeout 00:00:02 | Out-Null
        ((Get-Date) - $started).TotalSeconds | Should -BeLessThan 30
    }
}
