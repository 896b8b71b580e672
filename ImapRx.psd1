@{
    RootModule           = 'module/ImapRx.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b2f0b8e-6f1c-4a53-9a55-2f7f3c1d9e41'
    Author               = 'ImapRx developers'
    CompanyName          = 'ImapRx'
    Copyright            = '(c) ImapRx developers. All rights reserved.'
    Description          = 'IMAP from PowerShell on a reactive, pooled .NET core: folders, messages, searches, flags, live IDLE watches.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('module/ImapRx.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-ImapServer',
        'Disconnect-ImapServer',
        'Get-ImapFolder',
        'Get-ImapMessage',
        'Search-ImapMessage',
        'Set-ImapMessageFlag',
        'Copy-ImapMessage',
        'Move-ImapMessage',
        'Remove-ImapMessage',
        'Save-ImapMessage',
        'Save-ImapAttachment',
        'Watch-ImapFolder',
        'Sync-ImapFolder'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            # No ProjectUri or LicenseUri: the project has no public URL yet. The LICENSE file ships in the module.
            Tags = @('IMAP', 'Email', 'Mail', 'MailKit', 'Rx', 'IDLE', 'PSEdition_Core', 'PSEdition_Desktop', 'Linux', 'Windows', 'MacOS')
        }
    }
}
