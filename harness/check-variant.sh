#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# check-variant.sh llvm|arm64: the series on another compiler or
# architecture, every part as a module, in cache/build-MODE:
#   llvm   built with clang and lld (make LLVM=1, Debian's LLVM 14); run by
#          make check-all after make check, whose applied tree it uses
#   arm64  cross-compiled with gcc-aarch64-linux-gnu and booted on QEMU's
#          virt machine (make check-arm64; not in check-all, for its time)
# The series' folders compile with W=1 and no warning, the parts build out
# of tree (oot.sh), and the kernel boots in QEMU, where its KUnit suites,
# selftests and out-of-tree loads must pass as on the gcc x86_64 kernels
# (boot-MODE). For llvm, compile_commands.json is written from the build
# and clangd parses every file of the series with it. TAP in
# cache/results/MODE.tap, MODE-initramfs.tap, oot-MODE.tap and
# boot-MODE.tap.
set -eu
. "$(dirname "$0")/lib.sh"

mode=$1
kdt_arch "$mode"
logs=$KDT_RESULTS/logs
mkdir -p "$logs"
out=$KDT_CACHE/build-$mode
dirs=$(git -C "$KDT_SRC" diff --name-only kdt-base HEAD -- '*.c' '*.h' |
	grep -v '^tools/' | xargs -rn1 dirname | sort -u | sed 's|$|/|')
case $mode in
llvm)
	kdt_llvm llvm
	what="with make LLVM=1 (clang $($KDT_RUN clang --version |
		sed -n 's/.*clang version \([0-9.]*\).*/\1/p'))"
	;;
arm64)
	llvm=
	what="for arm64 (${CROSS_COMPILE}gcc $("${CROSS_COMPILE}gcc" -dumpfullversion))"
	;;
*) die "usage: check-variant.sh llvm|arm64" ;;
esac

tap_begin "$KDT_RESULTS/$mode.tap"
rc=0
"$KDT_HARNESS/build.sh" "$mode" > "$logs/build-$mode.log" 2>&1 || rc=1
tap_log $rc "build-$mode: the series builds $what" "$logs/build-$mode.log"
[ $rc = 0 ] || { tap_end; exit 1; }
rc=0
$KDT_RUN make -s -C "$KDT_SRC" O="$out" $llvm -j"$KDT_JOBS" W=1 $dirs \
	> "$logs/$mode-w1.log" 2>&1 || rc=1
! grep -q 'warning\|error' "$logs/$mode-w1.log" || rc=1
tap_log $rc "build-$mode: the series' folders with W=1, no warning" \
	"$logs/$mode-w1.log"
[ "$mode" != llvm ] ||
	tap_run "compile_commands.json from build-llvm; clangd --check parses every file" \
		"$logs/compile-commands.log" "$KDT_HARNESS/compile-commands.sh" llvm
tap_end
# The parts as external modules of this kernel (oot-MODE.tap), loaded in
# the guest by run-tests.
"$KDT_HARNESS/oot.sh" "$mode" || true
tap_begin "$KDT_RESULTS/$mode-initramfs.tap"
tap_run "build-$mode: initramfs" "$logs/initramfs-$mode.log" \
	"$KDT_HARNESS/initramfs.sh" "$mode"
tap_end

[ ! -f "$out/initramfs.cpio.gz" ] || "$KDT_HARNESS/boot.sh" "$mode" test
"$KDT_PY" "$KDT_HARNESS/tap.py" boot "boot-$mode" "$KDT_RESULTS/boot-$mode" \
	--kunit > "$KDT_RESULTS/boot-$mode.tap"
