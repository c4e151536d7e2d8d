#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Check that scripts/get_maintainer.pl, in the tree where the series is
# applied (cache/src, so with its MAINTAINERS entry), names the maintainers
# of MAINTAINERS.snippet for every patch in patches/ that touches a file of
# theirs (its F: lines), and someone for a patch of the tree's own code
# alone: a TAP result per patch in cache/X.Y/results/maintainers.tap.
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
mapfile -t globs < <(sed -n 's/^F:[[:space:]]*//p' "$KDT_TOP/MAINTAINERS.snippet")

# ours PATCH: PATCH adds or changes a file that an F: line covers.
ours() {
	local f g

	for f in $(sed -n 's|^+++ b/||p' "$1"); do
		for g in "${globs[@]}"; do
			case $g in
			*/) [[ $f != "$g"* ]] || return 0 ;;
			*) [ "$f" != "$g" ] || return 0 ;;
			esac
		done
	done
	return 1
}

for p in $(cat "$KDT_SERIES_DIR/series"); do
	log=$logs/get_maintainer-$p.log
	rc=0
	(cd "$KDT_SRC" && HOME=/nonexistent perl scripts/get_maintainer.pl \
		--no-git --no-git-fallback --no-rolestats "$KDT_SERIES_DIR/patches/$p") \
		> "$log" 2>&1 || rc=1
	missing=()
	if ours "$KDT_SERIES_DIR/patches/$p"; then
		for m in "${maints[@]}"; do
			grep -qxF "$m" "$log" || missing+=("$m")
		done
		what="names $who"
	else
		grep -q '@' "$log" || missing+=("anyone")
		what="names the maintainers of the tree's files it changes"
	fi
	[ ${#missing[@]} = 0 ] || rc=1
	tap_result $rc "get_maintainer.pl $what: $p"
	if [ $rc != 0 ]; then
		{
			[ ${#missing[@]} = 0 ] || printf '# missing: %s\n' "${missing[@]}"
			sed -n '1,20p' "$log" | sed 's/^/# /'
		} | tee -a "$TAP_FILE"
	fi
done
tap_end
exit 0
