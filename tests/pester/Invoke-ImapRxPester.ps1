<#
.SYNOPSIS
Runs the Pester suite (tests/pester/*.Tests.ps1) against a built ImapRx module and a sandbox Dovecot.
.DESCRIPTION
Used by scripts/test.sh. Imports Pester from -PesterPath, starts the sandbox (ImapRx.Sandbox.Launcher), runs
Invoke-Pester with an NUnit XML result file, stops the sandbox, prints "Pester: N passed, N failed, N skipped"
and exits 0 only when nothing failed and nothing was skipped or left out (no server test may be skipped in CI).
#>
param(
    [Parameter(Mandatory)][string] $PesterPath,
    [Parameter(Mandatory)][string] $ModulePath,
    [Parameter(Mandatory)][string] $ResultPath
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:IMAPRX_MODULE_PATH = (Resolve-Path $ModulePath).Path
# Imported once, for every test file: a second -Force import of a binary module drops the first one's cmdlets.
Import-Module $env:IMAPRX_MODULE_PATH -Global -Force
Write-Host "ImapRx $((Get-Module ImapRx).Version) from $((Get-Module ImapRx).ModuleBase)"
Import-Module (Join-Path $PSScriptRoot 'ImapRxSandbox.psm1') -Force
$started = [System.Diagnostics.Stopwatch]::StartNew()
try {
    $null = Start-ImapRxSandbox
    $config = New-PesterConfiguration
    $config.Run.Path = $PSScriptRoot
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'NUnitXml'
    $config.TestResult.OutputPath = $ResultPath
    $result = Invoke-Pester -Configuration $config
}
finally {
    Stop-ImapRxSandbox
}
$notRun = $result.NotRunCount + $result.FailedBlocksCount + $result.FailedContainersCount
Write-Host ("Pester: {0} passed, {1} failed, {2} skipped ({3} not run, {4:n0} s)" -f $result.PassedCount, ($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount), $result.SkippedCount, $result.NotRunCount, $started.Elapsed.TotalSeconds)
if ($result.FailedCount -gt 0 -or $notRun -gt 0 -or $result.SkippedCount -gt 0) { exit 1 }
exit 0
