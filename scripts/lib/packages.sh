# Sourced by the README's two commands (scripts/demo.sh, scripts/test.sh) and .ci/run: the Debian
# packages a fresh machine needs, installed when missing. As root they are installed (apt-get,
# non-interactive); otherwise the exact command to run is printed and the script stops.
#
# What each is for: busybox-static, the test and demo root filesystems; gcc and libc6-dev, the
# static helper jrun-init; maven, the build; iproute2, network namespaces in the demo and tests;
# runc, the peer the tests and the conformance suite compare with; time, peak RSS in benchmarks;
# python3, the fake server and the test clients of the client/server tests; podman and containerd,
# the engines the end-to-end tests (tooling/) run jrun beneath; uidmap, newuidmap and newgidmap, which
# write a rootless container's subordinate id ranges (RootlessIT, docs/rootless.md).
JRUN_DEMO_PACKAGES=(busybox-static gcc libc6-dev maven iproute2)
JRUN_TEST_PACKAGES=("${JRUN_DEMO_PACKAGES[@]}" runc time python3 podman containerd uidmap)

# Usage: jrun_require_packages PACKAGE...
jrun_require_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "jrun: this machine lacks ${missing[*]}; install them first:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    return 1
  fi
  echo "jrun: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
}
