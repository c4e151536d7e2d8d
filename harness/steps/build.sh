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

# y's and m's configs differ only in the series' own symbols: the second of
# them to build starts from the first's objects, and Kbuild rebuilds only
# what those symbols touch. (The Makefile runs one build at a time.)
case $KDT_MODE in y) other=m ;; m) other=y ;; *) other= ;; esac
if [ -n "$other" ] && [ ! -f "$out/vmlinux" ] &&
   [ -f "$KDT_CACHE/build-$other/vmlinux" ]; then
	keep=$(mktemp -d)
	cp -a "$out"/.config "$out"/kdt-*.config "$out"/merge.log "$keep"
	rm -rf "$out"
	cp -a "$KDT_CACHE/build-$other" "$out"
	# Not the other's modules installed, initramfs, or out-of-tree builds.
	rm -rf "$out"/stage "$out"/initramfs*.cpio.gz "$out"/oot
	cp -a "$keep"/.config "$keep"/* "$out"
	rm -rf "$keep"
	# The tools' build (objtool) records its output folder; left as the
	# other's, objtool would be built again, and every object it checks.
	find "$out/tools" \( -name '.*.cmd' -o -name '*.d' \) -print0 |
		xargs -0r sed -i "s|$KDT_CACHE/build-$other/|$out/|g"
fi

cd "$KDT_SRC"
say "building build-$KDT_MODE"
$KDT_RUN make -s O="$out" $llvm -j"$KDT_JOBS" $targets
rm -rf "$out/stage"
$KDT_RUN make -s O="$out" $llvm INSTALL_MOD_PATH="$out/stage" INSTALL_MOD_STRIP=1 \
	modules_install > /dev/null
