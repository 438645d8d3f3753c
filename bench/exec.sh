#!/usr/bin/env bash
# exec benchmark: jrun one-shot (JRUN_SERVER=off), jrun through its warm server (JRUN_SERVER=on) and runc,
# side by side in one run. Each runtime runs one container (busybox, runc's own `runc spec` config running
# `sleep 1000000`); then N rounds of `exec ID /bin/true` (foreground: the call returns with the process's
# status) and `exec --detach ID /bin/true`, the runtimes taking turns in a rotating order so that all see
# the same machine noise. Prints medians in ms and the ratios to runc.
# Needs root and runc (apt-get install runc); builds nothing. The server is its own (JRUN_SERVER_DIR in the
# work directory) and is stopped at the end.
#
# Usage: bench/exec.sh [-n N]    N rounds (default 20), after 3 unmeasured ones
set -euo pipefail

repo=$(cd -P -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
. "$repo/bench/lib/common.sh"
bench_rounds exec.sh 20 "$@"
bench_require_build exec.sh "$repo"
command -v runc >/dev/null || { echo "exec.sh: runc is not installed (apt-get install runc)" >&2; exit 1; }
[ -n "${EPOCHREALTIME:-}" ] || { echo "exec.sh: needs bash 5 or newer (EPOCHREALTIME)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "exec.sh: needs root (runc and jrun create containers)" >&2; exit 1; }

work=$(mktemp -d /tmp/jrun-bench.XXXXXX)
server_dir=$work/server
runtimes=(oneshot warm runc)

call() {  # runtime args...
  local rt=$1; shift
  case $rt in
    oneshot) JRUN_SERVER=off "$repo/bin/jrun" --root "$work/jrun-oneshot" "$@" ;;
    warm) JRUN_SERVER=on JRUN_SERVER_DIR=$server_dir "$repo/bin/jrun" --root "$work/jrun-warm" "$@" ;;
    runc) runc --root "$work/runc-state" "$@" ;;
  esac
}
must() {  # runtime args...
  call "$@" >/dev/null 2>"$work/err" || { echo "exec.sh: failed: $*" >&2; cat "$work/err" >&2; exit 1; }
}

cleanup() {
  local rt
  for rt in "${runtimes[@]}"; do call "$rt" delete --force "$rt-exec-$$" >/dev/null 2>&1 || true; done
  bench_stop_server exec.sh "$server_dir" || true
  rm -rf -- "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

"$repo/scripts/make-rootfs.sh" "$work/bundle/rootfs" >/dev/null
(cd "$work/bundle" && runc spec)
python3 - "$work/bundle/config.json" <<'PY'
import json, sys
path = sys.argv[1]
spec = json.load(open(path))
spec["process"]["terminal"] = False
spec["process"]["args"] = ["sleep", "1000000"]
json.dump(spec, open(path, "w"), indent=2)
PY
mkdir -m 0700 "$server_dir"
for rt in "${runtimes[@]}"; do
  must "$rt" run --detach --bundle "$work/bundle" "$rt-exec-$$"   # ids differ: each has the cgroup /jrun/ID
done

round() {  # measure(0|1): each runtime in turn, the order rotating with the round
  local measure=$1 k rt t0 t1 t2
  for k in 0 1 2; do
    rt=${runtimes[(k + round_no) % 3]}
    t0=${EPOCHREALTIME/./}
    must "$rt" exec "$rt-exec-$$" /bin/true
    t1=${EPOCHREALTIME/./}
    must "$rt" exec --detach "$rt-exec-$$" /bin/true
    t2=${EPOCHREALTIME/./}
    if [ "$measure" = 1 ]; then
      echo $((t1 - t0)) >> "$work/$rt.exec"
      echo $((t2 - t1)) >> "$work/$rt.detach"
    fi
  done
}
round_no=0
for _ in 1 2 3; do round 0; round_no=$((round_no + 1)); done
for _ in $(seq "$n"); do round 1; round_no=$((round_no + 1)); done

median() { sort -n "$1" | awk '{a[NR] = $1} END {m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f", m / 1000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
printf '%s rounds, load %s\n' "$n" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '\n%-24s %11s %11s %11s %14s %10s\n' median "jrun 1-shot" "jrun warm" runc "1-shot/runc" "warm/runc"
for step in exec detach; do
  o=$(median "$work/oneshot.$step"); w=$(median "$work/warm.$step"); r=$(median "$work/runc.$step")
  label=$([ "$step" = exec ] && echo "exec true (waits)" || echo "exec --detach true")
  printf '%-24s %8s ms %8s ms %8s ms %13sx %9sx\n' "$label" "$o" "$w" "$r" "$(ratio "$o" "$r")" "$(ratio "$w" "$r")"
done
