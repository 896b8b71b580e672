# The module's entry point. On PowerShell 7+ the cmdlets and their dependencies (MailKit, MimeKit, BouncyCastle,
# System.Reactive, Polly, ...) load into an AssemblyLoadContext of their own, so a different MailKit loaded by
# another module in the same session does not clash with ours. Windows PowerShell 5.1 has no load contexts and
# loads them as a plain binary module. Only core engine commands are used here, so the module also imports in a
# minimal hosted runspace.
$bin = [System.IO.Path]::Combine($PSScriptRoot, 'bin')
if ($PSEdition -eq 'Core') {
    $null = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($bin, 'ImapRx.PowerShell.Loader.dll'))
    $cmdlets = [ImapRx.PowerShell.Loader.ModuleLoadContext]::LoadCmdletAssembly($bin)
}
else {
    $cmdlets = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($bin, 'ImapRx.PowerShell.dll'))
}

Import-Module -Assembly $cmdlets -ErrorAction Stop
Export-ModuleMember -Cmdlet '*'
