#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# gdb.sh, the job of `make gdb`: boot cache/X.Y/build-gdb (every part a
# module, with debug information) in QEMU, which waits for gdb (-S) on
# localhost:${KDT_GDB_PORT:-1234}. The guest's console, its demo and then
# its shell are on this terminal; in another terminal, the command this
# prints attaches gdb with the kernel's lx- commands loaded (lx-dmesg,
# lx-lsmod, lx-symbols for the modules' symbols, ...). checks/gdb.sh is the
# same in batch mode.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

kdt_mode gdb
out=$KDT_OUT
kdt_qemu /dev/null kdt.mode=demo kdt.shell=1 quiet
cat <<EOT
== QEMU waits for gdb on localhost:${KDT_GDB_PORT:-1234}. In another terminal:
     gdb -x $out/kdt.gdb
   then, for instance:
     (gdb) lx-symbols $out/samples $out/drivers
     (gdb) break tour_random_read_iter
     (gdb) continue
   and in the guest: head -c 16 /dev/tour_random. 'exit' in the guest's
   shell ends it all.
EOT
exec "${qemu[@]}" -S -gdb "tcp:localhost:${KDT_GDB_PORT:-1234}" \
	-serial mon:stdio "${tap[@]}"
