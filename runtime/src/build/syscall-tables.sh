#!/usr/bin/env bash
# Writes jrun's syscall name → number tables (runtime/src/main/resources/dev/jrun/seccomp/*.syscalls), which
# dev.jrun.seccomp compiles spec names against. Run once when the tables should follow newer kernel headers;
# the output is checked in, so the build never needs this script or the headers.
#
# Source: the Linux UAPI headers as Debian's packages ship them (docs/seccomp.md, "Syscall tables"):
#   x86_64, x86, x32  linux-libc-dev (the host's /usr/include): asm/unistd_64.h, asm/unistd_32.h, asm/unistd_x32.h
#   aarch64           linux-libc-dev-arm64-cross: asm/unistd.h (asm-generic/unistd.h with arm64's __ARCH_WANT_*)
#   arm (EABI)        linux-libc-dev-armhf-cross: asm/unistd.h (unistd-eabi.h, plus the ARM private calls __ARM_NR_*)
# The cross packages need not be installed: `apt-get download linux-libc-dev-arm64-cross linux-libc-dev-armhf-cross`
# and `dpkg-deb -x PKG.deb DIR` for each, then pass DIR.
#
# Each value is what the C compiler makes of the header's macro (x32's carry __X32_SYSCALL_BIT), so no
# expression is parsed here. Usage: syscall-tables.sh CROSS_ROOT [OUT_DIR]
set -euo pipefail
cross=${1:?usage: syscall-tables.sh CROSS_ROOT [OUT_DIR] (CROSS_ROOT: where the two cross packages were extracted)}
out=${2:-$(cd "$(dirname "$0")/.." && pwd)/main/resources/dev/jrun/seccomp}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# table ARCH HEADER_TEXT [CFLAGS...]: every __NR_name (and __ARM_NR_name) macro the header text defines, with its value.
table() {
  local arch=$1 header=$2; shift 2
  printf '%s\n' "$header" > "$work/$arch.h"
  gcc -E -dM "$@" "$work/$arch.h" | sed -nE 's/^#define (__(ARM_)?NR_[a-z0-9_]+) .*/\1/p' \
    | grep -vE '^__NR_(syscalls|arch_specific_syscall|SYSCALL_BASE)$|^__ARM_NR_BASE$|^__NR3264_' | sort -u > "$work/$arch.names"
  {
    printf '#include "%s"\n#include <stdio.h>\nint main(void) {\n' "$work/$arch.h"
    while read -r macro; do
      printf '  printf("%%s %%lu\\n", "%s", (unsigned long)(%s));\n' "${macro#__*NR_}" "$macro"
    done < "$work/$arch.names"
    printf '  return 0;\n}\n'
  } > "$work/$arch.c"
  gcc "$@" -o "$work/$arch" "$work/$arch.c"
  {
    printf '# %s: syscall name and number, from the Linux UAPI headers (runtime/src/build/syscall-tables.sh; do not edit)\n' "$arch"
    "$work/$arch" | sort -k2,2n -k1,1
  } > "$out/$arch.syscalls"
  echo "$arch: $(grep -vc '^#' "$out/$arch.syscalls") syscalls"
}

table x86_64 '#include <asm/unistd_64.h>'
table x86 '#include <asm/unistd_32.h>'
# asm/unistd.h defines the x32 bit but includes the table of the compiler's own ABI; take the bit alone.
x32_bit=$(printf '#include <asm/unistd.h>\n' | gcc -E -dM - | sed -nE 's/^#define __X32_SYSCALL_BIT (.*)/\1/p')
table x32 "$(printf '#define __X32_SYSCALL_BIT %s\n#include <asm/unistd_x32.h>' "$x32_bit")"
table aarch64 '#include <asm/unistd.h>' -nostdinc -I"$cross/usr/aarch64-linux-gnu/include" -I"$(gcc -print-file-name=include)" -I/usr/include -I/usr/include/x86_64-linux-gnu
table arm '#include <asm/unistd.h>' -nostdinc -D__ARM_EABI__ -I"$cross/usr/arm-linux-gnueabihf/include" -I"$(gcc -print-file-name=include)" -I/usr/include -I/usr/include/x86_64-linux-gnu
