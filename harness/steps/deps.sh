#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# deps.sh [arm64]: install the Debian packages the harness needs, when any is
# missing. With arm64, those of make check-arm64 instead: the cross compiler
# and C library, qemu-system-aarch64, and busybox-static for arm64, which
# needs dpkg's arm64 architecture; it is unpacked in cache/busybox-arm64.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
apt() { $sudo env DEBIAN_FRONTEND=noninteractive apt-get -q "$@"; }

if [ "${1:-}" = arm64 ]; then
	pkgs=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm)
else
	pkgs=(linux-source-6.12 qemu-system-x86 busybox-static sparse b4 git
	      make gcc flex bison bc libelf-dev libssl-dev cpio kmod python3
	      python3-ply python3-git rsync perl xz-utils file libc6-dev
	      python3-sphinx clang lld llvm clangd gdb)
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} != 0 ]; then
	echo "== installing: ${missing[*]}" >&2
	apt update
	apt install -y --no-install-recommends "${missing[@]}"
fi
[ "${1:-}" = arm64 ] || exit 0

bb=$KDT_SHARED/busybox-arm64
[ ! -x "$bb/bin/busybox" ] || exit 0
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$sudo dpkg --add-architecture arm64
	apt update
fi
rm -rf "$bb"
mkdir -p "$bb"
(cd "$bb" && apt-get -q download busybox-static:arm64)
dpkg-deb -x "$bb"/busybox-static_*.deb "$bb"
file "$bb/bin/busybox" | grep -q 'ARM aarch64.*statically linked' ||
	{ echo "kdt: $bb/bin/busybox is not a static arm64 busybox" >&2; exit 1; }
