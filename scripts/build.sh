#!/usr/bin/env bash
# Builds jrun (all modules, the shaded jar and the AOT cache) without running tests.
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
. "$repo/scripts/lib/find-jdk.sh"
jrun_export_java_home
cd "$repo"
mvn -B -q ${JRUN_MAVEN_OPTS:-} install -DskipTests "$@"
echo "build: runtime/target/jrun.jar and its AOT cache are ready; run bin/jrun --help"
