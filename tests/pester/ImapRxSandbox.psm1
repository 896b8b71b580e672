# The Pester suite's server and its independent client: a sandbox Dovecot run by ImapRx.Sandbox.Launcher
# (tests/ImapRx.Sandbox.Launcher), spoken to over the launcher's stdin/stdout. The launcher stops when this
# process closes its stdin (on exit, even a killed one), so it never outlives the run.

$script:sandbox = $null

function Start-ImapRxSandbox {
    <# Starts the sandbox once per session and returns its settings (host, plainPort, tlsPort, caPath). #>
    if ($script:sandbox -and -not $script:sandbox.Process.HasExited) { return $script:sandbox.Settings }
    $launcher = $env:IMAPRX_SANDBOX_LAUNCHER
    if (-not $launcher) {
        $launcher = Join-Path $PSScriptRoot '../ImapRx.Sandbox.Launcher/bin/Debug/net10.0/ImapRx.Sandbox.Launcher.dll'
    }
    if (-not (Test-Path $launcher)) { throw "The sandbox launcher is not built: $launcher (dotnet build tests/ImapRx.Sandbox.Launcher)" }
    $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $info.ArgumentList.Add($launcher)
    $info.ArgumentList.Add('--serve')
    $info.RedirectStandardInput = $true
    $info.RedirectStandardOutput = $true
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $first = $process.StandardOutput.ReadLine()
    if (-not $first) {
        $process.WaitForExit(10000) | Out-Null
        throw "The sandbox launcher exited before printing its settings (exit code $($process.ExitCode))."
    }
    $script:sandbox = [pscustomobject]@{ Process = $process; Settings = ($first | ConvertFrom-Json) }
    $script:sandbox.Settings
}

function Stop-ImapRxSandbox {
    <# Stops the sandbox: asks politely, closes stdin, and ends the launcher by its id if it lingers. #>
    if (-not $script:sandbox) { return }
    $process = $script:sandbox.Process
    try {
        if (-not $process.HasExited) {
            $process.StandardInput.WriteLine('{"op":"stop"}')
            $process.StandardInput.Close()
            if (-not $process.WaitForExit(20000)) { $process.Kill() }
        }
    }
    finally { $script:sandbox = $null }
}

function Invoke-ImapRxSandbox {
    <# Sends one request to the independent client and returns its result; a failed request throws. #>
    param([Parameter(Mandatory)][hashtable] $Request)
    if (-not $script:sandbox) { throw 'Start-ImapRxSandbox first.' }
    $process = $script:sandbox.Process
    $process.StandardInput.WriteLine(($Request | ConvertTo-Json -Compress -Depth 5))
    $process.StandardInput.Flush()
    $line = $process.StandardOutput.ReadLine()
    if (-not $line) { throw "The sandbox launcher stopped answering (op $($Request.op))." }
    $reply = $line | ConvertFrom-Json -AsHashtable
    if (-not $reply.ok) { throw "Sandbox request $($Request.op) failed: $($reply.error)" }
    $reply.result
}

function New-ImapRxTestUser {
    <# A fresh mailbox, optionally with corpus messages in INBOX; returns name, password and a PSCredential. #>
    param([int] $Messages = 0, [int] $Seed = 21)
    $user = Invoke-ImapRxSandbox @{ op = 'user' }
    if ($Messages -gt 0) { $null = Invoke-ImapRxSandbox @{ op = 'corpus'; user = $user.name; folder = 'INBOX'; count = $Messages; seed = $Seed } }
    $secure = ConvertTo-SecureString $user.password -AsPlainText -Force
    [pscustomobject]@{ Name = $user.name; Password = $user.password; Credential = [pscredential]::new($user.name, $secure) }
}

function Connect-ImapRxTestUser {
    <# Connect-ImapServer to the sandbox over TLS as $User, trusting the sandbox CA. Extra parameters pass through. #>
    param([Parameter(Mandatory)] $User, [hashtable] $Extra = @{})
    $s = Start-ImapRxSandbox
    Connect-ImapServer -Server $s.host -Port $s.tlsPort -Credential $User.Credential -TrustedCaPath $s.caPath @Extra
}

Export-ModuleMember -Function Start-ImapRxSandbox, Stop-ImapRxSandbox, Invoke-ImapRxSandbox, New-ImapRxTestUser, Connect-ImapRxTestUser
