#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# gdb-scripts.sh: for the built cache/X.Y/build-gdb (debug information,
# CONFIG_GDB_SCRIPTS; config/gdb.config), the kernel's gdb scripts
# (make scripts_gdb: lx-dmesg, lx-lsmod, lx-symbols, ...) and
# build-gdb/kdt.gdb, what every gdb session starts with: the kernel's
# symbols, its lx- commands, and QEMU's gdb stub on
# localhost:${KDT_GDB_PORT:-1234}.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

kdt_mode gdb
out=$KDT_OUT
make -s -C "$KDT_SRC" O="$out" scripts_gdb
[ -e "$out/vmlinux-gdb.py" ] || die "$out/vmlinux-gdb.py is missing"
cat > "$out/kdt.gdb" <<GDB
set pagination off
set confirm off
add-auto-load-safe-path $out
file $out/vmlinux
target remote localhost:${KDT_GDB_PORT:-1234}
GDB
