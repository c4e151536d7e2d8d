#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# gdb.sh [--check]: the series with every part as a module, built with
# debug information and CONFIG_GDB_SCRIPTS (build.sh gdb, cache/build-gdb),
# in QEMU with its gdb stub on localhost:${KDT_GDB_PORT:-1234}.
#
#   make gdb        QEMU waits for gdb (-S); the guest's console, its demo
#                   and then its shell are on this terminal. In another
#                   terminal, the command this prints attaches gdb with
#                   scripts/gdb's lx- commands loaded (lx-dmesg, lx-lsmod,
#                   lx-symbols for the modules' symbols, ...).
#   make check-gdb  the same kernel in the background (kdt.mode=gdb) and gdb
#                   in batch mode: lx-symbols, a breakpoint on
#                   tour_random_read_iter, then the guest loads tour_random
#                   and reads it; the breakpoint must be hit, lx-lsmod must
#                   list tour_random and lx-dmesg show the kernel log. TAP
#                   in cache/results/gdb.tap.
set -eu -o pipefail
. "$(dirname "$0")/lib.sh"

check=0
[ "${1:-}" = --check ] && check=1
out=$KDT_CACHE/build-gdb
port=${KDT_GDB_PORT:-1234}

if [ $check = 0 ]; then
	"$KDT_HARNESS/deps.sh"
	"$KDT_HARNESS/prepare-tree.sh"
	"$KDT_HARNESS/apply.sh"
fi
# The first build takes a while (debug information); later ones only
# rebuild what changed.
"$KDT_HARNESS/build.sh" gdb
make -s -C "$KDT_SRC" O="$out" scripts_gdb
"$KDT_HARNESS/initramfs.sh" gdb
[ -e "$out/vmlinux-gdb.py" ] || die "$out/vmlinux-gdb.py is missing"

# What every gdb session starts with: the kernel's symbols and lx- scripts.
cat > "$out/kdt.gdb" <<GDB
set pagination off
set confirm off
add-auto-load-safe-path $out
file $out/vmlinux
target remote localhost:$port
GDB

append="console=ttyS0 panic=-1"
qemu=(qemu-system-x86_64 -accel tcg -smp 2 -m 512 -no-reboot
      -device edu -device edu -gdb "tcp:localhost:$port"
      -kernel "$out/arch/x86/boot/bzImage" -initrd "$out/initramfs.cpio.gz")

if [ $check = 0 ]; then
	cat <<EOT
== QEMU waits for gdb on localhost:$port. In another terminal:
     gdb -x $out/kdt.gdb
   then, for instance:
     (gdb) lx-symbols $out/samples $out/drivers
     (gdb) break tour_random_read_iter
     (gdb) continue
   and in the guest: head -c 16 /dev/tour_random. 'exit' in the guest's
   shell ends it all.
EOT
	exec "${qemu[@]}" -S -display none -serial mon:stdio -serial null \
		-append "$append kdt.mode=demo kdt.shell=1 quiet"
fi

res=$KDT_RESULTS/gdb
mkdir -p "$res"
tap_begin "$KDT_RESULTS/gdb.tap"
timeout --foreground 900 "${qemu[@]}" -display none \
	-serial file:"$res/console.log" -serial null \
	-append "$append kdt.mode=gdb" < /dev/null &
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
