#!/usr/bin/env bash
# The README's first command: builds jrun, assembles a busybox root filesystem in
# specs/rootfs from the host's busybox (no download), and checks every example spec.
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
"$repo/scripts/build.sh"
"$repo/scripts/make-rootfs.sh" "$repo/specs/rootfs"
cd "$repo"
echo "demo: validating every example spec:"
bin/jrun validate specs/*.yaml specs/*.json
echo "demo: and an invalid one, to show what an error looks like:"
if bin/jrun validate specs/invalid/semantic.yaml; then
  echo "demo: specs/invalid/semantic.yaml was accepted, which is a bug" >&2
  exit 1
fi
echo "demo: done (exit code 3 above means 'invalid spec', as docs/cli.md lists)"
