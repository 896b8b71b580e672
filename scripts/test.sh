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
# dotnet test's summary: "Total tests: N" then "     Passed: N", "     Failed: N", "    Skipped: N" (absent when 0).
count() { grep -E "^ +$1: +[0-9]+$" "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0; }
if grep -qE '^Total tests: +[0-9]+' "$log"; then
  echo "$(count Passed) passed, $(count Failed) failed, $(count Skipped) skipped"
fi
rm -f "$log"
exit "$status"
