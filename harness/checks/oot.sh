#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# oot.sh MODE: build every part of the series as an external module, from
# this repository's files rather than the applied tree, against the built
# kernel in cache/X.Y/build-MODE, as a user with a distribution kernel and its
# headers would (README, "Out of tree"):
#
#   make -C <built tree> M=<dir>/samples/tour CONFIG_SAMPLE_TOUR_HELLO=m ...
#   make -C <built tree> M=<dir>/drivers/misc/qemu_edu CONFIG_QEMU_EDU=m \
#       KCFLAGS=-I<dir>/include
#
# The folders are copied to cache/X.Y/oot-MODE first, so that the build's
# objects stay out of the repository; W=1, and no warning (LLVM=1 for
# build-llvm, the cross compiler for build-arm64). The modules go to
# cache/X.Y/build-MODE/oot/, which initramfs.sh puts in the guest's /kdt/oot/,
# where harness/guest/oot-load loads and unloads each.
set -eu -o pipefail
. "$(dirname "$0")/../lib/lib.sh"

kdt_mode "$1"
mode=$KDT_MODE
out=$KDT_OUT
src=$KDT_CACHE/oot-$mode
logs=$KDT_RESULTS/logs
mkdir -p "$logs"
tap_begin "$KDT_RESULTS/$mode/oot.tap"

# The parts: CONFIG_X=m for every obj-$(CONFIG_X) line of the folder.
syms() { sed -n 's/^obj-\$(\(CONFIG_[A-Z0-9_]*\)).*/\1=m/p' "$1/Makefile"; }

rm -rf "$src" "$out/oot"
mkdir -p "$src" "$out/oot"
# Another tree than mainline gets the files its series made (the backport
# rules applied): those of the applied tree.
from=$KDT_TOP
[ "$KDT_KVER" = "$KDT_MAINLINE" ] || from=$KDT_SRC
# The series' files only: the applied tree's folders hold the kernel's too.
for f in $(cd "$KDT_TOP" && ls samples/tour/* drivers/misc/qemu_edu/* \
	include/uapi/misc/*); do
	mkdir -p "$src/$(dirname "$f")"
	cp "$from/$f" "$src/$f"
done
for d in samples/tour drivers/misc/qemu_edu; do
	log=$logs/oot-$mode-${d//\//-}.log
	rc=0
	$KDT_RUN make -C "$out" M="$src/$d" $llvm W=1 KCFLAGS="-I$src/include" \
		$(syms "$src/$d") modules > "$log" 2>&1 || rc=1
	kdt_quiet "$log" || rc=1
	n=0
	for o in $(sed -n 's/^obj-\$(CONFIG_[A-Z0-9_]*)[[:space:]]*+= *\([a-z0-9_]*\)\.o$/\1/p' \
		"$src/$d/Makefile"); do
		if [ -f "$src/$d/$o.ko" ]; then
			cp "$src/$d/$o.ko" "$out/oot/"
			n=$((n + 1))
		else
			echo "kdt: $o.ko was not built" >> "$log"
			rc=1
		fi
	done
	tap_log $rc "$d builds out of tree against build-$mode with W=1, no warning: $n module$([ $n = 1 ] || echo s)" "$log"
done
tap_end
