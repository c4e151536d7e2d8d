#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Install the Debian packages the harness needs, when any is missing.
set -eu

pkgs=(linux-source-6.12 qemu-system-x86 busybox-static sparse b4 git make gcc
      flex bison bc libelf-dev libssl-dev cpio kmod python3 python3-ply
      python3-git rsync perl xz-utils file libc6-dev python3-sphinx
      clang lld llvm clangd gdb)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0

echo "== installing: ${missing[*]}" >&2
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
$sudo env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -q --no-install-recommends "${missing[@]}"
