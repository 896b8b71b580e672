#!/usr/bin/env bash
# Runs the benchmark by hand (never in CI): bash bench/run.sh [--quick] [--scenarios=S1,S2,S3,S4,S5,S6] [--contenders=a,b]
#   --contenders: only these, in S1 and S2 (the S2 experiments socket-condstore and socket-second included).
#   S6 (Orleans cluster) sizes: [--s6-accounts=100,300] [--s6-burst=5]; a bigger list is a longer run.
#   bash bench/run.sh micro [BenchmarkDotNet arguments, e.g. --filter '*']  for the in-process microbenchmarks.
#   bash bench/run.sh parse [count=20000] [rounds=10]  for the native FETCH reader alone, on a reply held in memory.
# Starts a private Dovecot on 127.0.0.1, writes the corpora straight into Maildir, and runs each contender in its
# own process; results go to stdout and to bench/ImapRx.Bench/bin/Release/net10.0/results-*.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dovecot.sh
# One inotify instance per IDLE connection: S4 watches up to 1,000 folders (Dovecot polls every 30 s past the limit).
if [ "$(cat /proc/sys/fs/inotify/max_user_instances)" -lt 4096 ]; then
  sysctl -qw fs.inotify.max_user_instances=4096 || echo "note: could not raise fs.inotify.max_user_instances; S4 will be slow"
fi
dotnet build bench/ImapRx.Bench -c Release -v quiet -nologo
dotnet build bench/ImapRx.Bench.Cluster -c Release -v quiet -nologo # S6, the Orleans cluster (its own child process)
exec dotnet bench/ImapRx.Bench/bin/Release/net10.0/ImapRx.Bench.dll "$@"
