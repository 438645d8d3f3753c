#!/usr/bin/env bash
# Cold commands: one-shot `state` (of a missing container) and `--version`, and the first `state` through the client
# when no server runs (it runs one-shot, and a server starts behind it), then a second one at once (it waits for that
# server to listen, then is served by it) and a third. N rounds, the installations
# interleaved so that all see the same machine noise; prints the medians. Each installation gets a server directory of
# its own; a server is stopped by SIGTERM to the pid in its jrun-server.pid, once /proc/PID/cmdline shows it is the
# server of that directory. Needs no root.
# Usage: bench/cold.sh [-n N] [REPO...]
#   REPO: a checkout (or a copy of bin/, scripts/lib/ and runtime/target/) with jrun built; default: this one.
#   Keep a copy of an older build to compare: mkdir -p /tmp/old/runtime && cp -a bin scripts /tmp/old/ &&
#   cp -a runtime/target /tmp/old/runtime/   (cp -a keeps the jar's mtime, which the AOT cache checks)
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
. "$repo/bench/lib/common.sh"
n=15
while getopts n: opt; do case $opt in n) n=$OPTARG ;; *) echo "usage: $0 [-n N] [REPO...]" >&2; exit 2 ;; esac; done
shift $((OPTIND - 1))
repos=("$@")
[ ${#repos[@]} -gt 0 ] || repos=("$repo")
for r in "${repos[@]}"; do
  [ -x "$r/bin/jrun" ] && [ -f "$r/runtime/target/jrun.jar" ] && [ -x "$r/runtime/target/jrun-client" ] \
    || { echo "$r: no bin/jrun, runtime/target/jrun.jar or jrun-client (build: scripts/build.sh)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/jrun-cold.XXXXXX)
cleanup() {
  for i in "${!repos[@]}"; do bench_stop_server cold.sh "$work/server-$i"; done
  rm -rf "$work"
}
trap cleanup EXIT

# Appends the wall time (us) of a command to $work/<case>.<i>; its output and exit status do not matter.
timed() {
  local file=$1 start; shift
  start=${EPOCHREALTIME/./}
  "$@" >/dev/null 2>&1 || true
  echo $(( ${EPOCHREALTIME/./} - start )) >> "$work/$file"
}

cases=(oneshot-state oneshot-version cold-first second third)
for ((round = 0; round < n; round++)); do
  for i in "${!repos[@]}"; do
    r=${repos[$i]} dir=$work/server-$i
    mkdir -p -m 0700 "$dir"
    bench_stop_server cold.sh "$dir"
    sleep 0.2  # the stopped JVM's exit is not in the next measurement
    timed "cold-first.$i" env JRUN_SERVER_DIR="$dir" "$r/bin/jrun" --root "$work/root" state nosuch
    timed "second.$i" env JRUN_SERVER_DIR="$dir" "$r/bin/jrun" --root "$work/root" state nosuch
    timed "third.$i" env JRUN_SERVER_DIR="$dir" "$r/bin/jrun" --root "$work/root" state nosuch
    bench_stop_server cold.sh "$dir"
    sleep 0.2
    timed "oneshot-state.$i" env JRUN_SERVER=off "$r/bin/jrun" --root "$work/root" state nosuch
    timed "oneshot-version.$i" env JRUN_SERVER=off "$r/bin/jrun" --version
  done
done

median() { sort -n "$1" | awk '{v[NR] = $1} END {printf "%.1f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 1000}'; }
printf '%-36s' "median ms, $n rounds"
for c in "${cases[@]}"; do printf ' %16s' "$c"; done
echo
for i in "${!repos[@]}"; do
  printf '%-36s' "${repos[$i]}"
  for c in "${cases[@]}"; do printf ' %16s' "$(median "$work/$c.$i")"; done
  echo
done
