#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The cmdlets against a sandbox Dovecot (tests/pester/ImapRxSandbox.psm1). Every check reads the server through
# the launcher's own IMAP connection (Invoke-ImapRxSandbox), never through the module under test.

BeforeAll {
    $manifest = if ($env:IMAPRX_MODULE_PATH) { $env:IMAPRX_MODULE_PATH } else { Join-Path $PSScriptRoot '../../ImapRx.psd1' }
    if (-not (Get-Module ImapRx)) { Import-Module $manifest }
    Import-Module (Join-Path $PSScriptRoot 'ImapRxSandbox.psm1')
    $script:sandbox = Start-ImapRxSandbox
    function Get-ServerUids([string] $User, [string] $Folder = 'INBOX') { @(Invoke-ImapRxSandbox @{ op = 'uids'; user = $User; folder = $Folder }) }
    function Get-ServerFlags([string] $User, [string] $Folder = 'INBOX') { Invoke-ImapRxSandbox @{ op = 'flags'; user = $User; folder = $Folder } }
}

Describe 'Connect-ImapServer and sessions' {
    BeforeAll {
        $script:user = New-ImapRxTestUser -Messages 3
        $script:other = New-ImapRxTestUser -Messages 5
    }
    AfterEach { Disconnect-ImapServer }

    It 'connects over TLS, STARTTLS and plain IMAP' {
        $tls = Connect-ImapRxTestUser $script:user
        $tls.Encryption | Should -Be 'Tls'
        $tls.IsConnected | Should -BeTrue
        $start = Connect-ImapServer -Server $sandbox.host -Port $sandbox.plainPort -Encryption StartTls -Credential $script:user.Credential -TrustedCaPath $sandbox.caPath -SetDefault
        (Get-ImapFolder -Name INBOX -Session $start).TotalCount | Should -Be 3
        $plain = Connect-ImapServer -Server $sandbox.host -Port $sandbox.plainPort -Encryption None -Credential $script:user.Credential
        (Get-ImapFolder -Name INBOX -Session $plain).TotalCount | Should -Be 3
        Disconnect-ImapServer -Session $start
        Disconnect-ImapServer -Session $plain
    }

    It 'keeps the first session as the default when a second account connects, unless -SetDefault' {
        $first = Connect-ImapRxTestUser $script:user
        $second = Connect-ImapRxTestUser $script:other -WarningVariable warned -WarningAction SilentlyContinue
        "$warned" | Should -Match 'default'
        (Get-ImapFolder -Name INBOX).TotalCount | Should -Be 3 -Because 'the default session is still the first account'
        (Get-ImapFolder -Name INBOX -Session $second).TotalCount | Should -Be 5
        $third = Connect-ImapRxTestUser $script:other -Extra @{ SetDefault = $true }
        (Get-ImapFolder -Name INBOX).TotalCount | Should -Be 5
        Disconnect-ImapServer -Session $first
        Disconnect-ImapServer -Session $second
        Disconnect-ImapServer -Session $third
    }

    It 'reports a wrong password as ImapAuthenticationFailed, honouring -ErrorAction' {
        $bad = [pscredential]::new($script:user.Name, (ConvertTo-SecureString 'wrong-password' -AsPlainText -Force))
        { Connect-ImapServer -Server $sandbox.host -Port $sandbox.tlsPort -Credential $bad -TrustedCaPath $sandbox.caPath -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImapAuthenticationFailed*'
        $result = Connect-ImapServer -Server $sandbox.host -Port $sandbox.tlsPort -Credential $bad -TrustedCaPath $sandbox.caPath -ErrorAction SilentlyContinue -ErrorVariable failed
        $result | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ImapAuthenticationFailed*'
    }

    It 'reports an untrusted certificate as ImapCertificateRejected' {
        { Connect-ImapServer -Server $sandbox.host -Port $sandbox.tlsPort -Credential $script:user.Credential -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImapCertificateRejected*'
    }

    It 'reports a closed port at once as ImapConnectionFailed, without retrying' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        Connect-ImapServer -Server 127.0.0.1 -Port $port -Credential $script:user.Credential -ErrorAction SilentlyContinue -ErrorVariable failed |
            Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ImapConnectionFailed*'
        $failed[0].Exception.Message | Should -Match "127\.0\.0\.1:$port"
        # ImapRx lives in the module's own load context: its types are compared by name, not by [type] literal.
        $failed[0].Exception.GetType().FullName | Should -Be 'ImapRx.ImapConnectException'
        $failed[0].Exception.InnerException.GetType().FullName | Should -Be 'ImapRx.ImapConnectionException'
        $failed[0].Exception.InnerException.InnerException | Should -BeOfType [System.Net.Sockets.SocketException]
    }

    It 'stops a connect in progress on Ctrl+C (StopProcessing), closing its connection' {
        # A server that accepts and never greets: the login would wait for the 30 s timeout.
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($manifest, $port, $cred)
                    Import-Module $manifest
                    Connect-ImapServer -Server 127.0.0.1 -Port $port -Encryption None -Credential $cred -MaxRetries 0
                }).AddArgument((Get-Module ImapRx).Path).AddArgument($listener.LocalEndpoint.Port).AddArgument($script:user.Credential)
            $pending = $ps.BeginInvoke()
            $probe = $listener.AcceptTcpClientAsync()
            $probe.Wait(20000) | Should -BeTrue
            $login = $listener.AcceptTcpClientAsync()
            $login.Wait(20000) | Should -BeTrue -Because 'the login connection opens after the reachability probe'
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $stream = $login.Result.GetStream()
            $stream.ReadTimeout = 10000
            $stream.Read([byte[]]::new(16), 0, 16) | Should -Be 0 -Because 'stopping the cmdlet closes the connection it was opening'
            $ps.Streams.Error | Should -BeNullOrEmpty -Because 'a stopped connect is not an error'
        }
        finally { $ps.Dispose(); $listener.Stop() }
    }

    It 'never shows the password in any stream, $Error or the session' {
        $Error.Clear()
        $session = Connect-ImapRxTestUser $script:user -Extra @{ Verbose = $true } 4>&1 6>&1 3>&1
        $bad = [pscredential]::new($script:user.Name, (ConvertTo-SecureString "$($script:user.Password)x" -AsPlainText -Force))
        Connect-ImapServer -Server $sandbox.host -Port $sandbox.tlsPort -Credential $bad -TrustedCaPath $sandbox.caPath -ErrorAction SilentlyContinue -Verbose 4>&1 3>&1 | Out-Null
        $text = ($session | Out-String) + ($session | Format-List * | Out-String) + ($Error | ForEach-Object { $_ | Format-List * -Force | Out-String; $_.Exception.ToString() }) -join "`n"
        $text | Should -Not -Match ([regex]::Escape($script:user.Password))
        $Error.Count | Should -BeGreaterThan 0
    }

    It 'disconnects: the server sees the connections close and cmdlets report ImapNoSession' {
        $null = Connect-ImapRxTestUser $script:user
        $null = Get-ImapFolder
        Invoke-ImapRxSandbox @{ op = 'connections'; user = $script:user.Name } | Should -BeGreaterThan 0
        Disconnect-ImapServer
        { Get-ImapFolder -ErrorAction Stop } | Should -Throw -ErrorId 'ImapNoSession*'
        $deadline = (Get-Date).AddSeconds(10)
        while ((Invoke-ImapRxSandbox @{ op = 'connections'; user = $script:user.Name }) -gt 1 -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 200 }
        # One connection left is the launcher's own.
        Invoke-ImapRxSandbox @{ op = 'connections'; user = $script:user.Name } | Should -Be 1
    }
}

Describe 'Get-ImapFolder' {
    BeforeAll {
        $script:user = New-ImapRxTestUser -Messages 12
        $null = Invoke-ImapRxSandbox @{ op = 'createFolder'; user = $script:user.Name; name = 'Holder/Child' }
        $null = Connect-ImapRxTestUser $script:user
    }
    AfterAll { Disconnect-ImapServer }

    It 'lists every folder with the counts another client sees' {
        $folders = Get-ImapFolder
        $folders.FullName | Should -Contain 'INBOX'
        $folders.FullName | Should -Contain 'Folder With Space'
        $folders.FullName | Should -Contain 'Projects/2026/Q1'
        $inbox = $folders | Where-Object FullName -EQ 'INBOX'
        $status = Invoke-ImapRxSandbox @{ op = 'status'; user = $script:user.Name; folder = 'INBOX' }
        $inbox.TotalCount | Should -Be $status.count
        $inbox.UnreadCount | Should -Be $status.unseen
        $inbox.UidNext | Should -Be $status.uidNext
        $inbox.UidValidity | Should -Be $status.uidValidity
    }

    It 'filters by wildcard and by type' {
        @(Get-ImapFolder -Name 'Projects*').FullName | Sort-Object | Should -Be @('Projects', 'Projects/2026', 'Projects/2026/Q1', 'Projects/2026/Q2')
        (Get-ImapFolder -Type Inbox).FullName | Should -Be 'INBOX'
        (Get-ImapFolder -Type Trash).FullName | Should -Be 'Trash'
        Get-ImapFolder -Name 'NoSuch*' -ErrorAction Stop | Should -BeNullOrEmpty
    }

    It 'reports a name that matches nothing as ImapFolderNotFound' {
        { Get-ImapFolder -Name NoSuchFolder -ErrorAction Stop } | Should -Throw -ErrorId 'ImapFolderNotFound*'
        Get-ImapFolder -Name NoSuchFolder, INBOX -ErrorAction SilentlyContinue -ErrorVariable failed | Select-Object -ExpandProperty FullName | Should -Be 'INBOX'
        $failed.Count | Should -Be 1
        $failed[0].TargetObject | Should -Be 'NoSuchFolder'
    }

    It 'gives a \Noselect folder no UidNext' {
        $holder = Get-ImapFolder -Name Holder
        $holder.IsSelectable | Should -BeFalse
        $holder.UidNext | Should -BeNullOrEmpty
        (Get-ImapFolder -Name Holder/Child).UidNext | Should -Be 1
    }

    It 'says what it does with -Verbose' {
        $verbose = Get-ImapFolder -Name INBOX -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        "$verbose" | Should -Match 'folder'
    }

    It 'shows a table by default' {
        $text = Get-ImapFolder -Name INBOX | Out-String
        $text | Should -Match 'FullName\s+Type\s+Unread\s+Total'
        $text | Should -Match 'INBOX\s+Inbox\s+\d+\s+12'
    }

    It 'completes folder names with Tab, quoting those with spaces' {
        $completion = TabExpansion2 -inputScript 'Get-ImapMessage -Folder Fold' -cursorColumn 28
        $completion.CompletionMatches.CompletionText | Should -Contain "'Folder With Space'"
        $completion = TabExpansion2 -inputScript 'Copy-ImapMessage -Destination Proj' -cursorColumn 34
        $completion.CompletionMatches.CompletionText | Should -Contain 'Projects/2026'
    }
}

Describe 'Get-ImapMessage and Search-ImapMessage' {
    BeforeAll {
        $script:user = New-ImapRxTestUser -Messages 30
        $script:session = Connect-ImapRxTestUser $script:user
    }
    AfterAll { Disconnect-ImapServer }

    It 'gets every message with the UIDs and flags another client sees' {
        $messages = Get-ImapMessage
        $messages.Uid | Should -Be (Get-ServerUids $script:user.Name)
        $flags = Get-ServerFlags $script:user.Name
        foreach ($m in $messages) { $m.IsRead | Should -Be ($flags["$($m.Uid)"] -match '\\Seen') }
    }

    It 'gets -First, -Uid and -SinceUid subsets' {
        $uids = Get-ServerUids $script:user.Name
        (Get-ImapMessage -First 4).Uid | Should -Be $uids[0..3]
        (Get-ImapMessage -Uid $uids[5], $uids[7]).Uid | Should -Be @($uids[5], $uids[7])
        (Get-ImapMessage -SinceUid $uids[25]).Uid | Should -Be $uids[26..29]
    }

    It 'writes each batch as it arrives, with a percentage' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($manifest, $s, $cred)
                    Import-Module $manifest
                    $session = Connect-ImapServer -Server $s.host -Port $s.tlsPort -Credential $cred -TrustedCaPath $s.caPath
                    Get-ImapMessage -BatchSize 10 -Session $session | Select-Object -First 3
                    Get-ImapMessage -BatchSize 10 -Session $session -Verbose | Out-Null
                    Disconnect-ImapServer -Session $session
                }).AddArgument((Get-Module ImapRx).Path).AddArgument($sandbox).AddArgument($script:user.Credential)
            $output = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $output.Count | Should -Be 3
            $processing = @($ps.Streams.Progress | Where-Object RecordType -EQ 'Processing')
            # The first call stopped after its first batch of 10 (Select-Object -First ends the stream); the second
            # reported 10, 20 and 30 of 30.
            @($processing.PercentComplete) | Should -Be @(33, 33, 66, 100)
            $processing[-1].StatusDescription | Should -Match '30 of 30'
            "$($ps.Streams.Verbose)" | Should -Match '30 message'
        }
        finally { $ps.Dispose() }
    }

    It 'finds by keys and by an IMAP search string, as another client counts them' {
        $flags = Get-ServerFlags $script:user.Name
        $unseen = @($flags.Keys | Where-Object { $flags[$_] -notmatch '\\Seen' })
        @(Search-ImapMessage -Unseen).Count | Should -Be $unseen.Count
        @(Search-ImapMessage -Query 'UNSEEN').Count | Should -Be $unseen.Count
        @(Search-ImapMessage -Seen -Unseen) | Should -BeNullOrEmpty
        $subjects = Invoke-ImapRxSandbox @{ op = 'subjects'; user = $script:user.Name; folder = 'INBOX' }
        $word = ($subjects[[string](Get-ServerUids $script:user.Name)[0]] -split ' ')[0]
        $expected = @($subjects.Values | Where-Object { $_ -match [regex]::Escape($word) }).Count
        @(Search-ImapMessage -Subject $word).Count | Should -Be $expected
    }

    It 'reports a malformed query as ImapInvalidSearchQuery and a missing folder as ImapFolderNotFound' {
        { Search-ImapMessage -Query 'FROM "unterminated' -ErrorAction Stop } | Should -Throw -ErrorId 'ImapInvalidSearchQuery*'
        { Get-ImapMessage -Folder 'No such folder' -ErrorAction Stop } | Should -Throw -ErrorId 'ImapFolderNotFound*'
        { Search-ImapMessage -Folder 'No such folder' -Unseen -ErrorAction Stop } | Should -Throw -ErrorId 'ImapFolderNotFound*'
    }

    It 'says what it does with -Verbose' {
        "$(Search-ImapMessage -Unseen -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })" | Should -Match 'INBOX'
    }

    It 'shows a table by default' {
        Get-ImapMessage -First 1 | Out-String | Should -Match 'Uid\s+Received\s+From\s+Read\s+Subject'
    }
}

Describe 'Changing messages' {
    BeforeEach {
        $script:user = New-ImapRxTestUser -Messages 8
        $null = Connect-ImapRxTestUser $script:user
    }
    AfterEach { Disconnect-ImapServer }

    It 'marks unseen inbox mail read: Get-ImapFolder -Type Inbox | Search-ImapMessage -Unseen | Set-ImapMessageFlag -Seen' {
        $flags = Get-ServerFlags $script:user.Name
        @($flags.Values | Where-Object { $_ -notmatch '\\Seen' }).Count | Should -BeGreaterThan 0
        Get-ImapFolder -Type Inbox | Search-ImapMessage -Unseen | Set-ImapMessageFlag -Seen
        $flags = Get-ServerFlags $script:user.Name
        @($flags.Values | Where-Object { $_ -notmatch '\\Seen' }).Count | Should -Be 0
    }

    It 'sets and clears flags and keywords, with a readable confirmation' {
        $uid = (Get-ServerUids $script:user.Name)[0]
        $verbose = Get-ImapMessage -Uid $uid | Set-ImapMessageFlag -Flagged -Keyword '$Label1' -Verbose 4>&1
        "$verbose" | Should -Match 'add \\Flagged, \$Label1'
        "$verbose" | Should -Not -Match 'None|\[\]'
        (Get-ServerFlags $script:user.Name)["$uid"] | Should -Match '\\Flagged.*\$Label1'
        $verbose = Get-ImapMessage -Uid $uid | Set-ImapMessageFlag -Unflagged -Verbose 4>&1
        "$verbose" | Should -Match 'remove \\Flagged'
        (Get-ServerFlags $script:user.Name)["$uid"] | Should -Not -Match '\\Flagged'
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-ServerFlags $script:user.Name
        Get-ImapMessage | Set-ImapMessageFlag -Seen -WhatIf
        Get-ImapMessage | Move-ImapMessage -Destination Archive -WhatIf
        Get-ImapMessage | Copy-ImapMessage -Destination Archive -WhatIf
        Get-ImapMessage | Remove-ImapMessage -WhatIf
        (Get-ServerFlags $script:user.Name | ConvertTo-Json) | Should -Be ($before | ConvertTo-Json)
        Get-ServerUids $script:user.Name 'Archive' | Should -BeNullOrEmpty
    }

    It 'copies one object per message that binds to Set-ImapMessageFlag' {
        $uids = Get-ServerUids $script:user.Name
        $copies = Get-ImapMessage -First 3 | Copy-ImapMessage -Destination Archive
        $copies.Count | Should -Be 3
        $copies.SourceUid | Should -Be $uids[0..2]
        $copies.SourceFolder | Sort-Object -Unique | Should -Be 'INBOX'
        $copies.Folder | Sort-Object -Unique | Should -Be 'Archive'
        $copies.Uid | Should -Be (Get-ServerUids $script:user.Name 'Archive')
        $copies | Out-String | Should -Match "Copy\s+INBOX\s+$($uids[0])\s+Archive\s+$($copies[0].Uid)"
        $copies | Set-ImapMessageFlag -Flagged
        $archive = Get-ServerFlags $script:user.Name 'Archive'
        foreach ($c in $copies) { $archive["$($c.Uid)"] | Should -Match '\\Flagged' }
        Get-ServerUids $script:user.Name | Should -Be $uids
    }

    It 'moves with -Confirm:$false and removes permanently' {
        $uids = Get-ServerUids $script:user.Name
        $moved = Get-ImapMessage -Uid $uids[0], $uids[1] | Move-ImapMessage -Destination 'Folder With Space' -Confirm:$false
        $moved.Uid | Should -Be (Get-ServerUids $script:user.Name 'Folder With Space')
        Get-ServerUids $script:user.Name | Should -Be $uids[2..7]
        Get-ImapMessage -Uid $uids[2] | Remove-ImapMessage -Confirm:$false
        Get-ServerUids $script:user.Name | Should -Be $uids[3..7]
    }

    It 'saves a message byte-identical to what the server stores, and refuses to overwrite without -Force' {
        $uid = (Get-ServerUids $script:user.Name)[4]
        $dir = Join-Path ([System.IO.Path]::GetTempPath()) ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $dir
        try {
            $file = Get-ImapMessage -Uid $uid | Save-ImapMessage -Path $dir
            $file.Name | Should -Be "INBOX-$uid.eml"
            $expected = [Convert]::FromBase64String((Invoke-ImapRxSandbox @{ op = 'message'; user = $script:user.Name; folder = 'INBOX'; uid = $uid }))
            [System.IO.File]::ReadAllBytes($file.FullName) | Should -Be $expected
            { Get-ImapMessage -Uid $uid | Save-ImapMessage -Path $dir -ErrorAction Stop } | Should -Throw -ErrorId 'ImapFileExists*'
            Get-ImapMessage -Uid $uid | Save-ImapMessage -Path $dir -Force | Should -Not -BeNullOrEmpty
            { Save-ImapMessage -Folder INBOX -Uid 999999 -Path $dir -ErrorAction Stop } | Should -Throw -ErrorId 'ImapMessageNotFound*'
        }
        finally { Remove-Item $dir -Recurse -Force }
    }
}

Describe 'Watch-ImapFolder and Sync-ImapFolder' {
    BeforeAll {
        $script:user = New-ImapRxTestUser -Messages 4
        $null = Connect-ImapRxTestUser $script:user
    }
    AfterAll { Disconnect-ImapServer }

    It '-First counts messages: five appended in one burst end the watch' {
        $appended = $false
        $events = Watch-ImapFolder -First 5 -IncludeStatus -Timeout 00:02:00 -Verbose 4>&1 | ForEach-Object {
            if (-not $appended -and $_.GetType().Name -eq 'WatchIdling') {
                $appended = $true
                1..5 | ForEach-Object { $null = Invoke-ImapRxSandbox @{ op = 'append'; user = $script:user.Name; folder = 'INBOX'; subject = "burst $_" } }
            }
            $_
        }
        $arrived = @($events | Where-Object { $_.GetType().Name -eq 'MessagesArrived' })
        ($arrived.Uids | Measure-Object).Count | Should -Be 5
        "$($events | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })" | Should -Match 'after 5 message'
    }

    It 'watches every folder piped in together, not only the first one' {
        $null = Invoke-ImapRxSandbox @{ op = 'createFolder'; user = $script:user.Name; name = 'Piped' }
        $idling = @{}
        $appended = $false
        $events = 'INBOX', 'Piped' | ForEach-Object { [pscustomobject]@{ FullName = $_ } } |
            Watch-ImapFolder -First 2 -IncludeStatus -Timeout 00:02:00 | ForEach-Object {
                if ($_.GetType().Name -eq 'WatchIdling') { $idling[$_.Folder] = $true }
                if (-not $appended -and $idling.Count -eq 2) {
                    $appended = $true
                    foreach ($folder in 'Piped', 'INBOX') { $null = Invoke-ImapRxSandbox @{ op = 'append'; user = $script:user.Name; folder = $folder; subject = "piped into $folder" } }
                }
                $_
            }
        $appended | Should -BeTrue -Because 'both folders reported WatchIdling, so both were watched at once'
        @($events | Where-Object { $_.GetType().Name -eq 'MessagesArrived' } | ForEach-Object Folder | Sort-Object -Unique) | Should -Be @('INBOX', 'Piped')
    }

    It 'writes events in a readable table' {
        $uid = Invoke-ImapRxSandbox @{ op = 'append'; user = $script:user.Name; folder = 'INBOX'; subject = 'table' }
        $state = Join-Path ([System.IO.Path]::GetTempPath()) ([guid]::NewGuid())
        try {
            $text = Sync-ImapFolder -StatePath $state | Out-String -Width 200
            $text | Should -Match 'Timestamp\s+Folder\s+Kind\s+Detail'
            $text | Should -Match "INBOX\s+MessagesArrived\s+INBOX: \d+ arrived"
        }
        finally { Remove-Item $state -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'syncs: the first run reports everything, the second nothing, the third what another client changed' {
        $state = Join-Path ([System.IO.Path]::GetTempPath()) ([guid]::NewGuid())
        try {
            $first = Sync-ImapFolder -StatePath $state -Verbose 4>&1
            $uids = Get-ServerUids $script:user.Name
            (@($first | Where-Object { $_.GetType().Name -eq 'MessagesArrived' }).Uids) | Should -Be $uids
            "$($first | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })" | Should -Match 'INBOX'
            Sync-ImapFolder -StatePath $state | Should -BeNullOrEmpty
            $new = Invoke-ImapRxSandbox @{ op = 'append'; user = $script:user.Name; folder = 'INBOX'; subject = 'after sync' }
            $third = Sync-ImapFolder -StatePath $state
            @($third | Where-Object { $_.GetType().Name -eq 'MessagesArrived' }).Uids | Should -Be @($new)
        }
        finally { Remove-Item $state -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'reports a -StatePath that is a file as ImapInvalidArgument naming it' {
        $file = New-TemporaryFile
        try {
            { Sync-ImapFolder -StatePath $file.FullName -ErrorAction Stop } | Should -Throw -ErrorId 'ImapInvalidArgument*'
            Sync-ImapFolder -StatePath $file.FullName -ErrorAction SilentlyContinue -ErrorVariable failed
            $failed[0].Exception.Message | Should -Match ([regex]::Escape($file.FullName))
        }
        finally { Remove-Item $file }
    }
}

Describe 'Save-ImapAttachment' {
    BeforeAll {
        $script:user = New-ImapRxTestUser
        $null = Connect-ImapRxTestUser $script:user
        $script:pdfA = [byte[]](1..200 | ForEach-Object { $_ % 256 })
        $script:pdfB = [byte[]](200..1 | ForEach-Object { ($_ * 7) % 256 })
        $attachment = { param($name, $bytes) @{ name = $name; base64 = [Convert]::ToBase64String($bytes) } }
        $script:first = Invoke-ImapRxSandbox @{ op = 'append'; user = $script:user.Name; subject = 'invoice A'
            attachments = @((& $attachment 'invoice.pdf' $script:pdfA), (& $attachment 'notes.txt' ([byte[]](65, 66, 67)))) }
        $script:second = Invoke-ImapRxSandbox @{ op = 'append'; user = $script:user.Name; subject = 'invoice B'
            attachments = @((& $attachment '../../invoice.pdf' $script:pdfB)) }
        $script:read = Invoke-ImapRxSandbox @{ op = 'append'; user = $script:user.Name; subject = 'already read'; seen = $true
            attachments = @((& $attachment 'old.pdf' $script:pdfA)) }
    }
    BeforeEach {
        $script:dir = Join-Path ([System.IO.Path]::GetTempPath()) ([guid]::NewGuid())
    }
    AfterEach { Remove-Item $script:dir -Recurse -Force -ErrorAction SilentlyContinue }
    AfterAll { Disconnect-ImapServer }

    It 'saves every PDF from unread mail, then marks it read: Search -Unseen | Save-ImapAttachment -Name *.pdf | Set-ImapMessageFlag -Seen' {
        $files = Search-ImapMessage -Unseen | Save-ImapAttachment -Path $script:dir -Name *.pdf
        @($files.Name | Sort-Object) | Should -Be @('invoice (2).pdf', 'invoice.pdf')
        @(Get-ChildItem $script:dir).Count | Should -Be 2 -Because 'notes.txt does not match, old.pdf is in read mail, ../../ stays inside'
        [System.IO.File]::ReadAllBytes((Join-Path $script:dir 'invoice.pdf')) | Should -Be $script:pdfA
        [System.IO.File]::ReadAllBytes((Join-Path $script:dir 'invoice (2).pdf')) | Should -Be $script:pdfB
        $flags = Get-ServerFlags $script:user.Name
        $flags["$($script:first)"] | Should -Not -Match '\\Seen' -Because 'saving does not mark mail read'
        $files | Set-ImapMessageFlag -Seen
        $flags = Get-ServerFlags $script:user.Name
        $flags["$($script:first)"] | Should -Match '\\Seen'
        $flags["$($script:second)"] | Should -Match '\\Seen'
        Get-ImapMessage -Uid $script:first, $script:second | Set-ImapMessageFlag -Unseen
    }

    It 'never overwrites without -Force, overwrites with it, and writes nothing with -WhatIf' {
        Get-ImapMessage -Uid $script:first | Save-ImapAttachment -Path $script:dir -WhatIf | Should -BeNullOrEmpty
        Test-Path $script:dir | Should -BeFalse
        (Get-ImapMessage -Uid $script:first | Save-ImapAttachment -Path $script:dir).Name | Should -Be @('invoice.pdf', 'notes.txt')
        (Get-ImapMessage -Uid $script:second | Save-ImapAttachment -Path $script:dir).Name | Should -Be 'invoice (2).pdf'
        (Get-ImapMessage -Uid $script:second | Save-ImapAttachment -Path $script:dir -Name *.pdf -Force).Name | Should -Be 'invoice.pdf'
        [System.IO.File]::ReadAllBytes((Join-Path $script:dir 'invoice.pdf')) | Should -Be $script:pdfB
    }

    It 'reports a missing message as ImapMessageNotFound and says what it does with -Verbose' {
        { Save-ImapAttachment -Folder INBOX -Uid 999999 -Path $script:dir -ErrorAction Stop } | Should -Throw -ErrorId 'ImapMessageNotFound*'
        "$(Get-ImapMessage -Uid $script:first | Save-ImapAttachment -Path $script:dir -Verbose 4>&1)" | Should -Match '2 attachment'
    }
}

Describe 'Connect-ImapServer -AccessTokenProvider' {
    BeforeAll { $script:user = New-ImapRxTestUser }
    BeforeEach { $script:calls = New-TemporaryFile }
    AfterEach { Remove-Item $script:calls -ErrorAction SilentlyContinue; Disconnect-ImapServer }

    It 'asks the script block for a token, and again with $true after the server rejected it; the token is never shown' {
        # The sandbox offers no OAuth2, so every token is rejected: what matters is who is asked, when, and what leaks.
        $provider = [scriptblock]::Create("param(`$ForceRefresh) Add-Content -LiteralPath '$($script:calls.FullName)' -Value `"`$ForceRefresh`"; ConvertTo-SecureString 'tok-SECRET-123' -AsPlainText -Force")
        $Error.Clear()
        Connect-ImapServer -Server $sandbox.host -Port $sandbox.tlsPort -TrustedCaPath $sandbox.caPath -UserName $script:user.Name -AccessTokenProvider $provider -MaxRetries 0 -ErrorAction SilentlyContinue -ErrorVariable failed |
            Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ImapAuthenticationFailed*'
        @(Get-Content $script:calls.FullName) | Should -Be @('False', 'True')
        ($Error | ForEach-Object { $_ | Format-List * -Force | Out-String; $_.Exception.ToString() }) -join "`n" | Should -Not -Match 'tok-SECRET-123'
    }

    It 'reports a script block that fails or returns nothing, naming -AccessTokenProvider' {
        { Connect-ImapServer -Server $sandbox.host -Port $sandbox.tlsPort -TrustedCaPath $sandbox.caPath -UserName $script:user.Name -AccessTokenProvider { throw 'vault locked' } -MaxRetries 0 -ErrorAction Stop } |
            Should -Throw '*AccessTokenProvider failed*vault locked*'
        { Connect-ImapServer -Server $sandbox.host -Port $sandbox.tlsPort -TrustedCaPath $sandbox.caPath -UserName $script:user.Name -AccessTokenProvider { } -MaxRetries 0 -ErrorAction Stop } |
            Should -Throw '*returned no token*'
    }
}
