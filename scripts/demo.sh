#!/usr/bin/env bash
# The main job: start a private sandbox Dovecot on 127.0.0.1 seeded with sample mail and run an
# Rx pipeline against it (folders, a search, a fetch batch, then live IDLE events).
# Says what it is doing from the first second, times each step, and removes its sandbox directory
# (and stops its Dovecot) on every exit: success, failure, Ctrl+C or kill.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "ImapRx demo: 3 steps (check Dovecot, build the demo, run it against a private Dovecot on 127.0.0.1)."

# Everything the demo writes (the sandbox server's directory) goes under one directory of ours.
sandbox=$(mktemp -d "${TMPDIR:-/tmp}/imaprx-demo.XXXXXX")
chmod 755 "$sandbox" # mktemp makes it 0700; Dovecot's unprivileged auth process must reach the sandbox's user list
demo_pid=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$demo_pid" ]] && kill -0 "$demo_pid" 2>/dev/null; then
    kill -TERM "$demo_pid" 2>/dev/null || true
    wait "$demo_pid" 2>/dev/null || true
  fi
  # A Dovecot the demo could not stop itself (the demo was killed): stop it by its own pid file, nothing else.
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

step_started=0
step() { step_started=$SECONDS; echo; echo "[$1/3] $2"; }
done_step() { echo "      done in $((SECONDS - step_started)) s"; }

step 1 "Checking that Dovecot is installed (apt-get install dovecot-imapd if it is not) ..."
bash scripts/install-dovecot.sh
done_step

step 2 "Building the demo (samples/ImapRx.Demo, Release; about 30 s the first time, seconds after) ..."
dotnet build samples/ImapRx.Demo/ImapRx.Demo.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
done_step

step 3 "Running the demo ..."
# In the background and waited for, so Ctrl+C reaches the trap at once; TMPDIR puts the sandbox under ours.
TMPDIR="$sandbox" dotnet samples/ImapRx.Demo/bin/Release/net10.0/ImapRx.Demo.dll "$@" &
demo_pid=$!
wait "$demo_pid"
demo_pid=""
done_step
