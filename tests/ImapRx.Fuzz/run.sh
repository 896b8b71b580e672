#!/usr/bin/env bash
# Fuzzes the native FETCH reader (tests/ImapRx.Tests/Wire/WireFuzzTarget.cs) with afl-fuzz. By hand, never in CI:
#   tests/ImapRx.Fuzz/run.sh [minutes] [body]     (default 10; "body": the whole-message target, corpus-body/)
# Installs afl++ (apt-get, needs root) and the sharpfuzz tool (into the git-ignored .tools/) when missing, builds
# Release, instruments ImapRx.dll (only it) in a copy of the output, and fuzzes from corpus/. Everything it writes
# goes to the git-ignored tests/ImapRx.Fuzz/out/ (findings in out/findings/default/{crashes,hangs,queue}).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
minutes=${1:-10}
mode=${2:-headers}
if [ "$mode" = body ]; then target=fuzz-body; corpus="$here/corpus-body"; replay=replay-body; regressions=regressions-body; out="$here/out-body"
else target=fuzz; corpus="$here/corpus"; replay=replay; regressions=regressions; fi
tools="$root/.tools/sharpfuzz"
out=${out:-"$here/out"}
bin="$here/bin/Release/net10.0"

if ! command -v afl-fuzz >/dev/null; then
  apt-get install -y afl++
fi
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools"
fi

dotnet build "$here/ImapRx.Fuzz.csproj" -c Release
# Instrument a copy, so the build output stays plain (replay runs it) and a rebuild never re-instruments.
rm -rf "$out/app"
mkdir -p "$out"
cp -r "$bin" "$out/app"
"$tools/sharpfuzz" "$out/app/ImapRx.dll"

# dotnet itself is not instrumented (only ImapRx.dll is, through SharpFuzz's shared-memory hook); the machine is
# shared, so no CPU pinning; -t: the first run starts the runtime.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_UI=1 AFL_AUTORESUME=1
afl-fuzz -i "$corpus" -o "$out/findings" -t 10000 -m none -V $((minutes * 60)) \
  -- dotnet "$out/app/ImapRx.Fuzz.dll" "$target" || true

stats="$out/findings/default/fuzzer_stats"
if [ -f "$stats" ]; then
  grep -E '^(execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|unique_crashes|unique_hangs|run_time) ' "$stats" || true
fi
cat <<TEXT

Replay the findings through the same target, uninstrumented, in-process (exits 1 on the first failure):
  dotnet $bin/ImapRx.Fuzz.dll $replay $out/findings/default/crashes $out/findings/default/hangs
A crash that reproduces belongs in tests/ImapRx.Fuzz/$regressions/ (replayed by WireFuzzCorpusTests in CI);
small new queue entries ($out/findings/default/queue) can join $corpus/.
TEXT
