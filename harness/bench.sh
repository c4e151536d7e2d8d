#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The job of `make bench`: build the series with the samples as modules and
# the static harness/bench/tour_bench and edu_bench, boot it and time
# tour_random, tour_stats and tour_store against /dev/urandom, /dev/null and
# a tmpfs file, the qemu_edu driver's factorial and DMA, and tour_echo
# against harness/bench/echo_server, a user-space epoll echo server.
# The guest's console goes to cache/results/bench.log, its table to
# bench.txt. A target not met shows in the table (BELOW, ABOVE) and does not
# fail the run; a bench that does not finish does.
set -eu
. "$(dirname "$0")/lib.sh"

out=$KDT_CACHE/build-m

"$KDT_HARNESS/deps.sh"
"$KDT_HARNESS/prepare-tree.sh"
say "applying patches/ with git am"
"$KDT_HARNESS/apply.sh"
"$KDT_HARNESS/build.sh" m
say "building tour_bench, edu_bench, echo_server and echo_load"
for b in tour_bench edu_bench echo_server echo_load; do
	gcc -O2 -Wall -Werror -static -o "$out/$b" "$KDT_HARNESS/bench/$b.c"
done
"$KDT_HARNESS/initramfs.sh" m

mkdir -p "$KDT_RESULTS"
say "booting the bench (QEMU, TCG; about two minutes)"
start=$(date +%s)
rc=0
"$KDT_HARNESS/boot.sh" m bench || rc=$?
# The table: from the guest's first bench line to its last (the whole rest
# of the log when the bench stopped half-way).
awk '/^kdt: bench on /{on=1} /^kdt: guest done/{on=0} on; /^kdt: bench done/{on=0}' \
	"$KDT_RESULTS/bench.log" > "$KDT_RESULTS/bench.txt"
cat "$KDT_RESULTS/bench.txt"
echo "# the guest ran $(($(date +%s) - start)) s, boot included"
[ "$rc" = 0 ] || die "the bench did not finish: see $KDT_RESULTS/bench.log"
