# SPDX-License-Identifier: GPL-2.0-only
# Shared by the phases of the debug run; sourced, never run.

# The modules of the series, from harness/config/parts (initramfs.sh
# writes its module, file and sweep columns to /kdt/parts).
MODULES=$(cut -d' ' -f1 /kdt/parts)

load_all() {
	for m in $MODULES; do modprobe "$m" || echo "# modprobe $m failed"; done
}

# Every file of the series that a program may open: device nodes, /proc
# files, and the series' own sysfs attributes and module parameters (never
# the PCI device's own files: remove, reset, ...).
targets() {
	ls /dev/tour_* /dev/qemu_edu* 2>/dev/null
	ls /proc/tour_* 2>/dev/null
	find /proc/tour -type f 2>/dev/null
	ls /sys/class/tour_chrdev/*/opens /sys/class/tour_chrdev/*/writes \
	   /sys/class/tour_chrdev/*/bytes_written 2>/dev/null
	ls /sys/class/misc/tour_sync/max /sys/class/misc/tour_sync/added \
	   /sys/class/misc/tour_sync/taken /sys/class/misc/tour_sync/stats \
	   2>/dev/null
	for d in /sys/class/misc/qemu_edu*/device; do
		ls "$d/factorial" "$d/liveness" "$d/id" 2>/dev/null
	done
	ls /sys/module/tour_*/parameters/* 2>/dev/null
	echo tcp:8080
	echo packet:lo
}
