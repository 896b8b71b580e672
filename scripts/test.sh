#!/usr/bin/env bash
# The full test suite: installs Dovecot if needed (the integration tests start private instances of it),
# then runs every test project, prints the runner's per-test results and summary, and a plain
# "N passed, N failed, N skipped" line at the end.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-dovecot.sh || exit 1
# Dovecot uses one inotify instance per IDLE; past the kernel's default of 128 it silently falls back to
# polling every 30 s, which the many-watch tests would see as lost events.
if [ "$(cat /proc/sys/fs/inotify/max_user_instances 2>/dev/null || echo 0)" -lt 1024 ]; then
  sysctl -qw fs.inotify.max_user_instances=1024 2>/dev/null || echo "note: could not raise fs.inotify.max_user_instances (not root?)"
fi
log=$(mktemp)
# Build the whole solution first (the benchmark and samples too, so they never rot), then test what was built.
if ! dotnet build ImapRx.sln -nologo -v quiet; then
  echo "build failed"; exit 1
fi
dotnet test ImapRx.sln --no-build --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# The PowerShell module under real pwsh and Pester, both pinned and from the NuGet feed, into the git-ignored
# .tools/. A failed install fails the run: the Pester suite is never skipped.
pwsh=.tools/pwsh/pwsh
if [ "$("$pwsh" -NoProfile -Version 2>/dev/null)" != "PowerShell 7.6.9" ]; then
  rm -rf .tools/pwsh
  if ! dotnet tool install --tool-path .tools/pwsh PowerShell --version 7.6.9; then
    echo "FAILED: could not install pwsh 7.6.9 (dotnet tool install PowerShell)"; exit 1
  fi
fi
if ! dotnet restore tests/pester/PesterRestore.csproj -nologo -v quiet; then
  echo "FAILED: could not restore Pester 5.7.1 (tests/pester/PesterRestore.csproj)"; exit 1
fi
version=$(grep -oP '<Version>\K[^<]+' Directory.Build.props)
mkdir -p TestResults
# The suite runs against the laid-out module (out/ImapRx/<version>, built with the solution) and a sandbox Dovecot
# the runner starts and stops (tests/ImapRx.Sandbox.Launcher).
"$pwsh" -NoProfile -NonInteractive -File tests/pester/Invoke-ImapRxPester.ps1 \
  -PesterPath "$PWD/.tools/packages/pester/5.7.1/tools/Pester.psd1" \
  -ModulePath "$PWD/out/ImapRx/$version/ImapRx.psd1" \
  -ResultPath "$PWD/TestResults/pester.xml" 2>&1 | tee -a "$log"
pester_status=${PIPESTATUS[0]}
pester_line=$(grep -E '^Pester: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$log" | tail -n 1)
if [ -z "$pester_line" ]; then
  echo "FAILED: the Pester run printed no summary"; pester_status=1
fi
pester() { echo "$pester_line" | grep -oE "[0-9]+ $1" | grep -oE '[0-9]+' || echo 0; }

# dotnet test's summaries: "Total tests: N" then "     Passed: N", "     Failed: N", "    Skipped: N" (absent when 0);
# Pester's counts are added to them.
# One summary per test project (ImapRx.Tests, ImapRx.Orleans.Tests): add them all up.
# Every failed test by name with its first line of error, last, where a reader of only the tail sees them all.
failed_list=$(awk '/^  Failed [A-Za-z]/ { name = $0; sub(/^  Failed /, "", name); sub(/ \[[^]]*\]$/, "", name); want = 1; next }
  want && /Error Message:/ { getline; sub(/^ +/, ""); print "  " name ": " substr($0, 1, 300); want = 0 }' "$log")
pester_failed=$(sed -E 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ *\[-\] ' | sed -E 's/^ */  Pester: /')
if [ -n "$failed_list$pester_failed" ]; then
  echo "Failed tests:"
  [ -n "$failed_list" ] && echo "$failed_list"
  [ -n "$pester_failed" ] && echo "$pester_failed"
fi
count() { grep -E "^ +$1: +[0-9]+$" "$log" | grep -oE '[0-9]+' | awk '{ n += $1 } END { print n + 0 }'; }
if grep -qE '^Total tests: +[0-9]+' "$log"; then
  echo "$(( $(count Passed) + $(pester passed) )) passed, $(( $(count Failed) + $(pester failed) )) failed, $(( $(count Skipped) + $(pester skipped) )) skipped"
fi
rm -f "$log"
if [ "$status" -eq 0 ] && [ "$pester_status" -ne 0 ]; then status=$pester_status; fi
exit "$status"
