#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Check that scripts/get_maintainer.pl, in the tree where the series is
# applied (cache/src, so with its MAINTAINERS entry), names the maintainers
# of MAINTAINERS.snippet for every patch in patches/: a TAP result per patch
# in cache/X.Y/results/maintainers.tap.
#
# Offline and the same everywhere: no git history (--no-git,
# --no-git-fallback), no role statistics, and no ~/.get_maintainer.conf
# (HOME points nowhere; ./.get_maintainer.ignore of the tree still counts).
set -eu
. "$(dirname "$0")/../lib/lib.sh"

logs=$KDT_RESULTS/logs
mkdir -p "$logs"
tap_begin "$KDT_RESULTS/maintainers.tap"

# bail WHY: what is missing, as a failed result, and stop.
bail() {
	tap_result 1 "get_maintainer.pl on the series: $*"
	tap_end
	exit 0
}
[ -x "$KDT_SRC/scripts/get_maintainer.pl" ] ||
	bail "no kernel tree in $KDT_SRC (make apply)"
n=$(grep -c . "$KDT_SERIES_DIR/series")
applied=$(git -C "$KDT_SRC" rev-list --count kdt-base..HEAD 2>/dev/null || echo 0)
[ "$applied" = "$n" ] ||
	bail "$KDT_SRC has $applied of the $n patches applied (make apply)"
mapfile -t maints < <(sed -n 's/^M:[[:space:]]*//p' "$KDT_TOP/MAINTAINERS.snippet")
[ ${#maints[@]} -gt 0 ] || bail "MAINTAINERS.snippet names no maintainer (M:)"
who=$(printf '%s, ' "${maints[@]}")
who=${who%, }

for p in $(cat "$KDT_SERIES_DIR/series"); do
	log=$logs/get_maintainer-$p.log
	rc=0
	(cd "$KDT_SRC" && HOME=/nonexistent perl scripts/get_maintainer.pl \
		--no-git --no-git-fallback --no-rolestats "$KDT_SERIES_DIR/patches/$p") \
		> "$log" 2>&1 || rc=1
	missing=()
	for m in "${maints[@]}"; do
		grep -qxF "$m" "$log" || missing+=("$m")
	done
	[ ${#missing[@]} = 0 ] || rc=1
	tap_result $rc "get_maintainer.pl names $who: $p"
	if [ $rc != 0 ]; then
		{
			[ ${#missing[@]} = 0 ] || printf '# missing: %s\n' "${missing[@]}"
			sed -n '1,20p' "$log" | sed 's/^/# /'
		} | tee -a "$TAP_FILE"
	fi
done
tap_end
exit 0
