#!/usr/bin/env bash
# What veth networking adds to create: N creates (each followed by delete) of the same busybox
# container with and without a jrun.veth section, alternating, medians side by side, plus the
# median of create's own "network" stage (from --debug). The host ends go into a network
# namespace this script makes and removes, so the machine's own network is never touched.
# Usage: bench/network.sh [-n N]    (root)
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
n=20
while getopts n: opt; do case $opt in n) n=$OPTARG ;; *) echo "usage: $0 [-n N]" >&2; exit 2 ;; esac; done
[ -f "$repo/runtime/target/jrun.jar" ] || { echo "build first: scripts/build.sh" >&2; exit 1; }

work=$(mktemp -d /tmp/jrun-netbench.XXXXXX)
ns="jrun-netbench-$$"
cleanup() {
  for id in plain veth; do "$repo/bin/jrun" --root "$work/state" delete --force "$id" >/dev/null 2>&1 || true; done
  ip netns delete "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns"
"$repo/scripts/make-rootfs.sh" "$work/rootfs" >/dev/null
common='ociVersion: 1.2.0
root: {path: rootfs}
process: {cwd: /, user: {uid: 0, gid: 0}, args: [/bin/true], env: [PATH=/bin]}
mounts: [{destination: /proc, type: proc, source: proc}]
linux: {namespaces: [{type: pid}, {type: mount}, {type: network}]}'
printf '%s\n' "$common" > "$work/plain.yaml"
printf '%s\njrun:\n  veth:\n    hostNetns: /run/netns/%s\n    containerAddresses: [10.199.0.2/24]\n    hostAddresses: [10.199.0.1/24]\n    gateways: [10.199.0.1]\n' "$common" "$ns" > "$work/veth.yaml"

now_ns() { date +%s%N; }
measure() {  # name
  local start end
  start=$(now_ns)
  "$repo/bin/jrun" --root "$work/state" --debug create "$work/$1.yaml" </dev/null >/dev/null 2>"$work/$1.err"
  end=$(now_ns)
  echo $(( (end - start) / 1000 )) >> "$work/$1.create"
  awk '$3 == "network" {print $4 * 1000}' "$work/$1.err" >> "$work/$1.stage"
  "$repo/bin/jrun" --root "$work/state" delete --force "$1" >/dev/null
}
median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "network benchmark: $n creates each, alternating, host ends in namespace $ns"
for i in $(seq "$n"); do measure plain; measure veth; done
p=$(median "$work/plain.create"); v=$(median "$work/veth.create")
awk -v p="$p" -v v="$v" 'BEGIN {printf "%-34s %9.1f ms\n%-34s %9.1f ms\n%-34s %9.1f ms (%.2fx)\n", "create without network (median)", p/1000, "create with veth (median)", v/1000, "what veth adds", (v-p)/1000, v/p}'
awk -v s="$(median "$work/plain.stage")" -v t="$(median "$work/veth.stage")" 'BEGIN {printf "%-34s %9.1f ms -> %.1f ms\n", "network stage inside create", s/1000, t/1000}'
