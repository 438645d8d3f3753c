#!/usr/bin/env bash
# Lifecycle benchmark: jrun one-shot (JRUN_SERVER=off), jrun through its warm server (JRUN_SERVER=on)
# and runc, side by side in one run. N rounds of create -> state -> start -> wait for the exit ->
# delete of /bin/true in one busybox bundle (runc's own `runc spec` config); in each round the three
# runtimes take turns, in a rotating order, so that all see the same machine noise. Then:
#   - peak RSS of each CLI call (GNU time, 5 rounds; through the server that is bin/jrun's bash and
#     the client, so the client alone is measured too), the idle server's VmRSS (after the timed
#     rounds) and the VmRSS of an init waiting to be started;
#   - the first call after an idle exit: with JRUN_SERVER_IDLE=1 the server ends 1 s after a call,
#     so each `state` starts a new server and runs there; against one-shot `state`, interleaved.
# Targets (issue 11): warm cycle <= 1.5x runc, warm state <= 2x runc, first call after an idle exit
# within 10 % of one-shot. Needs root, runc and GNU time (apt-get install runc time); builds nothing.
# The server is its own (JRUN_SERVER_DIR in the work directory) and is stopped at the end.
#
# Usage: bench/lifecycle.sh [-n N]    N rounds (default 20), after 3 unmeasured ones
set -euo pipefail

repo=$(cd -P -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
. "$repo/bench/lib/common.sh"
bench_rounds lifecycle.sh 20 "$@"
bench_require_build lifecycle.sh "$repo"
command -v runc >/dev/null || { echo "lifecycle.sh: runc is not installed (apt-get install runc)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "lifecycle.sh: GNU time is not installed (apt-get install time)" >&2; exit 1; }
[ -n "${EPOCHREALTIME:-}" ] || { echo "lifecycle.sh: needs bash 5 or newer (EPOCHREALTIME)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "lifecycle.sh: needs root (runc and jrun create containers)" >&2; exit 1; }

work=$(mktemp -d /tmp/jrun-bench.XXXXXX)
server_dir=$work/server
runtimes=(oneshot warm runc)
ids=()

cleanup() {
  local id
  for id in "${ids[@]}"; do
    JRUN_SERVER=off "$repo/bin/jrun" --root "$work/jrun-state" delete --force "$id" >/dev/null 2>&1 || true
    runc --root "$work/runc-state" delete --force "$id" >/dev/null 2>&1 || true
  done
  bench_stop_server lifecycle.sh "$server_dir" || true
  rm -rf -- "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

"$repo/scripts/make-rootfs.sh" "$work/bundle/rootfs" >/dev/null
# One config for all: runc's own default, running /bin/true without a terminal.
(cd "$work/bundle" && runc spec)
bench_runs_true "$work/bundle/config.json"
mkdir -m 0700 "$server_dir"

# One CLI call of a runtime, with the words in $wrap (GNU time) in front of the program. The
# variables go on the command itself, so that no `env` process is timed.
wrap=()
call() {  # runtime args...
  local rt=$1; shift
  case $rt in
    oneshot) JRUN_SERVER=off "${wrap[@]}" "$repo/bin/jrun" --root "$work/jrun-state" "$@" ;;
    warm) JRUN_SERVER=on JRUN_SERVER_DIR=$server_dir "${wrap[@]}" "$repo/bin/jrun" --root "$work/jrun-state" "$@" ;;
    runc) "${wrap[@]}" runc --root "$work/runc-state" "$@" ;;
  esac
}
# call, or stop the benchmark with the call's stderr.
must() {  # runtime args...
  call "$@" >/dev/null 2>"$work/err" || { echo "lifecycle.sh: failed: $*" >&2; cat "$work/err" >&2; exit 1; }
}
record() { echo "$2" >> "$work/$1"; }   # file value

cycle() {  # runtime measure(0|1): one create, state, start, wait, delete; times in µs
  local rt=$1 measure=$2 id="$1-bench-$$" pidfile="$work/$1.pid" t0 t1 ts t2 t3 t4 t5 pid
  rm -f "$pidfile"
  t0=${EPOCHREALTIME/./}
  must "$rt" create --bundle "$work/bundle" --pid-file "$pidfile" "$id"
  t1=${EPOCHREALTIME/./}
  pid=$(pid_in "$pidfile")
  ts=${EPOCHREALTIME/./}
  must "$rt" state "$id"
  t2=${EPOCHREALTIME/./}
  must "$rt" start "$id"
  t3=${EPOCHREALTIME/./}
  until bench_ended "$pid"; do :; done
  t4=${EPOCHREALTIME/./}
  must "$rt" delete "$id"
  t5=${EPOCHREALTIME/./}
  if [ "$measure" = 1 ]; then
    record "$rt.create" $((t1 - t0)); record "$rt.state" $((t2 - ts)); record "$rt.start" $((t3 - t2))
    record "$rt.startwait" $((t4 - t2)); record "$rt.delete" $((t5 - t4)); record "$rt.cycle" $((t1 - t0 + t5 - t2))
  fi
}

# A --pid-file's pid (jrun writes no newline, so read's status is not the test).
pid_in() { local pid=; read -r pid < "$1" || true; [[ $pid =~ ^[0-9]+$ ]] || { echo "lifecycle.sh: no pid in $1" >&2; exit 1; }; echo "$pid"; }
rss_of() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
# The same cycle under GNU time: peak RSS (KiB) of each call, and the VmRSS of the waiting init.
rss_cycle() {  # runtime
  local rt=$1 id="$1-bench-$$" pidfile="$work/$1.pid" pid step
  rm -f "$pidfile"
  wrap=(/usr/bin/time -f %M -o "$work/rss")
  for step in create state start; do
    case $step in
      create) must "$rt" create --bundle "$work/bundle" --pid-file "$pidfile" "$id"
              pid=$(pid_in "$pidfile"); record "$rt.init.rss" "$(rss_of "$pid")" ;;
      *) must "$rt" "$step" "$id" ;;
    esac
    record "$rt.$step.rss" "$(tail -n 1 "$work/rss")"
  done
  if [ "$rt" = warm ]; then  # the client alone, without bin/jrun's bash in front
    JRUN_SERVER=on JRUN_SERVER_DIR=$server_dir /usr/bin/time -f %M -o "$work/rss" \
      "$repo/runtime/target/jrun-client" --root "$work/jrun-state" state "$id" >/dev/null 2>"$work/err" \
      || { echo "lifecycle.sh: failed: jrun-client state $id" >&2; cat "$work/err" >&2; exit 1; }
    record warm.client.rss "$(tail -n 1 "$work/rss")"
  fi
  until bench_ended "$pid"; do :; done
  must "$rt" delete "$id"
  record "$rt.delete.rss" "$(tail -n 1 "$work/rss")"
  wrap=()
}

median() {  # file (µs) -> ms
  sort -n "$1" | awk '{a[NR] = $1} END {m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f", m / 1000}'
}
median_int() { sort -n "$1" | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
verdict() {  # value limit
  awk -v v="$1" -v l="$2" 'BEGIN {print (v <= l) ? "met" : "NOT met"}'
}

for id in oneshot warm runc idle; do ids+=("$id-bench-$$"); done
echo "lifecycle benchmark: $n rounds (+3 unmeasured), jrun one-shot, jrun warm and runc in turn, /bin/true in a busybox bundle"
echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg); $("$repo/bin/jrun" --version | head -n 1); $(runc --version | head -n 1)"

for ((i = 0; i < n + 3; i++)); do
  for ((j = 0; j < 3; j++)); do
    cycle "${runtimes[(i + j) % 3]}" $((i >= 3))
  done
  if [ "$i" = 0 ]; then
    bench_server_pid "$server_dir" >/dev/null || { echo "lifecycle.sh: no server serves $server_dir after a warm call; its log:" >&2; cat "$server_dir/jrun-server.log" >&2 2>/dev/null; exit 1; }
  fi
done
server=$(bench_server_pid "$server_dir")
idle_rss=$(rss_of "$server")
for ((i = 0; i < 5; i++)); do
  for rt in "${runtimes[@]}"; do rss_cycle "$rt"; done
done
[ "$(bench_server_pid "$server_dir")" = "$server" ] || { echo "lifecycle.sh: the warm server changed during the run (see $server_dir/jrun-server.log)" >&2; exit 1; }

# The first call after an idle exit: one-shot, with a server starting beside it. The container is made one-shot, so that the servers asked
# about it have served nothing before.
bench_stop_server lifecycle.sh "$server_dir"
idle_id=idle-bench-$$
must oneshot create --bundle "$work/bundle" --pid-file "$work/idle.pid" "$idle_id"
previous=
for ((i = 0; i < n; i++)); do
  for ((j = 0; j < 2; j++)); do
    if (( (i + j) % 2 == 0 )); then
      t0=${EPOCHREALTIME/./}; must oneshot state "$idle_id"; t1=${EPOCHREALTIME/./}
      record idle.oneshot $((t1 - t0))
    else
      t0=${EPOCHREALTIME/./}; JRUN_SERVER_IDLE=1 must warm state "$idle_id"; t1=${EPOCHREALTIME/./}
      record idle.first $((t1 - t0))
      bench_await_start "$server_dir"   # it ran one-shot, with a server starting beside it
      pid=$(bench_server_pid "$server_dir") || { echo "lifecycle.sh: the call ran without a server (see $server_dir/jrun-server.log)" >&2; ls -la "$server_dir" >&2; cat "$server_dir/jrun-server.log" >&2; exit 1; }
      [ "$pid" != "$previous" ] || { echo "lifecycle.sh: server $pid served two first calls" >&2; exit 1; }
      previous=$pid
      bench_wait_ended lifecycle.sh "$pid" 30
    fi
  done
done
must oneshot delete --force "$idle_id"

printf '\n%-24s %11s %11s %11s %14s %10s\n' median "jrun 1-shot" "jrun warm" runc "1-shot/runc" "warm/runc"
for step in create state start startwait delete cycle; do
  o=$(median "$work/oneshot.$step"); w=$(median "$work/warm.$step"); r=$(median "$work/runc.$step")
  case $step in startwait) label="start + process exit" ;; cycle) label="whole cycle (no state)" ;; *) label=$step ;; esac
  printf '%-24s %8s ms %8s ms %8s ms %13sx %9sx\n' "$label" "$o" "$w" "$r" "$(ratio "$o" "$r")" "$(ratio "$w" "$r")"
  case $step in cycle) warm_cycle=$(ratio "$w" "$r") ;; state) warm_state=$(ratio "$w" "$r") ;; esac
done

printf '\n%-24s %11s %11s %11s\n' "peak RSS (median of 5)" "jrun 1-shot" "jrun warm" runc
for step in create state start delete; do
  printf '%-24s %7s KiB %7s KiB %7s KiB\n' "$step (CLI)" \
    "$(median_int "$work/oneshot.$step.rss")" "$(median_int "$work/warm.$step.rss")" "$(median_int "$work/runc.$step.rss")"
done
printf '%-24s %7s KiB %7s KiB %7s KiB\n' "waiting init (VmRSS)" \
  "$(median_int "$work/oneshot.init.rss")" "$(median_int "$work/warm.init.rss")" "$(median_int "$work/runc.init.rss")"
printf '%-24s %11s %7s KiB\n' "jrun-client alone" "" "$(median_int "$work/warm.client.rss")"
printf '%-24s %11s %7s KiB\n' "idle server (VmRSS)" "" "$idle_rss"

o=$(median "$work/idle.oneshot"); f=$(median "$work/idle.first")
printf '\n%-52s %8s ms\n' "state, one-shot" "$o"
printf '%-52s %8s ms  %sx one-shot\n' "state, first call after an idle exit (one-shot + a server)" "$f" "$(ratio "$f" "$o")"
idle_ratio=$(ratio "$f" "$o")

echo
echo "targets: warm cycle <= 1.5x runc: ${warm_cycle}x, $(verdict "$warm_cycle" 1.5);" \
  "warm state <= 2x runc: ${warm_state}x, $(verdict "$warm_state" 2);" \
  "first call after idle <= 1.10x one-shot: ${idle_ratio}x, $(verdict "$idle_ratio" 1.10)"
