#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# check-llvm.sh: the series built with clang and lld (make LLVM=1, Debian's
# LLVM 14) in cache/build-llvm, every part as a module: the series' folders
# compile with W=1 and no warning, the kernel boots in QEMU and its KUnit
# suites and selftests pass as on the gcc kernels (boot-llvm), and
# compile_commands.json is written from this build and clangd parses every
# file of the series with it. Run by `make check-all` after `make check`,
# whose applied tree it uses; TAP in cache/results/llvm.tap and
# boot-llvm.tap.
set -eu
. "$(dirname "$0")/lib.sh"

logs=$KDT_RESULTS/logs
mkdir -p "$logs"
out=$KDT_CACHE/build-llvm
dirs=$(git -C "$KDT_SRC" diff --name-only kdt-base HEAD -- '*.c' '*.h' |
	grep -v '^tools/' | xargs -rn1 dirname | sort -u | sed 's|$|/|')

tap_begin "$KDT_RESULTS/llvm.tap"
rc=0
"$KDT_HARNESS/build.sh" llvm > "$logs/build-llvm.log" 2>&1 || rc=1
tap_log $rc "build-llvm: the series builds with make LLVM=1 (clang $(
	clang --version | sed -n 's/.*clang version \([0-9.]*\).*/\1/p'))" \
	"$logs/build-llvm.log"
[ $rc = 0 ] || { tap_end; exit 1; }
rc=0
make -s -C "$KDT_SRC" O="$out" LLVM=1 -j"$KDT_JOBS" W=1 $dirs \
	> "$logs/llvm-w1.log" 2>&1 || rc=1
! grep -q 'warning\|error' "$logs/llvm-w1.log" || rc=1
tap_log $rc "build-llvm: the series' folders with W=1, no warning" \
	"$logs/llvm-w1.log"
tap_run "compile_commands.json from build-llvm; clangd --check parses every file" \
	"$logs/compile-commands.log" "$KDT_HARNESS/compile-commands.sh" llvm
tap_end
# The parts as external modules of this kernel (oot-llvm.tap), loaded in
# the guest by run-tests.
"$KDT_HARNESS/oot.sh" llvm || true
tap_begin "$KDT_RESULTS/llvm-initramfs.tap"
tap_run "build-llvm: initramfs" "$logs/initramfs-llvm.log" \
	"$KDT_HARNESS/initramfs.sh" llvm
tap_end

[ ! -f "$out/initramfs.cpio.gz" ] || "$KDT_HARNESS/boot.sh" llvm test
"$KDT_PY" "$KDT_HARNESS/tap.py" boot boot-llvm "$KDT_RESULTS/boot-llvm" \
	--kunit > "$KDT_RESULTS/boot-llvm.tap"
