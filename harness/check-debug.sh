#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The run of `make check-debug`: the series with every sample as a module
# on the debug kernel of Kconfig.debug.fragment (KASAN, lockdep, kmemleak,
# UBSAN, ...), booted in QEMU to run every selftest, then a stress phase, a
# fuzz phase, 100 load and unload cycles of each module and a kmemleak scan
# (harness/guest/run-debug). Any report in the kernel log fails it, as a
# hang does. TAP in cache/results/debug/, the guest's logs in
# cache/results/boot-debug/; the last line counts them.
set -eu
. "$(dirname "$0")/lib.sh"

res=$KDT_RESULTS/debug
logs=$res/logs
start=$(date +%s)
finish() {
	local rc=$?

	trap - EXIT
	echo "# make check-debug took $(($(date +%s) - start)) s"
	"$KDT_PY" "$KDT_HARNESS/tap.py" sum "$res"/*.tap || rc=1
	exit "$rc"
}

# Within check.sh (make check-all), the series is applied already, and the
# results go beside check.sh's, which counts them.
if [ "${1:-}" = --within-check ]; then
	res=$KDT_RESULTS
	logs=$res/logs
else
	"$KDT_HARNESS/deps.sh"
	"$KDT_HARNESS/prepare-tree.sh"
	rm -rf "$res"
	mkdir -p "$logs"
	trap finish EXIT
	tap_begin "$res/debug-apply.tap"
	tap_run "git am --whitespace=error applies patches/ on the pristine base" \
		"$logs/apply.log" "$KDT_HARNESS/apply.sh"
	tap_end
fi

tap_begin "$res/debug-build.tap"
tap_run "build-debug: the series on the debug kernel, and its initramfs" \
	"$logs/build-debug.log" sh -c \
	"'$KDT_HARNESS/build.sh' debug && '$KDT_HARNESS/initramfs.sh' debug"
tap_end

if [ -f "$KDT_CACHE/build-debug/initramfs.cpio.gz" ]; then
	KDT_BOOT_TIMEOUT=${KDT_BOOT_TIMEOUT:-3000} \
		"$KDT_HARNESS/boot.sh" debug debug
fi
"$KDT_PY" "$KDT_HARNESS/tap.py" boot boot-debug "$KDT_RESULTS/boot-debug" \
	--kunit > "$res/debug-boot.tap"
