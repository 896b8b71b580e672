#!/usr/bin/env bash
# The full test suite: installs Dovecot if needed (the integration tests start private instances of it),
# then runs every test project, prints the runner's per-test results and summary, and a plain
# "N passed, N failed, N skipped" line at the end.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-dovecot.sh || exit 1
log=$(mktemp)
dotnet test ImapRx.sln --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# dotnet test's own summary line: "Passed!  - Failed:     0, Passed:   416, Skipped:     0, Total: ..."
summary=$(grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" | tail -n 1)
rm -f "$log"
if [[ -n "$summary" ]]; then
  failed=$(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$summary")
  passed=$(sed -E 's/.*Passed: +([0-9]+),.*/\1/' <<<"$summary")
  skipped=$(sed -E 's/.*Skipped: +([0-9]+),.*/\1/' <<<"$summary")
  echo "${passed} passed, ${failed} failed, ${skipped} skipped"
fi
exit "$status"
