#!/usr/bin/env bash
# The full test suite: installs Dovecot if needed (the integration tests start private instances of it),
# then runs every test project and prints the runner's per-test results and summary.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-dovecot.sh
exec dotnet test ImapRx.sln --logger "console;verbosity=normal" "$@"
