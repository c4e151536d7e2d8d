#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# build.sh MODE: build the configured cache/X.Y/build-MODE (configure.sh):
# the kernel image and the modules, installed stripped in build-MODE/stage
# for the initramfs; for arm64 also the UAPI headers, for the static
# selftests initramfs.sh builds.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

kdt_mode "$1"
out=$KDT_OUT
targets="${KDT_IMAGE##*/} modules"
[ "$ARCH" != arm64 ] || targets="$targets headers"

cd "$KDT_SRC"
say "building build-$KDT_MODE"
$KDT_RUN make -s O="$out" $llvm -j"$KDT_JOBS" $targets
rm -rf "$out/stage"
$KDT_RUN make -s O="$out" $llvm INSTALL_MOD_PATH="$out/stage" INSTALL_MOD_STRIP=1 \
	modules_install > /dev/null
