#!/usr/bin/env bash
# Assembles a minimal root filesystem from the host's static busybox, so that
# examples and tests run real containers without downloading an image.
# Usage: scripts/make-rootfs.sh DIR     (DIR is created; existing content is kept)
set -euo pipefail

dir=${1:?usage: make-rootfs.sh DIR}
busybox=${BUSYBOX:-/bin/busybox}

if [ ! -x "$busybox" ]; then
  echo "make-rootfs: $busybox not found; install busybox-static (apt-get install busybox-static)" >&2
  exit 1
fi
# A dynamically linked busybox would need the host's libc inside the rootfs.
if LC_ALL=C readelf -l "$busybox" 2>/dev/null | grep -q 'INTERP'; then
  echo "make-rootfs: $busybox is dynamically linked; install busybox-static" >&2
  exit 1
fi

mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,run,var/tmp,mnt}
chmod 1777 "$dir/tmp" "$dir/var/tmp"
install -m 0755 "$busybox" "$dir/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] && continue
  [ -e "$dir/bin/$applet" ] || ln -s busybox "$dir/bin/$applet"
done
[ -e "$dir/etc/passwd" ] || printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$dir/etc/passwd"
[ -e "$dir/etc/group" ] || printf 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n' > "$dir/etc/group"
echo "make-rootfs: busybox rootfs ready in $dir"
