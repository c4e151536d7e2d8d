#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# space.sh GB WHAT: before WHAT fills an empty cache/, make sure the disk
# has about GB free for it, and fail at once, saying so, if not: a disk
# that fills up half-way fails in a step (git, ld, tar) whose message
# hides why. A cache/ that holds mainline's tree already grows by far
# less, and is not checked.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

need=$1 what=$2
[ ! -f "$KDT_SHARED/$KDT_MAINLINE/linux.stamp" ] || exit 0
dir=$KDT_SHARED
until [ -d "$dir" ]; do dir=$(dirname "$dir"); done
free=$(df -P -BG "$dir" | awk 'NR == 2 { sub("G", "", $4); print $4 }')
[ "$free" -ge "$need" ] ||
	die "$what needs about $need GB free for $KDT_SHARED, and the disk has $free GB: free some space"
