#!/usr/bin/env bash
# Start-up benchmark of bin/jrun: wall time over N runs of the common commands, next to
# `java -version` on the same JDK, with and without the AOT cache, plus peak RSS.
# It builds nothing: run scripts/build.sh first. Works from any directory.
#
# Usage: bench/startup.sh [-n N] [--spec FILE]
#   -n N         runs per case (default 20), after 2 unmeasured warm-up runs
#   --spec FILE  spec for the validate case (default specs/minimal.yaml; if that does not
#                exist, a fresh `jrun spec` output in a temporary bundle)
# JRUN_JAVA_OPTS is passed on to bin/jrun, so the script can also compare JVM options.
# The machine is noisy: read the medians; runs of all cases are interleaved so that drift
# hits every case alike.
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}" >&2; exit 2; }

runs=20 spec=
while [ $# -gt 0 ]; do
  case $1 in
    -n) [ $# -ge 2 ] || usage; runs=$2; shift 2 ;;
    --spec) [ $# -ge 2 ] || usage; spec=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "startup.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
[ -n "${EPOCHREALTIME:-}" ] || { echo "startup.sh: needs bash 5 or newer (EPOCHREALTIME)" >&2; exit 1; }
case $runs in ''|*[!0-9]*|0) echo "startup.sh: -n needs a positive number, got '$runs'" >&2; exit 2 ;; esac

repo=$(cd -P -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
jrun=$repo/bin/jrun
jar=$repo/runtime/target/jrun.jar
aot=${JRUN_AOT_CACHE:-$repo/runtime/target/jrun.aot}     # as bin/jrun picks it
if [ ! -f "$jar" ]; then
  echo "startup.sh: $jar is missing; build first: $repo/scripts/build.sh" >&2
  exit 1
fi
source "$repo/scripts/lib/find-jdk.sh"
jrun_find_jdk
java=$JRUN_JAVA_HOME/bin/java

tmp=$(mktemp -d)
trap 'rm -rf -- "$tmp"' EXIT
if [ -z "$spec" ]; then
  spec=$repo/specs/minimal.yaml
  if [ ! -f "$spec" ]; then       # not there yet: a default spec in a bundle with a rootfs
    mkdir "$tmp/bundle" "$tmp/bundle/rootfs"
    "$jrun" spec --format yaml --bundle "$tmp/bundle"
    spec=$tmp/bundle/config.yaml
  fi
fi
[ -f "$spec" ] || { echo "startup.sh: spec $spec does not exist" >&2; exit 1; }
spec=$(readlink -f -- "$spec")

timer=/usr/bin/time
[ -x "$timer" ] || timer=    # RSS needs GNU time (Debian/Ubuntu: apt-get install time)

# Cases: label, JRUN_NO_AOT value, command (simple words: paths with spaces are refused below).
labels=() noaot=() commands=()
add() { labels+=("$1"); noaot+=("$2"); shift 2; commands+=("$*"); }
add "java -version"                    "" "$java" -version
add "jrun --version"                   "" "$jrun" --version
add "jrun validate ${spec##*/}"        "" "$jrun" validate "$spec"
add "jrun features"                    "" "$jrun" features
add "jrun --version (no AOT)"          1  "$jrun" --version
add "jrun validate (no AOT)"           1  "$jrun" validate "$spec"
add "jrun features (no AOT)"           1  "$jrun" features
cmd=()
set_case() { read -r -a cmd <<< "${commands[$1]}"; }
run_case() { JRUN_NO_AOT=${noaot[$1]} "${cmd[@]}"; }    # after set_case

case $repo$spec$java in *' '*) echo "startup.sh: paths with spaces are not supported" >&2; exit 1 ;; esac

# Sanity: each case works once, and whether the JVM really uses the AOT cache.
for i in "${!labels[@]}"; do
  set_case "$i"
  rc=0; run_case "$i" >/dev/null 2>"$tmp/err" || rc=$?
  if [ "$rc" -eq 3 ] && [[ ${labels[$i]} == *validate* ]]; then
    [ -n "${noaot[$i]}" ] || echo "note: ${spec##*/} is invalid (exit 3): timing the error path" >&2
  elif [ "$rc" -ne 0 ]; then
    echo "startup.sh: '${labels[$i]}' exited $rc:" >&2; cat "$tmp/err" >&2; exit 1
  fi
done
aot_state="not used"
if [ ! -f "$aot" ]; then aot_state="missing ($aot)"
elif [ ! "$aot" -nt "$jar" ]; then aot_state="stale (older than the jar; bin/jrun skips it)"
elif JRUN_JAVA_OPTS="${JRUN_JAVA_OPTS:-} -Xlog:aot=info:stderr" "$jrun" --version 2>&1 >/dev/null \
    | grep -q 'Using AOT-linked classes: true'; then aot_state="used"
else aot_state="REJECTED by the JVM (other JDK build or flags? JRUN_JAVA_OPTS=-Xlog:aot=info:stderr shows why)"
fi

for i in "${!labels[@]}"; do : > "$tmp/times.$i"; done
for ((round = -2; round < runs; round++)); do     # rounds -2 and -1 are warm-up
  for i in "${!labels[@]}"; do
    set_case "$i"
    start=$EPOCHREALTIME                          # bash 5: microseconds, no fork
    run_case "$i" >/dev/null 2>&1 || true
    end=$EPOCHREALTIME
    if [ "$round" -ge 0 ]; then
      echo $(( ${end/[.,]/} - ${start/[.,]/} )) >> "$tmp/times.$i"
    fi
  done
done

# Peak RSS (KB) of one more run of each case.
rss() {
  [ -n "$timer" ] || { echo "n/a"; return; }
  set_case "$1"
  JRUN_NO_AOT=${noaot[$1]} "$timer" -f %M -o "$tmp/rss" "${cmd[@]}" >/dev/null 2>&1 || true
  tail -n 1 "$tmp/rss"
}

# Statistics of one case in ms: median min p90 max (nearest rank).
stats() {
  sort -n "$tmp/times.$1" | awk '{ t[NR] = $1 / 1000 } END {
    n = NR; p90 = int(0.9 * n); if (p90 < 0.9 * n) p90++
    med = (n % 2) ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
    printf "%.1f %.1f %.1f %.1f\n", med, t[1], t[p90], t[n] }'
}

cpus=$(nproc 2>/dev/null || echo "?")
jdk_version=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$JRUN_JAVA_HOME/release")
echo "jrun start-up, $runs runs per case (median/min/p90/max wall ms), $(uname -n): $cpus CPUs, Linux $(uname -r)"
echo "JDK $JRUN_JAVA_HOME ($jdk_version); AOT cache: $aot_state"
[ -n "${JRUN_JAVA_OPTS:-}" ] && echo "JRUN_JAVA_OPTS=$JRUN_JAVA_OPTS"
[ -n "$timer" ] || echo "(peak RSS needs GNU time: apt-get install time)"
echo
printf '%-34s %8s %8s %8s %8s %8s %10s\n' case median min p90 max "x java" "peak RSS"
base=
for i in "${!labels[@]}"; do
  read -r med min p90 max < <(stats "$i")
  [ -n "$base" ] || base=$med
  kb=$(rss "$i")
  [ "$kb" = n/a ] && mem=n/a || mem=$(awk -v k="$kb" 'BEGIN { printf "%.1f MB", k / 1024 }')
  ratio=$(awk -v a="$med" -v b="$base" 'BEGIN { printf "%.1f", a / b }')
  printf '%-34s %8s %8s %8s %8s %8s %10s\n' "${labels[$i]}" "$med" "$min" "$p90" "$max" "$ratio" "$mem"
done
