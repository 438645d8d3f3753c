#!/usr/bin/env bash
# podman benchmark: `podman run --rm IMG true` with jrun as podman's OCI runtime, through its warm
# server and one-shot, against runc; N runs each, the three in turn (rotating order) so that all see
# the same machine noise. Prints medians and ratios to runc, and the first run through a server
# that is not yet running (that run starts it). Target (issue 11): jrun warm <= 1.3x runc.
#
# Everything podman makes is kept in a work directory: storage (--root, --runroot), its tmp, lock,
# event, network-config and volume directories (a containers.conf of our own, CONTAINERS_CONF),
# the runtimes' state roots (--runtime-flag root=...) and jrun's server directory. The image is a
# busybox rootfs from scripts/make-rootfs.sh, imported. Containers run with --network none (no
# bridge or firewall rules made on the host; podman sets networks up itself, whatever the runtime)
# and with nofile/nproc limits the host allows (podman's default nofile of 1048576 cannot be set
# here: no CAP_SYS_RESOURCE, hard limit 20000; runc fails on it as jrun does). podman passes its
# OCI runtime no JRUN_* variable, so jrun runs behind two small wrappers that set JRUN_SERVER
# (and JRUN_SERVER_DIR) and exec bin/jrun.
# Needs root, podman (apt-get install podman) and runc; builds nothing (scripts/build.sh first).
#
# Usage: bench/podman.sh [-n N]    N runs per runtime (default 10), after 2 unmeasured rounds
set -euo pipefail

repo=$(cd -P -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
. "$repo/bench/lib/common.sh"
bench_rounds podman.sh 10 "$@"
bench_require_build podman.sh "$repo"
command -v podman >/dev/null || { echo "podman.sh: podman is not installed; as root: apt-get install podman" >&2; exit 1; }
runc=$(command -v runc) || { echo "podman.sh: runc is not installed (apt-get install runc)" >&2; exit 1; }
[ -n "${EPOCHREALTIME:-}" ] || { echo "podman.sh: needs bash 5 or newer (EPOCHREALTIME)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "podman.sh: needs root (rootful podman)" >&2; exit 1; }

# podman 4 writes these host-wide whatever its configuration says (the image blob cache on import,
# netavark's run directory); the ones that did not exist before are removed at the end.
host_paths=(/var/lib/containers /var/lib/containers/cache /var/lib/containers/cache/blob-info-cache-v1.boltdb
  /run/containers /run/containers/networks)
made_here=()
for p in "${host_paths[@]}"; do [ -e "$p" ] || made_here+=("$p"); done

work=$(mktemp -d /tmp/jrun-podman.XXXXXX)
# State roots: podman's container ids are 64 characters, and jrun's <root>/<id>/start.sock must fit
# a Unix socket path (107 bytes), so the roots are short, under /run.
roots=$(mktemp -d /run/jrun-pb.XXXXXX)
server_dir=$work/server
export CONTAINERS_CONF=$work/containers.conf
podman=(podman --root "$work/storage" --runroot "$work/run" --cgroup-manager cgroupfs --events-backend file)
image=jrun-bench:latest

cleanup() {
  local mnt p i
  if [ -d "$work/storage" ]; then
    "${podman[@]}" rm -af >/dev/null 2>&1 || true
    "${podman[@]}" rmi -af >/dev/null 2>&1 || true
  fi
  # podman 4 runs `delete` without its --runtime-flag root=..., so each runtime's delete looked in its default root
  # and left the containers (and their cgroups) in these: delete them by the exact ids each runtime lists.
  for rt in warm oneshot runc; do
    [ -d "$roots/$rt" ] || continue
    for id in $("$(runtime_of "$rt")" --root "$roots/$rt" list -q 2>/dev/null); do
      "$(runtime_of "$rt")" --root "$roots/$rt" delete --force "$id" >/dev/null 2>&1 || true
    done
  done
  bench_stop_server podman.sh "$server_dir" || true
  # containers/storage leaves its overlay home bind-mounted on itself; deepest mounts first.
  for ((i = 0; i < 2; i++)); do
    awk -v w="$work" 'index($5, w "/") == 1 {print $5}' /proc/self/mountinfo | sort -r | while read -r mnt; do
      umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null || true
    done
  done
  rm -rf -- "$work"
  rm -rf -- "$roots"
  for ((i = ${#made_here[@]} - 1; i >= 0; i--)); do
    p=${made_here[i]}
    if [ -d "$p" ]; then rmdir -- "$p" 2>/dev/null || true; else rm -f -- "$p"; fi
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

cat > "$CONTAINERS_CONF" <<EOF
[engine]
lock_type = "file"
events_logger = "file"
events_logfile_path = "$work/events.log"
cgroup_manager = "cgroupfs"
tmp_dir = "$work/tmp"
image_copy_tmp_dir = "$work/tmp"
volume_path = "$work/volumes"
static_dir = "$work/static"
[network]
network_config_dir = "$work/networks"
EOF
mkdir -p "$work/tmp"
mkdir -m 0700 "$server_dir"
for mode in warm oneshot; do
  setting=on; [ "$mode" = oneshot ] && setting=off
  cat > "$work/jrun-$mode" <<EOF
#!/bin/sh
# podman (through conmon) hands its OCI runtime an environment of its own: choose jrun's mode here.
export JRUN_SERVER=$setting JRUN_SERVER_DIR='$server_dir'
exec '$repo/bin/jrun' "\$@"
EOF
  chmod +x "$work/jrun-$mode"
done

"$repo/scripts/make-rootfs.sh" "$work/rootfs" >/dev/null
tar -C "$work/rootfs" -c . | "${podman[@]}" import - "$image" >/dev/null 2>"$work/err" \
  || { echo "podman.sh: podman import failed:" >&2; cat "$work/err" >&2; exit 1; }

runtime_of() { case $1 in warm) echo "$work/jrun-warm" ;; oneshot) echo "$work/jrun-oneshot" ;; runc) echo "$runc" ;; esac; }
run_once() {  # runtime file: one `podman run --rm`, its wall time (µs) appended to file
  local rt=$1 t0 t1
  local cmd=("${podman[@]}" --runtime "$(runtime_of "$rt")" --runtime-flag "root=$roots/$rt"
    run --rm --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "$image" true)
  t0=${EPOCHREALTIME/./}
  "${cmd[@]}" >"$work/out" 2>"$work/err" || {
    echo "podman.sh: failed ($rt): ${cmd[*]}" >&2; cat "$work/err" >&2
    [ -s "$server_dir/jrun-server.log" ] && { echo "--- $server_dir/jrun-server.log:" >&2; tail -n 20 "$server_dir/jrun-server.log" >&2; }
    exit 1
  }
  t1=${EPOCHREALTIME/./}
  echo $((t1 - t0)) >> "$2"
}
median() {  # file (µs) -> ms
  sort -n "$1" | awk '{a[NR] = $1} END {m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f", m / 1000}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

echo "podman benchmark: $n runs per runtime (+2 unmeasured rounds), in turn: podman run --rm --network none $image true"
echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg); $(podman --version); $("$repo/bin/jrun" --version | head -n 1); $(runc --version | head -n 1)"

# The very first run through jrun warm: its first runtime call runs one-shot and a server starts beside it, which
# serves the calls after it.
run_once warm "$work/first"
bench_await_start "$server_dir"
server=$(bench_server_pid "$server_dir") || { echo "podman.sh: no jrun server serves $server_dir after a run through jrun-warm (see its log)" >&2; exit 1; }
runtimes=(oneshot warm runc)
for ((i = 0; i < n + 2; i++)); do
  for ((j = 0; j < 3; j++)); do
    rt=${runtimes[(i + j) % 3]}
    if ((i < 2)); then run_once "$rt" "$work/warmup"; else run_once "$rt" "$work/$rt"; fi
  done
done
[ "$(bench_server_pid "$server_dir")" = "$server" ] || { echo "podman.sh: the jrun server changed during the run (see $server_dir/jrun-server.log)" >&2; exit 1; }

r=$(median "$work/runc")
printf '\n%-44s %10s %8s\n' "podman run --rm (median of $n)" "" "vs runc"
printf '%-44s %7s ms %7sx\n' "runc" "$r" "1.00"
for rt in warm oneshot; do
  v=$(median "$work/$rt")
  label="jrun warm (server)"; [ "$rt" = oneshot ] && label="jrun one-shot"
  printf '%-44s %7s ms %7sx\n' "$label" "$v" "$(ratio "$v" "$r")"
  [ "$rt" = warm ] && warm_ratio=$(ratio "$v" "$r")
done
f=$(median "$work/first")
printf '%-44s %7s ms %7sx\n' "jrun warm, first run (a server starts in it)" "$f" "$(ratio "$f" "$r")"

ppid=$(awk '/^PPid/ {print $2}' "/proc/$server/status")
printf '\njrun server: pid %s, VmRSS %s KiB, parent %s (pid %s), memory cgroup %s\n' "$server" \
  "$(awk '/^VmRSS/ {print $2}' "/proc/$server/status")" "$(cat "/proc/$ppid/comm")" "$ppid" \
  "$(awk -F: '$2 == "memory" {print $3}' "/proc/$server/cgroup")"
echo "target: jrun warm <= 1.3x runc: ${warm_ratio}x, $(awk -v v="$warm_ratio" 'BEGIN {print (v <= 1.3) ? "met" : "NOT met"}')"
