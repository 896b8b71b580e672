#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Issue 19: Get-ImapMessage on a folder of awkward but legal messages (AwkwardCorpus.Folder in the sandbox), some of
# whose ENVELOPEs MailKit refuses. Every message arrives once; those are read from their header and marked partial.

BeforeAll {
    $manifest = if ($env:IMAPRX_MODULE_PATH) { $env:IMAPRX_MODULE_PATH } else { Join-Path $PSScriptRoot '../../ImapRx.psd1' }
    if (-not (Get-Module ImapRx)) { Import-Module $manifest }
    Import-Module (Join-Path $PSScriptRoot 'ImapRxSandbox.psm1')
    $script:sandbox = Start-ImapRxSandbox
}

Describe 'Get-ImapMessage on a folder of awkward messages' {
    BeforeAll {
        $script:user = New-ImapRxTestUser
        $script:awkward = Invoke-ImapRxSandbox @{ op = 'awkward'; user = $script:user.Name; folder = 'INBOX' }
        $script:session = Connect-ImapRxTestUser $script:user
    }
    AfterAll { Disconnect-ImapServer }

    It 'writes every message once, in the order and count the server has' {
        $messages = Get-ImapMessage -BatchSize 4 -ErrorAction Stop
        $uids = @(Invoke-ImapRxSandbox @{ op = 'uids'; user = $script:user.Name; folder = 'INBOX' })
        @($messages).Count | Should -Be $script:awkward.count
        $messages.Uid | Should -Be $uids
    }

    It 'marks the messages whose summary MailKit cannot read as partial, with the subject read from their header' {
        $messages = Get-ImapMessage -ErrorAction Stop
        @($messages | Where-Object IsPartial | ForEach-Object MessageId | Sort-Object) | Should -Be @($script:awkward.partial | Sort-Object)
        $long = $messages | Where-Object MessageId -EQ 'awkward.folded-subject-7k@imaprx.sandbox'
        "$($long.ReadIssues)" | Should -Be 'SummaryUnreadable'
        $long.Subject.Length | Should -BeGreaterThan 7000
        ($messages | Where-Object MessageId -EQ 'awkward.recipients-200@imaprx.sandbox').To.Count | Should -Be 200
    }
}
