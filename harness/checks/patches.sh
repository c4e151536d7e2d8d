#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Check each patch of the applied series on its own: checkpatch --strict
# finds nothing, and the tree at that patch builds the series' folders with
# W=1 and sparse and no warning, built in (y) and as modules (m, and
# modpost links them, so a symbol a part uses but a later patch brings in
# fails here). The whole series' built-in kernel links in build-y.
#
# Built in, the config has every part of the series the patch has. As
# modules, it has the umbrella and only the parts (tristates) the patch adds,
# every other one of the series off: menuconfig's "the umbrella plus one
# sample" (or the edu driver alone), which proves that no part needs
# another. Both modes check that the patch's parts ended as asked, so a
# `depends on` the guest's base config lacks fails here rather than
# dropping the part unnoticed. A later patch never changes an earlier
# part's C files (the check below): the earlier part built as a module at
# its own patch, and the built-in build compiles it again at each later one.
#
# The builds are in cache/X.Y/bisect-y and bisect-m, copies of the whole
# series' builds (build-y, build-m, left as they are): only the series'
# files and what their config symbols touch are rebuilt. The patches are
# checked out in the applied tree, cache/X.Y/src, which the Makefile holds
# for this check alone meanwhile (flock), and left at the last one.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

logs=$KDT_RESULTS/logs
tap_begin "$KDT_RESULTS/patches.tap"

dirs=$(kdt_series_dirs)

# A commit may name checkpatch types it must ignore, with its reason in its
# message: "Checkpatch-ignore: TYPE,..." in its harness/commits/ file; and
# "does MAINTAINERS need updating?" is ignored when MAINTAINERS.snippet
# covers every file the patch adds (series.py checkpatch-ignore).
for p in $(cat "$KDT_SERIES_DIR/series"); do
	ignore=$("$KDT_PY" "$KDT_HARNESS/steps/series.py" checkpatch-ignore \
		"$KDT_SERIES_DIR/patches/$p")
	out=$(cd "$KDT_SRC" && scripts/checkpatch.pl --strict --showfile \
		${ignore:+--ignore "$ignore"} "$KDT_SERIES_DIR/patches/$p" 2>&1 || true)
	echo "$out" > "$logs/checkpatch-$p.log"
	echo "$out" | grep -q '^total: 0 errors, 0 warnings, 0 checks' &&
		! echo "$out" | grep -q 'Traceback\|ERROR:\|WARNING:\|CHECK:'
	tap_result $? "checkpatch --strict${ignore:+ --ignore $ignore}: $p"
	[ -z "$out" ] || grep -q '^ok' <<< "$(tail -1 "$TAP_FILE")" ||
		echo "$out" | sed -n '1,20p' | sed 's/^/# /' | tee -a "$TAP_FILE"
done

all=$(kdt_tristates kdt-base HEAD | tr '\n' ' ')

# No patch changes a C file or header that an earlier patch added.
rc=0
for f in $(git -C "$KDT_SRC" diff --name-only --diff-filter=A kdt-base HEAD -- \
	'*.c' '*.h'); do
	n=$(git -C "$KDT_SRC" rev-list --count kdt-base..HEAD -- "$f")
	[ "$n" = 1 ] || { echo "# $f: changed by $n patches" >> "$TAP_FILE"; rc=1; }
done
tap_result $rc "each C file and header of the series comes whole from one patch"

for mode in y m; do
	rsync -a --delete "$KDT_CACHE/build-$mode/" "$KDT_CACHE/bisect-$mode/"
done
# The tree's sparse must be one it accepts: else C=2 warns and turns
# itself off, and the warning fails the build below.
sparse=$("$KDT_HARNESS/steps/sparse.sh")
head=$(git -C "$KDT_SRC" rev-parse HEAD)
last=$(git -C "$KDT_SRC" rev-list --count kdt-base..HEAD)
# The two modes build side by side, each with half the jobs: a build of a
# patch's few files is mostly make's own serial work.
jobs=$(((KDT_JOBS + 1) / 2))

# build MODE: the tree as checked out, in cache/X.Y/bisect-MODE.
build() {
	# Sparse on the files each patch (re)compiles (C=1), on every file of
	# the series at the last patch (C=2).
	c=1
	[ "$i" != "$last" ] || c=2
	make -s -C "$KDT_SRC" O="$KDT_CACHE/bisect-$1" olddefconfig &&
	make -s -C "$KDT_SRC" O="$KDT_CACHE/bisect-$1" -j"$jobs" W=1 C=$c \
		CHECK="$sparse" $2
}

i=0
for c in $(git -C "$KDT_SRC" rev-list --reverse kdt-base..HEAD); do
	i=$((i + 1))
	git -C "$KDT_SRC" checkout -q --detach "$c"
	own=$(kdt_tristates "$c^" "$c" | tr '\n' ' ')
	# The whole series' config, less what this patch does not have; as
	# modules, less the parts other patches add.
	for mode in y m; do
		cp "$KDT_CACHE/bisect-$mode/kdt-full.config" \
			"$KDT_CACHE/bisect-$mode/.config"
	done
	for s in $all; do
		[[ " $own " == *" $s "* ]] ||
			"$KDT_SRC/scripts/config" --file "$KDT_CACHE/bisect-m/.config" \
				--disable "$s"
	done
	# Built in: compile the folders. As modules: compile and link the
	# modules (modpost checks their symbols).
	build y "$dirs" > "$logs/bisect-$i-y.log" 2>&1 &
	pid_y=$!
	build m modules > "$logs/bisect-$i-m.log" 2>&1 &
	pid_m=$!
	for mode in y m; do
		log=$logs/bisect-$i-$mode.log
		pid=pid_$mode
		rc=0
		wait "${!pid}" || rc=$?
		[ $rc = 0 ] && kdt_quiet "$log" || rc=1
		# The patch's parts ended as asked.
		for s in $own; do
			grep -q "^CONFIG_$s=$mode$" "$KDT_CACHE/bisect-$mode/.config" ||
				{ echo "CONFIG_$s is not $mode" >> "$log"; rc=1; }
		done
		what="with W=1 and sparse, no warning"
		[ $mode = y ] ||
			what="the umbrella and ${own:-no part}${own:+alone}, $what"
		tap_log $rc "patch $i builds as $mode: $what" "$log"
	done
done
git -C "$KDT_SRC" checkout -q --detach "$head"

# kernel-doc on every C file and header the series adds or changes.
files=$(git -C "$KDT_SRC" diff --name-only --diff-filter=AM kdt-base HEAD -- \
	'*.c' '*.h')
out=$(cd "$KDT_SRC" && scripts/kernel-doc -none -Wall $files 2>&1)
echo "$out" > "$logs/kernel-doc.log"
rc=0
[ -z "$out" ] || rc=1
tap_result $rc "kernel-doc -Wall: no warning on $(echo $files | wc -w) files"

# The uapi headers the series adds: make headers installs them (and checks
# them for kernel-only content), and each compiles on its own in user space.
uapi=$(git -C "$KDT_SRC" diff --name-only --diff-filter=A kdt-base HEAD -- \
	'include/uapi/*.h')
for h in $uapi; do
	inc=$KDT_CACHE/build-m/usr/include
	rc=0
	{
		make -s -C "$KDT_SRC" O="$KDT_CACHE/build-m" headers &&
		echo "#include <${h#include/uapi/}>" |
			gcc -Wall -Wextra -Werror -fsyntax-only -I "$inc" -x c -
	} > "$logs/uapi.log" 2>&1 || rc=1
	tap_result $rc "$h installs with make headers and compiles on its own"
	[ $rc = 0 ] || sed -n '1,20p' "$logs/uapi.log" | sed 's/^/# /' |
		tee -a "$TAP_FILE"
done
tap_end
