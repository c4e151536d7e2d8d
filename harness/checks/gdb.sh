#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# gdb.sh: gdb in batch mode on cache/X.Y/build-gdb's guest (kdt.mode=gdb,
# guest/gdb-read), through QEMU's gdb stub: lx-symbols, a breakpoint on
# tour_random_read_iter, then the guest loads tour_random and reads it; the
# breakpoint must be hit, lx-lsmod must list tour_random and lx-dmesg show
# the kernel log. TAP in results/gdb.tap; tools/gdb.sh is the same for a
# person at a terminal.
set -eu -o pipefail
. "$(dirname "$0")/../lib/lib.sh"

kdt_mode gdb
out=$KDT_OUT
kdt_qemu /dev/null kdt.mode=gdb
res=$KDT_RESULTS/gdb
mkdir -p "$res"
tap_begin "$KDT_RESULTS/gdb.tap"
timeout --foreground "$KDT_TIMEOUT" "${qemu[@]}" \
	-gdb "tcp:localhost:${KDT_GDB_PORT:-1234}" \
	-serial file:"$res/console.log" "${tap[@]}" < /dev/null &
qemu_pid=$!
# gdb attaches once the guest waits for it.
i=0
until grep -q '^kdt: waiting for gdb' "$res/console.log" 2>/dev/null ||
      ! kill -0 "$qemu_pid" 2>/dev/null || [ $i -ge 600 ]; do
	sleep 1
	i=$((i + 1))
done
cat > "$out/check.gdb" <<GDB
set breakpoint pending on
lx-symbols $out/samples/tour
break tour_random_read_iter
set var init_uts_ns.name.nodename[0] = 'g'
set var init_uts_ns.name.nodename[1] = 'd'
set var init_uts_ns.name.nodename[2] = 'b'
set var init_uts_ns.name.nodename[3] = 0
continue
bt 3
lx-lsmod
lx-dmesg
delete
detach
GDB
# In an empty directory: lx-symbols also looks for modules in the current
# one, and must find the unstripped ones under samples/ first.
rc=0
(cd "$(mktemp -d)" && timeout 600 gdb -batch -x "$out/kdt.gdb" \
	-x "$out/check.gdb") > "$res/gdb.log" 2>&1 || rc=$?
wait "$qemu_pid" || true
grep -Eq 'Breakpoint [0-9]+, tour_random_read_iter' "$res/gdb.log"
tap_result $? "gdb: the breakpoint on tour_random_read_iter is hit when the guest reads /dev/tour_random"
grep -q 'tour_random' <(sed -n '/^Address  *Module/,$p' "$res/gdb.log")
tap_result $? "gdb: lx-lsmod lists tour_random"
grep -q 'Linux version' "$res/gdb.log"
tap_result $? "gdb: lx-dmesg shows the kernel log"
grep -q '^kdt: gdb read done' "$res/console.log"
tap_result $? "the guest read /dev/tour_random and went on once gdb detached"
[ $rc = 0 ] || echo "# gdb exited with $rc; see $res/gdb.log" | tee -a "$TAP_FILE"
tap_end
