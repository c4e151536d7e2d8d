#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# w1.sh MODE: the folders of the series' C files compile with W=1 and no
# warning in cache/X.Y/build-MODE, on another compiler or architecture than
# the per-patch builds' (checks/patches.sh: gcc, x86_64), in
# results/MODE/w1.tap.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

kdt_mode "$1"
log=$KDT_RESULTS/logs/$KDT_MODE-w1.log
mkdir -p "$(dirname "$log")"
dirs=$(kdt_series_dirs)
case $KDT_MODE in
llvm) what="clang $($KDT_RUN clang --version | sed -n 's/.*clang version \([0-9.]*\).*/\1/p')" ;;
*) what="${CROSS_COMPILE}gcc $("${CROSS_COMPILE}gcc" -dumpfullversion), $ARCH" ;;
esac
tap_begin "$KDT_RESULTS/$KDT_MODE/w1.tap"
rc=0
$KDT_RUN make -s -C "$KDT_SRC" O="$KDT_OUT" $llvm -j"$KDT_JOBS" W=1 $dirs \
	> "$log" 2>&1 || rc=1
kdt_quiet "$log" || rc=1
tap_log $rc "$KDT_KVER build-$KDT_MODE ($what): the series' folders with W=1, no warning" "$log"
tap_end
