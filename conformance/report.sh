#!/usr/bin/env bash
# Runs the conformance suite against jrun, runc and crun (each one that is installed) and writes
# docs/conformance.md: one row per test, one column per runtime. A runtime that cannot run even
# a trivial container on this host (crun 1.8 on a hybrid cgroup host, say) gets no column but a
# line saying why. Needs root, busybox-static, python3 and a JDK 25.
#
#   conformance/report.sh            # writes docs/conformance.md
#   REPORT_OUT=FILE conformance/report.sh
set -uo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
out=$repo/conformance/target/report
doc=${REPORT_OUT:-$repo/docs/conformance.md}
rm -rf "$out"
mkdir -p "$out"

# Creates and deletes a container that runs `true`; prints why not if the runtime cannot.
probe() {
  local runtime=$1 dir
  dir=$(mktemp -d)
  "$repo/scripts/make-rootfs.sh" "$dir/rootfs" >/dev/null
  mkdir -p "$dir/bundle" "$dir/root"
  cat >"$dir/bundle/config.json" <<EOF
{"ociVersion": "1.0.2", "root": {"path": "$dir/rootfs"},
 "process": {"terminal": false, "user": {"uid": 0, "gid": 0}, "args": ["true"], "env": ["PATH=/bin"], "cwd": "/"},
 "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
 "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}]}}
EOF
  local status=0
  "$runtime" --root "$dir/root" create --bundle "$dir/bundle" conformance-probe >/dev/null 2>"$dir/err" </dev/null || status=$?
  if [ "$status" -eq 0 ]; then
    "$runtime" --root "$dir/root" delete --force conformance-probe >/dev/null 2>&1
  else
    echo "\`create\` of a container running \`true\` fails: $(tr '\n' ' ' <"$dir/err" | cut -c1-400)"
  fi
  rm -rf "$dir"
  return "$status"
}

args=()
for name in jrun runc crun; do
  if [ "$name" = jrun ]; then
    runtime=$repo/bin/jrun
  else
    runtime=$(command -v "$name") || { echo "report: $name is not installed; no column"; continue; }
  fi
  if [ "$name" != jrun ] && ! reason=$(probe "$runtime"); then
    echo "report: $name cannot run containers here: $reason"
    args+=(--not-run "$name=$runtime=$("$runtime" --version 2>/dev/null | head -n1)=$reason")
    continue
  fi
  "$repo/conformance/run.sh" "$runtime" "$out/$name"
  # After the run: for jrun, run.sh has just built what bin/jrun runs.
  args+=(--results "$name=$runtime=$("$runtime" --version 2>/dev/null | head -n1)=$out/$name")
done

python3 "$repo/conformance/report.py" --out "$doc" --notes "$repo/conformance/notes.md" "${args[@]}"
echo "report: wrote $doc"
