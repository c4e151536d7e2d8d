#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# qemu.sh MODE KIND: boot cache/X.Y/build-MODE in QEMU (TCG; lib.sh's
# kdt_qemu) with kdt.mode=KIND (see guest/init); KIND is one of:
#   test   run the selftests; console and KTAP logs in results/MODE/
#   debug  the same, then the debug phases (guest/run-debug)
#   kcsan  the same, then the stress phase
#   rust   the Rust twins' selftests alone
#   rust-debug  the same, then a kmemleak scan
#   demo   show the samples at work on this terminal, then power off
#   bench  time the samples against their baselines (initramfs-bench);
#          the console in results/bench.log
#   shell  the demo, then a shell on this terminal
# The mode's timeout (config/modes) ends a guest that hangs.
set -eu -o pipefail
. "$(dirname "$0")/../lib/lib.sh"

kdt_mode "$1"
kind=$2
logs=$KDT_RESULTS/$KDT_MODE
words="kdt.mode=$kind"
# The demo shows the kernel log lines it means to, the bench its table;
# quiet keeps the rest off the console (errors and worse still show).
case $kind in
demo | bench) words="$words quiet" ;;
shell) words="kdt.mode=demo kdt.shell=1 quiet" ;;
esac
# KDT_CYCLES=N: the debug run's load cycles per module (default 100).
[ -z "${KDT_CYCLES:-}" ] || words="$words kdt.cycles=$KDT_CYCLES"
mkdir -p "$logs"
tapfile=/dev/null
case $kind in test | debug | kcsan | rust | rust-debug) tapfile=$logs/tap.log ;; esac
[ "$kind" != bench ] || KDT_INITRD=$KDT_OUT/initramfs-bench.cpio.gz
kdt_qemu "$tapfile" $words
run() { timeout --foreground "$KDT_TIMEOUT" "${qemu[@]}" "$@"; }

case $kind in
test | debug | kcsan | rust | rust-debug)
	rm -f "$logs"/*.log
	start=$(date +%s)
	rc=0
	run -serial file:"$logs/console.log" "${tap[@]}" < /dev/null || rc=$?
	echo "$rc $(($(date +%s) - start))" > "$logs/qemu.status"
	;;
demo)
	run -serial stdio "${tap[@]}" < /dev/null | tr -d '\r' |
		tee "$logs/demo.log"
	grep -q '^kdt: demo done' "$logs/demo.log" || die "the demo did not finish"
	;;
bench)
	rc=0
	run -serial stdio "${tap[@]}" < /dev/null | tr -d '\r' \
		> "$KDT_RESULTS/bench.log" || rc=$?
	grep -q '^kdt: bench done' "$KDT_RESULTS/bench.log" ||
		die "no 'kdt: bench done' on the console (QEMU exit status $rc)"
	;;
shell)
	"${qemu[@]}" -serial mon:stdio "${tap[@]}"
	;;
*) die "usage: qemu.sh MODE test|debug|kcsan|rust|rust-debug|demo|bench|shell" ;;
esac
