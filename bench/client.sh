#!/usr/bin/env bash
# Overhead of the native client runtime/target/jrun-client (docs/server.md): wall time per call and
# peak RSS, against a fake server that answers EXIT 0 at once (runtime/src/test/python/
# fake_jrun_server.py), so that what is measured is the client: exec, connect, the request with its
# three fds, one frame back, exit. Next to it, /bin/true run the same way: the cost of any process.
# Targets: <= 2 ms per call, <= 2 MiB RSS. It builds nothing: run scripts/build.sh first.
#
# Usage: bench/client.sh [-n N]
#   -n N   calls per case (default 500), after 20 unmeasured warm-up calls
# The fake server is Python: its share (accept, parse, answer; ~0.1 ms) is inside the figure.
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}" >&2; exit 2; }

runs=500
while [ $# -gt 0 ]; do
  case $1 in
    -n) [ $# -ge 2 ] || usage; runs=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "client.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
case $runs in ''|*[!0-9]*|0) echo "client.sh: -n needs a positive number, got '$runs'" >&2; exit 2 ;; esac
[ -n "${EPOCHREALTIME:-}" ] || { echo "client.sh: needs bash 5 or newer (EPOCHREALTIME)" >&2; exit 1; }

repo=$(cd -P -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
client=$repo/runtime/target/jrun-client
fake=$repo/runtime/src/test/python/fake_jrun_server.py
[ -x "$client" ] || { echo "client.sh: $client is missing; build first: $repo/scripts/build.sh" >&2; exit 1; }
python=/usr/bin/python3
[ -x "$python" ] || { echo "client.sh: needs $python (the fake server)" >&2; exit 1; }

tmp=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf -- "$tmp"
}
trap cleanup EXIT
root=$tmp/root
export JRUN_SERVER_DIR=$tmp/server   # the client's server directory (docs/server.md)
mkdir -m 0700 "$JRUN_SERVER_DIR"
"$python" "$fake" --socket "$JRUN_SERVER_DIR/jrun.sock" --scenario exit:0 --connections 0 --lifetime 3600 &
server=$!
for _ in $(seq 500); do [ -S "$JRUN_SERVER_DIR/jrun.sock" ] && break; sleep 0.01; done
[ -S "$JRUN_SERVER_DIR/jrun.sock" ] || { echo "client.sh: the fake server did not start" >&2; exit 1; }

# A client that answered otherwise would have run one-shot or failed: check once, loudly.
export JRUN_CLIENT_LAUNCHER=/bin/false   # never start anything real
"$client" --root "$root" state bench || { echo "client.sh: the client failed against the fake server" >&2; exit 1; }

# The two cases run interleaved, call by call, so that the load of a busy machine hits both alike.
median() {   # of the numbers on stdin (microseconds), printed in ms with 3 decimals
  sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.3f", m / 1000 }'
}
client_us=() true_us=()
for ((i = 0; i < 20; i++)); do "$client" --root "$root" state bench >/dev/null; /bin/true; done
for ((i = 0; i < runs; i++)); do
  t0=${EPOCHREALTIME/./}
  "$client" --root "$root" state bench >/dev/null
  t1=${EPOCHREALTIME/./}
  /bin/true >/dev/null
  t2=${EPOCHREALTIME/./}
  client_us+=($((t1 - t0)))
  true_us+=($((t2 - t1)))
done

# Peak RSS in KiB over a few calls (GNU time).
max_rss_kib() {
  local i rss max=0
  [ -x /usr/bin/time ] || { echo "n/a (needs GNU time: apt-get install time)"; return; }
  for ((i = 0; i < 10; i++)); do
    rss=$(/usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1)
    [ "$rss" -gt "$max" ] && max=$rss
  done
  echo "$max"
}

client_ms=$(printf '%s\n' "${client_us[@]}" | median)
true_ms=$(printf '%s\n' "${true_us[@]}" | median)
client_rss=$(max_rss_kib "$client" --root "$root" state bench)
true_rss=$(max_rss_kib /bin/true)

printf '%-40s %12s %14s\n' "case ($runs calls)" "median ms" "max RSS KiB"
printf '%-40s %12s %14s\n' "jrun-client, fake server, EXIT 0" "$client_ms" "$client_rss"
printf '%-40s %12s %14s\n' "/bin/true (any process)" "$true_ms" "$true_rss"
