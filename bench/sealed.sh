#!/usr/bin/env bash
# What the sealed helper costs (docs/security.md): jrun-init copies itself into a sealed memfd and
# re-execs from it before anything else. Two measurements, N rounds each, the two builds interleaved:
#   - helper: jrun-init alone, started with a JRUN_INIT_SOCK nobody listens on, so it ends at CONNECT:
#     the sealed build pays the copy and the second exec, the unsealed one (gcc -DJRUN_INIT_UNSEALED,
#     built here into the work directory, used for nothing else) does not;
#   - create: a warm `jrun create` (+ an untimed delete --force) of a busybox bundle, through this
#     build and through a copy of it whose jrun-init is the unsealed one, each with a server of its own
#     (JRUN_SERVER_DIR in the work directory, stopped at the end).
# Needs root and gcc; builds nothing of the checkout.
#
# Usage: bench/sealed.sh [-n N]    N rounds (default 40), after 3 unmeasured ones
set -euo pipefail

repo=$(cd -P -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
. "$repo/bench/lib/common.sh"
bench_rounds sealed.sh 40 "$@"
bench_require_build sealed.sh "$repo"
[ "$(id -u)" = 0 ] || { echo "sealed.sh: needs root (jrun creates containers)" >&2; exit 1; }

work=$(mktemp -d /tmp/jrun-sealed.XXXXXX)
builds=(sealed unsealed)
declare -A home=([sealed]=$repo [unsealed]=$work/unsealed)
cleanup() {
  local b
  for b in "${builds[@]}"; do
    JRUN_SERVER=off "${home[$b]}/bin/jrun" --root "$work/state-$b" delete --force "bench-$b-$$" >/dev/null 2>&1 || true
    bench_stop_server sealed.sh "$work/server-$b" || true
  done
  rm -rf -- "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# The copy: what bin/jrun and the client need (cp -a keeps the jar's mtime, which the AOT cache checks).
u=$work/unsealed
mkdir -p "$u/bin" "$u/scripts" "$u/runtime/target"
cp -a "$repo/bin/jrun" "$u/bin/"
cp -a "$repo/scripts/lib" "$u/scripts/"
cp -a "$repo/runtime/target/jrun.jar" "$repo/runtime/target/jrun.aot" "$repo/runtime/target/jrun-client" "$u/runtime/target/"
c=$repo/runtime/src/main/c
gcc -static -O2 -DJRUN_INIT_UNSEALED -o "$u/runtime/target/jrun-init" "$c/jrun-init.c" "$c/sealed.c" "$c/fs.c" "$c/process.c"

"$repo/scripts/make-rootfs.sh" "$work/bundle/rootfs" >/dev/null
(cd "$work/bundle" && JRUN_SERVER=off "$repo/bin/jrun" spec)
bench_runs_true "$work/bundle/config.json"
for b in "${builds[@]}"; do mkdir -m 0700 "$work/server-$b"; done

helper() {  # build
  JRUN_INIT_SOCK=$work/nobody-listens "${home[$1]}/runtime/target/jrun-init" 2>/dev/null || true
}
create() {  # build
  JRUN_SERVER=on JRUN_SERVER_DIR=$work/server-$1 "${home[$1]}/bin/jrun" --root "$work/state-$1" \
    create --bundle "$work/bundle" "bench-$1-$$" >/dev/null 2>"$work/err" \
    || { echo "sealed.sh: create through the $1 build failed" >&2; cat "$work/err" >&2; exit 1; }
}
delete() {  # build
  JRUN_SERVER=on JRUN_SERVER_DIR=$work/server-$1 "${home[$1]}/bin/jrun" --root "$work/state-$1" \
    delete --force "bench-$1-$$" >/dev/null
}

for ((round = -3; round < n; round++)); do
  for ((k = 0; k < 2; k++)); do
    b=${builds[$(( (round + 3 + k) % 2 ))]}  # alternate which build goes first
    t0=${EPOCHREALTIME/./}; helper "$b"; t1=${EPOCHREALTIME/./}
    create "$b"; t2=${EPOCHREALTIME/./}
    delete "$b"
    if (( round >= 0 )); then echo $((t1 - t0)) >> "$work/$b.helper"; echo $((t2 - t1)) >> "$work/$b.create"; fi
  done
done

median() { sort -n "$1" | awk '{v[NR] = $1} END {printf "%.2f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 1000}'; }
printf '%-28s %12s %12s\n' "median ms, $n rounds" helper create
for b in "${builds[@]}"; do
  printf '%-28s %12s %12s\n' "$b" "$(median "$work/$b.helper")" "$(median "$work/$b.create")"
done
