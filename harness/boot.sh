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
kdt_arch "$mode"
out=$KDT_CACHE/build-$mode
logs=$KDT_RESULTS/boot-$mode
timeout=${KDT_BOOT_TIMEOUT:-900}

# The machine, and where the guest's KTAP goes: x86_64's second UART, or
# on arm64 (virt has one UART) a virtio console. virt's SMMUv3 lets the
# edu device's 28-bit DMA reach RAM that starts at 1 GiB.
if [ "$ARCH" = arm64 ]; then
	tty=ttyAMA0
	machine=(qemu-system-aarch64 -M virt,gic-version=3,iommu=smmuv3
		 -cpu cortex-a57)
	tap_to() {
		tap=(-device virtio-serial-pci -chardev "file,id=tap,path=$1"
		     -device virtconsole,chardev=tap)
	}
else
	tty=ttyS0
	machine=(qemu-system-x86_64 -accel tcg)
	tap_to() { tap=(-serial "file:$1"); }
fi
append="console=$tty panic=-1 kdt.mode=$kind"
[ "$ARCH" != arm64 ] || append="$append kdt.tap=/dev/hvc0"
# The demo shows the kernel log lines it means to, the bench its table; quiet
# keeps the rest off the console (errors and worse still show).
[ "$kind" = demo ] || [ "$kind" = bench ] && append="$append quiet"
# KDT_CYCLES=N: the debug run's load cycles per module (default 100).
[ -z "${KDT_CYCLES:-}" ] || append="$append kdt.cycles=$KDT_CYCLES"
[ "$kind" = shell ] && append="console=$tty panic=-1 kdt.mode=demo kdt.shell=1 quiet"
[ -f "$KDT_HARNESS/config/$mode.cmdline" ] &&
	append="$append $(grep -v '^#' "$KDT_HARNESS/config/$mode.cmdline" | tr '\n' ' ')"

tap_to /dev/null

# Two of QEMU's edu PCI devices, for the qemu_edu driver and its tests.
qemu=("${machine[@]}" -smp 2 -m 512 -no-reboot
      -device edu -device edu
      -kernel "$out/$KDT_IMAGE" -initrd "$out/initramfs.cpio.gz"
      -append "$append")

mkdir -p "$logs"
case $kind in
test | debug)
	rm -f "$logs"/*.log
	tap_to "$logs/tap.log"
	start=$(date +%s)
	rc=0
	timeout --foreground "$timeout" "${qemu[@]}" -display none \
		-serial file:"$logs/console.log" "${tap[@]}" \
		< /dev/null || rc=$?
	echo "$rc $(($(date +%s) - start))" > "$logs/qemu.status"
	;;
demo)
	timeout --foreground "$timeout" "${qemu[@]}" -display none \
		-serial stdio "${tap[@]}" < /dev/null | tr -d '\r' |
		tee "$logs/demo.log"
	grep -q '^kdt: demo done' "$logs/demo.log" || die "the demo did not finish"
	;;
bench)
	rc=0
	timeout --foreground "$timeout" "${qemu[@]}" -display none \
		-serial stdio "${tap[@]}" < /dev/null | tr -d '\r' \
		> "$KDT_RESULTS/bench.log" || rc=$?
	grep -q '^kdt: bench done' "$KDT_RESULTS/bench.log" ||
		die "no 'kdt: bench done' on the console (QEMU exit status $rc)"
	;;
shell)
	"${qemu[@]}" -display none -serial mon:stdio "${tap[@]}"
	;;
*) die "usage: boot.sh MODE test|demo|bench|shell" ;;
esac
