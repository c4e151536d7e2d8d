#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The whole test run of `make check` on one kernel tree (KDT_KVER, default
# mainline): the series' bars on the host, then the selftests and KUnit
# suites in QEMU. On mainline: each patch on its own, the docs, and the
# guests built in and as modules. On another tree (6.12): its series
# regenerates and applies, builds as modules (and out of tree) and its
# guest passes the same selftests and KUnit suites. With KDT_ALL=1 (make
# check-all), on mainline: the debug run in place of the modules' guest,
# then the other trees' checks, all counted together. Every step is a TAP
# result in cache/X.Y/results; the last line counts them all.
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
	echo "# make check ($KDT_KVER${others:+ and $others}) took $(($(date +%s) - start)) s"
	"$KDT_PY" "$KDT_HARNESS/tap.py" sum "$KDT_RESULTS"/*.tap \
		$(for v in $others; do echo "$KDT_SHARED/$v/results/"*.tap; done) || rc=1
	exit "$rc"
}
start=$(date +%s)
done=0
all=${KDT_ALL:-0}
mainline=0
[ "$KDT_KVER" != "$KDT_MAINLINE" ] || mainline=1
others=
[ "$all" = 0 ] || [ $mainline = 0 ] || others=${KDT_TREES#* }
# check-all's debug run: 20 load cycles a module, for CI's time
# (make check-debug: 100).
[ "$all" = 0 ] || export KDT_CYCLES=${KDT_CYCLES:-20}

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
regen="$KDT_KVER: the series matches a regeneration from the sources"
# The same trees and messages on another base (Debian's linux-source-6.12
# moved on) or by another author pass, with the note ('# ') series.py
# prints; it regenerates as the author of patches/, not as whoever runs it.
if [ -n "${KERNEL_SRC:-}" ]; then
	tap_skip "$regen" "the series is generated on Debian's linux-source-$KDT_KVER, not KERNEL_SRC"
else
	tap_run "$regen" "$logs/regenerate.log" "$KDT_PY" \
		"$KDT_HARNESS/series.py" check "$KDT_TREE" "$KDT_GEN" "$KDT_SERIES_DIR"
	if tail -1 "$TAP_FILE" | grep -q '^ok'; then
		grep '^# ' "$logs/regenerate.log" | tee -a "$TAP_FILE" || true
	fi
fi
# Debian ships a newer tree than mainline's series: a note, not a failure.
if [ $mainline = 1 ]; then
	newest=$("$KDT_HARNESS/fetch-source.sh" --list 2>/dev/null |
		awk '{print $2}' | sed 's/^linux-source-//' | sort -uV | tail -1)
	[ -z "$newest" ] || [ "$newest" = "$KDT_KVER" ] ||
		echo "# Debian ships linux-source-$newest: set KDT_TREES in harness/lib.sh, make series, commit" |
		tee -a "$TAP_FILE"
fi
tap_run "$KDT_KVER: git am --whitespace=error applies the series on $(cat "$KDT_CACHE/linux.version" 2>/dev/null || echo KERNEL_SRC)" \
	"$logs/apply.log" "$KDT_HARNESS/apply.sh"
tap_end
applied=$(git -C "$KDT_SRC" rev-list --count kdt-base..HEAD 2>/dev/null || echo 0)
[ "$applied" = "$(grep -c . "$KDT_SERIES_DIR/series")" ] ||
	die "only $applied patches applied; see $logs/apply.log"
# The series' MAINTAINERS entry covers every patch (get_maintainer.pl in
# cache/src). Its TAP results count; its exit status must not stop the run.
[ $mainline = 0 ] || "$KDT_HARNESS/maintainers.sh" || true

# 2. The whole series, built in and as modules (on another tree than
# mainline, as modules), also built out of tree from this repository's
# files (oot.sh, its own TAP), with the initramfs the guest boots; then on
# mainline each patch on its own (bisect.sh: checkpatch, and a build with
# W=1 and sparse, in builds of its own) and the docs.
modes="y m"
[ $mainline = 1 ] || modes=m
tap_begin "$KDT_RESULTS/build.tap"
for mode in $modes; do
	oot=true
	[ $mode = y ] || oot="'$KDT_HARNESS/oot.sh' m"
	tap_run "$KDT_KVER build-$mode: kernel, modules and initramfs for the guest" \
		"$logs/build-$mode.log" \
		sh -c "'$KDT_HARNESS/build.sh' $mode && $oot && '$KDT_HARNESS/initramfs.sh' $mode"
done
tap_end
if [ $mainline = 1 ]; then
	"$KDT_HARNESS/bisect.sh"
	"$KDT_HARNESS/docs.sh"
fi

# 3. The guests. When the series has KUnit tests, their output must show.
# With KDT_ALL=1 the modules' guest is the debug kernel's and the clang
# kernel's (stage 4), which run the same selftests: the gcc one is left out.
kunit=
grep -q '_KUNIT_TEST=y' "$KDT_TOP/Kconfig.fragment" && kunit=--kunit
guests=$modes
[ "$all" = 1 ] && [ $mainline = 1 ] && guests=y
for mode in $guests; do
	if [ -f "$KDT_CACHE/build-$mode/initramfs.cpio.gz" ]; then
		"$KDT_HARNESS/boot.sh" $mode test
	fi
	"$KDT_PY" "$KDT_HARNESS/tap.py" boot "boot-$mode" \
		"$KDT_RESULTS/boot-$mode" $kunit > "$KDT_RESULTS/boot-$mode.tap"
done

# 4. With KDT_ALL=1 (make check-all), counted here: the debug kernel's run
# and the clang build with its guest.
if [ "$all" = 1 ] && [ $mainline = 1 ]; then
	"$KDT_HARNESS/check-debug.sh" --within-check
fi
# 5. The other trees, each counted in the sum above from its results.
for v in $others; do
	KDT_KVER=$v KDT_ALL=0 KDT_RESULTS= "$0" || true
done
done=1
