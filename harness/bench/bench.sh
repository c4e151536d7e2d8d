#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# bench.sh [MODE], the job of `make bench`: boot build-MODE (m, or rust for
# the Rust twins against their C samples too) with initramfs-bench
# (steps/initramfs.sh MODE bench: the static tour_bench, edu_bench,
# echo_server and echo_load of this folder) and time tour_random,
# tour_stats and tour_store against /dev/urandom, /dev/null and a tmpfs
# file, the qemu_edu driver's factorial and DMA, and tour_echo against
# echo_server, a user-space epoll echo server. The guest's console goes to
# results/bench.log, its table to bench.txt. A target not met shows in the
# table (BELOW, ABOVE) and does not fail the run; a bench that does not
# finish does.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

mkdir -p "$KDT_RESULTS"
say "booting the bench (QEMU, TCG; about two minutes)"
start=$(date +%s)
rc=0
"$KDT_HARNESS/steps/qemu.sh" "${1:-m}" bench || rc=$?
# The table: from the guest's first bench line to its last (the whole rest
# of the log when the bench stopped half-way).
awk '/^kdt: bench on /{on=1} /^kdt: guest done/{on=0} on; /^kdt: bench done/{on=0}' \
	"$KDT_RESULTS/bench.log" > "$KDT_RESULTS/bench.txt"
cat "$KDT_RESULTS/bench.txt"
echo "# the guest ran $(($(date +%s) - start)) s, boot included"
[ "$rc" = 0 ] || die "the bench did not finish: see $KDT_RESULTS/bench.log"
