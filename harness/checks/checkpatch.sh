#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# checkpatch.sh: each patch of tree KDT_KVER's series passes that tree's
# checkpatch.pl --strict with no error, warning or check, run in the
# pristine tree as a reviewer runs it on a mail, in results/checkpatch.tap.
# A commit may name checkpatch types it must ignore, with its reason in its
# message: "Checkpatch-ignore: TYPE,..." in its harness/commits/ file; and
# "does MAINTAINERS need updating?" is ignored when MAINTAINERS.snippet
# covers every file the patch adds (series.py checkpatch-ignore). The
# patches are checked KDT_JOBS at a time; checkpatch.pl uses one CPU.
set -eu
. "$(dirname "$0")/../lib/lib.sh"

logs=$KDT_RESULTS/logs
mkdir -p "$logs"
tap_begin "$KDT_RESULTS/checkpatch.tap"
mapfile -t series < "$KDT_SERIES_DIR/series"
# A patch whose check did not run must not find an earlier run's log.
rm -f "$logs"/checkpatch-*

# check PATCH: checkpatch's output in logs/checkpatch-PATCH.log, and the
# types it ignored in logs/checkpatch-PATCH.ignore.
check() {
	local p=$1 ignore
	ignore=$("$KDT_PY" "$KDT_HARNESS/steps/series.py" checkpatch-ignore \
		"$KDT_SERIES_DIR/patches/$p" 2>&1) || {
		echo "series.py checkpatch-ignore failed: $ignore" > "$logs/checkpatch-$p.log"
		: > "$logs/checkpatch-$p.ignore"
		return
	}
	echo "$ignore" > "$logs/checkpatch-$p.ignore"
	(cd "$KDT_TREE" && scripts/checkpatch.pl --strict --showfile \
		${ignore:+--ignore "$ignore"} "$KDT_SERIES_DIR/patches/$p") \
		> "$logs/checkpatch-$p.log" 2>&1 || true
}
running=0
for p in "${series[@]}"; do
	if [ "$running" -ge "$KDT_JOBS" ]; then
		wait -n || true
		running=$((running - 1))
	fi
	check "$p" &
	running=$((running + 1))
done
wait

for p in "${series[@]}"; do
	log=$logs/checkpatch-$p.log
	ignore=$(cat "$logs/checkpatch-$p.ignore")
	rc=0
	grep -q '^total: 0 errors, 0 warnings, 0 checks' "$log" &&
		! grep -q 'Traceback\|ERROR:\|WARNING:\|CHECK:' "$log" || rc=1
	tap_log $rc "checkpatch --strict${ignore:+ --ignore $ignore}: $p" "$log"
done
tap_end
