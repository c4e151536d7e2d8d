#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The whole test run of `make check`: the series' bars on the host, then the
# selftests and KUnit suites in QEMU, both built in and as modules, and with
# KDT_ALL=1 (make check-all) the debug run and the clang build. Every step
# is a TAP result in cache/results; the last line counts them all.
set -eu
. "$(dirname "$0")/lib.sh"

# Whatever stops the run, it ends with the counts, and fails unless all
# passed.
finish() {
	local rc=$?

	trap - EXIT
	if [ "$done" != 1 ]; then
		printf 'TAP version 13\nnot ok 1 make check ran to the end\n1..1\n' \
			> "$KDT_RESULTS/stopped.tap"
	fi
	echo "# make check took $(($(date +%s) - start)) s"
	"$KDT_PY" "$KDT_HARNESS/tap.py" sum "$KDT_RESULTS"/*.tap || rc=1
	exit "$rc"
}
start=$(date +%s)
done=0
all=${KDT_ALL:-0}

"$KDT_HARNESS/deps.sh"
"$KDT_HARNESS/prepare-tree.sh"
rm -rf "$KDT_RESULTS"
mkdir -p "$KDT_RESULTS"
logs=$KDT_RESULTS/logs
mkdir -p "$logs"
trap finish EXIT

# 0. The harness's own counter of results.
"$KDT_PY" "$KDT_HARNESS/test_tap.py" > "$KDT_RESULTS/harness.tap" || true

# 1. The series: it is what the sources say, and it applies as users apply it.
tap_begin "$KDT_RESULTS/series.tap"
regen="patches/ and series match a regeneration from the sources"
# The same trees and messages on another base (Debian's linux-source-6.12
# moved on) or by another author pass, with the note ('# ') series.py
# prints; it regenerates as the author of patches/, not as whoever runs it.
if [ -n "${KERNEL_SRC:-}" ]; then
	tap_skip "$regen" "patches/ are generated on linux-source-6.12, not KERNEL_SRC"
else
	tap_run "$regen" "$logs/regenerate.log" "$KDT_PY" \
		"$KDT_HARNESS/series.py" check "$KDT_TREE" "$KDT_GEN"
	if tail -1 "$TAP_FILE" | grep -q '^ok'; then
		grep '^# ' "$logs/regenerate.log" | tee -a "$TAP_FILE" || true
	fi
fi
tap_run "git am --whitespace=error applies patches/ on the pristine base" \
	"$logs/apply.log" "$KDT_HARNESS/apply.sh"
tap_end
applied=$(git -C "$KDT_SRC" rev-list --count kdt-base..HEAD 2>/dev/null || echo 0)
[ "$applied" = "$(grep -c . "$KDT_TOP/series")" ] ||
	die "only $applied patches applied; see $logs/apply.log"
# The series' MAINTAINERS entry covers every patch (get_maintainer.pl in
# cache/src). Its TAP results count; its exit status must not stop the run.
"$KDT_HARNESS/maintainers.sh" || true

# 2. The whole series, built in and as modules; then each patch on its own:
# checkpatch, and a build with W=1 and sparse; then the whole series again
# (quick: only the series' files) for the kernels the guests boot.
tap_begin "$KDT_RESULTS/build.tap"
for mode in y m; do
	tap_run "build-$mode: the whole series builds" "$logs/build-$mode.log" \
		"$KDT_HARNESS/build.sh" $mode
done
"$KDT_HARNESS/bisect.sh"
"$KDT_HARNESS/docs.sh"
# As modules, the parts are also built out of tree from this repository's
# files (oot.sh, its own TAP), and the guest loads those too.
for mode in y m; do
	oot=true
	[ $mode = y ] || oot="'$KDT_HARNESS/oot.sh' m"
	tap_run "build-$mode: kernel, modules and initramfs for the guest" \
		"$logs/guest-$mode.log" \
		sh -c "'$KDT_HARNESS/build.sh' $mode && $oot && '$KDT_HARNESS/initramfs.sh' $mode"
done
tap_end

# 3. The guests. When the series has KUnit tests, their output must show.
# With KDT_ALL=1 the modules' guest is the debug kernel's and the clang
# kernel's (stage 4), which run the same selftests: the gcc one is left out.
kunit=
grep -q '_KUNIT_TEST=y' "$KDT_TOP/Kconfig.fragment" && kunit=--kunit
guests="y m"
[ "$all" = 1 ] && guests=y
for mode in $guests; do
	if [ -f "$KDT_CACHE/build-$mode/initramfs.cpio.gz" ]; then
		"$KDT_HARNESS/boot.sh" $mode test
	fi
	"$KDT_PY" "$KDT_HARNESS/tap.py" boot "boot-$mode" \
		"$KDT_RESULTS/boot-$mode" $kunit > "$KDT_RESULTS/boot-$mode.tap"
done

# 4. With KDT_ALL=1 (make check-all), counted here: the debug kernel's run
# and the clang build with its guest.
if [ "$all" = 1 ]; then
	"$KDT_HARNESS/check-debug.sh" --within-check
	"$KDT_HARNESS/check-variant.sh" llvm || true
fi
done=1
