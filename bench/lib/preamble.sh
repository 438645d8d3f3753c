# shellcheck shell=bash
# The start every benchmark script shares (sourced): its -n option and the built jrun it needs.
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
