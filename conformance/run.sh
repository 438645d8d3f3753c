#!/usr/bin/env bash
# Runs the OCI conformance suite against one runtime, through its runc-compatible command line.
#
#   conformance/run.sh [RUNTIME [REPORTS_DIR]]
#
# RUNTIME is the runtime's executable (default: this checkout's bin/jrun); REPORTS_DIR receives
# surefire's XML reports (default: conformance/target/reports/NAME, NAME the executable's file
# name) and run.log, Maven's output. Needs root (real containers), busybox-static (the suite
# builds its rootfs from it; -Dconformance.rootfs=DIR in CONFORMANCE_MAVEN_OPTS to use another)
# and a JDK 25 (found like bin/jrun finds it). Prints one summary line; exits 0 only if no test
# failed.
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
. "$repo/scripts/lib/find-jdk.sh"
jrun_export_java_home

runtime=${1:-$repo/bin/jrun}
case $runtime in
  /*) ;;
  */*) runtime=$PWD/$runtime ;;   # a relative path: command -v would return it still relative
  *) runtime=$(command -v "$runtime" || echo "$PWD/$runtime") ;;
esac
if [ ! -x "$runtime" ]; then
  echo "conformance: $runtime is not an executable runtime" >&2
  exit 2
fi
name=$(basename "$runtime")
reports=${2:-$repo/conformance/target/reports/$name}
mkdir -p "$reports"
reports=$(cd "$reports" && pwd)
rm -f "$reports"/TEST-*.xml "$reports"/*.txt

# -am builds what the suite's module depends on (bin/jrun's jar, even when another runtime is
# tested); -Dtest keeps every other module's tests from running, -DskipITs their integration tests.
status=0
# shellcheck disable=SC2086 # CONFORMANCE_MAVEN_OPTS is split on purpose
mvn -B -f "$repo/pom.xml" -pl conformance -am verify -DskipITs \
  -Dtest='dev.jrun.conformance.*Test' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dconformance.runtime="$runtime" -Dconformance.reports="$reports" ${CONFORMANCE_MAVEN_OPTS:-} \
  >"$reports/run.log" 2>&1 </dev/null || status=$?

python3 - "$name" "$reports" "$status" <<'EOF'
import glob, sys, xml.etree.ElementTree as ET
name, reports, status = sys.argv[1], sys.argv[2], int(sys.argv[3])
counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
failed = []
for path in sorted(glob.glob(reports + "/TEST-*.xml")):
    suite = ET.parse(path).getroot()
    for key in counts:
        counts[key] += int(suite.get(key, 0))
    for case in suite.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed.append(case.get("classname") + " › " + case.get("name"))
passed = counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"]
if counts["tests"] == 0:
    print(f"conformance: {name}: no test ran (exit {status}); see {reports}/run.log")
else:
    print(f"conformance: {name}: {counts['tests']} tests, {passed} passed, "
          f"{counts['failures'] + counts['errors']} failed, {counts['skipped']} skipped ({reports})")
for test in failed:
    print(f"  FAIL {test}")
EOF
exit "$status"
