#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# boot.sh MODE test|debug|demo|bench|shell: boot cache/build-MODE in QEMU
# (TCG).
#   test   run the selftests; console and KTAP logs in cache/results/boot-MODE
#   debug  the same, then the debug phases (harness/guest/run-debug)
#   demo   show the samples at work on this terminal, then power off
#   bench  time the samples against their baselines; the console in
#          cache/results/bench.log
#   shell  the demo, then a shell on this terminal
# The guest ends with reboot -f, which -no-reboot turns into QEMU's exit; a
# hard timeout ends a guest that hangs.
set -eu -o pipefail
. "$(dirname "$0")/lib.sh"

mode=$1
kind=$2
out=$KDT_CACHE/build-$mode
logs=$KDT_RESULTS/boot-$mode
timeout=${KDT_BOOT_TIMEOUT:-900}

append="console=ttyS0 panic=-1 kdt.mode=$kind"
# The demo shows the kernel log lines it means to, the bench its table; quiet
# keeps the rest off the console (errors and worse still show).
[ "$kind" = demo ] || [ "$kind" = bench ] && append="$append quiet"
[ "$kind" = shell ] && append="console=ttyS0 panic=-1 kdt.mode=demo kdt.shell=1 quiet"
[ -f "$KDT_HARNESS/config/$mode.cmdline" ] &&
	append="$append $(grep -v '^#' "$KDT_HARNESS/config/$mode.cmdline" | tr '\n' ' ')"

# Two of QEMU's edu PCI devices, for the qemu_edu driver and its tests.
qemu=(qemu-system-x86_64 -accel tcg -smp 2 -m 512 -no-reboot
      -device edu -device edu
      -kernel "$out/arch/x86/boot/bzImage" -initrd "$out/initramfs.cpio.gz"
      -append "$append")

mkdir -p "$logs"
case $kind in
test | debug)
	rm -f "$logs"/*.log
	start=$(date +%s)
	rc=0
	timeout --foreground "$timeout" "${qemu[@]}" -display none \
		-serial file:"$logs/console.log" -serial file:"$logs/tap.log" \
		< /dev/null || rc=$?
	echo "$rc $(($(date +%s) - start))" > "$logs/qemu.status"
	;;
demo)
	timeout --foreground "$timeout" "${qemu[@]}" -display none \
		-serial stdio -serial null < /dev/null | tr -d '\r' |
		tee "$logs/demo.log"
	grep -q '^kdt: demo done' "$logs/demo.log" || die "the demo did not finish"
	;;
bench)
	rc=0
	timeout --foreground "$timeout" "${qemu[@]}" -display none \
		-serial stdio -serial null < /dev/null | tr -d '\r' \
		> "$KDT_RESULTS/bench.log" || rc=$?
	grep -q '^kdt: bench done' "$KDT_RESULTS/bench.log" ||
		die "no 'kdt: bench done' on the console (QEMU exit status $rc)"
	;;
shell)
	"${qemu[@]}" -display none -serial mon:stdio -serial null
	;;
*) die "usage: boot.sh MODE test|demo|bench|shell" ;;
esac
