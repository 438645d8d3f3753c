# shellcheck shell=bash
# What the benchmark scripts share (sourced): the -n option, the build check, and finding, waiting for and
# stopping the jrun server of a directory by its exact pid.
# bench_rounds NAME DEFAULT "$@": sets n from -n (a positive number), prints the script's header comment on -h.
bench_rounds() {
  local name=$1 opt OPTIND=1
  n=$2
  shift 2
  while getopts n:h opt; do
    case $opt in
      n) n=$OPTARG ;;
      *) sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0" >&2; exit 2 ;;
    esac
  done
  case $n in ''|*[!0-9]*|0) echo "$name: -n needs a positive number, got '$n'" >&2; exit 2 ;; esac
}

# bench_require_build NAME REPO: jrun-init, jrun-client and the jar are built.
bench_require_build() {
  local f
  for f in runtime/target/jrun-init runtime/target/jrun-client runtime/target/jrun.jar; do
    [ -e "$2/$f" ] || { echo "$1: $2/$f is missing; build first: $2/scripts/build.sh" >&2; exit 1; }
  done
}

# bench_runs_true CONFIG: edits a config.json (from `runc spec` or `jrun spec`) to run /bin/true without a terminal.
bench_runs_true() {
  python3 - "$1" <<'PY'
import json, sys
path = sys.argv[1]
spec = json.load(open(path))
spec["process"]["terminal"] = False
spec["process"]["args"] = ["/bin/true"]
json.dump(spec, open(path, "w"), indent=2)
PY
}

# bench_server_pid DIR: the pid in DIR/jrun-server.pid, if that process is the jrun server of DIR.
bench_server_pid() {
  local dir=$1 pid args joined
  { read -r pid < "$dir/jrun-server.pid"; } 2>/dev/null || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  { mapfile -d '' args < "/proc/$pid/cmdline"; } 2>/dev/null || return 1
  joined=$'\n'$(printf '%s\n' "${args[@]}")$'\n'
  [[ $joined == *$'\nserver\n--dir\n'"$dir"$'\n'* ]] || return 1
  echo "$pid"
}

# bench_ended PID: true once it has ended (gone, or a zombie nobody reaped yet).
bench_ended() {
  local _pid _comm state
  { read -r _pid _comm state _ < "/proc/$1/stat"; } 2>/dev/null || return 0
  [ "$state" = Z ]
}

# bench_wait_ended NAME PID SECONDS: waits for it to end; says so and fails after SECONDS.
bench_wait_ended() {
  local deadline=$(( ${EPOCHREALTIME/./} + $3 * 1000000 ))
  until bench_ended "$2"; do
    (( ${EPOCHREALTIME/./} < deadline )) || { echo "$1: process $2 did not end within $3 s" >&2; return 1; }
    sleep 0.02
  done
}

# bench_await_start DIR: returns once no client is starting a server in DIR (docs/server.md: a client that finds none
# runs its command one-shot and starts one beside it; its starter holds DIR/jrun-server.lock until the server listens
# and has written its pid file).
bench_await_start() {
  [ ! -e "$1/jrun-server.lock" ] || flock -w 30 "$1/jrun-server.lock" true || true
}

# bench_stop_server NAME DIR: SIGTERM to the server of DIR (only if the pid is that server), waits up to 20 s. A
# server may be starting behind a one-shot command (docs/server.md): its starter holds DIR/jrun-server.lock until it
# listens (and has written its pid file), so the lock is taken first.
bench_stop_server() {
  local pid
  bench_await_start "$2"
  pid=$(bench_server_pid "$2") || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  bench_wait_ended "$1" "$pid" 20
}
