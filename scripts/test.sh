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
# The tests run jrun through its warm server (the default), starting servers in many namespaces and
# directories: let them end 30 s after their last request instead of 300, so that none outlives a run by long.
export JRUN_SERVER_IDLE=${JRUN_SERVER_IDLE:-30}
mvn -B ${JRUN_MAVEN_OPTS:-} verify "$@"
