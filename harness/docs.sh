#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Check the documentation the applied series adds: each Documentation/
# folder it touches builds with Sphinx (make SPHINXDIRS=... htmldocs) with no
# warning, and its ABI files pass the tree's ABI validator (get_abi.py
# validate, in tools/docs/ since 6.16; scripts/get_abi.pl before).
set -eu
. "$(dirname "$0")/lib.sh"

logs=$KDT_RESULTS/logs
tap_begin "$KDT_RESULTS/docs.tap"

files=$(git -C "$KDT_SRC" diff --name-only --diff-filter=AM kdt-base HEAD -- \
	Documentation)
dirs=$(echo "$files" | grep -v '^Documentation/ABI/' |
	awk -F/ 'NF > 2 {print $2}' | sort -u | tr '\n' ' ')
dirs=${dirs% }
abi=$(echo "$files" | grep '^Documentation/ABI/' || true)

if [ -z "$dirs" ]; then
	tap_skip "the series' documentation builds with Sphinx" "no page yet"
else
	log=$logs/htmldocs.log
	rc=0
	make -C "$KDT_SRC" O="$KDT_CACHE/docs" SPHINXDIRS="$dirs" htmldocs \
		> "$log" 2>&1 || rc=$?
	# A folder built on its own warns of references into the folders
	# left out, in files the series does not touch: the warnings that
	# count name a file of the series, or no file at all (but for
	# Sphinx's note that graphviz is missing).
	ours=$(echo "$files" | grep -v '^Documentation/ABI/' | sed 's/[.]/[.]/g' |
		paste -sd'|')
	grep -i 'warning\|error' "$log" | grep -v 'dot(1) not found' |
		grep -E "($ours):|^[^/]" > "$log.ours" || true
	[ $rc = 0 ] && [ ! -s "$log.ours" ] || rc=1
	n=$(echo "$files" | grep -vc '^Documentation/ABI/')
	tap_result $rc "make SPHINXDIRS=\"$dirs\" htmldocs: no warning in the series' $n pages"
	[ $rc = 0 ] || sed -n '1,20p' "$log.ours" | sed 's/^/# /' |
		tee -a "$TAP_FILE"
fi

if [ -z "$abi" ]; then
	tap_skip "the series' ABI files are valid" "no ABI file yet"
else
	tmp=$(mktemp -d)
	for f in $abi; do
		mkdir -p "$tmp/$(dirname "${f#Documentation/ABI/}")"
		cp "$KDT_SRC/$f" "$tmp/${f#Documentation/ABI/}"
	done
	if [ -f "$KDT_SRC/tools/docs/get_abi.py" ]; then
		tool=get_abi.py
		out=$(cd "$KDT_SRC" && "$KDT_PY" tools/docs/get_abi.py \
			--dir "$tmp" validate 2>&1)
	else
		tool=get_abi.pl
		out=$(cd "$KDT_SRC" && perl scripts/get_abi.pl validate --dir "$tmp" 2>&1)
	fi
	rm -rf "$tmp"
	echo "$out" > "$logs/get_abi.log"
	rc=0
	[ -z "$out" ] || rc=1
	tap_result $rc "$tool validate: no warning on $(echo $abi | wc -w) files"
	[ -z "$out" ] || echo "$out" | sed -n '1,20p' | sed 's/^/# /' |
		tee -a "$TAP_FILE"
fi
tap_end
