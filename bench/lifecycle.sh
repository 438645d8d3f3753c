#!/usr/bin/env bash
# Lifecycle benchmark: N cycles of create -> start -> wait -> delete of /bin/true in one busybox
# bundle, alternating jrun and runc in the same run so both see the same machine noise.
# Prints per-step medians, the jrun/runc ratio, the peak RSS of each CLI call and the RSS of an
# init waiting to be started. Needs root and runc (apt-get install runc).
# Usage: bench/lifecycle.sh [-n N]
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
n=20
while getopts n: opt; do case $opt in n) n=$OPTARG ;; *) echo "usage: $0 [-n N]" >&2; exit 2 ;; esac; done

[ -x "$repo/runtime/target/jrun-init" ] && [ -f "$repo/runtime/target/jrun.jar" ] || { echo "build first: scripts/build.sh" >&2; exit 1; }
command -v runc >/dev/null || { echo "runc is not installed (apt-get install runc)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is not installed (apt-get install time)" >&2; exit 1; }

work=$(mktemp -d /tmp/jrun-bench.XXXXXX)
cleanup() {
  for id in "jrun-bench-$$" "runc-bench-$$"; do
    "$repo/bin/jrun" --root "$work/jrun-state" delete --force "$id" >/dev/null 2>&1 || true
    runc --root "$work/runc-state" delete --force "$id" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

"$repo/scripts/make-rootfs.sh" "$work/bundle/rootfs" >/dev/null
# One config for both runtimes: runc's own default, running /bin/true without a terminal.
(cd "$work/bundle" && runc spec)
python3 - "$work/bundle/config.json" <<'PY'
import json, sys
path = sys.argv[1]
spec = json.load(open(path))
spec["process"]["terminal"] = False
spec["process"]["args"] = ["/bin/true"]
json.dump(spec, open(path, "w"), indent=2)
PY

now_ns() { date +%s%N; }
# Runs a command, appends its wall time (ms) to $1 and its peak RSS (KiB) to $2.
timed() {
  local times=$1 rss=$2; shift 2
  local start end
  start=$(now_ns)
  /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>"$work/err" || { echo "failed: $*" >&2; cat "$work/err" >&2; exit 1; }
  end=$(now_ns)
  echo $(( (end - start) / 1000 )) >> "$times"
  cat "$work/rss" >> "$rss"
}

cycle() {  # runtime-name command-prefix...
  local name=$1; shift
  local id="$name-bench-$$" pidfile="$work/$name.pid"
  rm -f "$pidfile"
  timed "$work/$name.create" "$work/$name.create.rss" "$@" create --bundle "$work/bundle" --pid-file "$pidfile" "$id"
  local pid; pid=$(cat "$pidfile")
  grep VmRSS "/proc/$pid/status" | awk '{print $2}' >> "$work/$name.init.rss"
  local start; start=$(now_ns)
  timed "$work/$name.start" "$work/$name.start.rss" "$@" start "$id"
  while [ -e "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; do :; done
  echo $(( ($(now_ns) - start) / 1000 )) >> "$work/$name.startwait"
  timed "$work/$name.delete" "$work/$name.delete.rss" "$@" delete "$id"
}

row() { awk -v l="$1" -v j="$2" -v r="$3" 'BEGIN {printf "%-22s %9.1f ms %9.1f ms %7.1fx\n", l, j/1000, r/1000, j/r}'; }
median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "lifecycle benchmark: $n cycles each, alternating, /bin/true in a busybox bundle"
echo "machine: $(nproc) cores, $(uname -r); $("$repo/bin/jrun" --version | head -1); $(runc --version | head -1)"
for i in $(seq "$n"); do
  cycle jrun "$repo/bin/jrun" --root "$work/jrun-state"
  cycle runc runc --root "$work/runc-state"
done

printf '\n%-22s %12s %12s %8s\n' "median" "jrun" "runc" "ratio"
for step in create start startwait delete; do
  j=$(median "$work/jrun.$step"); r=$(median "$work/runc.$step")
  label=$step; [ "$step" = startwait ] && label="start+exit"
  row "$label" "$j" "$r"
done
paste -d' ' "$work/jrun.create" "$work/jrun.startwait" "$work/jrun.delete" | awk '{print $1+$2+$3}' > "$work/jrun.cycle"
paste -d' ' "$work/runc.create" "$work/runc.startwait" "$work/runc.delete" | awk '{print $1+$2+$3}' > "$work/runc.cycle"
j=$(median "$work/jrun.cycle"); r=$(median "$work/runc.cycle")
row "whole cycle" "$j" "$r"

printf '\n%-22s %12s %12s\n' "peak RSS (median)" "jrun" "runc"
for step in create start delete; do
  printf '%-22s %8s KiB %8s KiB\n' "$step (CLI)" "$(median "$work/jrun.$step.rss")" "$(median "$work/runc.$step.rss")"
done
printf '%-22s %8s KiB %8s KiB\n' "waiting init (VmRSS)" "$(median "$work/jrun.init.rss")" "$(median "$work/runc.init.rss")"
