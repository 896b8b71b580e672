#!/usr/bin/env bash
# The main job: start a private sandbox Dovecot on 127.0.0.1 seeded with sample mail and run an
# Rx pipeline against it (folders, a search, a fetch batch, then live IDLE events).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dovecot.sh
dotnet run --project samples/ImapRx.Demo/ImapRx.Demo.csproj -c Release -- "$@"
