#!/usr/bin/env bash
# Two Orleans silos on 127.0.0.1 keep sandbox mailboxes in sync; one stops, its accounts move, nothing is lost.
#   bash samples/ImapRx.Samples.Cluster/run.sh [--accounts=8] [--rounds=6] [--kill]
# Starts everything itself (a private Dovecot, both silos) and removes it all on every exit: success, failure,
# Ctrl+C or kill. Exit code 0 only when every appended message was handled and every account moved.
set -euo pipefail
cd "$(dirname "$0")/../.."

sandbox=$(mktemp -d "${TMPDIR:-/tmp}/imaprx-cluster.XXXXXX")
chmod 755 "$sandbox" # mktemp makes it 0700; Dovecot's unprivileged auth process must reach the sandbox's user list
sample_pid=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$sample_pid" ]] && kill -0 "$sample_pid" 2>/dev/null; then
    kill -TERM "$sample_pid" 2>/dev/null || true
    wait "$sample_pid" 2>/dev/null || true
  fi
  # A Dovecot the sample could not stop itself (it was killed): stop it by its own pid file, nothing else.
  local pidfile pid tries
  for pidfile in "$sandbox"/*/run/master.pid; do
    [[ -f "$pidfile" ]] || continue
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || continue
    for tries in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  rm -rf "$sandbox"
  exit "$status"
}
trap cleanup EXIT
trap 'echo; echo "Interrupted; cleaning up."; exit 130' INT
trap 'exit 143' TERM

echo "[1/3] Checking that Dovecot is installed ..."
bash scripts/install-dovecot.sh
echo "[2/3] Building samples/ImapRx.Samples.Cluster (Release; a minute the first time) ..."
dotnet build samples/ImapRx.Samples.Cluster/ImapRx.Samples.Cluster.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
echo "[3/3] Running the cluster ..."
# In the background and waited for, so Ctrl+C reaches the trap at once; TMPDIR puts the sandbox under ours.
TMPDIR="$sandbox" dotnet samples/ImapRx.Samples.Cluster/bin/Release/net10.0/ImapRx.Samples.Cluster.dll "$@" &
sample_pid=$!
wait "$sample_pid"
