#!/usr/bin/env bash
# The README's first command: builds jrun, assembles a busybox root filesystem in
# specs/rootfs from the host's busybox (no download), checks every example spec, and
# runs real containers from specs/ (as root: containers need it).
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
. "$repo/scripts/lib/packages.sh"
jrun_require_packages "${JRUN_DEMO_PACKAGES[@]}"
"$repo/scripts/build.sh"
"$repo/scripts/make-rootfs.sh" "$repo/specs/rootfs"
cd "$repo"
echo "demo: validating every example spec:"
bin/jrun validate specs/*.yaml specs/*.json
echo "demo: an invalid spec, to show what an error looks like:"
if bin/jrun validate specs/invalid/veth.yaml; then
  echo "demo: specs/invalid/veth.yaml was accepted, which is a bug" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "demo: not root, so no container is run; run this as root to see one"
  exit 0
fi
echo
echo "demo: jrun run specs/minimal.yaml (its own pid, mount, uts, ipc and network namespaces):"
bin/jrun run specs/minimal.yaml
echo
echo "demo: jrun run specs/userns.yaml (root inside is uid 100000 outside):"
bin/jrun run specs/userns.yaml
echo
# The host end of the veth pair goes into the namespace jrun runs in: here a throwaway one, so
# that the demo adds nothing to this machine's own network.
echo "demo: jrun run specs/veth.yaml (eth0, addresses, routes, a ping to the host end), in a scratch network namespace:"
demo_ns="jrun-demo-$$"
ip netns add "$demo_ns"
trap 'ip netns delete "$demo_ns" 2>/dev/null || true' EXIT
ip netns exec "$demo_ns" bin/jrun run specs/veth.yaml
echo
echo "demo: the staged lifecycle, step by step, on specs/hostname.yaml:"
bin/jrun create specs/hostname.yaml
bin/jrun state hostname | grep '"status"'
bin/jrun start hostname
while bin/jrun state hostname | grep -q '"running"'; do :; done
bin/jrun state hostname | grep '"status"'
bin/jrun delete hostname
echo "demo: done"
