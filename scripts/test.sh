#!/usr/bin/env bash
# Runs every test: unit tests, the launcher's integration tests and the conformance suite.
# Integration tests need root (they use the real kernel) and busybox-static (for test rootfs).
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
. "$repo/scripts/lib/packages.sh"
jrun_require_packages "${JRUN_TEST_PACKAGES[@]}"
. "$repo/scripts/lib/find-jdk.sh"
jrun_export_java_home
cd "$repo"
"$repo/scripts/make-rootfs.sh" "$repo/specs/rootfs" >/dev/null
mvn -B ${JRUN_MAVEN_OPTS:-} verify "$@"
